import { ASR_PROVIDERS, type AsrProvider, type AsrProviderName } from "../../integrations/asr/types";
import { assemblyAi } from "../../integrations/asr/assemblyai";
import { fireworksBatch, fireworksSync } from "../../integrations/asr/fireworks";
import { OPENAI_MAX_UPLOAD_BYTES, openAiCompatible } from "../../integrations/asr/openai";
import { workersAi } from "../../integrations/asr/workers-ai";
import { policedSend } from "../../integrations/safe-fetch";
import { outboundPolicyFrom } from "../../lib/outbound-policy";
import { forTenant } from "../../db/repositories/tenant";
import type { CredentialPlatform } from "../../db/schema";
import type { UserConfigData } from "../config/defaults";
import type { ServiceContext } from "../context";
import { openCredential } from "../credentials/credentials.service";
import { PermanentStageError } from "../pipeline/stage-errors";

const PLATFORM: Record<AsrProviderName, CredentialPlatform | null> = {
  fireworks: "fireworks",
  "fireworks-batch": "fireworks",
  assemblyai: "assemblyai",
  openai: "openai",
  "workers-ai": null,
};

export const isAsrProvider = (name: string): name is AsrProviderName => (ASR_PROVIDERS as readonly string[]).includes(name);

/** The credential platform a transcription provider needs (null: none, or an unknown provider). */
export const providerPlatform = (name: string): CredentialPlatform | null => (isAsrProvider(name) ? PLATFORM[name] : null);

/**
 * The transcription provider a recording's configuration names (`transcription.provider`, per user
 * or template), with the user's own credential for it (⚠ LEAP used one platform-wide key):
 * `transcription.credential_id` when set, else the user's first active credential of the platform.
 */
export async function asrProviderFor(ctx: ServiceContext, userId: string, config: UserConfigData): Promise<AsrProvider> {
  const name = config.transcription.provider;
  if (!isAsrProvider(name)) throw new PermanentStageError(`Unknown transcription provider "${name}" (use one of ${ASR_PROVIDERS.join(", ")})`);
  if (name === "workers-ai") return workersAi(ctx.env.AI);
  const platform = PLATFORM[name]!;
  const tenant = forTenant(ctx.db, userId);
  const chosen = (config.transcription as { credential_id?: unknown }).credential_id;
  const candidates = typeof chosen === "number" ? [await tenant.credentials.get(chosen)] : await tenant.credentials.list(platform);
  const credential = candidates.find((c) => c && c.platform === platform && c.isActive && !c.needsReauth);
  if (!credential) throw new PermanentStageError(`Transcription with ${name} needs an active ${platform} credential; add one under /credentials or choose another provider`);
  const payload = await openCredential(ctx, credential);
  const timeoutMs = ctx.config.PROVIDER_TIMEOUT_SECONDS * 1000;
  const apiKey = String(payload.api_key);
  const model = typeof payload.model === "string" ? payload.model : null;
  const baseUrl = typeof payload.base_url === "string" ? payload.base_url : null;
  // The tenant's own base URL is policed at every request (a row saved before the policy included),
  // and the key goes only to that host; the configured defaults are the operator's and trusted.
  const send = baseUrl ? policedSend({ policy: outboundPolicyFrom(ctx.config) }) : undefined;
  switch (name) {
    case "fireworks":
    case "fireworks-batch": {
      const options = {
        apiKey,
        model: model ?? "whisper-v3-turbo",
        audioBaseUrl: baseUrl ?? ctx.config.FIREWORKS_AUDIO_BASE_URL,
        batchBaseUrl: ctx.config.FIREWORKS_BATCH_BASE_URL,
        accountId: typeof payload.account_id === "string" ? payload.account_id : null,
        timeoutMs,
        audioSend: send,
      };
      return name === "fireworks" ? fireworksSync(options) : fireworksBatch(options);
    }
    case "assemblyai":
      return assemblyAi({ apiKey, baseUrl: baseUrl ?? ctx.config.ASSEMBLYAI_BASE_URL, timeoutMs: Math.min(timeoutMs, 120_000), keyterms: [], send });
    case "openai": {
      const endpoint = baseUrl ?? ctx.config.OPENAI_BASE_URL;
      return openAiCompatible({
        apiKey,
        baseUrl: endpoint,
        model: model ?? "whisper-1",
        // OpenAI's own endpoint refuses files over 25 MB; a compatible server (a credential's
        // base_url, or the operator's OPENAI_BASE_URL) decides for itself.
        maxBytes: new URL(endpoint).hostname === "api.openai.com" ? OPENAI_MAX_UPLOAD_BYTES : null,
        timeoutMs,
        send,
      });
    }
  }
}

/** LEAP's prompt composition (§5.4): the user's prompt plus the course name, so its terms are recognised. */
export function composePrompt(userPrompt: string, courseName: string | null): string {
  const prompt = userPrompt.trim();
  const name = courseName?.trim();
  if (!name) return prompt;
  const context = `Topic name: "${name}". Consider the specifics of this course when recognizing terms.`;
  return prompt ? `${prompt} ${context}` : context;
}
