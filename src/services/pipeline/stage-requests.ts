import type { StageType } from "../../db/repositories/stages.repository";
import type { RunOptions } from "./runs.service";

export const STAGE_ENDPOINTS = ["transcribe", "trim", "topics", "subtitles"] as const;
export type StageEndpoint = (typeof STAGE_ENDPOINTS)[number];

const STAGE_OF: Record<StageEndpoint, StageType> = { transcribe: "TRANSCRIBE", trim: "TRIM", topics: "EXTRACT_TOPICS", subtitles: "GENERATE_SUBTITLES" };

/** A single-stage request's parameters as this run's config overrides (nothing is stored). */
export function stageRunOptions(action: StageEndpoint, params: Record<string, unknown>, trigger: RunOptions["trigger"] = "manual"): RunOptions {
  const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const processing: Record<string, unknown> =
    action === "transcribe"
      ? { transcription: defined({ provider: params.use_batch_api === true ? "fireworks-batch" : params.provider, language: params.language }) }
      : action === "topics"
        ? { transcription: defined({ granularity: params.granularity }) }
        : action === "subtitles"
          ? { transcription: defined({ subtitle_formats: params.formats }) }
          : defined(params);
  return { trigger, only: [STAGE_OF[action]], allowSkipped: true, overrides: { processing_config: processing } };
}
