import { z } from "zod";

/** One entry of `recording_files` (EXTERNAL-APIS §1.3): some types (TIMELINE…) lack id, size, status. */
export const zoomRecordingFileSchema = z.looseObject({
  id: z.string().optional(),
  meeting_id: z.string().optional(),
  recording_start: z.string().optional(),
  recording_end: z.string().optional(),
  file_type: z.string(),
  file_extension: z.string().optional(),
  file_size: z.number().optional(),
  play_url: z.string().optional(),
  download_url: z.string().optional(),
  status: z.string().optional(),
  recording_type: z.string().optional(),
});
export type ZoomRecordingFile = z.infer<typeof zoomRecordingFileSchema>;

/** A meeting's recording set, as in list responses, meeting details and webhook `payload.object`. */
export const zoomMeetingSchema = z.looseObject({
  uuid: z.string().min(1),
  id: z.union([z.number(), z.string()]).optional(),
  account_id: z.string().optional(),
  host_id: z.string().optional(),
  host_email: z.string().optional(),
  topic: z.string().optional(),
  start_time: z.string().optional(),
  timezone: z.string().optional(),
  duration: z.number().optional(),
  total_size: z.number().optional(),
  recording_count: z.number().optional(),
  share_url: z.string().optional(),
  recording_files: z.array(zoomRecordingFileSchema).default([]),
});
export type ZoomMeeting = z.infer<typeof zoomMeetingSchema>;

export const ZOOM_RECORDING_EVENTS = [
  "recording.completed",
  "recording.transcript_completed",
  "recording.trashed",
  "recording.deleted",
  "recording.recovered",
] as const;
export type ZoomRecordingEvent = (typeof ZOOM_RECORDING_EVENTS)[number];

export const zoomWebhookSchema = z.looseObject({
  event: z.string(),
  event_ts: z.number().optional(),
  payload: z.looseObject({ account_id: z.string().optional(), object: z.unknown().optional(), plainToken: z.string().optional() }),
  download_token: z.string().optional(),
});
