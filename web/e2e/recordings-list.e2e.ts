import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Download, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { registerViaApi, signIn, uniqueEmail, uploadViaApi } from "./support/accounts";
import { baseURL, launch, newContext, review, trackErrors } from "./support/browser";
import { localD1, sqlText } from "./support/local-d1";

// A content manager works through a term's recordings: narrows the list by status, finds the
// moment a topic is explained and jumps straight to it, cleans up (delete, then restore), exports
// a spreadsheet, pages through the list, and does a bulk action with the keyboard alone.
const LECTURE = readFileSync(path.resolve(import.meta.dirname, "../../test/fixtures/media/av-faststart.mp4")); // 6 s of H.264 + AAC
const ALGEBRA_1 = "Linear Algebra, lecture 1";
const ALGEBRA_2 = "Linear Algebra, lecture 2";
const CHEMISTRY = "Organic Chemistry, introduction";
const ROME = "History of Rome";
const QUANTUM = "Quantum Mechanics basics";
// What the pipeline's language model would have made of lecture 2: a chapter 3 s in. Its title
// carries markup, which must show as text, never as an element.
const CHAPTER = "Eigenvalues of symmetric matrices <img src=x onerror=alert(1)>";

/** expect.poll waits 1 s by default; a page under a loaded dev server may need longer. */
const SOON = { timeout: 15_000 };

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const api = (token: string, pathname: string, init: RequestInit = {}) =>
  fetch(`${baseURL()}${pathname}`, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } });

/** The table's body rows (the header row has no row checkbox). */
const rows = (page: Page) => page.getByRole("row").filter({ has: page.getByRole("checkbox", { name: /^Select (?!all)/ }) });
const rowNames = async (page: Page) => (await rows(page).getByRole("link").allTextContents()).map((s) => s.trim());
const resultAlert = (page: Page, title: string) => page.getByRole("status").filter({ hasText: title });

async function downloadedText(download: Download): Promise<string> {
  const file = await download.path();
  return readFileSync(file, "utf8");
}

test("filter by status, search full text and jump to the second, delete and restore, export, paginate, act by keyboard", async () => {
  const email = uniqueEmail("content-manager");
  const token = await registerViaApi(email);
  const ids: Record<string, number> = {};
  for (const name of [ALGEBRA_1, ALGEBRA_2, CHEMISTRY, ROME, QUANTUM]) {
    ids[name] = await uploadViaApi(token, name, name === ALGEBRA_2 ? new Uint8Array(LECTURE.buffer.slice(LECTURE.byteOffset, LECTURE.byteOffset + LECTURE.byteLength)) : undefined);
  }
  // Statuses and chapters come from the pipeline, which needs outside services: written to D1 directly,
  // then the search index is rebuilt through the API.
  localD1(`UPDATE recordings SET status = 'READY' WHERE id = ${ids[ALGEBRA_1]}`);
  localD1(`UPDATE recordings SET status = 'SKIPPED' WHERE id = ${ids[CHEMISTRY]}`);
  localD1(`UPDATE recordings SET topic_timestamps = ${sqlText(JSON.stringify([{ topic: CHAPTER, start: 3, end: 6 }]))} WHERE id = ${ids[ALGEBRA_2]}`);
  expect((await api(token, "/api/v1/search/reindex", { method: "POST" })).status).toBe(202);
  await expect
    .poll(async () => ((await (await api(token, "/api/v1/search?q=eigenvalues")).json()) as { total: number }).total, { timeout: 20_000 })
    .toBe(1);

  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  await signIn(page, email);

  // Every recording, newest first.
  await expect.poll(() => rowNames(page), SOON).toEqual([QUANTUM, ROME, CHEMISTRY, ALGEBRA_2, ALGEBRA_1]);
  await page.getByText("1–5 of 5").waitFor();
  await review(page, "recordings-list");

  // A status filter in the link gives the same view to whoever opens it; the menu adds another.
  await page.goto("/recordings?status=READY");
  await expect.poll(() => rowNames(page), SOON).toEqual([ALGEBRA_1]);
  await page.getByRole("combobox", { name: "Status" }).click();
  await page.getByRole("option", { name: "Skipped" }).click();
  await page.keyboard.press("Escape");
  await expect.poll(() => new URL(page.url()).searchParams.get("status"), SOON).toBe("READY,SKIPPED");
  await expect.poll(() => rowNames(page), SOON).toEqual([CHEMISTRY, ALGEBRA_1]);
  expect(await rows(page).filter({ hasText: ALGEBRA_1 }).getByText("Ready").count()).toBe(1);
  await review(page, "recordings-filtered");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect.poll(() => rowNames(page), SOON).toHaveLength(5);

  // Full-text search finds the chapter: the snippet highlights the word, shows the markup as text,
  // and its link opens the lecture with the player at that second.
  await page.getByRole("searchbox", { name: "Search" }).fill("eigenvalues");
  const hits = page.getByRole("region", { name: "Found in lectures" });
  await hits.getByText("Chapter").waitFor();
  await hits.getByText("Eigenvalues", { exact: true }).waitFor();
  await hits.getByText(/of symmetric matrices <img src=x onerror=alert\(1\)>/).first().waitFor();
  expect(await hits.locator("img").count()).toBe(0);
  // No name has the word: the page says so plainly, pointing at the hits, not "no recordings match".
  await page.getByRole("heading", { name: "No recording's name contains “eigenvalues”." }).waitFor();
  expect(await page.getByRole("heading", { name: "No recordings match these filters." }).count()).toBe(0);
  await review(page, "recordings-search-hits");
  await hits.getByRole("link", { name: `Play ${ALGEBRA_2} from 3 sec` }).click();
  await page.getByRole("heading", { level: 1, name: ALGEBRA_2 }).waitFor();
  expect(new URL(page.url()).searchParams.get("t")).toBe("3");
  const player = page.getByLabel(`Video: ${ALGEBRA_2}`);
  await expect
    .poll(() => player.evaluate((el) => ({ ready: (el as HTMLVideoElement).readyState >= 1, at: Math.round((el as HTMLVideoElement).currentTime) })), { timeout: 15_000 })
    .toEqual({ ready: true, at: 3 });
  await review(page, "recording-at-second");

  // Two recordings deleted together, after a confirmation.
  await page.goto("/recordings");
  await page.getByRole("checkbox", { name: `Select ${ROME}` }).check();
  await page.getByRole("checkbox", { name: `Select ${QUANTUM}` }).check();
  const toolbar = page.getByRole("region", { name: "Actions on the selected recordings" });
  await toolbar.getByText("2 selected").waitFor();
  await review(page, "recordings-selected");
  await toolbar.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete 2 recordings?" });
  await confirm.waitFor();
  await review(page, "recordings-confirm-delete");
  await confirm.getByRole("button", { name: "Delete 2" }).click();
  await resultAlert(page, "Deleted").getByText("Done: 2, skipped: 0, errors: 0").waitFor();
  await expect.poll(() => rowNames(page), SOON).toEqual([CHEMISTRY, ALGEBRA_2, ALGEBRA_1]);
  await review(page, "recordings-deleted");

  // The deleted ones are still there with "Include deleted", and come back; restoring one that was
  // never deleted is reported for that recording.
  await page.getByRole("checkbox", { name: "Include deleted" }).check();
  await expect.poll(() => rowNames(page), SOON).toEqual([QUANTUM, ROME, CHEMISTRY, ALGEBRA_2, ALGEBRA_1]);
  expect(await rows(page).filter({ hasText: ROME }).getByText("Deleted").count()).toBe(1);
  await page.getByRole("checkbox", { name: `Select ${ROME}` }).check();
  await page.getByRole("checkbox", { name: `Select ${QUANTUM}` }).check();
  await page.getByRole("checkbox", { name: `Select ${ALGEBRA_1}` }).check();
  await toolbar.getByRole("button", { name: "Restore" }).click();
  const restored = resultAlert(page, "Restored");
  await restored.getByText("Done: 2, skipped: 1, errors: 0").waitFor();
  await restored.getByRole("list", { name: "Not done" }).getByText(`${ALGEBRA_1}: skipped — Recording is not deleted`).waitFor();
  await review(page, "recordings-restored");
  await restored.getByRole("button", { name: "Close the results" }).click();
  await page.getByRole("checkbox", { name: "Include deleted" }).uncheck();
  await expect.poll(() => rowNames(page), SOON).toEqual([QUANTUM, ROME, CHEMISTRY, ALGEBRA_2, ALGEBRA_1]);
  await expect.poll(() => page.getByText("Deleted", { exact: true }).count(), SOON).toBe(0);

  // CSV: every recording of the current filter, or just the selection.
  let download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export all (CSV)" }).click();
  const all = await downloadedText(await download);
  expect(all.trim().split(/\r\n/)).toHaveLength(6);
  for (const name of [ALGEBRA_1, ALGEBRA_2, CHEMISTRY, ROME, QUANTUM]) expect(all).toContain(name);
  await page.getByRole("checkbox", { name: `Select ${CHEMISTRY}` }).check();
  await page.getByRole("checkbox", { name: `Select ${ROME}` }).check();
  download = page.waitForEvent("download");
  await toolbar.getByRole("button", { name: "Export selected (CSV)" }).click();
  const selection = await downloadedText(await download);
  expect(selection.trim().split(/\r\n/)).toHaveLength(3);
  expect(selection).toContain(CHEMISTRY);
  expect(selection).toContain(ROME);
  expect(selection).not.toContain(QUANTUM);
  await toolbar.getByRole("button", { name: "Clear selection" }).click();

  // Two per page: the count, next, a numbered page, then a bigger page size.
  await page.goto("/recordings?per_page=2");
  await expect.poll(() => rowNames(page), SOON).toEqual([QUANTUM, ROME]);
  await page.getByText("1–2 of 5").waitFor();
  const pages = page.getByRole("navigation", { name: "Pages" });
  await pages.getByRole("button", { name: "Next page" }).click();
  await expect.poll(() => rowNames(page), SOON).toEqual([CHEMISTRY, ALGEBRA_2]);
  expect(new URL(page.url()).searchParams.get("page")).toBe("2");
  await page.getByText("3–4 of 5").waitFor();
  await review(page, "recordings-page-2");
  await pages.getByRole("button", { name: "Page 3" }).click();
  await expect.poll(() => rowNames(page), SOON).toEqual([ALGEBRA_1]);
  await page.getByLabel("Per page").selectOption("10");
  await expect.poll(() => rowNames(page), SOON).toHaveLength(5);
  expect(await page.getByRole("navigation", { name: "Pages" }).count()).toBe(0);

  // Keyboard only: tick two rows with Space, reach Delete with Tab, confirm with Enter.
  await page.getByRole("checkbox", { name: `Select ${QUANTUM}` }).focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab"); // the row's link
  await page.keyboard.press("Tab"); // the next row's checkbox
  await page.keyboard.press("Space");
  await toolbar.getByText("2 selected").waitFor();
  expect(await page.getByRole("checkbox", { name: `Select ${ROME}` }).isChecked()).toBe(true);
  await toolbar.getByRole("button", { name: "Delete" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("dialog", { name: "Delete 2 recordings?" }).waitFor();
  await page.keyboard.press("Enter"); // the confirm button has the focus
  await resultAlert(page, "Deleted").getByText("Done: 2, skipped: 0, errors: 0").waitFor();
  await expect.poll(() => rowNames(page), SOON).toEqual([CHEMISTRY, ALGEBRA_2, ALGEBRA_1]);

  expect(errors).toEqual([]);
  await context.close();
}, 240_000); // one long story: many page states, each reviewed at two widths
