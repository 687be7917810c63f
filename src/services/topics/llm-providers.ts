import { openAiChat, workersAiChat, type ChatProvider } from "../../integrations/llm/chat";
import { LLM_PROVIDERS, type LlmProviderName } from "../../integrations/llm/names";
import { forTenant } from "../../db/repositories/tenant";
import { policedSend } from "../../integrations/safe-fetch";
import { outboundPolicyFrom } from "../../lib/outbound-policy";
import type { UserConfigData } from "../config/defaults";
import type { ServiceContext } from "../context";
import { openCredential } from "../credentials/credentials.service";

const isLlm = (name: string): name is LlmProviderName => (LLM_PROVIDERS as readonly string[]).includes(name);

/**
 * The chain of LLMs topic extraction tries, in the configured order (`transcription.topics_providers`),
 * keeping those the user has an active credential for (Workers AI needs the AI binding instead).
 * Each provider's failure falls through to the next (⚠ LEAP's fallback never triggered on API errors).
 */
export async function topicProviders(ctx: ServiceContext, userId: string, config: UserConfigData): Promise<ChatProvider[]> {
  const credentials = (await forTenant(ctx.db, userId).credentials.list()).filter((c) => c.isActive && !c.needsReauth);
  const timeoutMs = ctx.config.PROVIDER_TIMEOUT_SECONDS * 1000;
  const chain: ChatProvider[] = [];
  for (const name of config.transcription.topics_providers.filter(isLlm)) {
    if (name === "workers-ai") {
      if (ctx.env.AI) chain.push(workersAiChat(ctx.env.AI));
      continue;
    }
    const credential = credentials.find((c) => c.platform === name);
    if (!credential) continue;
    const payload = await openCredential(ctx, credential);
    const apiKey = String(payload.api_key);
    const base = typeof payload.base_url === "string" ? payload.base_url.replace(/\/$/, "") : null;
    // The tenant's own base URL is policed at every request and the key goes only to its host;
    // a refusal fails this provider (the chain falls through). Configured defaults are trusted.
    const send = base ? policedSend({ policy: outboundPolicyFrom(ctx.config) }) : undefined;
    switch (name) {
      case "deepseek":
        chain.push(
          openAiChat({
            name,
            url: `${base ?? ctx.config.DEEPSEEK_BASE_URL.replace(/\/$/, "")}/chat/completions`,
            apiKey,
            model: typeof payload.model === "string" ? payload.model : "deepseek-chat",
            maxTokensCap: 8192,
            jsonMode: true,
            timeoutMs,
            send,
          }),
        );
        break;
      case "openai":
        chain.push(
          openAiChat({ name, url: `${base ?? ctx.config.OPENAI_BASE_URL.replace(/\/$/, "")}/v1/chat/completions`, apiKey, model: "gpt-4o-mini", maxTokensCap: 16_384, jsonMode: true, timeoutMs, send }),
        );
        break;
      case "fireworks":
        chain.push(
          openAiChat({
            name,
            url: `${ctx.config.FIREWORKS_LLM_BASE_URL.replace(/\/$/, "")}/chat/completions`,
            apiKey,
            model: "accounts/fireworks/models/deepseek-v3",
            maxTokensCap: 4096,
            jsonMode: true,
            timeoutMs,
          }),
        );
        break;
    }
  }
  return chain;
}
