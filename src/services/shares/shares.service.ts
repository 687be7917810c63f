import { AdminRepository } from "../../db/repositories/admin.repository";
import type { ShareRow } from "../../db/repositories/shares.repository";
import { forTenant } from "../../db/repositories/tenant";
import { randomToken, sha256Hex } from "../../lib/crypto";
import { badRequest, notFound } from "../../lib/errors";
import { hashPassword } from "../../lib/password";
import type { ServiceContext } from "../context";
import { publicBase } from "../media/media-links.service";

/** 32 random bytes (256 bits) from crypto.getRandomValues, base64url: 43 characters. */
const TOKEN_BYTES = 32;
const MAX_LIFETIME_MS = 366 * 86_400_000;
export const PUBLIC_SHARES_PATH = "/api/v1/public/shares";

export interface NewShareInput {
  expiresAt?: Date;
  allowDownload: boolean;
  password?: string;
}

async function ownRecording(ctx: ServiceContext, userId: string, recordingId: number, allowDeleted: boolean) {
  const recording = await forTenant(ctx.db, userId).recordings.get(recordingId);
  if (!recording || (recording.deleted && !allowDeleted)) throw notFound("Recording");
  return recording;
}

const audit = (ctx: ServiceContext, userId: string, action: string, share: ShareRow, now: Date) =>
  new AdminRepository(ctx.db).audit({
    actorId: userId,
    targetUserId: userId,
    action,
    details: {
      recording_id: share.recordingId,
      share_id: share.id,
      expires_at: share.expiresAt?.toISOString() ?? null,
      allow_download: share.allowDownload,
      password_protected: share.passwordHash !== null,
    },
    now,
  });

/**
 * Makes a share link. The token is returned once, here, inside the link's URL; only its SHA-256
 * is stored. A password is hashed like account passwords (PBKDF2, lib/password.ts).
 */
export async function createShare(ctx: ServiceContext, userId: string, recordingId: number, input: NewShareInput, origin: string) {
  const recording = await ownRecording(ctx, userId, recordingId, false);
  const now = ctx.clock.now();
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw badRequest("expires_at must be in the future");
  if (input.expiresAt && input.expiresAt.getTime() - now.getTime() > MAX_LIFETIME_MS) throw badRequest("expires_at may be at most one year ahead");
  const token = randomToken(TOKEN_BYTES);
  const share = await forTenant(ctx.db, userId).shares.insert({
    recordingId: recording.id,
    tokenHash: await sha256Hex(token),
    allowDownload: input.allowDownload,
    passwordHash: input.password === undefined ? null : await hashPassword(input.password, ctx.config.PASSWORD_PBKDF2_ITERATIONS),
    expiresAt: input.expiresAt ?? null,
    createdAt: now,
    updatedAt: now,
  });
  await audit(ctx, userId, "share.created", share, now);
  return { share, token, url: `${publicBase(ctx, origin)}${PUBLIC_SHARES_PATH}/${token}` };
}

/** Every link of the recording (revoked and expired ones too), newest first. */
export async function listShares(ctx: ServiceContext, userId: string, recordingId: number): Promise<ShareRow[]> {
  await ownRecording(ctx, userId, recordingId, true);
  return forTenant(ctx.db, userId).shares.listForRecording(recordingId);
}

/** Revokes a link at once (its signed media URLs stop too). Revoking a revoked link changes nothing. */
export async function revokeShare(ctx: ServiceContext, userId: string, recordingId: number, shareId: number): Promise<ShareRow> {
  await ownRecording(ctx, userId, recordingId, true);
  const shares = forTenant(ctx.db, userId).shares;
  const now = ctx.clock.now();
  const revoked = await shares.revoke(recordingId, shareId, now);
  if (revoked) {
    await audit(ctx, userId, "share.revoked", revoked, now);
    return revoked;
  }
  const existing = await shares.get(recordingId, shareId);
  if (!existing) throw notFound("Share link");
  return existing;
}
