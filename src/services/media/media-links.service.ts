import type { RecordingRow } from "../../db/repositories/recordings.repository";
import { forTenant } from "../../db/repositories/tenant";
import { epochSeconds } from "../../lib/clock";
import { AppError, notFound } from "../../lib/errors";
import { signMediaToken, type MediaKind } from "../../lib/media-token";
import type { ServiceContext } from "../context";
import { kindLabel, mediaFile } from "./media-kinds";

export const MEDIA_PATH = "/api/v1/media";

/** Where links point: PUBLIC_BASE_URL when set (behind a proxy), else the request's own origin. */
export const publicBase = (ctx: ServiceContext, requestOrigin: string): string => (ctx.config.PUBLIC_BASE_URL || requestOrigin).replace(/\/$/, "");

export interface SignOptions {
  origin: string;
  download: boolean;
  /** Made for a share link: the URL stops with the link, and never outlives it. */
  share?: { id: number; expiresAt: Date | null };
}

/** A signed URL of one file of `recording` (the caller has already checked who may see it). */
export async function signedUrlFor(ctx: ServiceContext, recording: RecordingRow, kind: MediaKind, options: SignOptions): Promise<{ url: string; expiresAt: Date } | null> {
  const file = mediaFile(recording, kind);
  if (!file) return null;
  const now = epochSeconds(ctx.clock.now());
  let expires = now + ctx.config.MEDIA_URL_TTL_SECONDS;
  if (options.share?.expiresAt) expires = Math.min(expires, epochSeconds(options.share.expiresAt));
  const token = await signMediaToken(ctx.config.JWT_SECRET, {
    u: recording.userId,
    r: recording.id,
    k: kind,
    key: file.key,
    e: expires,
    d: options.download ? "attachment" : "inline",
    ...(options.share ? { s: options.share.id } : {}),
  });
  return { url: `${publicBase(ctx, options.origin)}${MEDIA_PATH}/${token}`, expiresAt: new Date(expires * 1000) };
}

/**
 * A signed URL of one of the caller's recordings' files, for a redirect. A deleted recording,
 * another tenant's id and a file the pipeline has not made yet all answer 404.
 */
export async function recordingMediaUrl(ctx: ServiceContext, userId: string, recordingId: number, kind: MediaKind, options: SignOptions) {
  const recording = await forTenant(ctx.db, userId).recordings.get(recordingId);
  if (!recording || recording.deleted) throw notFound("Recording");
  const file = mediaFile(recording, kind);
  if (!file || !(await ctx.env.MEDIA.head(file.key))) throw new AppError("NOT_FOUND", `The recording has no ${kindLabel(kind)} yet`);
  const signed = await signedUrlFor(ctx, recording, kind, options);
  if (!signed) throw new AppError("NOT_FOUND", `The recording has no ${kindLabel(kind)} yet`);
  return signed;
}
