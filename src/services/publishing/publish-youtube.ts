import { CHUNK_GRANULARITY } from "../../integrations/youtube/client";
import { nextPacificMidnight, QuotaExceededError, quotaDay, UploadSessionExpiredError } from "../../integrations/youtube/errors";
import type { YouTubeVideoMetadata } from "../../integrations/youtube/metadata";
import { log } from "../../lib/logger";
import { youtubeClientFor } from "./clients";
import type { PublishInput, PublishStep } from "./publish-types";
import { publishYouTubeExtras, type ExtrasState } from "./youtube-extras";

/** Where a YouTube upload is: persisted in the output target after every chunk. */
export interface YouTubeState {
  session_url?: string;
  offset?: number;
  size?: number;
  video_id?: string;
  parked_until?: string;
  /** Playlist, thumbnail and captions, each pending, done or failed (see youtube-extras.ts). */
  extras?: ExtrasState;
  extras_done?: boolean;
  /** "extra: reason" per failed extra. */
  warnings?: string[];
}

const MAX_QUEUE_DELAY_SECONDS = 12 * 3600;

const projectQuota = (input: PublishInput) => input.ctx.env.PROVIDER_QUOTA.get(input.ctx.env.PROVIDER_QUOTA.idFromName("youtube:default"));

/**
 * One step of a YouTube upload: a resumable session (its URL and offset persisted after every
 * chunk, the server's own offset asked first in every message, so a redelivery never sends a
 * second copy), then playlist, thumbnail and captions — each retried while its failure is
 * transient, and recorded as failed on the output otherwise. A spent quota (the project's daily budget in
 * the ProviderQuota object, or YouTube's quotaExceeded, which is not an auth error) parks the
 * upload until the Pacific-time reset.
 */
export async function publishYouTubeStep(input: PublishInput): Promise<PublishStep> {
  const { ctx, publication, state: raw, save } = input;
  const state = raw as YouTubeState;
  const now = ctx.clock.now();
  if (state.parked_until && Date.parse(state.parked_until) > now.getTime()) {
    return { done: false, delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil((Date.parse(state.parked_until) - now.getTime()) / 1000)) };
  }
  delete state.parked_until;
  const client = await youtubeClientFor(ctx, input.userId, publication.credential_id);
  const park = async (until: Date, reason: string) => {
    state.parked_until = until.toISOString();
    await save();
    log.warn("youtube upload parked until the quota resets", { targetId: input.target.id, until: state.parked_until, reason });
    return { done: false, delaySeconds: Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))) } as const;
  };

  if (!state.video_id) {
    const size = input.video.size;
    if (state.session_url) {
      try {
        const server = await client.queryOffset(state.session_url, size);
        if (server.state === "complete") state.video_id = server.videoId;
        else state.offset = server.offset;
      } catch (error) {
        if (!(error instanceof UploadSessionExpiredError)) throw error;
        delete state.session_url; // no video was made: a new session starts from zero
        state.offset = 0;
      }
    }
    if (!state.video_id && !state.session_url) {
      const day = quotaDay(now);
      const decision = await projectQuota(input).reserve(day, ctx.config.YOUTUBE_DAILY_UPLOADS);
      if (!decision.granted) return park(nextPacificMidnight(now), `${decision.used} of ${decision.limit} uploads today`);
      try {
        const request = publication.request as unknown as YouTubeVideoMetadata & { notifySubscribers?: boolean };
        state.session_url = await client.startResumableSession({ metadata: request, size, contentType: "video/mp4", notifySubscribers: request.notifySubscribers });
      } catch (error) {
        if (error instanceof QuotaExceededError) {
          await projectQuota(input).exhaust(day, ctx.config.YOUTUBE_DAILY_UPLOADS);
          return park(error.resetsAt, error.message);
        }
        await projectQuota(input).release(day);
        throw error;
      }
      state.offset = 0;
      state.size = size;
      await save();
    }
    // At least one chunk, then more while the message's time budget lasts (up to the chunk cap).
    for (let chunk = 0; !state.video_id && chunk < ctx.config.YOUTUBE_CHUNKS_PER_MESSAGE && (chunk === 0 || input.budget.hasTime()); chunk++) {
      const offset = state.offset ?? 0;
      const chunkBytes = Math.max(CHUNK_GRANULARITY, Math.floor(ctx.config.YOUTUBE_CHUNK_BYTES / CHUNK_GRANULARITY) * CHUNK_GRANULARITY);
      const length = Math.min(chunkBytes, size - offset);
      const object = await ctx.env.MEDIA.get(input.video.key, { range: { offset, length } });
      if (!object) throw new Error("the video to publish is missing from storage");
      const progress = await client.uploadChunk(state.session_url!, { offset, body: object.body, length, size, contentType: "video/mp4" });
      if (progress.state === "complete") state.video_id = progress.videoId;
      else state.offset = progress.offset;
      await save();
    }
    if (!state.video_id) return { done: false };
  }

  // The video is published: an extra that fails is retried or reported, never a reason to upload again.
  const extras = await publishYouTubeExtras(input, client, state.video_id);
  if (extras.pendingDelaySeconds !== null) return { done: false, delaySeconds: extras.pendingDelaySeconds };
  return { done: true, videoId: state.video_id, url: youTubeWatchUrl(ctx.config.YOUTUBE_WATCH_BASE_URL, state.video_id) };
}

/** A video's watch page under `YOUTUBE_WATCH_BASE_URL` (https://www.youtube.com unless a sandbox points it at its simulator). */
export function youTubeWatchUrl(base: string, videoId: string): string {
  const url = new URL("watch", base.endsWith("/") ? base : `${base}/`);
  url.searchParams.set("v", videoId);
  return url.toString();
}
