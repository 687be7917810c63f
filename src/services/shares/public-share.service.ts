import { z } from "zod";
import { PublicSharesRepository } from "../../db/repositories/public-shares.repository";
import type { RecordingRow } from "../../db/repositories/recordings.repository";
import type { ShareRow } from "../../db/repositories/shares.repository";
import { sha256Hex } from "../../lib/crypto";
import { AppError } from "../../lib/errors";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { signedUrlFor } from "../media/media-links.service";
import { enforceRateLimit } from "../rate-limit";
import { checkSharePassword } from "./share-password";
import { isShareLive } from "./share-state";

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** Unknown, malformed, expired, revoked, deleted recording: one answer, so none can be told apart. */
const gone = () => new AppError("NOT_FOUND", "Shared link not found");

const SegmentsSchema = z.object({
  segments: z.array(z.object({ start: z.number(), end: z.number(), text: z.string() })),
});

export interface ShareVisit {
  token: string;
  password: string | undefined;
  address: string;
  origin: string;
}

/** The transcript's segments; the page still opens (without them) when storage fails or the file is unreadable. */
async function transcriptSegments(ctx: ServiceContext, recording: RecordingRow) {
  if (!recording.transcriptObjectKey) return [];
  try {
    const object = await ctx.env.MEDIA.get(recording.transcriptObjectKey);
    if (!object) return [];
    const parsed = SegmentsSchema.safeParse(await object.json().catch(() => null));
    if (parsed.success) return parsed.data.segments.map((s) => ({ start: s.start, end: s.end, text: s.text }));
    log.warn("stored transcript has no readable segments", { recordingId: recording.id });
  } catch (error) {
    log.warn("transcript unavailable for a shared page", { recordingId: recording.id, error });
  }
  return [];
}

async function shareView(ctx: ServiceContext, share: ShareRow, recording: RecordingRow, origin: string) {
  const forShare = { id: share.id, expiresAt: share.expiresAt };
  const videoKind: "processed" | "original" = recording.processedObjectKey ? "processed" : "original";
  const [video, download, srt, vtt, segments] = await Promise.all([
    signedUrlFor(ctx, recording, videoKind, { origin, download: false, share: forShare }),
    share.allowDownload ? signedUrlFor(ctx, recording, videoKind, { origin, download: true, share: forShare }) : null,
    signedUrlFor(ctx, recording, "srt", { origin, download: false, share: forShare }),
    signedUrlFor(ctx, recording, "vtt", { origin, download: false, share: forShare }),
    transcriptSegments(ctx, recording),
  ]);
  return {
    title: recording.displayName,
    description: recording.topicsSummary,
    duration: recording.duration,
    start_time: recording.startTime,
    main_topics: recording.mainTopics ?? [],
    chapters: (recording.topicTimestamps ?? []).map((c) => ({ title: c.topic, start: c.start, end: c.end })),
    transcript: segments,
    video: video ? { kind: videoKind, url: video.url, download_url: download?.url ?? null, expires_at: video.expiresAt } : null,
    subtitles: { srt: srt?.url ?? null, vtt: vtt?.url ?? null },
    allow_download: share.allowDownload,
    expires_at: share.expiresAt,
  };
}

/**
 * What an anonymous visitor of a share link sees, with short-lived media URLs signed for the link.
 * Views are limited per client address like API calls, and counted only when the page is shown.
 */
export async function visitShare(ctx: ServiceContext, visit: ShareVisit) {
  if (ctx.config.RATE_LIMIT_ENABLED) {
    await enforceRateLimit(ctx.env.RATE_LIMITER, { key: `public:shares:ip:${visit.address}`, limit: ctx.config.RATE_LIMIT_API_PER_MINUTE, periodSeconds: 60 });
  }
  if (!TOKEN_SHAPE.test(visit.token)) throw gone();
  const found = await new PublicSharesRepository(ctx.db).byTokenHash(await sha256Hex(visit.token));
  const now = ctx.clock.now();
  if (!found || !isShareLive(found.share, now)) throw gone();
  const { share, recording } = found;
  if (share.passwordHash !== null) await checkSharePassword(ctx, { id: share.id, passwordHash: share.passwordHash }, visit.password, visit.address);
  const view = await shareView(ctx, share, recording, visit.origin);
  // Counted once the page is ready, so a failure while building it is not a view.
  await new PublicSharesRepository(ctx.db).recordView(share.id, now);
  return view;
}
