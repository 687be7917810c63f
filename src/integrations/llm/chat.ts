import { fetchJson, ProviderError } from "../provider-error";
import type { OutboundSend } from "../safe-fetch";
import type { AiRunner } from "../asr/workers-ai";

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

export interface ChatResult {
  content: string;
  model: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

export interface ChatProvider {
  /** The name stored with a topics version ("deepseek", "openai", "fireworks", "workers-ai"). */
  readonly name: string;
  readonly model: string;
  readonly supportsJsonMode: boolean;
  complete(messages: ChatMessage[], options: { jsonMode: boolean; maxTokens: number }): Promise<ChatResult>;
}

interface CompletionBody {
  model?: unknown;
  choices?: Array<{ message?: { content?: unknown }; finish_reason?: unknown }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown };
}

/**
 * An OpenAI-style `/chat/completions` endpoint: DeepSeek, OpenAI, Fireworks and any compatible
 * server (EXTERNAL-APIS §6). JSON output mode where the provider has it; `max_tokens` capped per
 * provider (DeepSeek 8192, Fireworks 4096). An empty answer or a cut-off one is an error the
 * caller can fall back from (⚠ LEAP stored empty topics).
 */
export function openAiChat(options: {
  name: string;
  url: string;
  apiKey: string;
  model: string;
  maxTokensCap: number;
  jsonMode: boolean;
  timeoutMs: number;
  /** How requests reach `url` (policed when it is built from the tenant's base URL). */
  send?: OutboundSend;
}): ChatProvider {
  return {
    name: options.name,
    model: options.model,
    supportsJsonMode: options.jsonMode,
    async complete(messages, { jsonMode, maxTokens }) {
      const body = await fetchJson<CompletionBody>(
        options.name,
        options.url,
        {
          method: "POST",
          headers: { Authorization: `Bearer ${options.apiKey}`, "Content-Type": "application/json" },
          body: JSON.stringify({
            model: options.model,
            messages,
            temperature: 0,
            max_tokens: Math.min(maxTokens, options.maxTokensCap),
            stream: false,
            ...(jsonMode && options.jsonMode ? { response_format: { type: "json_object" } } : {}),
          }),
        },
        options.timeoutMs,
        options.send,
      );
      const choice = body.choices?.[0];
      const content = typeof choice?.message?.content === "string" ? choice.message.content : "";
      if (choice?.finish_reason === "length") throw new ProviderError(options.name, "the answer was cut off at max_tokens", false);
      if (!content.trim()) throw new ProviderError(options.name, "answered with empty content", true);
      const u = body.usage;
      const usage =
        u && typeof u.prompt_tokens === "number" && typeof u.completion_tokens === "number"
          ? { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens, total_tokens: typeof u.total_tokens === "number" ? u.total_tokens : u.prompt_tokens + u.completion_tokens }
          : null;
      return { content, model: typeof body.model === "string" ? body.model : options.model, usage };
    },
  };
}

export const WORKERS_AI_CHAT_MODEL = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

/** Workers AI text generation through the `AI` binding. */
export function workersAiChat(ai: AiRunner | undefined): ChatProvider {
  return {
    name: "workers-ai",
    model: WORKERS_AI_CHAT_MODEL,
    supportsJsonMode: false,
    async complete(messages, { maxTokens }) {
      if (!ai) throw new ProviderError("Workers AI", "the AI binding is not configured in this deployment", false);
      let raw: unknown;
      try {
        raw = await ai.run(WORKERS_AI_CHAT_MODEL, { messages, max_tokens: Math.min(maxTokens, 4096), temperature: 0 });
      } catch (error) {
        throw new ProviderError("Workers AI", error instanceof Error ? error.message : "the model failed", true);
      }
      const response = (raw as { response?: unknown } | null)?.response;
      if (typeof response !== "string" || !response.trim()) throw new ProviderError("Workers AI", "answered with empty content", true);
      return { content: response, model: WORKERS_AI_CHAT_MODEL, usage: null };
    },
  };
}
