/** The LLM providers topic extraction can use, in the default order of preference. */
export const LLM_PROVIDERS = ["deepseek", "openai", "fireworks", "workers-ai"] as const;
export type LlmProviderName = (typeof LLM_PROVIDERS)[number];
