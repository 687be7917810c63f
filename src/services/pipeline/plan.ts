import type { RecordingRow } from "../../db/repositories/recordings.repository";
import type { StageType } from "../../db/repositories/stages.repository";
import type { RunPlanStep } from "../../db/schema";
import type { UserConfigData } from "../config/defaults";
import { chosenPresets } from "../publishing/preset-choice";
import { STAGE_FLOW } from "./stage-flow";
import { executorFor } from "./stages";

export interface PlanInput {
  recording: RecordingRow;
  config: UserConfigData;
  /** The Zoom video (or URL) the download stage would copy, when the recording has one. */
  hasRemoteSource: boolean;
  /** Stages asked for explicitly (the single-stage endpoints): their config switches do not apply. */
  requested?: readonly StageType[];
  /** Download again although the video is stored (`?force=true`). */
  forceDownload?: boolean;
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
export function planRun({ recording, config, hasRemoteSource, requested = [], forceDownload = false }: PlanInput): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const add = (stage: StageType, reason: string | null, extra: Partial<PlannedStep> = {}) => {
    const skip = reason ?? (executorFor(stage) ? null : NOT_AVAILABLE);
    steps.push({ stage, name: STAGE_FLOW[stage].name, enabled: skip === null, ...(skip ? { skip_reason: skip } : {}), ...extra });
  };
  const switchedOff = (stage: StageType, on: boolean, setting: string) => (on || requested.includes(stage) ? null : `Disabled (${setting} is false)`);
  const stored = recording.sourceObjectKey !== null;
  add("DOWNLOAD", downloadSkipReason(recording, hasRemoteSource, forceDownload));
  const video = stored || hasRemoteSource ? null : "Needs the recording's video";
  const t = config.transcription;
  add("TRANSCRIBE", video ?? switchedOff("TRANSCRIBE", t.enable_transcription, "transcription.enable_transcription"));
  add("TRIM", video ?? switchedOff("TRIM", config.processing.enable_processing, "processing.enable_processing"));
  const transcribing = steps.find((s) => s.stage === "TRANSCRIBE")?.enabled === true && (requested.length === 0 || requested.includes("TRANSCRIBE"));
  const transcript = recording.transcriptObjectKey !== null || transcribing ? null : "Needs a transcription";
  add("EXTRACT_TOPICS", transcript ?? switchedOff("EXTRACT_TOPICS", t.enable_topics, "transcription.enable_topics"));
  add("GENERATE_SUBTITLES", transcript ?? switchedOff("GENERATE_SUBTITLES", t.enable_subtitles, "transcription.enable_subtitles"));
  const upload = config.upload;
  const presets = chosenPresets(upload);
  const platforms = upload.default_platforms.length > 0 ? [...upload.default_platforms] : [];
  add(
    "UPLOAD",
    video ?? (!upload.auto_upload && !requested.includes("UPLOAD") ? "auto_upload is false" : presets.length === 0 ? "No output presets configured (output_config.preset_ids, or upload.default_preset_ids)" : null),
    platforms.length > 0 ? { platforms } : {},
  );
  return steps;
}

/**
 * A stored video is downloaded again only when forced (⚠ LEAP refused `force` on a DOWNLOADED
 * recording, §4.4), and only while nothing has been made from it yet: a transcript or a trimmed
 * copy of the old video would silently stop matching the new one.
 */
function downloadSkipReason(recording: RecordingRow, hasRemoteSource: boolean, force: boolean): string | null {
  const stored = recording.sourceObjectKey !== null;
  if (stored && !force) return "Already downloaded";
  if (!hasRemoteSource) return stored ? "No remote source to download it again from" : "No remote source to download from";
  if (stored && (recording.transcriptObjectKey !== null || recording.processedObjectKey !== null)) {
    return "The stored video already has a transcript or a trimmed copy; reset the recording (POST /recordings/{id}/reset) before downloading it again";
  }
  return null;
}

export const enabledStages = (plan: readonly PlannedStep[]): StageType[] => plan.filter((s) => s.enabled).map((s) => s.stage);
