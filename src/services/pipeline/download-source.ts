import { and, eq } from "drizzle-orm";
import { forTenant } from "../../db/repositories/tenant";
import { recordingFiles, type recordings } from "../../db/schema";
import type { ServiceContext } from "../context";
import { zoomDownloadUrlRefusal } from "../zoom/download-hosts";
import { webhookDownloadPair } from "../zoom/webhook-download-token";
import { zoomClientFor } from "../zoom/zoom-client-factory";
import { PermanentStageError } from "./stage-errors";

type RecordingRow = typeof recordings.$inferSelect;
const TOKEN_MARGIN_MS = 5 * 60_000;

export interface DownloadAccess {
  url: string;
  /** A bearer token (Zoom); null for a plain https URL. */
  token: string | null;
  via: "webhook" | "api" | "url";
  fileId: string;
  /** Zoom's `file_size`; null for a URL, whose size comes from Content-Range / Content-Length. */
  expectedSize: number | null;
}

export type DownloadKind = "video" | "audio";

export const URL_FILE_ID = "url";

/**
 * The remote files a download copies: a Zoom meeting's video and its M4A audio when it has one,
 * or the single file of a URL import. Null when the recording has no remote source.
 */
export async function remoteFileIds(ctx: ServiceContext, recording: RecordingRow): Promise<Record<DownloadKind, string | null> | null> {
  const meta = await forTenant(ctx.db, recording.userId).recordings.source(recording.id);
  if (meta?.sourceType === "URL") return typeof meta.metadata?.url === "string" ? { video: URL_FILE_ID, audio: null } : null;
  if (meta?.sourceType !== "ZOOM") return null;
  const id = (value: unknown) => (typeof value === "string" && value ? value : null);
  return { video: id(meta.metadata?.video_file_id), audio: id(meta.metadata?.audio_file_id) };
}

/**
 * Where and how to fetch one of a recording's Zoom files, always as a matching pair: the webhook's
 * URL with that webhook's download_token while it is valid, otherwise a fresh URL and
 * download_access_token from the meeting-recordings API (a sync's stored URL is never combined
 * with a webhook token, nor the other way round).
 */
export async function resolveDownload(
  ctx: ServiceContext,
  recording: RecordingRow,
  options: { kind: DownloadKind; avoidWebhookToken: boolean },
): Promise<DownloadAccess | null> {
  const userId = recording.userId;
  const meta = await forTenant(ctx.db, userId).recordings.source(recording.id);
  if (meta?.sourceType === "URL" && typeof meta.metadata?.url === "string") {
    return { url: meta.metadata.url, token: null, via: "url", fileId: URL_FILE_ID, expectedSize: null };
  }
  if (meta?.sourceType !== "ZOOM") return null;
  const info = meta.metadata ?? {};
  const declared = options.kind === "video" ? info.video_file_id : info.audio_file_id;
  const fileId = typeof declared === "string" ? declared : null;
  if (!fileId) return null;
  const file = await ctx.db
    .select()
    .from(recordingFiles)
    .where(and(eq(recordingFiles.recordingId, recording.id), eq(recordingFiles.userId, userId), eq(recordingFiles.zoomFileId, fileId)))
    .get();
  if (!file?.fileSize) return null;

  if (!options.avoidWebhookToken) {
    const pair = await webhookDownloadPair(ctx, userId, file, TOKEN_MARGIN_MS);
    if (pair) return { ...pair, via: "webhook", fileId, expectedSize: file.fileSize };
  }
  const tenant = forTenant(ctx.db, userId);
  const source = recording.inputSourceId ? await tenant.sources.get(recording.inputSourceId) : undefined;
  const credential = source?.credentialId ? await tenant.credentials.get(source.credentialId) : undefined;
  if (!credential) return null;
  const details = await (await zoomClientFor(ctx, credential)).getMeetingRecordings(meta.sourceKey);
  const fresh = details.recording_files.find((f) => f.id === fileId);
  if (!fresh?.download_url || !details.download_access_token) return null;
  const refusal = zoomDownloadUrlRefusal(ctx.config, fresh.download_url);
  if (refusal) throw new PermanentStageError(`Zoom's download URL for the ${options.kind} was refused: ${refusal.message}`);
  return { url: fresh.download_url, token: details.download_access_token, via: "api", fileId, expectedSize: fresh.file_size ?? file.fileSize };
}
