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

// Topics and transcripts come from the pipeline (speech recognition, a language model), which the
// journeys' server does not run: the two files are answered here in the API's own shapes, so what
// is checked is the page — chapters and transcript lines that move the video, and the search box.
const TOPICS = {
  active_version: "v2",
  versions: [
    { id: "v1", is_active: false, summary: "An older extraction", topic_timestamps: [{ topic: "Stale chapter", start: 0, end: 6 }] },
    {
      id: "v2",
      is_active: true,
      summary: "Convolution, step by step.",
      topic_timestamps: [
        { topic: "Why convolution", start: 0, end: 2 },
        { topic: "Flipping and shifting", start: 2, end: 4.5 },
        { topic: "Worked example", start: 4.5, end: 6 },
      ],
    },
  ],
};
const TRANSCRIPT = {
  language: "en",
  text: "…",
  segments: [
    { id: 0, start: 0.5, end: 2, text: "Today we look at convolution." },
    { id: 1, start: 2, end: 3.5, text: "First we flip the signal." },
    { id: 2, start: 3.5, end: 5.5, text: "Then we shift it and multiply." },
  ],
};

test("chapters and transcript lines move the video; the transcript can be searched", async () => {
  const email = uniqueEmail("chapters");
  const token = await registerViaApi(email);
  const id = await uploadViaApi(token, TITLE, new Uint8Array(LECTURE.buffer.slice(LECTURE.byteOffset, LECTURE.byteOffset + LECTURE.byteLength)));
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  await page.route(`**/api/v1/recordings/${id}/topics`, (route) => route.fulfill({ json: TOPICS }));
  await page.route(`**/api/v1/recordings/${id}/transcript`, (route) => route.fulfill({ json: TRANSCRIPT }));
  await signIn(page, email);
  await page.goto(`/recordings/${id}`);
  await page.getByRole("heading", { level: 1, name: TITLE }).waitFor();
  const player = `Video: ${TITLE}`;
  await expect.poll(async () => (await videoState(page, player)).readyState, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

  // The active version's chapters, not the older one's.
  const chapters = page.getByRole("list", { name: "Chapters" });
  await chapters.getByRole("button", { name: /Flipping and shifting/ }).waitFor();
  expect(await chapters.getByRole("button").count()).toBe(3);
  expect(await page.getByText("Stale chapter").count()).toBe(0);
  await page.getByText("Convolution, step by step.").waitFor();
  await review(page, "recording-chapters");

  await chapters.getByRole("button", { name: /Worked example/ }).click();
  await expect.poll(async () => (await videoState(page, player)).currentTime).toBeGreaterThanOrEqual(4.5);

  // Searching keeps the matching lines; a click on one moves the video there.
  const transcript = page.getByRole("list", { name: "Transcript" });
  expect(await transcript.getByRole("button").count()).toBe(3);
  await page.getByRole("searchbox", { name: "Search the transcript" }).fill("FLIP");
  await expect.poll(() => transcript.getByRole("button").count()).toBe(1);
  await transcript.getByRole("button", { name: /First we flip the signal/ }).click();
  await expect.poll(async () => (await videoState(page, player)).currentTime).toBeGreaterThanOrEqual(2);
  await expect.poll(async () => (await videoState(page, player)).currentTime).toBeLessThan(4.5);
  await page.getByRole("searchbox", { name: "Search the transcript" }).fill("integral");
  await page.getByRole("status").filter({ hasText: "Nothing in the transcript matches." }).waitFor();

  expect(errors).toEqual([]);
  await context.close();
});
