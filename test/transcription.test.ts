import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index";
import { workersAi } from "../src/integrations/asr/workers-ai";
import { loadConfig } from "../src/lib/config";
import { presignGet } from "../src/lib/presign";
import { defaultUserConfig } from "../src/services/config/defaults";
import { serviceContext } from "../src/services/context";
import { asrProviderFor } from "../src/services/transcription/providers";
import { assemblyWebhookSecret } from "../src/services/pipeline/stages/transcribe";
import type { Transcript } from "../src/lib/transcripts/types";
import { call, expectStatus } from "./helpers/api";
import { fakeMp4 } from "./helpers/fixtures";
import { endRunsWithinEachTest, waitForRun, waitForStatus } from "./helpers/pipeline";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";
import { FakeAsr, SCRIPT_DURATION, SCRIPT_SEGMENTS, SCRIPT_TEXT, SCRIPT_WORDS } from "./fakes/fake-asr";

let asr: FakeAsr;
beforeEach(() => {
  asr = new FakeAsr();
  vi.spyOn(globalThis, "fetch").mockImplementation(asr.handle);
});
afterEach(() => vi.restoreAllMocks());
endRunsWithinEachTest();

interface Run {
  task_id: string;
  status: string;
  error: string | null;
  stages: Array<{ stage: string; status: string; attempts: number }>;
}

/** A tenant with a downloaded (uploaded) recording, a credential of `platform` and `provider` chosen in its config. */
async function setup(label: string, provider: string, platform: string | null, extra: Record<string, unknown> = {}): Promise<{ t: Tenant; recordingId: number }> {
  const t = await createTenant(label);
  const upload = await call<{ id: number }>("/api/v1/recordings?display_name=Deep%20Learning%20lecture", {
    method: "POST",
    token: t.accessToken,
    rawBody: fakeMp4(300_000, 5),
    headers: { "Content-Type": "video/mp4" },
  });
  expectStatus(upload, 201);
  if (platform) {
    expectStatus(await call("/api/v1/credentials", { token: t.accessToken, body: { platform, credentials: { api_key: asr.apiKey, ...extra } } }), 201);
  }
  expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { processing: { enable_processing: false }, transcription: { provider, language: "ru", prompt: "Термины: attention.", enable_topics: false, enable_subtitles: false } } }), 200);
  return { t, recordingId: upload.body.id };
}

const transcribe = (t: Tenant, id: number) => call<Run>(`/api/v1/recordings/${id}/process`, { method: "POST", token: t.accessToken });

async function storedTranscript(recordingId: number): Promise<Transcript> {
  const row = await env.DB.prepare("SELECT transcript_object_key FROM recordings WHERE id = ?").bind(recordingId).first<{ transcript_object_key: string }>();
  return (await (await env.MEDIA.get(row!.transcript_object_key))!.json()) as Transcript;
}

describe("transcription providers, normalised identically", () => {
  it("turns Fireworks (by presigned URL), Fireworks batch (polled), AssemblyAI (polled, ms) and OpenAI (streamed upload) into the same transcript", async () => {
    const cases = [
      { provider: "fireworks", platform: "fireworks", extra: {} },
      { provider: "fireworks-batch", platform: "fireworks", extra: { account_id: "acct-42" } },
      { provider: "assemblyai", platform: "assemblyai", extra: {} },
      { provider: "openai", platform: "openai", extra: {} },
    ];
    const results: Transcript[] = [];
    for (const c of cases) {
      const { t, recordingId } = await setup(`asr${c.provider.replace("-", "")}`, c.provider, c.platform, c.extra);
      const started = await transcribe(t, recordingId);
      expectStatus(started, 202);
      expect(started.body.stages.map((s) => s.stage)).toEqual(["TRANSCRIBE"]);
      const ended = await waitForRun(started.body.task_id);
      expect(ended, `${c.provider}: ${ended.error}`).toMatchObject({ status: "COMPLETED" });
      expect((await waitForStatus(recordingId, (s) => s === "TRANSCRIBED")).status).toBe("TRANSCRIBED");
      const transcript = await storedTranscript(recordingId);
      expect(transcript.provider).toBe(c.provider);
      results.push(transcript);
      const info = await env.DB.prepare("SELECT transcript_info FROM recordings WHERE id = ?").bind(recordingId).first<{ transcript_info: string }>();
      expect(JSON.parse(info!.transcript_info)).toMatchObject({ language: "ru", words: SCRIPT_WORDS.length, provider: c.provider });
    }
    for (const transcript of results) {
      expect(transcript.language).toBe("ru"); // OpenAI said "russian"
      expect(transcript.text).toBe(SCRIPT_TEXT);
      expect(transcript.duration).toBe(SCRIPT_DURATION);
      expect(transcript.words.map(({ word, start, end }) => ({ word, start, end }))).toEqual(SCRIPT_WORDS);
      expect(transcript.segments.map((s) => s.text).join(" ")).toBe(SCRIPT_TEXT);
    }
    // Segments given by the provider are kept (OpenAI's leading spaces trimmed); AssemblyAI's are built from words.
    expect(results[0]!.segments).toEqual(SCRIPT_SEGMENTS);
    expect(results[3]!.segments).toEqual(SCRIPT_SEGMENTS);
    expect(results[2]!.segments.length).toBeGreaterThanOrEqual(3);

    // How the audio travelled: by presigned URL where the provider takes one, streamed where it needs the file.
    const fireworks = asr.received.find((r) => r.provider === "fireworks")!;
    expect(fireworks.audioUrl).toMatch(/^https:\/\/r2\.fake\/lecture-media\/users\/.+\/source\.mp4\?.*X-Amz-Signature=/);
    expect(fireworks.fields).toMatchObject({ model: "whisper-v3-turbo", language: "ru", response_format: "verbose_json" });
    expect(fireworks.fields.prompt).toBe('Термины: attention. Topic name: "Deep Learning lecture". Consider the specifics of this course when recognizing terms.');
    expect(asr.received.find((r) => r.provider === "openai")!.fileBytes).toBe(300_000);
    expect(asr.presignedFetches.every((f) => f.bytes === 300_000)).toBe(true);
    expect(asr.presignRefusals).toEqual([]);
  });

  it("presigns exactly like aws4fetch's published R2 vector (EXTERNAL-APIS §7)", async () => {
    const config = {
      ...loadConfig(env),
      R2_S3_ENDPOINT: "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com",
      R2_BUCKET_NAME: "leap-media",
      R2_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
      R2_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    };
    const url = await presignGet(config, "recordings/42/audio.mp3", 7200, "20250101T000000Z");
    expect(url).toBe(
      "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/leap-media/recordings/42/audio.mp3?X-Amz-Expires=7200&X-Amz-Date=20250101T000000Z&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20250101%2Fauto%2Fs3%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-Signature=7f01f7e974967419f99fbae8273cafa17841fbc048812f62e1f5c8bbe9aa052c",
    );
  });

  it("maps Workers AI Whisper's output through the same normalisation (binding faked)", async () => {
    const seen: Array<Record<string, unknown>> = [];
    const provider = workersAi({
      async run(model, input) {
        seen.push({ model, ...input });
        return {
          text: SCRIPT_TEXT,
          transcription_info: { language: "ru", duration: SCRIPT_DURATION },
          segments: SCRIPT_SEGMENTS.map((s) => ({ start: s.start, end: s.end, text: s.text, words: SCRIPT_WORDS.filter((w) => w.start >= s.start && w.end <= s.end) })),
        };
      },
    });
    const audio = new Uint8Array([1, 2, 3, 4]);
    const outcome = await provider.start({
      audio: { url: null, size: audio.length, filename: "audio.m4a", contentType: "audio/mp4", open: async () => new Response(audio).body! },
      language: "ru",
      prompt: "",
      temperature: 0,
    });
    expect(outcome.state).toBe("done");
    if (outcome.state !== "done") return;
    expect(outcome.transcript).toMatchObject({ language: "ru", text: SCRIPT_TEXT, duration: SCRIPT_DURATION, segments: SCRIPT_SEGMENTS });
    expect(outcome.transcript.words.map(({ word, start, end }) => ({ word, start, end }))).toEqual(SCRIPT_WORDS);
    expect(seen[0]).toMatchObject({ model: "@cf/openai/whisper-large-v3-turbo", audio: "AQIDBA==", language: "ru" });
    await expect(workersAi(undefined).start({ audio: { url: null, size: 1, filename: "a", contentType: "audio/mp4", open: async () => new Response("").body! }, language: null, prompt: "", temperature: 0 })).rejects.toThrow(/AI binding is not configured/);
  });
});

describe("provider failures: retried, or failed clearly — never stuck", () => {
  it("retries 429 (Retry-After), 5xx, a truncated body and a timeout, then completes", async () => {
    const { t, recordingId } = await setup("asrretry", "fireworks", "fireworks");
    asr.faults.fireworks.push("429", "500", "malformed", "hang");
    const started = await transcribe(t, recordingId);
    const ended = await waitForRun(started.body.task_id);
    expect(ended.status).toBe("COMPLETED");
    const stage = await env.DB.prepare("SELECT attempts FROM processing_stages WHERE recording_id = ? AND stage_type = 'TRANSCRIBE'").bind(recordingId).first<{ attempts: number }>();
    expect(stage?.attempts).toBe(4);
    expect((await storedTranscript(recordingId)).words).toHaveLength(SCRIPT_WORDS.length);
    // The month's transcription allowance counts the seconds transcribed (once, despite the retries).
    const quota = await call<{ transcription_minutes?: unknown }>("/api/v1/users/me/quota", { token: t.accessToken });
    expectStatus(quota, 200);
    expect(quota.text).toContain('"used":1.25'); // 75 s = 1.25 min
  });

  it("fails on a rejected key, a provider job error and a missing credential, rolling the recording back to DOWNLOADED", async () => {
    const rejected = await setup("asr401", "openai", "openai");
    asr.faults.openai.push("401");
    const a = await waitForRun((await transcribe(rejected.t, rejected.recordingId)).body.task_id);
    expect(a).toMatchObject({ status: "FAILED" });
    expect(a.error).toMatch(/transcribe: OpenAI: the credential was rejected/);
    expect(await waitForStatus(rejected.recordingId, (s) => s === "DOWNLOADED")).toMatchObject({ failed: 1, failed_at_stage: "TRANSCRIBE" });

    const jobError = await setup("asrjoberr", "assemblyai", "assemblyai");
    asr.pollsBeforeDone = 0;
    asr.assemblyJobError = "Audio duration is too short."; // the submission passes; the job then ends in error
    const b = await waitForRun((await transcribe(jobError.t, jobError.recordingId)).body.task_id);
    expect(b.error).toMatch(/AssemblyAI: the job failed: Audio duration is too short/);

    // A missing credential is known before anything runs: the run is refused with the reason.
    const none = await setup("asrnocred", "fireworks", null);
    const refused = await call<{ error: { message: string } }>(`/api/v1/recordings/${none.recordingId}/process`, { method: "POST", token: none.t.accessToken });
    expectStatus(refused, 409);
    expect(refused.body.error.message).toMatch(/needs an active fireworks credential/);
    expect(await countRows("pipeline_runs", "recording_id = ?", none.recordingId)).toBe(0);
  });

  it("keeps polling an AssemblyAI job from its persisted id after the consumer died, submitting it once; the webhook wakes it", async () => {
    const { t, recordingId } = await setup("asrrestart", "assemblyai", "assemblyai");
    asr.pollsBeforeDone = 1_000_000; // never finishes until we say so
    const started = await transcribe(t, recordingId);
    let meta: { job?: { id: string } } = {};
    for (let i = 0; i < 100 && !meta.job; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const row = await env.DB.prepare("SELECT stage_meta FROM processing_stages WHERE recording_id = ? AND stage_type = 'TRANSCRIBE'").bind(recordingId).first<{ stage_meta: string }>();
      meta = JSON.parse(row?.stage_meta ?? "{}");
    }
    expect(meta.job?.id).toBeTruthy();
    // The consumer holding the stage is killed mid-poll: its lease lapses and no message is left.
    await env.DB.prepare("UPDATE processing_stages SET status = 'IN_PROGRESS', lease_until = ? WHERE recording_id = ? AND stage_type = 'TRANSCRIBE'")
      .bind(Date.now() - 1000, recordingId)
      .run();
    asr.pollsBeforeDone = 0;
    const ctx = createExecutionContext();
    await worker.scheduled?.(createScheduledController({ cron: "*/5 * * * *", scheduledTime: new Date() }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await waitForRun(started.body.task_id)).status).toBe("COMPLETED");
    expect(asr.received.filter((r) => r.provider === "assemblyai")).toHaveLength(1); // submitted once
    expect((await storedTranscript(recordingId)).words[0]).toMatchObject({ word: "Добрый", start: 12.5, end: 12.9 });

    // The webhook is authenticated per run; a wrong header is refused, a right one for an ended run is ignored.
    const secret = await assemblyWebhookSecret(serviceContext(env), started.body.task_id);
    const hook = (value: string) =>
      call<{ status: string }>(`/api/v1/webhooks/assemblyai?run=${started.body.task_id}`, {
        method: "POST",
        body: { transcript_id: meta.job!.id, status: "completed" },
        headers: { "X-Lecture-Webhook": value },
      });
    expectStatus(await hook("wrong"), 401);
    const ignored = await hook(secret);
    expectStatus(ignored, 200);
    expect(ignored.body.status).toBe("ignored");
  });
});

describe("OpenAI's 25 MB upload limit applies to OpenAI's own host only", () => {
  it("refuses a 30 MB file for api.openai.com before sending, and leaves the decision to an operator's compatible server", async () => {
    const t = await createTenant("openailimit");
    expectStatus(await call("/api/v1/credentials", { token: t.accessToken, body: { platform: "openai", credentials: { api_key: "sk-openai-limit-0123456789" } } }), 201);
    const config = defaultUserConfig();
    config.transcription.provider = "openai";
    const audio = { url: null, size: 30 * 1024 * 1024, filename: "a.m4a", contentType: "audio/mp4", open: async () => new Blob([new Uint8Array(4)]).stream() };
    const request = { audio, language: null, prompt: "", temperature: 0 };
    const sent = vi.spyOn(globalThis, "fetch").mockRejectedValue(new Error("no network in this test"));

    const official = serviceContext(env);
    official.config = { ...official.config, OPENAI_BASE_URL: "https://api.openai.com" };
    await expect((await asrProviderFor(official, t.userId, config)).start(request)).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/over the endpoint's 25 MB limit/) });
    expect(sent).not.toHaveBeenCalled();

    const compatible = serviceContext(env);
    compatible.config = { ...compatible.config, OPENAI_BASE_URL: "https://whisper.example.edu" };
    await expect((await asrProviderFor(compatible, t.userId, config)).start(request)).rejects.not.toMatchObject({ message: expect.stringMatching(/limit/) });
    expect(sent).toHaveBeenCalled(); // the upload was attempted: the compatible server decides
  });
});
