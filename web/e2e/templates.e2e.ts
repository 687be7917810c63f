import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { registerViaApi, signIn, uniqueEmail } from "./support/accounts";
import { baseURL, launch, newContext, review, trackErrors } from "./support/browser";

// A content manager makes a template for the algebra course: types a rule and sees which of the
// lectures being uploaded it would take before saving, fixes what the API refuses, saves by keyboard,
// switches the template off and on (a lecture that arrived meanwhile is picked up), rematches,
// and finally deletes it.
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * A lecture whose upload has started (a resumable upload, parts still to come): the recording
 * waits for its file (PENDING_SOURCE) and, like one from Zoom, is matched to templates until then.
 */
async function startUpload(token: string, displayName: string): Promise<number> {
  const response = await fetch(`${baseURL()}/api/v1/recordings/uploads`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ display_name: displayName, filename: `${displayName}.mp4`, size: 50 * 1024 * 1024, content_type: "video/mp4" }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { recording_id: number }).recording_id;
}

const isFocused = (page: Page, name: string) => page.getByRole("textbox", { name, exact: true }).evaluate((element) => element === document.activeElement);

test("create a template with a live preview, save by keyboard, deactivate/activate, rematch, delete", async () => {
  const email = uniqueEmail("templates");
  const token = await registerViaApi(email);
  await startUpload(token, "Algebra lecture 1");
  await startUpload(token, "Chemistry lab 2");

  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  await signIn(page, email);

  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Templates" }).click();
  await page.getByRole("heading", { level: 1, name: "Templates" }).waitFor();
  await page.getByText("No templates yet.").waitFor();
  await review(page, "templates-empty");

  await page.getByRole("link", { name: "New template" }).click();
  await page.getByRole("heading", { level: 1, name: "New template" }).waitFor();
  const preview = page.getByRole("region", { name: "Matching recordings" });
  await preview.getByText("Add a rule to see which recordings it matches.").waitFor();

  // By keyboard: name, Tab to the description, Tab past the draft box into the first rule.
  await page.getByRole("textbox", { name: "Name", exact: true }).focus();
  await page.keyboard.type("Algebra course");
  await page.keyboard.press("Tab");
  await expect.poll(() => isFocused(page, "Description")).toBe(true);
  await page.keyboard.type("Lectures of the first-year algebra course");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect.poll(() => isFocused(page, "Title contains")).toBe(true);
  await page.keyboard.type("algebra");

  // The preview follows the unsaved rule: the algebra lecture, not the chemistry lab.
  await preview.getByRole("link", { name: "Algebra lecture 1" }).waitFor();
  await preview.getByText("1 of 2 recordings checked would match.").waitFor();
  expect(await preview.getByRole("link", { name: "Chemistry lab 2" }).count()).toBe(0);
  await review(page, "template-new-preview");

  // A pattern the server cannot run is flagged beside its field while typing.
  const patterns = page.getByRole("textbox", { name: "Title matches a pattern", exact: true });
  await patterns.fill("(unclosed");
  await preview.getByText("Fix the rules to see matches.").waitFor();
  await expect.poll(async () => (await patterns.getAttribute("aria-invalid")) === "true").toBe(true);
  await page.getByText(/^#1: /).waitFor();
  await review(page, "template-new-invalid-pattern");
  await patterns.fill("");
  await preview.getByRole("link", { name: "Algebra lecture 1" }).waitFor();

  // A title template the API refuses: the message is shown beside the field, nothing is saved.
  const titleTemplate = page.getByRole("textbox", { name: "Title template" });
  await titleTemplate.fill("{% if topic %}{{ topic }}");
  await page.getByRole("textbox", { name: "Name", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("alert").filter({ hasText: "The template was not saved:" }).waitFor();
  await expect.poll(async () => (await titleTemplate.getAttribute("aria-invalid")) === "true").toBe(true);
  expect(new URL(page.url()).pathname).toBe("/templates/new");
  await review(page, "template-new-save-error");

  // Fixed, then saved with Enter: the new template takes the algebra lecture at once.
  await titleTemplate.fill("{display_name} ({date})");
  await page.getByRole("textbox", { name: "Name", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Algebra course" }).waitFor();
  expect(new URL(page.url()).pathname).toMatch(/^\/templates\/\d+$/);
  const result = page.getByRole("alert").filter({ hasText: "Rematch finished" });
  await result.getByText("Recordings checked: 2; changed: 1.").waitFor();
  const own = page.getByRole("region", { name: "Recordings of this template" });
  await own.getByRole("link", { name: "Algebra lecture 1" }).waitFor();
  expect(await own.getByRole("link", { name: "Chemistry lab 2" }).count()).toBe(0);
  // The saved rules and configs come back into the form.
  expect(await page.getByRole("textbox", { name: "Title contains", exact: true }).inputValue()).toBe("algebra");
  expect(await titleTemplate.inputValue()).toBe("{display_name} ({date})");
  await review(page, "template-saved");

  // Switched off, it stops matching: a lecture uploaded meanwhile stays without a template.
  await page.getByRole("button", { name: "Deactivate", exact: true }).click();
  await page.getByRole("button", { name: "Activate", exact: true }).waitFor();
  await expect.poll(() => result.count()).toBe(0);
  await page.getByText("Inactive", { exact: true }).first().waitFor();
  expect(await page.getByRole("button", { name: "Rematch recordings" }).isDisabled()).toBe(true);
  await review(page, "template-inactive");
  await startUpload(token, "Algebra lecture 2");

  // Switched on again, it rematches and takes the new lecture; the result is shown.
  await page.getByRole("button", { name: "Activate", exact: true }).click();
  await page.getByRole("button", { name: "Deactivate", exact: true }).waitFor();
  await result.getByText("Recordings checked: 2; changed: 1.").waitFor();
  await own.getByRole("link", { name: "Algebra lecture 2" }).waitFor();

  // An explicit rematch: only the chemistry lab is left without a template, and it stays so.
  await page.getByRole("button", { name: "Rematch recordings" }).click();
  await result.getByText("Recordings checked: 1; changed: 0.").waitFor();
  await review(page, "template-rematched");

  // The same page in Russian.
  await page.getByRole("combobox", { name: "Language" }).selectOption("ru");
  await page.getByRole("group", { name: "Правила совпадения" }).waitFor();
  await review(page, "template-editor-ru");
  await page.getByRole("combobox", { name: "Язык" }).selectOption("en");
  await page.getByRole("group", { name: "Matching rules" }).waitFor();

  // The list shows its state and how many recordings it matched.
  await page.getByRole("link", { name: "All templates" }).click();
  await page.getByRole("heading", { level: 1, name: "Templates" }).waitFor();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "Algebra course" }) });
  await row.getByText("Active", { exact: true }).waitFor();
  await expect.poll(() => row.getByRole("cell").nth(2).textContent()).toBe("2");
  await review(page, "templates-list");

  // Deleting asks first; the lectures stay, without a template.
  await row.getByRole("link", { name: "Algebra course" }).click();
  await page.getByRole("heading", { level: 1, name: "Algebra course" }).waitFor();
  await page.getByRole("button", { name: "Delete template" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this template?" });
  await dialog.waitFor();
  await review(page, "template-delete-confirm");
  await dialog.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Templates" }).waitFor();
  await page.getByText("No templates yet.").waitFor();

  expect(errors).toEqual([]);
  await context.close();
}, 300_000); // a long story with ten reviews (axe + screenshots) on a machine shared by several journeys
