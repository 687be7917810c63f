import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { registerViaApi, signIn, uniqueEmail } from "./support/accounts";
import { baseURL, launch, newContext, review, trackErrors } from "./support/browser";

// A lecturer uploads several lectures at once, sees a wrong file refused, pauses and resumes one,
// and after reloading the page continues an unfinished upload from the parts the server already has.
const MiB = 1024 * 1024;
const LECTURE = readFileSync(path.resolve(import.meta.dirname, "../../test/fixtures/media/av-faststart.mp4")); // 6 s of H.264 + AAC, 167 KB

/** The real MP4 followed by a `free` box (still a valid MP4) to reach `size` bytes. */
function paddedLecture(size: number): Buffer {
  const free = Buffer.alloc(size - LECTURE.length);
  free.writeUInt32BE(free.length, 0);
  free.write("free", 4, "ascii");
  return Buffer.concat([LECTURE, free]);
}

let browser: Browser;
let folder: string;
beforeAll(async () => {
  browser = await launch();
  folder = mkdtempSync(path.join(tmpdir(), "upload-journey-"));
});
afterAll(async () => {
  await browser?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Files on disk (not buffers) so their last-modified time stays the same when chosen again after a reload. */
function writeFile(name: string, bytes: Buffer): string {
  const file = path.join(folder, name);
  writeFileSync(file, bytes);
  return file;
}

async function chooseFiles(page: Page, files: string[]): Promise<void> {
  const chooser = page.waitForEvent("filechooser");
  // The keyboard's way in: focus the button and press Enter.
  await page.getByRole("button", { name: "Choose files" }).focus();
  await page.keyboard.press("Enter");
  await (await chooser).setFiles(files);
}

/** The "n of m parts" the page shows for one file. */
async function partsDone(region: ReturnType<Page["getByRole"]>): Promise<number> {
  const text = (await region.getByText(/of \d+ parts/).textContent()) ?? "";
  return Number(/(\d+) of \d+ parts/.exec(text)?.[1] ?? -1);
}

const progressOf = (page: Page, name: string) => page.getByRole("progressbar", { name: `Upload progress of ${name}` });

async function uploadSession(token: string, uploadId: string): Promise<{ status: string; part_count: number; uploaded_parts: number[] }> {
  const response = await fetch(`${baseURL()}/api/v1/recordings/uploads/${uploadId}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as { status: string; part_count: number; uploaded_parts: number[] };
}

async function openUploadPage(label: string) {
  const email = uniqueEmail(label);
  const token = await registerViaApi(email);
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  await signIn(page, email);
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Upload" }).click();
  await page.getByRole("heading", { level: 1, name: "Upload" }).waitFor();
  return { token, context, page, errors };
}

test("upload several files at once; a wrong file is refused with a clear message", async () => {
  const { context, page, errors } = await openUploadPage("uploader");
  // The accepted types and the largest size come from the API's limits.
  await page.getByText(/MP4, M4A, MOV, WEBM; up to 50 GB each/).waitFor();
  await review(page, "upload-empty");

  // Files of the wrong type, dropped on the drop zone, are refused with a clear message, and nothing is added.
  const dropped = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["lecture notes, not a video"], "notes.txt", { type: "text/plain" }));
    transfer.items.add(new File(["%PDF-1.7"], "slides.pdf", { type: "application/pdf" }));
    return transfer;
  });
  await page.getByText("Drag videos here").dispatchEvent("drop", { dataTransfer: dropped });
  const refused = page.getByRole("alert").filter({ hasText: "Some files were not added" });
  await refused.getByText("notes.txt: not a video of an accepted type (MP4, M4A, MOV, WEBM).").waitFor();
  await refused.getByText("slides.pdf: not a video of an accepted type (MP4, M4A, MOV, WEBM).").waitFor();
  expect(await page.getByRole("heading", { name: "Files", exact: true }).count()).toBe(0);
  await review(page, "upload-rejected");
  await refused.getByRole("button", { name: "Close" }).click();

  // Two files at once: one of two parts (the API's smallest part is 5 MiB), one small.
  const big = writeFile("week-1-lecture.mp4", paddedLecture(6 * MiB));
  const small = writeFile("week-1-quiz.mp4", paddedLecture(400 * 1024));
  await chooseFiles(page, [big, small]);
  const first = page.getByRole("region", { name: "week-1-lecture.mp4" });
  const second = page.getByRole("region", { name: "week-1-quiz.mp4" });
  await expect.poll(() => first.getByLabel("Recording name").inputValue()).toBe("week-1-lecture");
  await first.getByLabel("Recording name").fill("Week 1: Sorting");
  await second.getByLabel("Recording name").fill("Week 1: Quiz review");
  await review(page, "upload-ready");
  await page.getByRole("button", { name: "Start upload" }).click();
  for (const [region, name] of [
    [first, "week-1-lecture.mp4"],
    [second, "week-1-quiz.mp4"],
  ] as const) {
    await region.getByRole("status").filter({ hasText: "Uploaded." }).waitFor();
    await expect.poll(() => progressOf(page, name).getAttribute("aria-valuenow")).toBe("100");
    await region.getByRole("link", { name: "Open the recording" }).waitFor();
  }
  await first.getByText("2 of 2 parts").waitFor();
  await review(page, "upload-done");
  await first.getByRole("link", { name: "Open the recording" }).click();
  await page.getByRole("heading", { level: 1, name: "Week 1: Sorting" }).waitFor();
  await page.goBack();
  await page.getByRole("heading", { level: 1, name: "Upload" }).waitFor();
  // The uploads went on living while the user looked at the recording.
  await first.getByRole("status").filter({ hasText: "Uploaded." }).waitFor();

  // A video already online comes in by its https address: checked here first, then by the server
  // (which refuses addresses of private networks), then it is a recording like an upload.
  const importForm = page.getByRole("form", { name: "Import from a URL" });
  await importForm.getByLabel("Video URL").fill("http://videos.example.com/week-2.mp4");
  await importForm.getByRole("button", { name: "Import" }).click();
  await importForm.getByText("An https:// address of the video file.").waitFor();
  await importForm.getByText("Give the recording a name.").waitFor();
  await importForm.getByLabel("Video URL").fill("https://10.0.0.7/week-2.mp4");
  await importForm.getByLabel("Recording name").fill("Week 2: Graphs");
  await importForm.getByRole("button", { name: "Import" }).click();
  await expect.poll(() => importForm.getByLabel("Video URL").getAttribute("aria-invalid")).toBe("true");
  await review(page, "upload-import-refused");
  await importForm.getByLabel("Video URL").fill("https://videos.example.com/week-2.mp4");
  await importForm.getByRole("button", { name: "Import" }).click();
  await importForm.getByRole("status").getByRole("link", { name: "Week 2: Graphs" }).click();
  await page.getByRole("heading", { level: 1, name: "Week 2: Graphs" }).waitFor();

  expect(errors).toEqual([]);
  await context.close();
}, 150_000);

test("pause and resume, continue after a reload from the server's parts, discard and cancel", async () => {
  const { token, context, page, errors } = await openUploadPage("resumer");

  // A slow connection (the browser's own network throttling; the API is the real one): pause and resume.
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  const throttle = (bytesPerSecond: number) =>
    cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  await throttle(MiB);
  const longName = "week-2-lecture.mp4";
  const long = writeFile(longName, paddedLecture(16 * MiB)); // 4 parts: 5 + 5 + 5 + 1 MiB
  await chooseFiles(page, [long]);
  const third = page.getByRole("region", { name: longName });
  await third.getByLabel("Recording name").fill("Week 2: Graphs");
  await page.getByRole("button", { name: "Start upload" }).click();
  await third.getByText(/of 4 parts/).waitFor();
  await third.getByText(/\/s · .* left/).waitFor(); // speed and time left while it sends
  await third.getByRole("button", { name: "Pause" }).click();
  await third.getByText("Paused").waitFor();
  const partsAtPause = await partsDone(third);
  await review(page, "upload-paused");
  await third.getByRole("button", { name: "Resume" }).click();
  await expect.poll(() => partsDone(third), { timeout: 30_000 }).toBeGreaterThan(partsAtPause);
  // Slower still while the page is reviewed mid-upload, so it cannot finish meanwhile.
  await throttle(32 * 1024);
  await third.getByText(/\/s · .* left/).waitFor();
  await review(page, "upload-in-progress");
  await third.getByRole("button", { name: "Pause" }).click();
  await third.getByText("Paused").waitFor();

  // Reload: the unfinished upload is listed with what the server has, and resumes from there.
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem("lp.uploads.unfinished") ?? "[]") as { uploadId: string; fileName: string }[]);
  expect(kept.map((k) => k.fileName)).toEqual([longName]);
  const uploadId = kept[0]?.uploadId ?? "";
  const before = await uploadSession(token, uploadId);
  expect(before.status).toBe("uploading");
  expect(before.uploaded_parts.length).toBeGreaterThan(0);
  expect(before.uploaded_parts.length).toBeLessThan(4);
  await page.reload();
  await page.getByRole("heading", { name: "Unfinished uploads" }).waitFor();
  await page.getByText(`${before.uploaded_parts.length} of 4 parts on the server`).waitFor();
  await review(page, "upload-unfinished");
  await throttle(-1);
  await chooseFiles(page, [long]);
  const resumed = page.getByRole("region", { name: longName });
  await resumed.getByText(`Resumed: ${before.uploaded_parts.length} of 4 parts were already on the server.`).waitFor();
  await resumed.getByRole("status").filter({ hasText: "Uploaded." }).waitFor({ timeout: 30_000 });
  expect(await page.getByRole("heading", { name: "Unfinished uploads" }).count()).toBe(0);
  await review(page, "upload-resumed");
  const after = await uploadSession(token, uploadId);
  expect(after).toMatchObject({ status: "completed", part_count: 4, uploaded_parts: [1, 2, 3, 4] });

  // An unfinished upload can also be discarded: it is aborted on the server.
  await throttle(MiB);
  const dropped = writeFile("week-3-lecture.mp4", paddedLecture(11 * MiB));
  await chooseFiles(page, [dropped]);
  const fourth = page.getByRole("region", { name: "week-3-lecture.mp4" });
  await page.getByRole("button", { name: "Start upload" }).click();
  await fourth.getByText(/1 of 3 parts/).waitFor({ timeout: 30_000 });
  await fourth.getByRole("button", { name: "Pause" }).click();
  await fourth.getByText("Paused").waitFor();
  const droppedId = await page.evaluate(
    () => (JSON.parse(localStorage.getItem("lp.uploads.unfinished") ?? "[]") as { uploadId: string }[])[0]?.uploadId ?? "",
  );
  await page.reload();
  await page.getByRole("button", { name: "Discard the unfinished upload of week-3-lecture.mp4" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Unfinished uploads" }).count()).toBe(0);
  expect((await uploadSession(token, droppedId)).status).toBe("aborted");

  // Cancel stops a running upload and aborts it on the server.
  await throttle(MiB);
  await chooseFiles(page, [writeFile("week-4-lecture.mp4", paddedLecture(11 * MiB))]);
  const fifth = page.getByRole("region", { name: "week-4-lecture.mp4" });
  await page.getByRole("button", { name: "Start upload" }).click();
  await fifth.getByText(/of 3 parts/).waitFor();
  const cancelledId = await page.evaluate(
    () => (JSON.parse(localStorage.getItem("lp.uploads.unfinished") ?? "[]") as { uploadId: string }[])[0]?.uploadId ?? "",
  );
  await fifth.getByRole("button", { name: "Cancel" }).click();
  await expect.poll(() => fifth.count()).toBe(0);
  await expect.poll(async () => (await uploadSession(token, cancelledId)).status).toBe("aborted");
  await throttle(-1);

  // The finished uploads are recordings in the list.
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Recordings" }).click();
  await page.getByRole("link", { name: "Week 2: Graphs" }).waitFor();
  // The discarded and the cancelled ones left no placeholder recording behind.
  for (const name of ["week-3-lecture", "week-4-lecture"]) expect(await page.getByRole("link", { name }).count()).toBe(0);

  expect(errors).toEqual([]);
  await context.close();
}, 180_000);
