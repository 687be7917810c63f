import type { ZoomMeeting, ZoomRecordingFile } from "../../integrations/zoom/types";
import type { UserConfigData } from "../config/defaults";
import { blankReason } from "../recordings/skip-reasons";

/** LEAP's choice of the video: shared screen with speaker > shared screen > active speaker, then larger. */
const VIDEO_PRIORITY: Record<string, number> = {
  shared_screen_with_speaker_view: 3,
  "shared_screen_with_speaker_view(CC)": 3,
  shared_screen: 2,
  active_speaker: 1,
};

export function chooseVideoFile(files: readonly ZoomRecordingFile[]): ZoomRecordingFile | undefined {
  return files
    .filter((f) => f.file_type.toUpperCase() === "MP4")
    .sort(
      (a, b) =>
        (VIDEO_PRIORITY[b.recording_type ?? ""] ?? 0) - (VIDEO_PRIORITY[a.recording_type ?? ""] ?? 0) ||
        (b.file_size ?? 0) - (a.file_size ?? 0),
    )[0];
}

export const chooseAudioFile = (files: readonly ZoomRecordingFile[]) => files.find((f) => f.file_type.toUpperCase() === "M4A");

/** Zoom is still processing when any media file is not `completed` yet. */
export function stillProcessing(meeting: ZoomMeeting): boolean {
  return meeting.recording_files.some((f) => f.status !== undefined && f.status !== "completed" && f.id !== undefined);
}

/** Why the meeting is too short or too small to be a lecture under the resolved thresholds, or null. */
export function blankReasonOf(meeting: ZoomMeeting, video: ZoomRecordingFile | undefined, config: UserConfigData): string | null {
  return blankReason(meeting.duration ?? 0, video?.file_size ?? 0, config.download);
}
