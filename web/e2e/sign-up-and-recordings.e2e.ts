import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { fakeMp4, PASSWORD, signIn, uniqueEmail } from "./support/accounts";
import { launch, newContext, review, trackErrors } from "./support/browser";

// A lecturer creates an account, signs in again later, uploads a lecture and opens it.
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test("sign up, sign in, empty list, upload, see it in the list, open it", async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  const email = uniqueEmail("lecturer");

  // Signed out, every page leads to sign-in.
  await page.goto("/recordings");
  await expect.poll(() => new URL(page.url()).pathname).toBe("/sign-in");
  await review(page, "sign-in");

  await page.getByRole("link", { name: "Create one" }).click();
  await page.getByRole("heading", { level: 1, name: "Create an account" }).waitFor();
  // The API's password rules are checked before anything is sent.
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("textbox", { name: "Password" }).fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect.poll(() => page.getByText("At least 8 characters, with a digit and a capital letter.").count()).toBeGreaterThan(0);
  await review(page, "sign-up");
  await page.getByLabel("Full name").fill("Ada Lecturer");
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();

  // Straight into the (empty) recordings list.
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();
  await page.getByRole("heading", { name: "No recordings yet" }).waitFor();
  await review(page, "recordings-empty");

  // Sign out, then back in with the same account; a wrong password is refused clearly.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("textbox", { name: "Password" }).fill("Wrong-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "Incorrect e-mail or password." }).waitFor();
  await signIn(page, email);
  await page.getByRole("heading", { name: "No recordings yet" }).waitFor();

  // Upload through the dashboard (a resumable upload session, named before it starts).
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Upload" }).click();
  await page.getByRole("heading", { level: 1, name: "Upload" }).waitFor();
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Choose files" }).click();
  await (await chooser).setFiles({ name: "intro-lecture.mp4", mimeType: "video/mp4", buffer: Buffer.from(fakeMp4()) });
  const file = page.getByRole("region", { name: "intro-lecture.mp4" });
  await expect.poll(() => file.getByLabel("Recording name").inputValue()).toBe("intro-lecture");
  await file.getByLabel("Recording name").fill("Introduction to Algorithms");
  await page.getByRole("button", { name: "Start upload" }).click();
  await file.getByRole("status").filter({ hasText: "Uploaded." }).waitFor();
  await review(page, "upload");

  // It is in the list, with its status chip, and opens.
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Recordings" }).click();
  const link = page.getByRole("table").getByRole("link", { name: "Introduction to Algorithms" });
  await link.waitFor();
  await expect.poll(() => page.getByRole("row", { name: /Introduction to Algorithms/ }).getByText("Downloaded").count()).toBe(1);
  await review(page, "recordings-list");
  await link.click();
  await page.getByRole("heading", { level: 1, name: "Introduction to Algorithms" }).waitFor();
  await page.getByRole("heading", { name: "Runs" }).waitFor();
  await page.getByText("The pipeline has not run for this recording yet.").waitFor();
  await expect.poll(() => page.getByRole("button", { name: "Process", exact: true }).count()).toBe(1);
  await review(page, "recording-detail");

  // Filters live in the URL: a shared link shows the same view.
  await page.goto("/recordings?search=Algorithms&status=DOWNLOADED");
  await page.getByRole("table").getByRole("link", { name: "Introduction to Algorithms" }).waitFor();
  await page.goto("/recordings?status=READY");
  await page.getByRole("heading", { name: "No recordings match these filters." }).waitFor();

  expect(errors).toEqual([]);
  await context.close();
});
