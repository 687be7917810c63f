import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { registerViaApi, signIn, uniqueEmail, uploadViaApi } from "./support/accounts";
import { launch, newContext, review, trackErrors } from "./support/browser";

// A lecturer watches an uploaded lecture, jumps around in it, shares it with a student who has no
// account, and later revokes the link.
const LECTURE = readFileSync(path.resolve(import.meta.dirname, "../../test/fixtures/media/av-faststart.mp4")); // 6 s of H.264 + AAC, 167 KB
const TITLE = "Signals and Systems, lecture 3";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** readyState and position of the page's one <video>, found by its label. */
const videoState = (page: Page, label: string) =>
  page.getByLabel(label).evaluate((element) => {
    const video = element as HTMLVideoElement;
    return { readyState: video.readyState, currentTime: video.currentTime, error: video.error?.code ?? null };
  });

/** Statuses of the signed media URLs the page fetched (the <video>'s own requests). */
function mediaResponses(page: Page): number[] {
  const statuses: number[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.startsWith("/api/v1/media/")) statuses.push(response.status());
  });
  return statuses;
}

test("watch a recording, seek in it, share it with someone without an account, revoke the link", async () => {
  const email = uniqueEmail("watcher");
  const token = await registerViaApi(email);
  const id = await uploadViaApi(token, TITLE, new Uint8Array(LECTURE.buffer.slice(LECTURE.byteOffset, LECTURE.byteOffset + LECTURE.byteLength)));

  const context = await newContext(browser);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  const errors = trackErrors(page);
  const media = mediaResponses(page);
  await signIn(page, email);

  // The detail page plays the original (nothing is trimmed yet); chapters and transcript are not there yet, quietly.
  await page.goto(`/recordings/${id}`);
  await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
  const player = `Video: ${TITLE}`;
  await page.getByLabel(player).waitFor();
  await expect.poll(async () => (await videoState(page, player)).readyState, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await page.getByText("The original video (not trimmed yet).").waitFor();
  await page.getByText("Chapters are not available yet.").waitFor();
  await page.getByText("The transcript is not available yet.").waitFor();
  await review(page, "recording-watch");

  // Seeking asks the server for a byte range (206) and moves the position.
  const rangedBefore = media.filter((status) => status === 206).length;
  await page.getByLabel(player).evaluate((element) => {
    (element as HTMLVideoElement).currentTime = 4;
  });
  await expect.poll(async () => (await videoState(page, player)).currentTime).toBeGreaterThanOrEqual(3.9);
  await expect.poll(async () => (await videoState(page, player)).readyState).toBeGreaterThanOrEqual(2);
  expect(media.filter((status) => status === 206).length).toBeGreaterThanOrEqual(Math.max(1, rangedBefore));
  expect(media.filter((status) => status >= 400)).toEqual([]);

  // A share link: shown once, copied, listed without views.
  await page.getByRole("button", { name: "Create link" }).click();
  const linkBox = page.getByRole("textbox", { name: "New link" });
  await linkBox.waitFor();
  const link = await linkBox.inputValue();
  expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{43}$/);
  await page.getByRole("button", { name: "Copy link" }).click();
  await page.getByRole("button", { name: "Copied" }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  const shares = page.getByRole("table", { name: "Share links" });
  await expect.poll(() => shares.getByRole("row").count()).toBe(2);
  await shares.getByText("Not viewed yet").waitFor();
  await review(page, "recording-share-created");

  // Someone without an account opens it and can watch.
  const visitor = await newContext(browser);
  const visitorPage = await visitor.newPage();
  const visitorErrors = trackErrors(visitorPage);
  await visitorPage.goto(link);
  await visitorPage.getByRole("heading", { level: 1, name: TITLE }).waitFor();
  await expect.poll(async () => (await videoState(visitorPage, player)).readyState, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  await review(visitorPage, "public-share");

  // The lecturer sees the view, then revokes the link after confirming.
  await page.reload();
  const views = shares.getByRole("row").nth(1).getByRole("cell").nth(3);
  await expect.poll(() => views.textContent()).toBe("1");
  await shares.getByRole("button", { name: /^Revoke the link created/ }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke this link?" });
  await dialog.waitFor();
  await review(page, "recording-share-revoke");
  await dialog.getByRole("button", { name: "Revoke link" }).click();
  await shares.getByText("Revoked", { exact: true }).waitFor();
  await expect.poll(() => shares.getByRole("button", { name: /^Revoke the link created/ }).count()).toBe(0);

  // The link is gone for the visitor.
  await visitorPage.reload();
  await visitorPage.getByRole("heading", { level: 1, name: "Link not found" }).waitFor();
  await review(visitorPage, "public-share-gone");

  expect(errors).toEqual([]);
  expect(visitorErrors).toEqual([]);
  await visitor.close();
  await context.close();
});

// Chapters and transcripts (moving the video, the transcript search) are checked with the real
// pipeline's output in pipeline.e2e.ts: no journey answers the API itself.
