import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { call, expectStatus } from "./helpers/api";
import { waitForRun } from "./helpers/pipeline";
import { createTenant, type Tenant } from "./helpers/tenants";
import { FakeAsr } from "./fakes/fake-asr";
import { applyMinSilence } from "../src/services/pipeline/stages/trim-bounds";
import { userConfigPatchSchema } from "../src/services/config/user-config.schema";
import moovEndUrl from "./fixtures/media/av-moov-end.mp4?inline";

/**
 * Defect 4 of issue 14: `silence_threshold` and `min_silence_duration` were accepted and never read.
 * min_silence_duration now shapes the decision (LEAP's silencedetect `d`); silence_threshold, a
 * loudness that cannot be measured without decoding, is accepted only as LEAP's default no-op.
 */

let asr: FakeAsr;
beforeEach(() => {
  asr = new FakeAsr();
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => asr.handle(new Request(input, init)));
});
afterEach(() => vi.restoreAllMocks());

interface Run {
  task_id: string;
  status: string;
  error: string | null;
}
interface ErrorBody {
  error: { code: string; message: string };
}

const post = <T = Run>(path: string, token: string, body?: unknown) => call<T>(path, { method: "POST", token, body });

/** av-moov-end.mp4: 8 s, H.264 (keyframe every 2 s) + AAC; digital silence 0–2 s and 6–8 s. */
const fixture = () => Uint8Array.from(atob(moovEndUrl.slice(moovEndUrl.indexOf(",") + 1)), (c) => c.charCodeAt(0));
/** Speech 2.2–5.8 s: a 2.2 s silent start and a 2.2 s silent end. */
const speech = [
  { word: "Итак,", start: 2.2, end: 2.6 },
  { word: "начнём.", start: 2.6, end: 3.1 },
  { word: "Спасибо.", start: 5.2, end: 5.8 },
];

async function uploadFixture(label: string, config: Record<string, unknown>): Promise<{ t: Tenant; recordingId: number }> {
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

async function trim(t: Tenant, recordingId: number, body?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const run = await post(`/api/v1/recordings/${recordingId}/trim`, t.accessToken, body);
  expectStatus(run, 202);
  const ended = await waitForRun(run.body.task_id);
  expect(ended, ended.error ?? "").toMatchObject({ status: "COMPLETED" });
  const row = await env.DB.prepare("SELECT trim_info FROM recordings WHERE id = ?").bind(recordingId).first<{ trim_info: string }>();
  return JSON.parse(row!.trim_info) as Record<string, unknown>;
}

describe("applyMinSilence: LEAP's silencedetect d at the edges", () => {
  it("cuts an edge silence only when it lasts at least min_silence_duration, each edge on its own", () => {
    const sound = { start: 8, end: 3590 }; // 8 s silent start, 10 s silent end of an hour
    expect(applyMinSilence(sound, 3600, 2).span).toEqual({ start: 8, end: 3590 });
    expect(applyMinSilence(sound, 3600, 8).span).toEqual({ start: 8, end: 3590 }); // exactly d counts, as in ffmpeg
    expect(applyMinSilence(sound, 3600, 9).span).toEqual({ start: 0, end: 3590 });
    expect(applyMinSilence(sound, 3600, 30)).toEqual({
      span: { start: 0, end: 3600 },
      silences: { leading: 8, trailing: 10, leadingCounts: false, trailingCounts: false },
    });
  });

  it("keeps a recording that starts and ends with sound as it is", () => {
    expect(applyMinSilence({ start: 0, end: 60 }, 60, 0.1)).toEqual({
      span: { start: 0, end: 60 },
      silences: { leading: 0, trailing: 0, leadingCounts: false, trailingCounts: false },
    });
  });
});

describe("min_silence_duration shapes the trim", () => {
  it("same recording and transcript: a 2.2 s silent start and end are cut with d=2 and kept with d=3", async () => {
    asr.script = { words: speech, segments: [], text: speech.map((w) => w.word).join(" "), duration: 8 };
    const { t, recordingId } = await uploadFixture("trimparams-speech", {
      processing: { padding_before: 0, padding_after: 0 },
      transcription: { provider: "fireworks", enable_topics: false, enable_subtitles: false },
    });
    const transcribed = await waitForRun((await post(`/api/v1/recordings/${recordingId}/transcribe`, t.accessToken)).body.task_id);
    expect(transcribed, transcribed.error ?? "").toMatchObject({ status: "COMPLETED" });

    const kept = await trim(t, recordingId, { min_silence_duration: 3 });
    expect(kept).toMatchObject({ method: "transcript", min_silence_duration: 3, requested_start: 0, requested_end: 8, copied: false, leading_silence: 0, trailing_silence: 0 });

    const cut = await trim(t, recordingId, { min_silence_duration: 2 });
    expect(cut).toMatchObject({ method: "transcript", min_silence_duration: 2, requested_start: 2.2, requested_end: 5.8, start: 2, copied: true });
    expect(cut.leading_silence).toBeCloseTo(2.2, 6);

    // The user config's value is the default when the request names none.
    expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { processing: { min_silence_duration: 2.5 } } }), 200);
    expect(await trim(t, recordingId)).toMatchObject({ min_silence_duration: 2.5, requested_start: 0, requested_end: 8, copied: false });
  });

  it("without a transcript, the 2 s of digital silence at each end count with d=2 and not with d=2.5", async () => {
    const { t, recordingId } = await uploadFixture("trimparams-frames", { processing: { padding_before: 0, padding_after: 0 }, transcription: { enable_transcription: false } });
    expect(await trim(t, recordingId, { min_silence_duration: 2.5 })).toMatchObject({ method: "audio-frames", requested_start: 0, requested_end: 8, copied: false });
    expect(await trim(t, recordingId, { min_silence_duration: 2 })).toMatchObject({ method: "audio-frames", requested_start: 2, requested_end: 6, start: 2, copied: true });
  });
});

describe("silence_threshold: LEAP's default accepted as a no-op, anything else refused with the reason", () => {
  const reason = /silence_threshold: only LEAP's default -40 is accepted, and it changes nothing: a loudness threshold in dB needs decoded audio/;

  it("refuses other thresholds on POST /trim, bulk trim and the user config, and accepts -40 and a reset", async () => {
    const { t, recordingId } = await uploadFixture("trimparams-threshold", { processing: { padding_before: 0, padding_after: 0 }, transcription: { enable_transcription: false } });
    for (const threshold of [-30, -60, -100]) {
      const single = await post<ErrorBody>(`/api/v1/recordings/${recordingId}/trim`, t.accessToken, { silence_threshold: threshold });
      expectStatus(single, 400);
      expect(single.body.error.message).toMatch(reason);
    }
    const bulk = await post<ErrorBody>("/api/v1/recordings/bulk/trim", t.accessToken, { recording_ids: [recordingId], silence_threshold: -35 });
    expectStatus(bulk, 400);
    expect(bulk.body.error.message).toMatch(reason);
    const patched = await call<ErrorBody>("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { processing: { silence_threshold: -50 } } });
    expectStatus(patched, 400);
    expect(patched.body.error.message).toMatch(reason);

    // What a LEAP client sends (LEAP's TrimVideoRequest and DEFAULT_USER_CONFIG) still works.
    expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { processing: { silence_threshold: -40.0, min_silence_duration: 2.0 } } }), 200);
    expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { processing: { silence_threshold: null } } }), 200);
    const config = await call<{ config_data: { processing: Record<string, unknown> } }>("/api/v1/users/me/config", { token: t.accessToken });
    expect(config.body.config_data.processing).toMatchObject({ silence_threshold: -40, min_silence_duration: 2 });
    expect(await trim(t, recordingId, { silence_threshold: -40, min_silence_duration: 2, padding_before: 0, padding_after: 0 })).toMatchObject({ requested_start: 2, requested_end: 6, copied: true });
  });

  it("the config schema (reused for templates and overrides) refuses the same values", () => {
    expect(userConfigPatchSchema.safeParse({ processing: { silence_threshold: -40 } }).success).toBe(true);
    const refused = userConfigPatchSchema.safeParse({ processing: { silence_threshold: -41 } });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(["processing", "silence_threshold"]);
    expect(userConfigPatchSchema.safeParse({ processing: { min_silence_duration: 0.05 } }).success).toBe(false);
  });
});
