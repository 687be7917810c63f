import type { RecordingRow } from "../../../db/repositories/recordings.repository";
import { safeFetch } from "../../../integrations/safe-fetch";
import { log } from "../../../lib/logger";
import { OutboundUrlRefused, outboundPolicyFrom } from "../../../lib/outbound-policy";
import { storageKeys } from "../../../lib/storage-keys";
import { pipeFixedLength } from "../../../lib/streams";
import { CONTAINER_EXTENSIONS, CONTAINER_MIME, type ContainerKind } from "../../../media/sniff";
import type { ServiceContext } from "../../context";
import { recordStoredBytes } from "../../quotas/run-slots";
import { deleteFromZoomAfterCopy } from "../../zoom/delete-after-copy";
import { zoomDownloadHosts } from "../../zoom/download-hosts";
import { remoteFileIds, resolveDownload, type DownloadKind } from "../download-source";
import { PermanentStageError, RetryableStageError } from "../stage-errors";
import type { StageExecutor, StageStep } from "../stage-executor";
import { stepBudget, type StepBudget } from "../step-budget";
import { asProgress, type DownloadProgress, type FileProgress } from "./download-progress";
import { checkResponse, copyWholeBody, sniffed } from "./download-response";

const KINDS: readonly DownloadKind[] = ["video", "audio"];
const keyFor = (recording: RecordingRow, kind: DownloadKind, container: ContainerKind, copyId?: string) =>
  kind === "video"
    ? storageKeys.recordingSource(recording.userId, recording.id, CONTAINER_EXTENSIONS[container], copyId)
    : storageKeys.recordingAudio(recording.userId, recording.id, "m4a", copyId);

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

  async step({ ctx, recording, run, progress: raw, saveProgress, budget: given }: StageStep) {
    const progress = asProgress(raw);
    const budget = given ?? stepBudget(ctx);
    const allowance: PartAllowance = { left: ctx.config.DOWNLOAD_PARTS_PER_MESSAGE, used: 0 };
    if (!progress.files) {
      const ids = await remoteFileIds(ctx, recording);
      if (!ids?.video) throw new PermanentStageError("The recording has no downloadable video at its source");
      progress.files = { video: { file_id: ids.video }, ...(ids.audio ? { audio: { file_id: ids.audio } } : {}) };
      // Only a forced download is planned for a recording whose video is already stored.
      if (recording.sourceObjectKey) {
        progress.copy_id = run.id.toLowerCase();
        progress.replaces = [recording.sourceObjectKey, recording.audioObjectKey].filter((k): k is string => k !== null);
      }
    }
    const pending = () =>
      KINDS.find((k) => {
        const file = progress.files?.[k];
        return file !== undefined && file.bytes === undefined && file.skipped === undefined;
      });
    // File after file while the message's budget and part cap last; the rest goes to the next message.
    for (let kind = pending(); kind !== undefined; kind = pending()) {
      if (allowance.used > 0 && (allowance.left <= 0 || !budget.hasTime())) return { done: false };
      const file = progress.files[kind]!;
      try {
        const copied = file.total !== undefined && (file.offset ?? 0) >= file.total; // completing was interrupted
        if (!copied && !(await copyChunk(ctx, recording, kind, file, progress, saveProgress, { budget, allowance }))) return { done: false };
        await completeFile(ctx, recording, kind, file);
      } catch (error) {
        if (kind === "video" || !(error instanceof PermanentStageError)) throw error;
        await abortFile(ctx, file);
        file.skipped = error.message;
        log.warn("Zoom's audio file left out", { recordingId: recording.id, reason: error.message });
      }
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
    // A leftover old copy only costs storage (a reset or the recording's deletion removes it); Zoom's copy is handled regardless.
    await dropReplacedCopies(ctx, recording, asProgress(raw)).catch((error: unknown) => log.warn("replaced copy not deleted", { recordingId: recording.id, error }));
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

/** After a forced re-download: the objects the recording no longer points to are deleted and uncounted. */
async function dropReplacedCopies(ctx: ServiceContext, recording: RecordingRow, progress: DownloadProgress): Promise<void> {
  const current = new Set([recording.sourceObjectKey, recording.audioObjectKey]);
  for (const key of progress.replaces ?? []) {
    if (current.has(key)) continue;
    const stored = await ctx.env.MEDIA.head(key);
    if (!stored) continue;
    await ctx.env.MEDIA.delete(key);
    await recordStoredBytes(ctx, recording.userId, -stored.size);
  }
}

async function abortFile(ctx: ServiceContext, file: FileProgress): Promise<void> {
  if (file.upload_id && file.key) await ctx.env.MEDIA.resumeMultipartUpload(file.key, file.upload_id).abort().catch(() => undefined);
  delete file.upload_id;
}

/** Parts this message may still copy (DOWNLOAD_PARTS_PER_MESSAGE) and how many it copied. */
interface PartAllowance {
  left: number;
  used: number;
}

/**
 * Copies parts of one file while the message's part cap and time budget last (at least one part
 * per message, so every message makes progress); true when the file is complete.
 */
async function copyChunk(
  ctx: ServiceContext,
  recording: RecordingRow,
  kind: DownloadKind,
  file: FileProgress,
  progress: DownloadProgress,
  saveProgress: () => Promise<void>,
  limits: { budget: StepBudget; allowance: PartAllowance },
): Promise<boolean> {
  const { budget, allowance } = limits;
  const access = await resolveDownload(ctx, recording, { kind, avoidWebhookToken: progress.avoid_webhook_token === true });
  if (!access) throw new PermanentStageError(`The recording's ${kind} file is no longer listed at its source`);
  if (file.total !== undefined && access.expectedSize !== null && file.total !== access.expectedSize) {
    throw new PermanentStageError(`The source now reports ${access.expectedSize} bytes for the ${kind}, the copy started with ${file.total}`);
  }
  file.total ??= access.expectedSize ?? undefined;
  file.part_size ??= ctx.config.DOWNLOAD_PART_BYTES;
  file.parts ??= [];
  file.offset ??= 0;
  const partSize = file.part_size;
  const mayCopyAnother = () => allowance.left > 0 && (allowance.used === 0 || budget.hasTime());
  const multipartFor = async () => {
    if (!file.upload_id) {
      file.key = keyFor(recording, kind, file.container ?? "mp4", progress.copy_id);
      file.upload_id = (await ctx.env.MEDIA.createMultipartUpload(file.key, { httpMetadata: { contentType: CONTAINER_MIME[file.container ?? "mp4"] } })).uploadId;
    }
    return ctx.env.MEDIA.resumeMultipartUpload(file.key!, file.upload_id);
  };
  // One ranged GET per part: its body goes straight into the part upload when its length is exact
  // (measured: about twice the throughput of splitting one long body in JavaScript).
  while (mayCopyAnother()) {
    const partEnd = (file.total === undefined ? file.offset + partSize : Math.min(file.total, file.offset + partSize)) - 1;
    const headers: Record<string, string> = { Range: `bytes=${file.offset}-${partEnd}` };
    if (access.token) headers.Authorization = `Bearer ${access.token}`;
    let response: Response;
    try {
      // Zoom's token goes only to Zoom's hosts and never across a redirect to another host.
      const credentialHosts = access.via === "url" ? [] : zoomDownloadHosts(ctx.config);
      response = await safeFetch(access.url, { headers }, { policy: outboundPolicyFrom(ctx.config), credentialHosts });
    } catch (error) {
      if (error instanceof OutboundUrlRefused) throw new PermanentStageError(`The ${kind} download was refused: ${error.message}`);
      throw new RetryableStageError(`The ${kind} download failed: ${error instanceof Error ? error.message : "network error"}`);
    }
    const { total, ranged } = await checkResponse(response, access.via, file, progress);
    file.total = total;
    let body = response.body;
    if (!body) throw new RetryableStageError("The source sent no body");
    if (file.offset === 0) body = await sniffed(body, kind, file);
    const multipart = await multipartFor();
    try {
      if (!ranged) {
        // A server that ignores Range sends the whole file: it is copied in this one step.
        await copyWholeBody(body, multipart, file, saveProgress);
        return true;
      }
      const size = Math.min(partSize, total - file.offset);
      const partNumber = file.offset / partSize + 1;
      const exact = file.offset > 0 && Number(response.headers.get("Content-Length")) === size;
      const part = exact ? await multipart.uploadPart(partNumber, body) : await pipeFixedLength(body, size, (readable) => multipart.uploadPart(partNumber, readable));
      file.parts = [...(file.parts ?? []).filter((p) => p.partNumber !== partNumber), { partNumber, etag: part.etag }];
      file.offset += size;
      allowance.left -= 1;
      allowance.used += 1;
      await saveProgress();
    } catch (error) {
      await body.cancel().catch(() => undefined);
      if (error instanceof PermanentStageError) throw error;
      throw new RetryableStageError(`The ${kind} download broke off after ${file.offset} of ${total} bytes: ${error instanceof Error ? error.message : "error"}`);
    }
    if (file.offset >= total) return true;
  }
  return false;
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
