import type { StageType } from "../../db/repositories/stages.repository";
import { forTenant } from "../../db/repositories/tenant";
import type { UserConfigData } from "../config/defaults";
import type { ServiceContext } from "../context";
import { providerPlatform } from "../transcription/providers";

/**
 * Checks, before a run starts, that the stages it plans can reach their providers: a run that
 * would fail minutes later for a missing credential is refused at once with the reason.
 */
export async function missingCredential(ctx: ServiceContext, userId: string, config: UserConfigData, stages: readonly StageType[]): Promise<string | null> {
  const credentials = (await forTenant(ctx.db, userId).credentials.list()).filter((c) => c.isActive && !c.needsReauth);
  const has = (platform: string) => credentials.some((c) => c.platform === platform);
  if (stages.includes("TRANSCRIBE")) {
    const name = config.transcription.provider;
    const platform = providerPlatform(name);
    if (name === "workers-ai" && !ctx.env.AI) return "Transcription with workers-ai needs the AI binding, which this deployment does not have";
    if (platform && !has(platform)) return `Transcription with ${name} needs an active ${platform} credential; add one under /credentials or choose another provider`;
  }
  if (stages.includes("EXTRACT_TOPICS")) {
    const usable = config.transcription.topics_providers.some((p) => (p === "workers-ai" ? Boolean(ctx.env.AI) : has(p)));
    if (!usable) return `Topic extraction needs a credential of one of: ${config.transcription.topics_providers.join(", ")} (or turn transcription.enable_topics off)`;
  }
  return null;
}
