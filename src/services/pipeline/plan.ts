import type { RecordingRow } from "../../db/repositories/recordings.repository";
import type { StageType } from "../../db/repositories/stages.repository";
import type { RunPlanStep } from "../../db/schema";
import type { UserConfigData } from "../config/defaults";
import { STAGE_FLOW } from "./stage-flow";
import { executorFor } from "./stages";

export interface PlanInput {
  recording: RecordingRow;
  config: UserConfigData;
  /** The Zoom video (or URL) the download stage would copy, when the recording has one. */
  hasRemoteSource: boolean;
  /** Stages asked for explicitly (the single-stage endpoints): their config switches do not apply. */
  requested?: readonly StageType[];
}

export interface PlannedStep extends RunPlanStep {
  stage: StageType;
  name: string;
  platforms?: string[];
}

const NOT_AVAILABLE = "Not available in this version yet";

/**
 * The ordered stages a run would execute (§4.2), each enabled or skipped with the reason:
 * download → transcribe → trim → topics → subtitles → upload (transcription first: trimming cuts
 * by the transcript's speech timing). The download is skipped when the video is already stored
 * (⚠ LEAP always downloaded first and so failed for uploaded files); topics and subtitles run on
 * an existing transcript when transcription itself is off.
 */
export function planRun({ recording, config, hasRemoteSource, requested = [] }: PlanInput): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const add = (stage: StageType, reason: string | null, extra: Partial<PlannedStep> = {}) => {
    const skip = reason ?? (executorFor(stage) ? null : NOT_AVAILABLE);
    steps.push({ stage, name: STAGE_FLOW[stage].name, enabled: skip === null, ...(skip ? { skip_reason: skip } : {}), ...extra });
  };
  const switchedOff = (stage: StageType, on: boolean, setting: string) => (on || requested.includes(stage) ? null : `Disabled (${setting} is false)`);
  const stored = recording.sourceObjectKey !== null;
  add("DOWNLOAD", stored ? "Already downloaded" : hasRemoteSource ? null : "No remote source to download from");
  const video = stored || hasRemoteSource ? null : "Needs the recording's video";
  const t = config.transcription;
  add("TRANSCRIBE", video ?? switchedOff("TRANSCRIBE", t.enable_transcription, "transcription.enable_transcription"));
  add("TRIM", video ?? switchedOff("TRIM", config.processing.enable_processing, "processing.enable_processing"));
  const transcribing = steps.find((s) => s.stage === "TRANSCRIBE")?.enabled === true && (requested.length === 0 || requested.includes("TRANSCRIBE"));
  const transcript = recording.transcriptObjectKey !== null || transcribing ? null : "Needs a transcription";
  add("EXTRACT_TOPICS", transcript ?? switchedOff("EXTRACT_TOPICS", t.enable_topics, "transcription.enable_topics"));
  add("GENERATE_SUBTITLES", transcript ?? switchedOff("GENERATE_SUBTITLES", t.enable_subtitles, "transcription.enable_subtitles"));
  const upload = config.upload;
  const presets = upload.preset_ids ?? [];
  const platforms = upload.default_platforms.length > 0 ? [...upload.default_platforms] : [];
  add(
    "UPLOAD",
    video ?? (!upload.auto_upload && !requested.includes("UPLOAD") ? "auto_upload is false" : presets.length === 0 ? "No output presets configured (output_config.preset_ids)" : null),
    platforms.length > 0 ? { platforms } : {},
  );
  return steps;
}

export const enabledStages = (plan: readonly PlannedStep[]): StageType[] => plan.filter((s) => s.enabled).map((s) => s.stage);
