import type { StageType } from "../../db/repositories/stages.repository";
import type { RecordingStatus } from "../../db/schema";

/**
 * §4.3's intended state machine, per stage: the status a recording shows while the stage runs and
 * after it completes (`null`: back to the status it had before, for stages that add material but
 * do not move the recording on). On failure or cancellation it goes back to the status it had when
 * the stage began (kept in the stage's `status_before`), the last stable state.
 *
 * The order differs from LEAP's on purpose: transcription runs before trimming, because the
 * silent start and end are found from the transcript's speech timing (Workers have no ffmpeg).
 */
export const STAGE_FLOW: Record<StageType, { name: string; running: RecordingStatus; done: RecordingStatus | null }> = {
  DOWNLOAD: { name: "download", running: "DOWNLOADING", done: "DOWNLOADED" },
  TRANSCRIBE: { name: "transcribe", running: "TRANSCRIBING", done: "TRANSCRIBED" },
  TRIM: { name: "trim", running: "PROCESSING", done: "PROCESSED" },
  EXTRACT_TOPICS: { name: "topics", running: "PREPARING", done: null },
  GENERATE_SUBTITLES: { name: "subtitles", running: "PREPARING", done: null },
  UPLOAD: { name: "upload", running: "UPLOADING", done: "UPLOADED" },
};

/** Statuses in which no stage is running: a run may start from them. */
export const STABLE_STATUSES: ReadonlySet<RecordingStatus> = new Set(["INITIALIZED", "DOWNLOADED", "TRANSCRIBED", "PROCESSED", "UPLOADED", "READY", "SKIPPED"]);
