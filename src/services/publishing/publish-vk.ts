import { VkApiError } from "../../integrations/vk/errors";
import type { VkClient } from "../../integrations/vk/client";
import { log } from "../../lib/logger";
import { vkClientFor } from "./clients";
import type { PublishInput, PublishStep } from "./publish-types";

const VK_CALLS_PER_SECOND = 3;

interface VkState {
  upload_url?: string;
  video_id?: number;
  owner_id?: number;
  uploaded?: boolean;
  /** Resumable mode (files over VK_SINGLE_UPLOAD_MAX_BYTES): bytes acknowledged by the upload host. */
  offset?: number;
  /** A chunk was sent and its answer not yet recorded: the next message asks the host first. */
  in_flight?: boolean;
  album_id?: number;
  warnings?: string[];
}

/**
 * VK: `video.save` once (its upload URL and video id persisted, so a retry posts to the same URL
 * and never makes a second video), the file streamed in one multipart POST — or, over 2 GB, in
 * resumable chunks across queue messages — then the album and the cover. When the upload host
 * refuses the upload_url for good, the empty video is deleted and the saved state dropped, so a
 * retry starts with a fresh video.save.
 */
export async function publishVkStep(input: PublishInput): Promise<PublishStep> {
  const { ctx, publication, save } = input;
  const state = input.state as VkState;
  const request = publication.request as Record<string, unknown>;
  // One VK account's calls share a budget (VK allows 3 per second per token; bursts beyond it are
  // what trigger flood control and captchas): over it, the step waits instead of calling.
  const limiter = ctx.env.RATE_LIMITER.get(ctx.env.RATE_LIMITER.idFromName(`vk-credential:${publication.credential_id}`));
  const budget = await limiter.consume(VK_CALLS_PER_SECOND, 1000);
  if (!budget.allowed) return { done: false, delaySeconds: budget.retryAfterSeconds };
  const client = await vkClientFor(ctx, input.userId, publication.credential_id);
  if (!state.upload_url) {
    const saved = await client.videoSave({
      name: String(request.name),
      description: String(request.description ?? ""),
      privacy_view: typeof request.privacy_view === "string" ? request.privacy_view : undefined,
      privacy_comment: typeof request.privacy_comment === "string" ? request.privacy_comment : undefined,
      group_id: typeof request.group_id === "number" ? request.group_id : undefined,
      album_id: typeof request.album_id === "string" && /^\d+$/.test(request.album_id) ? Number(request.album_id) : undefined,
      wallpost: request.wallpost === 1,
      repeat: request.repeat === 1,
      no_comments: request.no_comments === 1,
      compression: request.compression === 1,
    });
    Object.assign(state, { upload_url: saved.upload_url, video_id: saved.video_id, owner_id: saved.owner_id });
    await save();
  }
  if (!state.uploaded) {
    try {
      if (!(await uploadVkFile(input, client, state))) return { done: false };
    } catch (error) {
      if (error instanceof VkApiError && error.kind === "upload_failed") await forgetRefusedUpload(input, client, state);
      throw error;
    }
  }
  const albumTitle = request.album_title;
  if (typeof albumTitle === "string" && state.album_id === undefined) {
    // The album is looked up by title (getAlbums with extended=1, every page) and created when missing.
    const groupId = typeof request.group_id === "number" ? request.group_id : undefined;
    const owner = groupId ? -groupId : state.owner_id!;
    const album = await client.findAlbum(owner, albumTitle);
    const albumId = album?.id ?? (await client.createAlbum({ title: albumTitle, groupId }));
    await client.addToAlbum({ targetId: owner, albumId, ownerId: state.owner_id!, videoId: state.video_id! });
    state.album_id = albumId;
    await save();
  }
  const thumbnail = publication.thumbnail;
  if (thumbnail && !state.warnings) {
    const image = await ctx.env.MEDIA.get(thumbnail.key);
    if (image) {
      await client
        .setThumbnail({ ownerId: state.owner_id!, videoId: state.video_id!, body: await image.arrayBuffer(), contentType: thumbnail.contentType })
        .catch((error: unknown) => {
          state.warnings = [`thumbnail: ${error instanceof Error ? error.message : String(error)}`];
          log.warn("vk thumbnail failed", { targetId: input.target.id, error });
        });
    }
    state.warnings ??= [];
    await save();
  }
  return { done: true, videoId: `${state.owner_id}_${state.video_id}`, url: `https://vk.com/video${state.owner_id}_${state.video_id}` };
}

/** Sends the file; false when a chunked upload continues in the next message. */
async function uploadVkFile(input: PublishInput, client: VkClient, state: VkState): Promise<boolean> {
  const { ctx, save } = input;
  const size = input.video.size;
  const filename = `recording-${input.recording.id}.mp4`;
  if (size <= ctx.config.VK_SINGLE_UPLOAD_MAX_BYTES) {
    const object = await ctx.env.MEDIA.get(input.video.key);
    if (!object) throw new Error("the video to publish is missing from storage");
    await client.uploadVideo(state.upload_url!, { body: object.body, length: object.size, filename, contentType: "video/mp4" });
    state.uploaded = true;
    await save();
    return true;
  }
  if (state.in_flight) {
    // The last chunk's answer was lost: the host says what it holds (or, unreadable, what was acknowledged stands).
    const held = await client.uploadedBytes(state.upload_url!, size);
    if (held.state === "complete") state.uploaded = true;
    else if (held.offset !== null) state.offset = held.offset;
    state.in_flight = false;
    await save();
  }
  // At least one chunk, then more while the message's time budget lasts (up to the chunk cap).
  for (let chunk = 0; !state.uploaded && chunk < ctx.config.VK_CHUNKS_PER_MESSAGE && (chunk === 0 || input.budget.hasTime()); chunk++) {
    const offset = state.offset ?? 0;
    const length = Math.min(ctx.config.VK_CHUNK_BYTES, size - offset);
    const object = await ctx.env.MEDIA.get(input.video.key, { range: { offset, length } });
    if (!object) throw new Error("the video to publish is missing from storage");
    state.in_flight = true;
    await save();
    const progress = await client.uploadChunk(state.upload_url!, { offset, length, size, body: object.body, filename });
    if (progress.state === "complete") state.uploaded = true;
    else state.offset = progress.offset;
    state.in_flight = false;
    await save();
  }
  return state.uploaded === true;
}

/** The host refused this upload_url for good: the empty video goes, and the next attempt saves a new one. */
async function forgetRefusedUpload(input: PublishInput, client: VkClient, state: VkState): Promise<void> {
  if (state.owner_id !== undefined && state.video_id !== undefined) {
    await client.deleteVideo({ ownerId: state.owner_id, videoId: state.video_id }).catch((error: unknown) => log.warn("vk: could not delete the refused video", { targetId: input.target.id, error }));
  }
  for (const key of ["upload_url", "video_id", "owner_id", "offset", "in_flight"] as const) delete state[key];
  await input.save();
}
