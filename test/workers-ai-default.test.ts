import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AuthContext } from "../src/app-types";
import { forTenant } from "../src/db/repositories/tenant";
import { ProviderError } from "../src/integrations/provider-error";
import { ulid } from "../src/lib/ids";
import { DEFAULT_USER_CONFIG, defaultUserConfig } from "../src/services/config/defaults";
import { deploymentDefaults } from "../src/services/config/deployment-defaults";
import { resolveConfig } from "../src/services/config/resolve";
import { getUserConfig } from "../src/services/config/user-config.service";
import { serviceContext, type ServiceContext } from "../src/services/context";
import { dryRun } from "../src/services/pipeline/runs.service";
import { transcribeStage } from "../src/services/pipeline/stages/transcribe";
import { resolveRecordingConfig, updateRecordingOverrides } from "../src/services/recordings/recording-config.service";
import { topicProviders } from "../src/services/topics/llm-providers";
import { asrProviderFor } from "../src/services/transcription/providers";
import { FakeWorkersAi } from "./fakes/fake-workers-ai";
import { SCRIPT_TEXT } from "./fakes/fake-asr";
import { call, expectStatus } from "./helpers/api";
import { fakeMp4 } from "./helpers/fixtures";
import { createTenant, type Tenant } from "./helpers/tenants";

const WHISPER = "@cf/openai/whisper-large-v3-turbo";
const OLD_TOPICS_CHAIN = ["deepseek", "openai", "fireworks", "workers-ai"];
const AI_TOPICS_CHAIN = ["workers-ai", "deepseek", "openai", "fireworks"];

/** The services as a deployment with `[ai] binding = "AI"` runs them (miniflare's AI binding needs the network: faked). */
function withAi(ai: FakeWorkersAi): ServiceContext {
  return serviceContext({ ...env, AI: ai.asBinding() });
}

const authOf = (t: Tenant): AuthContext => ({ userId: t.userId, sessionId: "test-session", email: t.email, role: "user" });

/** A tenant with one uploaded lecture (stored in R2, nothing else configured: no credentials, no overrides). */
async function freshTenant(label: string): Promise<{ t: Tenant; recordingId: number }> {
  const t = await createTenant(label);
  const upload = await call<{ id: number }>("/api/v1/recordings?display_name=Transformers%20lecture", {
    method: "POST",
    token: t.accessToken,
    rawBody: fakeMp4(200_000, 3),
    headers: { "Content-Type": "video/mp4" },
  });
  expectStatus(upload, 201);
  return { t, recordingId: upload.body.id };
}

async function recordingOf(userId: string, id: number) {
  const recording = await forTenant(serviceContext(env).db, userId).recordings.get(id);
  expect(recording, `recording ${id}`).toBeDefined();
  return recording!;
}

/** A run row for calling the stage directly (the real queue consumer runs with this test Worker's env, which has no AI). */
async function runFor(ctx: ServiceContext, userId: string, recordingId: number) {
  const now = ctx.clock.now();
  const run = await forTenant(ctx.db, userId).runs.create({ id: ulid(), recordingId, trigger: "manual", status: "RUNNING", stages: ["TRANSCRIBE"], plan: [], createdAt: now, updatedAt: now });
  expect(run).not.toBeNull();
  return run!;
}

describe("Workers AI as the default provider when the AI binding is configured", () => {
  it("changes only the defaults layer: transcription and the head of the topics chain, nothing else", () => {
    expect(deploymentDefaults({ AI: undefined })).toBe(DEFAULT_USER_CONFIG);
    const old = resolveConfig({ user: {}, defaults: deploymentDefaults({ AI: undefined }) });
    expect(old.transcription.provider).toBe("fireworks");
    expect(old.transcription.topics_providers).toEqual(OLD_TOPICS_CHAIN);

    const ai = resolveConfig({ user: {}, defaults: deploymentDefaults({ AI: new FakeWorkersAi().asBinding() }) });
    expect(ai.transcription.provider).toBe("workers-ai");
    expect(ai.transcription.topics_providers).toEqual(AI_TOPICS_CHAIN);
    const expected = defaultUserConfig();
    expected.transcription.provider = "workers-ai";
    expected.transcription.topics_providers = AI_TOPICS_CHAIN;
    expect(ai).toEqual(expected);
    // The shared defaults are untouched (frozen) and a resolved config never shares their arrays.
    expect(DEFAULT_USER_CONFIG.transcription.provider).toBe("fireworks");
    ai.transcription.topics_providers.pop();
    expect(resolveConfig({ user: {}, defaults: deploymentDefaults({ AI: new FakeWorkersAi().asBinding() }) }).transcription.topics_providers).toEqual(AI_TOPICS_CHAIN);
  });

  it("lets every explicit choice win over it: user, template, recording, request", () => {
    const defaults = deploymentDefaults({ AI: new FakeWorkersAi().asBinding() });
    const user = { transcription: { provider: "openai", topics_providers: ["deepseek"] } };
    expect(resolveConfig({ defaults, user }).transcription).toMatchObject({ provider: "openai", topics_providers: ["deepseek"] });
    // Choosing only the transcription provider keeps the deployment's topics default, and vice versa.
    expect(resolveConfig({ defaults, user: { transcription: { provider: "assemblyai" } } }).transcription).toMatchObject({ provider: "assemblyai", topics_providers: AI_TOPICS_CHAIN });
    expect(resolveConfig({ defaults, user: { transcription: { topics_providers: ["openai"] } } }).transcription).toMatchObject({ provider: "workers-ai", topics_providers: ["openai"] });
    const template = { processing_config: { transcription: { provider: "fireworks" } } };
    expect(resolveConfig({ defaults, user: {}, template }).transcription.provider).toBe("fireworks");
    const recording = { processing_config: { transcription: { provider: "fireworks-batch" } } };
    expect(resolveConfig({ defaults, user, template, recording }).transcription.provider).toBe("fireworks-batch");
    const request = { processing_config: { transcription: { provider: "workers-ai" } } };
    expect(resolveConfig({ defaults: DEFAULT_USER_CONFIG, user, template, recording, request }).transcription.provider).toBe("workers-ai");
  });

  it("lets a fresh tenant with no credential process a lecture: the run is accepted and the transcript comes from Workers AI", async () => {
    const ai = new FakeWorkersAi();
    const ctx = withAi(ai);
    const { t, recordingId } = await freshTenant("wai-fresh");

    // This test Worker has no AI binding: the API shows the old default and refuses the run for the missing credential.
    const shown = await call<{ config_data: { transcription: { provider: string; topics_providers: string[] } } }>("/api/v1/users/me/config", { token: t.accessToken });
    expectStatus(shown, 200);
    expect(shown.body.config_data.transcription).toMatchObject({ provider: "fireworks", topics_providers: OLD_TOPICS_CHAIN });
    const without = await dryRun(serviceContext(env), t.userId, recordingId, { trigger: "manual" });
    expect(without).toMatchObject({ willRun: false, refusal: 409 });
    expect(without.reason).toContain("Transcription with fireworks needs an active fireworks credential");

    // With the binding: the same user's effective config and the run's preflight.
    const effective = await getUserConfig(ctx, authOf(t));
    expect(effective.effective.transcription).toMatchObject({ provider: "workers-ai", topics_providers: AI_TOPICS_CHAIN });
    expect(effective.row.configData).toEqual({});
    const preview = await dryRun(ctx, t.userId, recordingId, { trigger: "manual" });
    expect(preview.reason).toBeNull();
    expect(preview.willRun).toBe(true);

    // The transcription stage, as the queue consumer runs it, with this deployment's context.
    const recording = await recordingOf(t.userId, recordingId);
    const run = await runFor(ctx, t.userId, recordingId);
    const result = await transcribeStage.step({ ctx, recording, run, progress: {}, saveProgress: async () => {} });
    expect(result.done).toBe(true);
    expect(ai.calls.map((c) => c.model)).toEqual([WHISPER]);
    expect(typeof ai.calls[0]!.input.audio).toBe("string");
    expect(ai.calls[0]!.input).toMatchObject({ language: "ru" });
    const key = result.done ? result.recording?.transcriptObjectKey : undefined;
    expect(key).toBeTruthy();
    const stored = (await (await env.MEDIA.get(key!))!.json()) as { provider: string; model: string; text: string };
    expect(stored).toMatchObject({ provider: "workers-ai", model: WHISPER, text: SCRIPT_TEXT });

    // Topics: Workers AI heads the chain and is the only usable provider without credentials.
    const chain = await topicProviders(ctx, t.userId, (await resolveRecordingConfig(ctx, recording)).effective);
    expect(chain.map((p) => p.name)).toEqual(["workers-ai"]);
    const answer = await chain[0]!.complete([{ role: "user", content: `Topics of: ${SCRIPT_TEXT}` }], { jsonMode: false, maxTokens: 2000 });
    expect(answer.content).toContain("main_topics");
    expect(ai.calls.at(-1)?.model).toMatch(/^@cf\/meta\//);
  });

  it("uses the user's, the template's and the recording's provider even when the binding is there, and never calls Workers AI for them", async () => {
    const ai = new FakeWorkersAi();
    const ctx = withAi(ai);
    const { t, recordingId } = await freshTenant("wai-choice");
    const patched = await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { transcription: { provider: "openai", topics_providers: ["deepseek"] } } });
    expectStatus(patched, 200);
    const recording = await recordingOf(t.userId, recordingId);
    const config = (await resolveRecordingConfig(ctx, recording)).effective;
    expect(config.transcription).toMatchObject({ provider: "openai", topics_providers: ["deepseek"] });
    await expect(asrProviderFor(ctx, t.userId, config)).rejects.toThrow(/Transcription with openai needs an active openai credential/);
    expect(await topicProviders(ctx, t.userId, config)).toEqual([]);
    const preview = await dryRun(ctx, t.userId, recordingId, { trigger: "manual" });
    expect(preview).toMatchObject({ willRun: false, refusal: 409 });
    expect(preview.reason).toContain("openai");

    // A template's choice over the user's, the recording's over the template's.
    const template = await call<{ id: number }>("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "Transformers", matching_rules: { keywords: ["transformers"] }, processing_config: { transcription: { provider: "assemblyai" } } },
    });
    expectStatus(template, 201);
    // Uploaded recordings are not rematched; map this one to the template as a match would.
    await env.DB.prepare("UPDATE recordings SET template_id = ?, is_mapped = 1 WHERE id = ?").bind(template.body.id, recordingId).run();
    const mapped = await recordingOf(t.userId, recordingId);
    expect(mapped.templateId).toBe(template.body.id);
    expect((await resolveRecordingConfig(ctx, mapped)).effective.transcription.provider).toBe("assemblyai");
    const overridden = await updateRecordingOverrides(ctx, authOf(t), recordingId, { processing_config: { transcription: { provider: "fireworks" } } });
    expect(overridden.effective.transcription.provider).toBe("fireworks");
    // …and a request's over all of them: asking for Workers AI explicitly still works.
    const asked = await dryRun(ctx, t.userId, recordingId, { trigger: "manual", overrides: { processing_config: { transcription: { provider: "workers-ai" } } }, only: ["TRANSCRIBE"] });
    expect(asked.reason).toBeNull();
    expect(ai.calls).toEqual([]);

    // An unknown provider name is refused with a 400 and stores nothing.
    const bad = await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { transcription: { provider: "workers-ai; DROP TABLE users" } } });
    expectStatus(bad, 400);
    const still = await call<{ overrides: Record<string, unknown> }>("/api/v1/users/me/config", { token: t.accessToken });
    expect(still.body.overrides).toEqual({ transcription: { provider: "openai", topics_providers: ["deepseek"] } });
  });

  it("retries when Workers AI fails or answers garbage, storing nothing until it answers", async () => {
    const ai = new FakeWorkersAi();
    ai.faults.push("error", "malformed");
    const ctx = withAi(ai);
    const { t, recordingId } = await freshTenant("wai-fail");
    const recording = await recordingOf(t.userId, recordingId);
    const run = await runFor(ctx, t.userId, recordingId);
    const step = () => transcribeStage.step({ ctx, recording, run, progress: {}, saveProgress: async () => {} });
    for (const expected of [/Capacity temporarily exceeded/, /answered without text/]) {
      const error = await step().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).retryable).toBe(true);
      expect((error as ProviderError).message).toMatch(expected);
      const row = await env.DB.prepare("SELECT transcript_object_key FROM recordings WHERE id = ?").bind(recordingId).first<{ transcript_object_key: string | null }>();
      expect(row?.transcript_object_key).toBeNull();
    }
    const result = await step();
    expect(result.done).toBe(true);
    expect(ai.calls.map((c) => c.model)).toEqual([WHISPER, WHISPER, WHISPER]);
  });
});
