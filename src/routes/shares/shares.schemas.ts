import { z } from "@hono/zod-openapi";
import type { ShareRow } from "../../db/repositories/shares.repository";
import { shareStatus } from "../../services/shares/share-state";

export const ShareSchema = z
  .object({
    id: z.number().int(),
    recording_id: z.number().int(),
    status: z.enum(["active", "expired", "revoked"]),
    allow_download: z.boolean(),
    password_protected: z.boolean(),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    view_count: z.number().int(),
    last_viewed_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Share");

export const CreatedShareSchema = ShareSchema.extend({
  token: z.string().openapi({ description: "Shown only in this answer; the server keeps a hash of it" }),
  url: z.string().openapi({ description: "The public link: GET it (no account needed)" }),
}).openapi("CreatedShare");

export const NewShareSchema = z
  .object({
    expires_at: z.iso.datetime({ offset: true }).optional().openapi({ description: "When the link stops working (future, at most a year ahead); none: until revoked" }),
    allow_download: z.boolean().default(false).openapi({ description: "Also hand visitors a download (attachment) URL" }),
    password: z.string().min(4).max(200).optional().openapi({ description: "Visitors send it in the X-Share-Password header" }),
  })
  .strict()
  .openapi("NewShare");

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const toShareResponse = (share: ShareRow, now: Date) => ({
  id: share.id,
  recording_id: share.recordingId,
  status: shareStatus(share, now),
  allow_download: share.allowDownload,
  password_protected: share.passwordHash !== null,
  expires_at: iso(share.expiresAt),
  revoked_at: iso(share.revokedAt),
  view_count: share.viewCount,
  last_viewed_at: iso(share.lastViewedAt),
  created_at: share.createdAt.toISOString(),
});

export const PublicShareSchema = z
  .object({
    title: z.string(),
    description: z.string().nullable(),
    duration: z.number().openapi({ description: "Seconds" }),
    start_time: z.string(),
    main_topics: z.array(z.string()),
    chapters: z.array(z.object({ title: z.string(), start: z.number(), end: z.number() })),
    transcript: z.array(z.object({ start: z.number(), end: z.number(), text: z.string() })),
    video: z
      .object({
        kind: z.enum(["processed", "original"]),
        url: z.string().openapi({ description: "Signed, short-lived (MEDIA_URL_TTL_SECONDS); supports Range" }),
        download_url: z.string().nullable().openapi({ description: "Only when the link allows downloads" }),
        expires_at: z.string(),
      })
      .nullable(),
    subtitles: z.object({ srt: z.string().nullable(), vtt: z.string().nullable() }),
    allow_download: z.boolean(),
    expires_at: z.string().nullable(),
  })
  .openapi("PublicShare");
