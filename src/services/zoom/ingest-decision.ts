import type { RecordingStatus } from "../../db/schema";
import type { IngestResult } from "./ingest-meeting";

/** One meeting's fate in a sync's answer: accepted (on its way, or already in the pipeline) or skipped, with why. */
export interface IngestDecision {
  meeting_uuid: string;
  recording_id: number | null;
  decision: "accepted" | "skipped";
  status: RecordingStatus | null;
  skip_reason: string | null;
}

export const DELETED_REASON = "Deleted here; a sync does not bring it back";

export function decisionOf(meetingUuid: string, result: IngestResult): IngestDecision {
  const deleted = result.outcome === "skipped_deleted" || result.outcome === "skipped_tombstone";
  const skipped = deleted || result.status === "SKIPPED";
  return {
    meeting_uuid: meetingUuid,
    recording_id: result.recordingId ?? null,
    decision: skipped ? "skipped" : "accepted",
    status: deleted ? null : (result.status ?? null),
    skip_reason: deleted ? DELETED_REASON : skipped ? result.skipReason : null,
  };
}
