import type { RecordingRow } from "../../db/repositories/recordings.repository";
import type { MediaKind } from "../../lib/media-token";
import { storageKeys } from "../../lib/storage-keys";

/**
 * The files of a recording a client may fetch, by kind: where each lives in R2 and how it is
 * served. Content types come from our own table by kind and file extension, never from the
 * stored object's metadata (an uploaded file names its own type, and text/html from our origin
 * would be a stored XSS).
 */
const BY_EXTENSION: Record<string, string> = {
  mp4: "video/mp4",
  m4v: "video/mp4",
  mov: "video/quicktime",
  webm: "video/webm",
  mkv: "video/x-matroska",
  m4a: "audio/mp4",
  mp3: "audio/mpeg",
  aac: "audio/aac",
  wav: "audio/wav",
  ogg: "audio/ogg",
  opus: "audio/ogg",
};

const extensionOf = (key: string): string => /\.([a-z0-9]{1,8})$/i.exec(key)?.[1]?.toLowerCase() ?? "bin";

export interface MediaFile {
  key: string;
  contentType: string;
  /** File name suffix after the recording's name: "" or " (trimmed)", then the extension. */
  nameSuffix: string;
  extension: string;
}

const NAMES: Record<MediaKind, string> = {
  original: "original video",
  processed: "trimmed video",
  audio: "audio",
  transcript: "transcript",
  srt: "SRT subtitles",
  vtt: "WebVTT subtitles",
};

export const kindLabel = (kind: MediaKind): string => NAMES[kind];

const subtitleFormats = (recording: RecordingRow): string[] => {
  const formats = recording.subtitlesInfo?.formats;
  return Array.isArray(formats) ? formats.filter((f): f is string => typeof f === "string") : [];
};

/** The file of `kind` as the recording row points to it now, or null when it does not exist yet. */
export function mediaFile(recording: RecordingRow, kind: MediaKind): MediaFile | null {
  const media = (key: string | null, nameSuffix: string): MediaFile | null => {
    if (!key) return null;
    const extension = extensionOf(key);
    return { key, extension, nameSuffix, contentType: BY_EXTENSION[extension] ?? "application/octet-stream" };
  };
  switch (kind) {
    case "original":
      return media(recording.sourceObjectKey, "");
    case "processed":
      return media(recording.processedObjectKey, " (trimmed)");
    case "audio":
      return media(recording.audioObjectKey, " (audio)");
    case "transcript":
      return recording.transcriptObjectKey
        ? { key: recording.transcriptObjectKey, extension: "json", nameSuffix: " (transcript)", contentType: "application/json; charset=utf-8" }
        : null;
    case "srt":
    case "vtt":
      if (!subtitleFormats(recording).includes(kind)) return null;
      return {
        key: storageKeys.subtitles(recording.userId, recording.id, kind),
        extension: kind,
        nameSuffix: "",
        contentType: kind === "srt" ? "application/x-subrip; charset=utf-8" : "text/vtt; charset=utf-8",
      };
  }
}
