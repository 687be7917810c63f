import { crc32, deflateSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { PASSWORD, uniqueEmail, uploadViaApi } from "./support/accounts";
import { baseURL, launch, newContext, review, trackErrors } from "./support/browser";

// A content manager sets up how lectures go to YouTube: a preset whose title and description are
// Liquid templates (a mistake is shown at its line, the preview follows the typing), a cover image
// uploaded to the thumbnail gallery and picked for the preset, and finally a preset deleted.
const LECTURE = "Quantum mechanics, lecture 1";
const PRESET = "Lectures on YouTube";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A real PNG (solid colour, width × height) built here: signature, IHDR, one IDAT, IEND. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => rgb[i % 3] ?? 0)]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(pixels)), chunk("IEND", Buffer.alloc(0))]);
}

/** The signed-up user's token, to seed what the story starts with (a recording, a connected YouTube account). */
async function apiLogin(email: string): Promise<string> {
  const response = await fetch(`${baseURL()}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function connectYouTube(token: string): Promise<void> {
  const response = await fetch(`${baseURL()}/api/v1/credentials`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ platform: "youtube", account_name: "Physics department", credentials: { refresh_token: "1//e2e-refresh-token-not-real" } }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
}

test("create a YouTube preset with a Liquid template, see the error at its line, preview, save, add a thumbnail, delete the preset", async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  const email = uniqueEmail("presets");

  // Sign up in the dashboard.
  await page.goto("/sign-up");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Full name").fill("Grace Manager");
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();
  const token = await apiLogin(email);
  await uploadViaApi(token, LECTURE);
  await connectYouTube(token);

  // No presets yet; the gallery is empty too.
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Output presets" }).click();
  await page.getByRole("heading", { level: 1, name: "Output presets" }).waitFor();
  await page.getByText("No output presets yet.").waitFor();
  await page.getByText("No thumbnails yet.").waitFor();
  await review(page, "presets-empty");

  // A new YouTube preset: the only YouTube account is picked already.
  await page.getByRole("link", { name: "New preset" }).click();
  await page.getByRole("heading", { level: 1, name: "New output preset" }).waitFor();
  await page.getByRole("textbox", { name: "Name" }).fill(PRESET);
  expect(await page.getByRole("radio", { name: "YouTube" }).isChecked()).toBe(true);
  await expect.poll(() => page.getByRole("combobox", { name: "Account to publish with" }).inputValue()).toBe("Physics department");
  await page.getByRole("combobox", { name: "Privacy" }).click();
  await page.getByRole("option", { name: "Public" }).click();

  // A template with an unclosed {% if %} on its second line: the error is shown at that line, and the preview waits.
  await page.getByRole("textbox", { name: "Title template" }).fill("{{ display_name | upcase }}");
  const description = page.getByRole("textbox", { name: "Description template" });
  await description.fill('Recorded {{ record_time | format: "DD.MM.YYYY" }}\n{% if topic %}Topic: {{ topic }}');
  const lineError = page.getByText(/^Line 2, column 1: /).first();
  await lineError.waitFor();
  await page.getByText("The preview appears once the errors in the form are fixed.").waitFor();
  await review(page, "preset-template-error");

  // "Go to line 2" puts the cursor on the faulty line.
  await page.getByRole("button", { name: "Go to line 2" }).first().click();
  await expect.poll(() => description.evaluate((el) => (el as HTMLTextAreaElement).selectionStart)).toBe('Recorded {{ record_time | format: "DD.MM.YYYY" }}\n'.length);

  // Fixed: the error goes, and the preview renders the recording with the templates as typed.
  await description.fill('Recorded {{ record_time | format: "DD.MM.YYYY" }}\n{% if topic %}Topic: {{ topic }}{% endif %}\nQuestions: ask in the comments.');
  const preview = page.getByRole("region", { name: "Preview" });
  await expect.poll(() => preview.getByRole("combobox", { name: "Recording to preview with" }).inputValue()).toBe(LECTURE);
  await preview.getByText(LECTURE.toUpperCase()).waitFor();
  await preview.getByText("Questions: ask in the comments.").waitFor();
  await expect.poll(() => page.getByText(/^Line \d+, column \d+: /).count()).toBe(0);
  await review(page, "preset-preview");

  // Saved: back in the list.
  await page.getByRole("button", { name: "Create preset" }).click();
  await page.getByRole("heading", { level: 1, name: "Output presets" }).waitFor();
  const row = page.getByRole("row").filter({ hasText: PRESET });
  await row.waitFor();
  expect(await row.getByRole("cell").nth(1).textContent()).toBe("YouTube");
  expect(await row.getByRole("cell").nth(2).textContent()).toBe("Physics department");

  // The gallery: a text file is refused with a clear message, a PNG is uploaded and shown.
  const upload = page.getByLabel("Upload a thumbnail");
  await upload.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not an image") });
  await page.getByRole("alert").filter({ hasText: "notes.txt is not a PNG or JPEG image." }).waitFor();
  await upload.setInputFiles({ name: "physics-cover.png", mimeType: "image/png", buffer: png(160, 90, [40, 90, 200]) });
  const gallery = page.getByRole("list", { name: "Thumbnail gallery" });
  await gallery.getByRole("img", { name: "physics-cover.png" }).waitFor();
  await expect.poll(() => gallery.getByRole("img", { name: "physics-cover.png" }).evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(160);
  await review(page, "presets-with-thumbnail");

  // The preset takes the cover: picked in its editor, shown by the preview, saved.
  await page.getByRole("link", { name: `Edit preset ${PRESET}` }).click();
  await page.getByRole("heading", { level: 1, name: `Preset: ${PRESET}` }).waitFor();
  await expect.poll(() => page.getByRole("textbox", { name: "Description template" }).inputValue()).toContain("{% endif %}");
  await page.getByRole("combobox", { name: "Thumbnail" }).click();
  await page.getByRole("option", { name: "physics-cover.png" }).click();
  await page.getByRole("region", { name: "Preview" }).getByText("physics-cover.png").waitFor();
  await review(page, "preset-edit-thumbnail");
  await page.getByRole("button", { name: "Save preset" }).click();
  await page.getByRole("heading", { level: 1, name: "Output presets" }).waitFor();
  await page.getByText("Preset saved.").waitFor();

  // Deleting asks first; Keep changes nothing, Delete removes it.
  await page.getByRole("button", { name: `Delete preset ${PRESET}` }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this preset?" });
  await dialog.waitFor();
  await review(page, "preset-delete-confirm");
  await dialog.getByRole("button", { name: "Keep" }).click();
  await dialog.waitFor({ state: "hidden" });
  await row.waitFor();
  await page.getByRole("button", { name: `Delete preset ${PRESET}` }).click();
  await page.getByRole("dialog", { name: "Delete this preset?" }).getByRole("button", { name: "Delete" }).click();
  await page.getByText("No output presets yet.").waitFor();
  await gallery.getByRole("img", { name: "physics-cover.png" }).waitFor();

  expect(errors).toEqual([]);
  await context.close();
}, 180_000); // a long story: twelve page states reviewed at two widths
