import type { StageType } from "../../db/repositories/stages.repository";
import type { RecordingStatus } from "../../db/schema";

/**
 * §4.3's intended state machine, per stage: the status a recording shows while the stage runs and
 * after it completes. On failure or cancellation it goes back to the status it had when the stage
 * began (kept in the stage's `status_before`), the last stable state.
 */
export const STAGE_FLOW: Record<StageType, { name: string; running: RecordingStatus; done: RecordingStatus }> = {
  DOWNLOAD: { name: "download", running: "DOWNLOADING", done: "DOWNLOADED" },
  TRIM: { name: "trim", running: "PROCESSING", done: "PROCESSED" },
  TRANSCRIBE: { name: "transcribe", running: "TRANSCRIBING", done: "TRANSCRIBED" },
  EXTRACT_TOPICS: { name: "topics", running: "PREPARING", done: "TRANSCRIBED" },
  GENERATE_SUBTITLES: { name: "subtitles", running: "PREPARING", done: "TRANSCRIBED" },
  UPLOAD: { name: "upload", running: "UPLOADING", done: "UPLOADED" },
};

/** Statuses in which no stage is running: a run may start from them. */
export const STABLE_STATUSES: ReadonlySet<RecordingStatus> = new Set(["INITIALIZED", "DOWNLOADED", "PROCESSED", "TRANSCRIBED", "UPLOADED", "READY", "SKIPPED"]);
