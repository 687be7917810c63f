import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { PASSWORD, uniqueEmail } from "./support/accounts";
import { baseURL, launch, newContext, review, trackErrors } from "./support/browser";
import { connectSandboxServices, meetingArrives, sandbox } from "./support/sandbox";

// A lecturer signs up, connects the sandbox's Zoom, and a meeting arrives by Zoom's webhook: the real
// pipeline runs (download from the Zoom simulator, trim, transcription and chapters from the
// OpenAI-compatible simulator) to READY; the detail page shows that output and moves the video;
// then the lecture is published to the YouTube simulator and its link opens the simulator's page.
// Nothing here is mocked: the server is `wrangler dev`, the providers are sandbox/fakes.mjs.

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Reloads and waits for the page's h1. Not for "load": the page's <video> keeps fetching, and local
 * `wrangler dev` now and then holds a navigation in its proxy; a held one is asked for once more.
 */
async function reload(page: Page): Promise<void> {
  try {
    await page.reload({ waitUntil: "domcontentloaded" });
  } catch {
    await page.goto(page.url(), { waitUntil: "domcontentloaded" });
  }
  await page.locator("main h1").waitFor();
}

/**
 * Waits for `locator` to be visible, reloading the page every `reloadEvery` ms (a page loaded before
 * the work began does not poll). On time-out, the error says what `explain()` finds (the API's view).
 */
async function untilVisible(
  page: Page,
  locator: Locator,
  { timeout, reloadEvery = 5_000, explain }: { timeout: number; reloadEvery?: number; explain?: () => Promise<string> },
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await locator.first().waitFor({ timeout: Math.max(1, Math.min(reloadEvery, deadline - Date.now())) });
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw new Error(`not visible in ${timeout / 1000} s: ${String(error).split("\n")[0]}\n${explain ? await explain() : ""}`);
      // Each wait window starts once the page has loaded again (a busy machine takes seconds for it).
      await reload(page);
    }
  }
}

const videoState = (page: Page, label: string) =>
  page.getByLabel(label).evaluate((element) => {
    const video = element as HTMLVideoElement;
    return { readyState: video.readyState, currentTime: video.currentTime, duration: video.duration };
  });

async function apiToken(email: string): Promise<string> {
  const response = await fetch(`${baseURL()}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

const skip = sandbox() === null;

test.skipIf(skip)(
  "sign up, connect sandbox Zoom, a meeting arrives by webhook, the pipeline makes it READY with chapters and transcript, publish to sandbox YouTube",
  async () => {
    const started = Date.now();
    const context = await newContext(browser);
    const page = await context.newPage();
    const errors = trackErrors(page);
    const email = uniqueEmail("pipeline");

    // Sign up through the dashboard.
    await page.goto("/sign-up");
    await page.getByLabel("Full name").fill("Grace Pipeline");
    await page.getByLabel("E-mail").fill(email);
    await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();

    // Connect the simulated Zoom on the Connections page (its Server-to-Server keys and webhook
    // secret) and add a Zoom source; its webhook URL is where the meeting will arrive. The other
    // simulated services (transcription, chat, YouTube, a template) through the API.
    const secrets = sandbox()!.secrets;
    await connectSandboxServices(await apiToken(email));
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Connections" }).click();
    await page.getByRole("heading", { level: 1, name: "Connections" }).waitFor();
    await page.getByRole("button", { name: "Add a key" }).click();
    const keyForm = page.getByRole("form", { name: "Add a key" });
    await keyForm.getByLabel("Name for this account").fill("Sandbox Zoom (simulated)");
    await keyForm.getByLabel("Account ID").fill(secrets.zoom.account_id);
    await keyForm.getByLabel("Client ID").fill(secrets.zoom.client_id);
    await keyForm.getByLabel("Client secret").fill(secrets.zoom.client_secret);
    await keyForm.getByLabel("Webhook secret token").fill(secrets.zoomWebhookSecret);
    await keyForm.getByRole("button", { name: "Save credential" }).click();
    const zoomRow = page.getByRole("row", { name: /Sandbox Zoom \(simulated\)/ });
    await zoomRow.waitFor();
    // The simulator answers the connection test like Zoom.
    await zoomRow.getByRole("button", { name: "Test Zoom (Sandbox Zoom (simulated))" }).click();
    await page.getByRole("status").filter({ hasText: "Zoom (Sandbox Zoom (simulated))" }).filter({ hasText: /works/i }).waitFor();
    await page.getByRole("button", { name: "Add a Zoom source" }).click();
    const sourceForm = page.getByRole("form", { name: "Add a Zoom source" });
    await sourceForm.getByLabel("Source name").fill("Lectures (simulated)");
    await sourceForm.getByLabel("Zoom credential").click();
    await page.getByRole("option", { name: /Sandbox Zoom \(simulated\)/ }).click();
    await sourceForm.getByRole("button", { name: "Create source" }).click();
    const source = page.getByRole("region", { name: "Lectures (simulated)" });
    const webhookUrl = await source.getByLabel("Event notification endpoint URL").inputValue();
    expect(webhookUrl).toMatch(/\/api\/v1\/webhooks\/zoom\/\d+$/);
    await page.getByRole("cell", { name: "Sandbox YouTube (simulated)" }).first().waitFor();
    expect(await page.getByText("Reconnect needed").count()).toBe(0);
    await review(page, "pipeline-connections");

    // A meeting ends in Zoom: a signed recording.completed webhook reaches the user's source.
    const token = await apiToken(email);
    const topic = await meetingArrives(webhookUrl);
    const arrived = Date.now();
    const explain = async () => {
      const list = await fetch(`${baseURL()}/api/v1/recordings?include_blank=true&per_page=5`, { headers: { Authorization: `Bearer ${token}` } });
      return `the API's recordings of this user: ${(await list.text()).slice(0, 1500)}`;
    };
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Recordings" }).click();
    const row = page.getByRole("link", { name: topic });
    await untilVisible(page, row, { timeout: 60_000, reloadEvery: 4_000, explain });
    await row.click();
    await page.getByRole("heading", { level: 1, name: topic }).waitFor();
    const recordingId = Number(new URL(page.url()).pathname.split("/").at(-1));

    // The run goes on by itself (download, transcription, trim, chapters, subtitles) and stops at
    // Processed: nothing publishes by itself (auto_upload is off). The page polls while a run is
    // active; a reload covers a page loaded before the run was queued. Generous but bounded: the
    // 6-second sample takes a few seconds locally.
    const title = page.locator("main").getByRole("heading", { level: 1 }).locator("..");
    const explainRecording = async () => {
      const detail = await fetch(`${baseURL()}/api/v1/recordings/${recordingId}`, { headers: { Authorization: `Bearer ${token}` } });
      return `the API's recording: ${(await detail.text()).slice(0, 2000)}`;
    };
    await untilVisible(page, title.getByText("Processed", { exact: true }), { timeout: 120_000, reloadEvery: 5_000, explain: explainRecording });
    const processed = Date.now();
    const runs = page.getByRole("heading", { name: "Runs" }).locator("xpath=ancestor::div[contains(@class, 'mantine-Card-root')][1]");
    await runs.getByText("Completed", { exact: true }).first().waitFor();
    for (const stage of ["Download", "Transcribe", "Trim silence", "Chapters and topic", "Subtitles"]) {
      await runs.getByRole("row", { name: new RegExp(`^${stage} Completed`) }).waitFor();
    }
    expect(await page.locator("main").getByText("Failed", { exact: true }).count()).toBe(0);

    // Chapters and transcript: the pipeline's real output from the simulators' scripted answers (the
    // sample's second chapter, 2 s after the first, is merged by the chapters' minimum spacing).
    await reload(page);
    const activeChapters = async () => {
      const response = await fetch(`${baseURL()}/api/v1/recordings/${recordingId}/topics`, { headers: { Authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      const file = (await response.json()) as { versions: { is_active?: boolean; topic_timestamps: { topic: string; start: number }[] }[] };
      return (file.versions.find((v) => v.is_active) ?? file.versions.at(-1))?.topic_timestamps ?? [];
    };
    const expected = await activeChapters();
    expect(expected.map((c) => c.topic)).toEqual(["Measuring the cost of an algorithm"]);
    const chapters = page.getByRole("list", { name: "Chapters" });
    await chapters.getByRole("button", { name: /Measuring the cost of an algorithm/ }).waitFor();
    expect(await chapters.getByRole("button").count()).toBe(expected.length);
    await page.getByText(/A simulated lecture \(sandbox\): how the cost of an algorithm is measured/).waitFor();
    const transcript = page.getByRole("list", { name: "Transcript" });
    await transcript.getByRole("button", { name: /Today we continue with algorithms/ }).waitFor();
    // The trimmed video plays (the pipeline made it).
    await page.getByText("The trimmed video.").waitFor();
    const player = `Video: ${topic}`;
    await expect.poll(async () => (await videoState(page, player)).readyState, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    await review(page, "pipeline-processed");

    // A transcript line moves the video to where it is said; a chapter moves it to the chapter's start.
    const line = transcript.getByRole("button", { name: /Today we continue with algorithms/ });
    await line.click();
    await expect.poll(async () => (await videoState(page, player)).currentTime).toBeGreaterThan(0.5);
    await page.getByLabel(player).evaluate((element) => {
      (element as HTMLVideoElement).currentTime = 4;
    });
    await expect.poll(async () => (await videoState(page, player)).currentTime).toBeGreaterThanOrEqual(3.9);
    await chapters.getByRole("button", { name: /Measuring the cost of an algorithm/ }).click();
    await expect.poll(async () => (await videoState(page, player)).currentTime).toBeCloseTo(expected[0]?.start ?? -1, 1);
    // The same chapter as a mark on the timeline under the player.
    await page.getByLabel(player).evaluate((element) => {
      (element as HTMLVideoElement).currentTime = 4;
    });
    await expect.poll(async () => (await videoState(page, player)).currentTime).toBeGreaterThanOrEqual(3.9);
    await page.getByRole("group", { name: "Chapters on the timeline" }).getByRole("button", { name: /Measuring the cost of an algorithm/ }).click();
    await expect.poll(async () => (await videoState(page, player)).currentTime).toBeCloseTo(expected[0]?.start ?? -1, 1);

    // The transcript can be searched.
    const search = page.getByRole("searchbox", { name: "Search the transcript" });
    await search.fill("ALGORITHMS");
    await expect.poll(() => transcript.getByRole("button").count()).toBe(1);
    await search.fill("integral");
    await page.getByRole("status").filter({ hasText: "Nothing in the transcript matches." }).waitFor();
    await search.fill("");

    // Publish to the YouTube simulator from the detail page, with the user's YouTube preset.
    const publishForm = page.getByRole("form", { name: "Publish this recording" });
    await publishForm.getByRole("combobox", { name: "Platform" }).click();
    await page.getByRole("option", { name: "YouTube", exact: true }).click();
    await publishForm.getByRole("combobox", { name: "Preset" }).click();
    await page.getByRole("option", { name: "Sandbox YouTube channel (simulated)" }).click();
    await review(page, "pipeline-publish-form");
    // The simulator refuses the first upload and the first caption track (YouTube's 403, which the
    // app does not retry by itself): the output fails, Retry publishes it, Redo extras adds the captions.
    const youtubeUrl = sandbox()?.youtubeUrl ?? "";
    expect((await fetch(`${youtubeUrl}/_sandbox/refuse?upload=1&captions=1`, { method: "POST" })).status).toBe(200);
    await publishForm.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Publishing to YouTube started.").waitFor();
    const outputs = page.getByRole("table").filter({ has: page.getByRole("columnheader", { name: "Platform" }) });
    const youtubeRow = outputs.getByRole("row", { name: /^YouTube/ });
    const retry = youtubeRow.getByRole("button", { name: "Retry on YouTube" });
    await untilVisible(page, retry, { timeout: 60_000, reloadEvery: 3_000, explain: explainRecording });
    await youtubeRow.getByRole("cell", { name: "Failed", exact: true }).waitFor();
    await youtubeRow.getByText(/forbidden/).waitFor();
    await review(page, "pipeline-publish-failed");
    await retry.click();
    await page.getByText("Started again.").first().waitFor();
    const redoExtras = youtubeRow.getByRole("button", { name: "Redo extras on YouTube" });
    await untilVisible(page, redoExtras, { timeout: 60_000, reloadEvery: 3_000, explain: explainRecording });
    await youtubeRow.getByRole("cell", { name: "Published", exact: true }).waitFor();
    await youtubeRow.getByText(/Captions failed: .*forbidden/).waitFor();
    await youtubeRow.getByRole("link", { name: "Open" }).waitFor();
    await review(page, "pipeline-extras-failed");
    await redoExtras.click();
    await expect.poll(async () => {
      await reload(page);
      return youtubeRow.getByText(/Captions failed/).count();
    }, { timeout: 60_000, interval: 3_000 }).toBe(0);
    const ready = Date.now();
    // The recording is Ready once every output is published.
    await title.getByText("Ready", { exact: true }).waitFor();
    expect(await redoExtras.count()).toBe(0);
    await youtubeRow.getByRole("cell", { name: "Published", exact: true }).waitFor();
    expect(await youtubeRow.getByText(/fail/i).count()).toBe(0);
    const href = await youtubeRow.getByRole("link", { name: "Open" }).getAttribute("href");
    expect(href?.startsWith(`${youtubeUrl}/watch?v=`), `${href} is the simulator's watch page`).toBe(true);
    expect(href).toMatch(/\/watch\?v=SIM[A-Za-z0-9]{8}$/);
    await review(page, "pipeline-published");

    // The link opens the simulator's watch page (a new tab), never www.youtube.com.
    const [watch] = await Promise.all([context.waitForEvent("page"), youtubeRow.getByRole("link", { name: "Open" }).click()]);
    await watch.waitForLoadState();
    expect(watch.url()).toBe(href);
    await watch.getByText("Sandbox YouTube (simulated)").first().waitFor();
    await watch.getByRole("heading", { level: 1, name: topic }).waitFor();
    await watch.close();

    // One stage again on its own (the subtitles), then the whole recording back to the start. (Offered
    // once no run is active: the extras' run may still be closing.)
    const explainRuns = async () => {
      const list = await fetch(`${baseURL()}/api/v1/recordings/${recordingId}/runs`, { headers: { Authorization: `Bearer ${token}` } });
      return `the API's runs: ${(await list.text()).slice(0, 2500)}`;
    };
    await untilVisible(page, page.getByRole("button", { name: "Run one stage" }), { timeout: 60_000, reloadEvery: 3_000, explain: explainRuns });
    await page.getByRole("button", { name: "Run one stage" }).click();
    const stages = page.getByRole("group", { name: "Run one stage" });
    await stages.getByRole("button", { name: "Subtitles" }).waitFor();
    await review(page, "pipeline-run-one-stage");
    // The review's screenshots resize the page, which may close the popover: open it again if so.
    if (!(await stages.isVisible())) await page.getByRole("button", { name: "Run one stage" }).click();
    await stages.getByRole("button", { name: "Subtitles" }).click();
    await page.getByText("Subtitles: started.").waitFor();
    await untilVisible(page, page.getByRole("button", { name: "Run one stage" }), { timeout: 60_000, reloadEvery: 3_000, explain: explainRuns });
    expect(await runs.getByRole("row", { name: /^Subtitles Completed/ }).count()).toBeGreaterThanOrEqual(2);
    await page.getByRole("button", { name: "Reset", exact: true }).click();
    const resetDialog = page.getByRole("dialog", { name: "Reset this recording?" });
    await resetDialog.waitFor();
    await review(page, "pipeline-reset-confirm");
    await resetDialog.getByRole("button", { name: "Reset the recording" }).click();
    await page.getByText("The recording was reset.").waitFor();
    await expect.poll(() => title.getByText("Ready", { exact: true }).count()).toBe(0);

    expect(errors).toEqual([]);
    await context.close();
    console.log(
      `pipeline journey: ${((Date.now() - started) / 1000).toFixed(1)} s in all; webhook → Processed in the page ${((processed - arrived) / 1000).toFixed(1)} s; publish → Ready ${((ready - processed) / 1000).toFixed(1)} s (incl. the page's checks)`,
    );
  },
  240_000,
);
