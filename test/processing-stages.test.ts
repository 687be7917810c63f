import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { call, expectStatus } from "./helpers/api";
import { fakeMp4 } from "./helpers/fixtures";
import { endRunsWithinEachTest, waitForRun, waitForStatus } from "./helpers/pipeline";
import { createTenant, expectTenantIsolation, type Tenant } from "./helpers/tenants";
import { FakeAsr, SCRIPT_WORDS } from "./fakes/fake-asr";
import { FakeLlm } from "./fakes/fake-llm";
import { bytesRangeReader, primaryTracks, readMovie } from "../src/media/isobmff";
import moovEndUrl from "./fixtures/media/av-moov-end.mp4?inline";

let asr: FakeAsr;
let llm: FakeLlm;
beforeEach(() => {
  asr = new FakeAsr();
  llm = new FakeLlm();
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const provider = llm.handles(new URL(request.url));
    return provider ? llm.handle(request, provider) : asr.handle(request);
  });
});
afterEach(() => vi.restoreAllMocks());
endRunsWithinEachTest();

interface Run {
  task_id: string;
  status: string;
  error: string | null;
  stages: Array<{ stage: string; status: string }>;
}
interface TopicsFile {
  active_version: string;
  versions: Array<{ id: string; is_active: boolean; provider: string; granularity: string; main_topics: string[]; topic_timestamps: Array<{ topic: string; start: number; end: number }>; summary: string | null }>;
}

/** An uploaded recording, a Fireworks key for transcription and LLM keys for `llms`. */
async function setup(label: string, llms: Array<"deepseek" | "openai">): Promise<{ t: Tenant; recordingId: number }> {
  const t = await createTenant(label);
  const upload = await call<{ id: number }>("/api/v1/recordings?display_name=Deep%20Learning", {
    method: "POST",
    token: t.accessToken,
    rawBody: fakeMp4(200_000, 9),
    headers: { "Content-Type": "video/mp4" },
  });
  expectStatus(await call("/api/v1/credentials", { token: t.accessToken, body: { platform: "fireworks", credentials: { api_key: asr.apiKey } } }), 201);
  for (const platform of llms) {
    expectStatus(await call("/api/v1/credentials", { token: t.accessToken, body: { platform, credentials: { api_key: llm.apiKey } } }), 201);
  }
  expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { processing: { enable_processing: false }, transcription: { provider: "fireworks", topics_providers: ["deepseek", "openai"] } } }), 200);
  return { t, recordingId: upload.body.id };
}

const post = <T = Run>(path: string, token: string, body?: unknown) => call<T>(path, { method: "POST", token, body });

describe("a whole processing run: transcribe → topics → subtitles", () => {
  it("runs the three stages, stores chapters and summary, and serves transcript, topics and subtitles", async () => {
    const { t, recordingId } = await setup("topicsrun", ["deepseek"]);
    expectStatus(await call(`/api/v1/recordings/${recordingId}/transcript`, { token: t.accessToken }), 404); // nothing yet
    const run = await post(`/api/v1/recordings/${recordingId}/process`, t.accessToken);
    expectStatus(run, 202);
    expect(run.body.stages.map((s) => s.stage)).toEqual(["TRANSCRIBE", "EXTRACT_TOPICS", "GENERATE_SUBTITLES"]);
    const ended = await waitForRun(run.body.task_id);
    expect(ended, ended.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect((await waitForStatus(recordingId, (s) => s === "TRANSCRIBED")).status).toBe("TRANSCRIBED");

    const detail = await call<{ main_topics: string[] | null; topic_timestamps: Array<{ topic: string; start: number; end: number }> | null }>(`/api/v1/recordings/${recordingId}`, {
      token: t.accessToken,
    });
    const row = await env.DB.prepare("SELECT main_topics, topic_timestamps, topics_summary, subtitles_info FROM recordings WHERE id = ?").bind(recordingId).first<Record<string, string>>();
    expect(JSON.parse(row!.main_topics!)).toEqual(["Механизм внимания"]);
    const chapters = JSON.parse(row!.topic_timestamps!) as Array<{ topic: string; start: number; end: number }>;
    expect(chapters[0]).toMatchObject({ topic: "Введение в трансформеры", start: 0 });
    expect(chapters.every((c) => c.end <= 75 && c.start < c.end)).toBe(true); // the 05:00 chapter past the end is dropped
    expect(row!.topics_summary).toBe("Лекция о трансформерах и механизме внимания.");
    expect(JSON.parse(row!.subtitles_info!)).toMatchObject({ formats: ["srt", "vtt"] });
    expect(detail.status).toBe(200);

    // The model was asked in JSON mode, in Russian (the transcript's language), with the course name.
    const asked = llm.requests[0]!.body;
    expect(asked.response_format).toEqual({ type: "json_object" });
    expect(asked.model).toBe("deepseek-chat");
    expect(asked.messages[1]!.content).toContain("Deep Learning");
    expect(asked.messages[1]!.content).toMatch(/json/i);

    const transcript = await call<{ words: unknown[]; language: string }>(`/api/v1/recordings/${recordingId}/transcript`, { token: t.accessToken });
    expect(transcript.body).toMatchObject({ language: "ru" });
    expect(transcript.body.words).toHaveLength(SCRIPT_WORDS.length);
    const topics = await call<TopicsFile>(`/api/v1/recordings/${recordingId}/topics`, { token: t.accessToken });
    expect(topics.body).toMatchObject({ active_version: "v1", versions: [{ id: "v1", is_active: true, provider: "deepseek", granularity: "long" }] });
    const srt = await call(`/api/v1/recordings/${recordingId}/subtitles/srt`, { token: t.accessToken });
    expectStatus(srt, 200);
    expect(srt.headers.get("content-type")).toMatch(/application\/x-subrip/);
    expect(srt.text.startsWith("1\n00:00:12,500 --> 00:00:16,000\nДобрый день. Сегодня\nговорим о трансформерах.\n\n2\n00:00:40,000 --> 00:00:44,300\n")).toBe(true);
    const vtt = await call(`/api/v1/recordings/${recordingId}/subtitles/vtt`, { token: t.accessToken });
    expect(vtt.text.startsWith("WEBVTT\n\n00:00:12.500 --> ")).toBe(true);
    for (const word of SCRIPT_WORDS) expect(srt.text).toContain(word.word); // no word lost

    // Regenerating with another granularity adds a new active version and keeps the old one.
    const again = await post(`/api/v1/recordings/${recordingId}/topics`, t.accessToken, { granularity: "short" });
    expectStatus(again, 202);
    expect(again.body.stages.map((s) => s.stage)).toEqual(["EXTRACT_TOPICS"]);
    expect((await waitForRun(again.body.task_id)).status).toBe("COMPLETED");
    const versions = await call<TopicsFile>(`/api/v1/recordings/${recordingId}/topics`, { token: t.accessToken });
    expect(versions.body.active_version).toBe("v2");
    expect(versions.body.versions.map((v) => [v.id, v.is_active, v.granularity])).toEqual([
      ["v1", false, "long"],
      ["v2", true, "short"],
    ]);

    const b = await createTenant("topicsrun-b");
    for (const path of ["transcript", "topics", "subtitles/srt"]) await expectTenantIsolation({ path: `/api/v1/recordings/${recordingId}/${path}` }, { a: t, b }, 200);
    expectStatus(await post(`/api/v1/recordings/${recordingId}/topics`, t.accessToken, { granularity: "huge" }), 400);
    expectStatus(await post(`/api/v1/recordings/${recordingId}/subtitles`, t.accessToken, { formats: ["mp4"] }), 400);
  });
});

describe("topics providers: fallback, then a clear failure", () => {
  it("falls back from DeepSeek (5xx, no balance, empty answers) to OpenAI, parsing leniently", async () => {
    const { t, recordingId } = await setup("topicsfallback", ["deepseek", "openai"]);
    expect((await waitForRun((await post(`/api/v1/recordings/${recordingId}/transcribe`, t.accessToken)).body.task_id)).status).toBe("COMPLETED");
    for (const fault of ["500", "402", "empty"] as const) {
      llm.faults.deepseek.push(fault);
      llm.faults.openai.push("blank-lines");
      const run = await post(`/api/v1/recordings/${recordingId}/topics`, t.accessToken);
      expect((await waitForRun(run.body.task_id)).status).toBe("COMPLETED");
    }
    const topics = await call<TopicsFile>(`/api/v1/recordings/${recordingId}/topics`, { token: t.accessToken });
    expect(topics.body.versions.map((v) => v.provider)).toEqual(["openai", "openai", "openai"]);
    expect(llm.requests.map((r) => r.provider)).toEqual(["deepseek", "openai", "deepseek", "openai", "deepseek", "openai"]);
    expect(llm.requests.find((r) => r.provider === "openai")!.body.model).toBe("gpt-4o-mini");
  });

  it("fails the stage with every provider's reason when all fail, and the recording keeps its transcript", async () => {
    const { t, recordingId } = await setup("topicsallfail", ["deepseek", "openai"]);
    expect((await waitForRun((await post(`/api/v1/recordings/${recordingId}/transcribe`, t.accessToken)).body.task_id)).status).toBe("COMPLETED");
    llm.faults.deepseek.push("401");
    llm.faults.openai.push("garbage");
    const run = await post(`/api/v1/recordings/${recordingId}/topics`, t.accessToken);
    const ended = await waitForRun(run.body.task_id);
    expect(ended.status).toBe("FAILED");
    expect(ended.error).toMatch(/Every topics provider failed: deepseek: the credential was rejected.*; .*/);
    const row = await waitForStatus(recordingId, (s) => s === "TRANSCRIBED");
    expect(row).toMatchObject({ failed: 1, failed_at_stage: "EXTRACT_TOPICS" });
    expectStatus(await call(`/api/v1/recordings/${recordingId}/topics`, { token: t.accessToken }), 404);
    expectStatus(await call(`/api/v1/recordings/${recordingId}/transcript`, { token: t.accessToken }), 200);
  });

  it("refuses topics without a transcript, and runs subtitles for many recordings in bulk", async () => {
    const { t, recordingId } = await setup("topicsbulk", ["deepseek"]);
    const refused = await post<{ error: { message: string; details: { steps: Array<{ stage: string; skip_reason?: string }> } } }>(`/api/v1/recordings/${recordingId}/topics`, t.accessToken);
    expectStatus(refused, 409);
    expect(refused.body.error.details.steps.find((s) => s.stage === "EXTRACT_TOPICS")?.skip_reason).toBe("Needs a transcription");
    expect((await waitForRun((await post(`/api/v1/recordings/${recordingId}/transcribe`, t.accessToken, { provider: "fireworks" })).body.task_id)).status).toBe("COMPLETED");
    const bulk = await post<{ succeeded_count: number; details: Array<{ task_id?: string; status: string }> }>("/api/v1/recordings/bulk/subtitles", t.accessToken, {
      recording_ids: [recordingId],
      formats: ["vtt"],
    });
    expectStatus(bulk, 202);
    expect(bulk.body.succeeded_count).toBe(1);
    expect((await waitForRun(bulk.body.details[0]!.task_id!)).status).toBe("COMPLETED");
    expectStatus(await call(`/api/v1/recordings/${recordingId}/subtitles/vtt`, { token: t.accessToken }), 200);
    expectStatus(await call(`/api/v1/recordings/${recordingId}/subtitles/srt`, { token: t.accessToken }), 404); // only VTT was asked for
  });
});

describe("trim: the silent start and end cut without re-encoding", () => {
  /** av-moov-end.mp4: 8 s, H.264 with B-frames (keyframe every 2 s) + AAC; digital silence 0–2 s and 6–8 s. */
  const fixture = () => Uint8Array.from(atob(moovEndUrl.slice(moovEndUrl.indexOf(",") + 1)), (c) => c.charCodeAt(0));
  const speech = [
    { word: "Итак,", start: 2.2, end: 2.6 },
    { word: "начнём.", start: 2.6, end: 3.1 },
    { word: "Редактор", start: 0.4, end: 0.9 }, // a "word" heard in digital silence: a hallucination
    { word: "Спасибо.", start: 5.2, end: 5.8 },
  ].sort((a, b) => a.start - b.start);

  async function uploadFixture(label: string, config: Record<string, unknown>) {
    const t = await createTenant(label);
    const upload = await call<{ id: number }>("/api/v1/recordings?display_name=Short%20lecture", {
      method: "POST",
      token: t.accessToken,
      rawBody: fixture(),
      headers: { "Content-Type": "video/mp4" },
    });
    expectStatus(upload, 201);
    expectStatus(await call("/api/v1/credentials", { token: t.accessToken, body: { platform: "fireworks", credentials: { api_key: asr.apiKey } } }), 201);
    expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: config }), 200);
    return { t, recordingId: upload.body.id };
  }

  it("cuts by the transcript's speech (bounded by the AAC frames' digital silence) at the keyframe before it, and shifts the transcript and subtitles", async () => {
    asr.script = { words: speech, segments: [], text: speech.map((w) => w.word).join(" "), duration: 8 };
    const { t, recordingId } = await uploadFixture("trimspeech", {
      processing: { padding_before: 0, padding_after: 0 },
      transcription: { provider: "fireworks", enable_topics: false, subtitle_formats: ["srt"] },
    });
    const run = await post(`/api/v1/recordings/${recordingId}/process`, t.accessToken);
    expect(run.body.stages.map((s) => s.stage)).toEqual(["TRANSCRIBE", "TRIM", "GENERATE_SUBTITLES"]);
    const ended = await waitForRun(run.body.task_id);
    expect(ended, ended.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect((await waitForStatus(recordingId, (s) => s === "PROCESSED")).status).toBe("PROCESSED");

    const row = await env.DB.prepare("SELECT processed_object_key, trim_info, audio_object_key, transcript_info FROM recordings WHERE id = ?").bind(recordingId).first<Record<string, string>>();
    const trim = JSON.parse(row!.trim_info!) as Record<string, number | boolean | string>;
    // Speech 2.2–5.8 s (the 0.4 s "word" lies in digital silence); the cut starts at the 2.0 s keyframe.
    expect(trim).toMatchObject({ method: "transcript", requested_start: 2.2, requested_end: 5.8, start: 2, copied: true, source_duration: 8 });
    expect(Number(trim.end)).toBeGreaterThanOrEqual(5.8);
    expect(Number(trim.end)).toBeLessThan(6.0);
    expect(row!.processed_object_key).toMatch(/processed\.mp4$/);
    expect(row!.audio_object_key).toMatch(/audio\.m4a$/); // cut out of the MP4 for the transcription
    expect(JSON.parse(row!.transcript_info!)).toMatchObject({ shifted_by: 2 });

    // The output is a playable MP4 of the cut: both tracks, starting together, ~3.8 s long.
    const processed = await env.MEDIA.get(row!.processed_object_key!);
    const movie = await readMovie(bytesRangeReader(new Uint8Array(await processed!.arrayBuffer())));
    expect(movie.duration).toBeGreaterThan(3.7);
    expect(movie.duration).toBeLessThan(4.0);
    expect(primaryTracks(movie).video).toBeDefined();
    expect(primaryTracks(movie).audio).toBeDefined();

    // Transcript and subtitles follow the trimmed video.
    const transcript = await call<{ words: Array<{ word: string; start: number }> }>(`/api/v1/recordings/${recordingId}/transcript`, { token: t.accessToken });
    expect(transcript.body.words.find((w) => w.word === "Итак,")?.start).toBeCloseTo(0.2, 3);
    const srt = await call(`/api/v1/recordings/${recordingId}/subtitles/srt`, { token: t.accessToken });
    expect(srt.text).toContain("00:00:00,200 --> ");
    expect(srt.text).not.toContain("Редактор");
  });

  it("without a transcript cuts by digital silence alone, and leaves a recording with nothing to cut uncopied", async () => {
    const { t, recordingId } = await uploadFixture("trimframes", { processing: { padding_before: 0, padding_after: 0 }, transcription: { enable_transcription: false } });
    const run = await post(`/api/v1/recordings/${recordingId}/trim`, t.accessToken);
    expectStatus(run, 202);
    expect((await waitForRun(run.body.task_id)).status).toBe("COMPLETED");
    const row = await env.DB.prepare("SELECT trim_info FROM recordings WHERE id = ?").bind(recordingId).first<{ trim_info: string }>();
    expect(JSON.parse(row!.trim_info)).toMatchObject({ method: "audio-frames", requested_start: 2, requested_end: 6, start: 2, copied: true });

    // Padding that reaches both edges: nothing to cut, the original is used as is.
    const again = await post(`/api/v1/recordings/${recordingId}/trim`, t.accessToken, { padding_before: 5, padding_after: 5 });
    expect((await waitForRun(again.body.task_id)).status).toBe("COMPLETED");
    const after = await env.DB.prepare("SELECT trim_info, processed_object_key, source_object_key FROM recordings WHERE id = ?").bind(recordingId).first<Record<string, string>>();
    expect(JSON.parse(after!.trim_info!)).toMatchObject({ copied: false, start: 0, end: 8 });
    expect(after!.processed_object_key).toBe(after!.source_object_key);
  });

  it("fails clearly on a file the cutter cannot read", async () => {
    const t = await createTenant("trimbad");
    const upload = await call<{ id: number }>("/api/v1/recordings?display_name=Broken", { method: "POST", token: t.accessToken, rawBody: fakeMp4(50_000), headers: { "Content-Type": "video/mp4" } });
    const run = await post(`/api/v1/recordings/${upload.body.id}/trim`, t.accessToken);
    const ended = await waitForRun(run.body.task_id);
    expect(ended.status).toBe("FAILED");
    expect(ended.error).toMatch(/trim: The video cannot be trimmed/);
    expect(await waitForStatus(upload.body.id, (s) => s === "DOWNLOADED")).toMatchObject({ failed: 1, failed_at_stage: "TRIM" });
  });
});
