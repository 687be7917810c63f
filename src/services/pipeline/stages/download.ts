import type { RecordingRow } from "../../../db/repositories/recordings.repository";
import { parseRetryAfter } from "../../../integrations/zoom/errors";
import { log } from "../../../lib/logger";
import { storageKeys } from "../../../lib/storage-keys";
import { ByteSplitter, pipeFixedLength } from "../../../lib/streams";
import type { ServiceContext } from "../../context";
import { recordStoredBytes } from "../../quotas/run-slots";
import { deleteFromZoomAfterCopy } from "../../zoom/delete-after-copy";
import { resolveDownload, zoomFileIds, type DownloadKind } from "../download-source";
import { PermanentStageError, RetryableStageError } from "../stage-errors";
import type { StageExecutor, StageProgress, StageStep } from "../stage-executor";

/** Progress of one file's copy: an R2 multipart upload filled part by part from ranged GETs. */
interface FileProgress {
  file_id: string;
  total?: number;
  part_size?: number;
  parts?: Array<{ partNumber: number; etag: string }>;
  offset?: number;
  key?: string;
  upload_id?: string;
  /** Set once the multipart upload is completed and its size verified. */
  bytes?: number;
  /** Audio only: why Zoom's M4A was left out (the video never is). */
  skipped?: string;
}

interface DownloadProgress extends StageProgress {
  files?: Partial<Record<DownloadKind, FileProgress>>;
  avoid_webhook_token?: boolean;
  last_error?: string;
}

const KINDS: readonly DownloadKind[] = ["video", "audio"];
const CONTENT_TYPES: Record<DownloadKind, string> = { video: "video/mp4", audio: "audio/mp4" };
const keyFor = (recording: RecordingRow, kind: DownloadKind) =>
  kind === "video" ? storageKeys.recordingSource(recording.userId, recording.id, "mp4") : storageKeys.recordingAudio(recording.userId, recording.id, "m4a");

const asProgress = (progress: StageProgress) => progress as DownloadProgress;

/**
 * The download stage: Zoom → R2 as a stream, never buffered. Each message copies up to
 * DOWNLOAD_PARTS_PER_MESSAGE equal parts of one file with a single `Range` request, persisting
 * progress after every part, so a failure or a redelivery resumes at the saved offset. The video
 * comes first, then Zoom's M4A audio when the meeting has one (a broken M4A is left out, since the
 * audio can be cut from the video; a broken video fails the stage).
 */
export const downloadStage: StageExecutor = {
  maxAttempts: 6,
  leaseMs: 10 * 60_000,

  async step({ ctx, recording, progress: raw, saveProgress }: StageStep) {
    const progress = asProgress(raw);
    if (!progress.files) {
      const ids = await zoomFileIds(ctx, recording);
      if (!ids?.video) throw new PermanentStageError("The recording has no downloadable Zoom video file");
      progress.files = { video: { file_id: ids.video }, ...(ids.audio ? { audio: { file_id: ids.audio } } : {}) };
    }
    const kind = KINDS.find((k) => {
      const file = progress.files?.[k];
      return file !== undefined && file.bytes === undefined && file.skipped === undefined;
    });
    if (kind) {
      const file = progress.files[kind]!;
      try {
        const copied = file.total !== undefined && (file.offset ?? 0) >= file.total; // completing was interrupted
        if (copied || (await copyChunk(ctx, recording, kind, file, progress, saveProgress))) await completeFile(ctx, recording, kind, file);
      } catch (error) {
        if (kind === "video" || !(error instanceof PermanentStageError)) throw error;
        await abortFile(ctx, file);
        file.skipped = error.message;
        log.warn("Zoom's audio file left out", { recordingId: recording.id, reason: error.message });
      }
      return { done: false };
    }
    const video = progress.files.video!;
    const audio = progress.files.audio;
    return {
      done: true,
      recording: {
        sourceObjectKey: video.key!,
        videoFileSize: video.bytes!,
        audioObjectKey: audio?.bytes !== undefined ? audio.key! : null,
      },
    };
  },

  async afterComplete(ctx, recording, raw) {
    const video = asProgress(raw).files?.video;
    if (!video?.bytes) return;
    // Zoom's copy goes only after ours is verified; a failure here never undoes the download.
    await deleteFromZoomAfterCopy(ctx, recording.userId, recording.id, { zoomFileId: video.file_id, bytes: video.bytes });
  },

  async discard(ctx, recording, raw) {
    for (const file of Object.values(asProgress(raw).files ?? {})) {
      if (file.bytes !== undefined && file.key) {
        await ctx.env.MEDIA.delete(file.key);
        await recordStoredBytes(ctx, recording.userId, -file.bytes);
        delete file.bytes;
      } else await abortFile(ctx, file);
    }
  },
};

async function abortFile(ctx: ServiceContext, file: FileProgress): Promise<void> {
  if (file.upload_id && file.key) await ctx.env.MEDIA.resumeMultipartUpload(file.key, file.upload_id).abort().catch(() => undefined);
  delete file.upload_id;
}

/** Copies the next chunk of one file; true when the file is complete. */
async function copyChunk(
  ctx: ServiceContext,
  recording: RecordingRow,
  kind: DownloadKind,
  file: FileProgress,
  progress: DownloadProgress,
  saveProgress: () => Promise<void>,
): Promise<boolean> {
  const access = await resolveDownload(ctx, recording, { kind, avoidWebhookToken: progress.avoid_webhook_token === true });
  if (!access) throw new PermanentStageError(`Zoom no longer lists the recording's ${kind} file`);
  if (file.total !== undefined && file.total !== access.expectedSize) {
    throw new PermanentStageError(`Zoom now reports ${access.expectedSize} bytes for the ${kind}, the copy started with ${file.total}`);
  }
  file.total = access.expectedSize;
  file.part_size ??= ctx.config.DOWNLOAD_PART_BYTES;
  file.parts ??= [];
  file.offset ??= 0;
  if (!file.upload_id) {
    file.key = keyFor(recording, kind);
    file.upload_id = (await ctx.env.MEDIA.createMultipartUpload(file.key, { httpMetadata: { contentType: CONTENT_TYPES[kind] } })).uploadId;
  }
  const { total, part_size: partSize } = file;
  const end = Math.min(total, file.offset + partSize * ctx.config.DOWNLOAD_PARTS_PER_MESSAGE) - 1;
  let response: Response;
  try {
    response = await fetch(access.url, { headers: { Authorization: `Bearer ${access.token}`, Range: `bytes=${file.offset}-${end}` } });
  } catch (error) {
    throw new RetryableStageError(`Zoom download failed: ${error instanceof Error ? error.message : "network error"}`);
  }
  await checkResponse(response, access.via, file, total, progress);
  if (!response.body) throw new RetryableStageError("Zoom sent no body");
  const multipart = ctx.env.MEDIA.resumeMultipartUpload(file.key!, file.upload_id);
  const reader = response.body.getReader();
  const splitter = new ByteSplitter(reader);
  try {
    while (file.offset <= end) {
      const size = Math.min(partSize, total - file.offset);
      const partNumber = file.offset / partSize + 1;
      const part = await pipeFixedLength(splitter.next(size), size, (readable) => multipart.uploadPart(partNumber, readable));
      file.parts = [...file.parts.filter((p) => p.partNumber !== partNumber), { partNumber, etag: part.etag }];
      file.offset += size;
      await saveProgress();
    }
  } catch (error) {
    throw new RetryableStageError(`The ${kind} download broke off after ${file.offset} of ${total} bytes: ${error instanceof Error ? error.message : "error"}`);
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return file.offset >= total;
}

/** Classifies Zoom's answer to a ranged GET; returns only when the body is the bytes asked for. */
async function checkResponse(response: Response, via: "webhook" | "api", file: FileProgress, total: number, progress: DownloadProgress): Promise<void> {
  const refuse = async (error: Error) => {
    await response.body?.cancel();
    throw error;
  };
  if (response.status === 401 || response.status === 403) {
    if (via === "webhook") {
      progress.avoid_webhook_token = true; // expired webhook token: resolve through the API next time
      return refuse(new RetryableStageError("The webhook download token expired; switching to the API", 0));
    }
    // An API token is fetched afresh on every attempt, so retry at once (still counted).
    return refuse(new RetryableStageError("Zoom refused the download token", 0));
  }
  if (response.status === 429 || response.status >= 500) {
    return refuse(new RetryableStageError(`Zoom answered ${response.status}`, parseRetryAfter(response.headers.get("Retry-After"))));
  }
  if (response.status !== 206 && !(response.status === 200 && file.offset === 0)) {
    return refuse(new PermanentStageError(`Zoom answered ${response.status} to a ranged download`));
  }
  if ((response.headers.get("Content-Type") ?? "").includes("text/html")) {
    return refuse(new PermanentStageError("Zoom sent an HTML page instead of the recording"));
  }
  const range = /bytes (\d+)-(\d+)\/(\d+)/.exec(response.headers.get("Content-Range") ?? "");
  if (response.status === 206 && (!range || Number(range[1]) !== file.offset || Number(range[3]) !== total)) {
    return refuse(new PermanentStageError(`Size mismatch: Zoom listed ${total} bytes, the download reports ${response.headers.get("Content-Range")}`));
  }
  const length = response.headers.get("Content-Length");
  if (response.status === 200 && length !== null && Number(length) !== total) {
    return refuse(new PermanentStageError(`Size mismatch: Zoom listed ${total} bytes, the download is ${length}`));
  }
}

/** Completes the multipart upload and verifies the object's size against Zoom's `file_size`. */
async function completeFile(ctx: ServiceContext, recording: RecordingRow, kind: DownloadKind, file: FileProgress): Promise<void> {
  const parts = [...(file.parts ?? [])].sort((a, b) => a.partNumber - b.partNumber);
  let object: { size: number };
  try {
    object = await ctx.env.MEDIA.resumeMultipartUpload(file.key!, file.upload_id!).complete(parts);
  } catch (error) {
    // A redelivery after a completion whose progress was not saved: the object is already there.
    const stored = await ctx.env.MEDIA.head(file.key!);
    if (!stored || stored.size !== file.total) throw new PermanentStageError(`The ${kind} upload could not be completed: ${error instanceof Error ? error.message : "error"}`);
    file.bytes = stored.size;
    delete file.upload_id;
    return;
  }
  delete file.upload_id;
  if (object.size !== file.total) {
    await ctx.env.MEDIA.delete(file.key!);
    throw new PermanentStageError(`The ${kind} copy has ${object.size} bytes, Zoom listed ${file.total}`);
  }
  file.bytes = object.size;
  await recordStoredBytes(ctx, recording.userId, object.size);
  log.info("file copied from Zoom", { recordingId: recording.id, kind, bytes: object.size, parts: parts.length });
}
