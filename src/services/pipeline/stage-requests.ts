import type { StageType } from "../../db/repositories/stages.repository";
import { badRequest } from "../../lib/errors";
import type { RunOptions } from "./runs.service";

export const STAGE_ENDPOINTS = ["transcribe", "trim", "topics", "subtitles"] as const;
export type StageEndpoint = (typeof STAGE_ENDPOINTS)[number];

const STAGE_OF: Record<StageEndpoint, StageType> = { transcribe: "TRANSCRIBE", trim: "TRIM", topics: "EXTRACT_TOPICS", subtitles: "GENERATE_SUBTITLES" };

/** A single-stage request's parameters as this run's config overrides (nothing is stored). */
export function stageRunOptions(
  action: StageEndpoint,
  params: Record<string, unknown>,
  trigger: RunOptions["trigger"] = "manual",
  allowSkipped = true,
): RunOptions {
  const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const processing: Record<string, unknown> =
    action === "transcribe"
      ? { transcription: defined({ provider: params.use_batch_api === true ? "fireworks-batch" : params.provider, language: params.language }) }
      : action === "topics"
        ? { transcription: defined({ granularity: params.granularity }) }
        : action === "subtitles"
          ? { transcription: defined({ subtitle_formats: params.formats }) }
          : defined(params);
  return { trigger, only: [STAGE_OF[action]], allowSkipped, overrides: { processing_config: processing } };
}

/**
 * A stage's parameters from the query string (LEAP's form) and the JSON body (this API's), merged.
 * One given both ways must say the same thing: which of two different values was meant is not ours to guess.
 */
export function mergeStageParams(query: Record<string, unknown>, body: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) if (value !== undefined) merged[name] = value;
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (name in merged && JSON.stringify(merged[name]) !== JSON.stringify(value)) {
      throw badRequest(`${name} is given in the query string and in the body with different values; give it once`, [
        { path: name, message: "conflicting values", code: "custom", location: "query" },
      ]);
    }
    merged[name] = value;
  }
  return merged;
}
