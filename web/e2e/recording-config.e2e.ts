import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { registerViaApi, signIn, uniqueEmail, uploadViaApi } from "./support/accounts";
import { baseURL, launch, newContext, review, trackErrors } from "./support/browser";

// A lecturer checks which settings the next run of one lecture will use and where each comes
// from, gives this lecture its own language and title, then lets them inherit again.
const TITLE = "Control theory, lecture 5";
const LANGUAGE = /^Language of the lectures/;
const PROMPT = /^Hint for the transcription/;
const TITLE_TEMPLATE = /^Title template/;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The value cell and the source badge of one row of the configuration tables. */
const shownValue = (row: Locator) => row.getByRole("cell").nth(0).textContent();
async function sourceOf(row: Locator): Promise<string | null> {
  const cell = row.getByRole("cell").nth(1);
  for (const source of ["Default", "Your settings", "Template", "This recording"]) if ((await cell.getByText(source, { exact: true }).count()) > 0) return source;
  return null;
}

test("see where a recording's settings come from, override two for this recording, reset one, then all", async () => {
  const email = uniqueEmail("config");
  const token = await registerViaApi(email);
  const id = await uploadViaApi(token, TITLE);
  // The lecturer's own settings give a transcription hint; everything else is the service's default.
  const patched = await fetch(`${baseURL()}/api/v1/users/me/config`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ transcription: { prompt: "Laplace, Nyquist" } }),
  });
  expect(patched.status, await patched.text()).toBe(200);

  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  await signIn(page, email);
  await page.goto(`/recordings/${id}`);
  await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();

  const card = page.getByRole("region", { name: "Configuration" });
  await card.getByRole("button", { name: "Processing" }).click();
  const processing = card.getByRole("table", { name: "Processing" });
  const language = processing.getByRole("row", { name: LANGUAGE });
  await language.waitFor();
  expect(await shownValue(language)).toBe("ru");
  expect(await sourceOf(language)).toBe("Default");
  const prompt = processing.getByRole("row", { name: PROMPT });
  expect(await shownValue(prompt)).toBe("Laplace, Nyquist");
  expect(await sourceOf(prompt)).toBe("Your settings");
  await review(page, "recording-config");

  // A broken title template is refused at its field, and nothing is saved.
  await card.getByRole("button", { name: "Change for this recording" }).click();
  const dialog = page.getByRole("dialog", { name: "Settings of this recording" });
  await dialog.getByLabel("Language of the lectures (code, e.g. ru, en)").fill("en");
  const titleField = dialog.getByLabel("Title template");
  await titleField.fill("{% if %} {display_name}");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => titleField.getAttribute("aria-invalid")).toBe("true");
  const described = await titleField.evaluate((input) =>
    (input.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((ref) => document.getElementById(ref)?.textContent ?? "")
      .join(" "),
  );
  expect(described).toMatch(/invalid value expression/i);
  await review(page, "recording-config-error");
  expect(await sourceOf(language)).toBe("Default");

  // Fixed, both values become this recording's own.
  await titleField.fill("{display_name}: notes");
  await dialog.getByRole("button", { name: "Save" }).click();
  await page.getByText("Saved for this recording.").waitFor();
  await dialog.waitFor({ state: "detached" });
  await expect.poll(() => sourceOf(language)).toBe("This recording");
  expect(await shownValue(language)).toBe("en");
  await card.getByRole("button", { name: /^Title and description/ }).click();
  const title = card.getByRole("table", { name: "Title and description" }).getByRole("row", { name: TITLE_TEMPLATE });
  expect(await shownValue(title)).toBe("{display_name}: notes");
  expect(await sourceOf(title)).toBe("This recording");
  await card.getByRole("button", { name: /^Processing 1 set for this recording/ }).waitFor();
  await review(page, "recording-config-edited");

  // They are stored: a reload shows them again.
  await page.reload();
  await card.getByRole("button", { name: /^Processing/ }).click();
  await language.waitFor();
  expect(await shownValue(language)).toBe("en");
  expect(await sourceOf(language)).toBe("This recording");

  // One value inherits again; the other stays.
  await language.getByRole("button", { name: "Reset “Language of the lectures (code, e.g. ru, en)” to inherited" }).click();
  await page.getByText("Back to the inherited value.").waitFor();
  await expect.poll(() => sourceOf(language)).toBe("Default");
  expect(await shownValue(language)).toBe("ru");
  await card.getByRole("button", { name: /^Title and description/ }).click();
  expect(await sourceOf(title)).toBe("This recording");

  // Then everything, after confirming.
  await card.getByRole("button", { name: "Reset all to inherited" }).click();
  const confirm = page.getByRole("dialog", { name: "Reset every setting of this recording?" });
  await confirm.getByRole("button", { name: "Reset all to inherited" }).click();
  await page.getByText("Every value is inherited again.").waitFor();
  await expect.poll(() => sourceOf(title)).toBe("Default");
  expect(await shownValue(title)).toBe("{display_name} | {topic} ({date})");
  expect(await card.getByRole("button", { name: "Reset all to inherited" }).count()).toBe(0);
  await review(page, "recording-config-inherited");

  // The recording becomes the start of a template: its name to match, its own settings as configs.
  await page.getByRole("button", { name: "Make a template from it" }).click();
  const fromRecording = page.getByRole("dialog", { name: "A template from this recording" });
  await expect.poll(() => fromRecording.getByLabel("Template name").inputValue()).toBe(TITLE);
  await fromRecording.getByLabel("Template name").fill("Co");
  await fromRecording.getByText("At least 3 characters.").waitFor();
  await fromRecording.getByLabel("Template name").fill("Control theory course");
  await review(page, "recording-template-from-it");
  await fromRecording.getByRole("button", { name: "Create the template" }).click();
  await page.getByRole("heading", { level: 1, name: "Control theory course" }).waitFor();

  expect(errors).toEqual([]);
  await context.close();
});
