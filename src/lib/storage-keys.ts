/**
 * Every R2 key is built here, from ids only (never display names), so a tenant's objects all
 * live under one prefix that account deletion and orphan sweeps can walk.
 */
export const storageKeys = {
  userRoot: (userId: string): string => `users/${userId}/`,
  recordingRoot: (userId: string, recordingId: number): string => `users/${userId}/recordings/${recordingId}/`,
  /** `copyId` names a second copy made while the first stays in use (a forced re-download). */
  recordingSource: (userId: string, recordingId: number, extension: string, copyId?: string): string =>
    `users/${userId}/recordings/${recordingId}/source${copyId ? `-${copyId}` : ""}.${extension}`,
  /** Zoom's own audio-only file (M4A), kept for transcription. */
  recordingAudio: (userId: string, recordingId: number, extension: string, copyId?: string): string =>
    `users/${userId}/recordings/${recordingId}/audio${copyId ? `-${copyId}` : ""}.${extension}`,
  /** The normalised transcript (JSON), the topics versions file and the subtitles. */
  transcript: (userId: string, recordingId: number): string => `users/${userId}/recordings/${recordingId}/transcript/master.json`,
  /** The same transcript on the source video's timeline (master.json follows the trimmed video). */
  transcriptSourceTimeline: (userId: string, recordingId: number): string => `users/${userId}/recordings/${recordingId}/transcript/source-timeline.json`,
  topics: (userId: string, recordingId: number): string => `users/${userId}/recordings/${recordingId}/transcript/topics.json`,
  subtitles: (userId: string, recordingId: number, format: "srt" | "vtt"): string => `users/${userId}/recordings/${recordingId}/subtitles/subtitles.${format}`,
  /** The trimmed video, when the trim cut something. */
  recordingProcessed: (userId: string, recordingId: number): string => `users/${userId}/recordings/${recordingId}/processed.mp4`,
  zoomWebhookBody: (userId: string, eventId: string): string => `users/${userId}/zoom-webhooks/${eventId}.json`,
  healthProbe: (): string => "system/health-probe",
};
