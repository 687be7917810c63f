import { DEFAULT_USER_CONFIG, type DeepReadonly, type UserConfigData } from "./defaults";
import { resolveLayers } from "./merge";

/**
 * With the Workers AI binding (`[ai] binding = "AI"`) a fresh deployment can transcribe and find
 * topics with no third-party account, so Workers AI becomes the default provider of both; the
 * other LLMs stay in the topics chain as fallbacks for users who added their credentials. This is
 * the lowest layer only: a provider the user, a template, the recording or the request names wins.
 */
const WORKERS_AI_LAYER = {
  transcription: { provider: "workers-ai", topics_providers: ["workers-ai", "deepseek", "openai", "fireworks"] },
} as const;

/** The defaults layer of every configuration resolved in this deployment. */
export function deploymentDefaults(env: Pick<Env, "AI">): DeepReadonly<UserConfigData> {
  if (!env.AI) return DEFAULT_USER_CONFIG;
  return resolveLayers(DEFAULT_USER_CONFIG, WORKERS_AI_LAYER) as unknown as UserConfigData;
}
