import { log } from "../../lib/logger";
import { vkClientFor, yandexClientFor } from "./clients";
import type { PublishInput, PublishStep } from "./publish-types";

const VK_CALLS_PER_SECOND = 3;

interface VkState {
  upload_url?: string;
  video_id?: number;
  owner_id?: number;
  uploaded?: boolean;
  album_id?: number;
  warnings?: string[];
}

/**
 * VK: `video.save` once (its upload URL and video id persisted, so a retry posts to the same URL
 * and never makes a second video), the file streamed in one multipart POST, then the cover.
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
    });
    Object.assign(state, { upload_url: saved.upload_url, video_id: saved.video_id, owner_id: saved.owner_id });
    await save();
  }
  if (!state.uploaded) {
    const object = await ctx.env.MEDIA.get(input.video.key);
    if (!object) throw new Error("the video to publish is missing from storage");
    await client.uploadVideo(state.upload_url!, { body: object.body, length: object.size, filename: `recording-${input.recording.id}.mp4`, contentType: "video/mp4" });
    state.uploaded = true;
    await save();
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

interface YandexState {
  path?: string;
  uploaded?: boolean;
  public_url?: string;
}

/**
 * Yandex Disk: the folder is created, an upload link asked for and the file PUT in the same
 * message (links expire in 30 minutes, so they are never stored), then a public link when the
 * preset asks for one. A retry after a PUT that did land finds the file there and does not re-send.
 */
export async function publishYandexStep(input: PublishInput): Promise<PublishStep> {
  const { ctx, publication, save } = input;
  const state = input.state as YandexState;
  const client = await yandexClientFor(ctx, input.userId, publication.credential_id);
  const request = publication.request as Record<string, unknown>;
  const path = publication.path ?? `disk:/Lectures/recording-${input.recording.id}.mp4`;
  state.path = path;
  if (!state.uploaded) {
    const existing = await client.getResource(path, ["size"]);
    if (existing && Number(existing.size) === input.video.size) state.uploaded = true;
    else {
      const folder = path.slice(0, path.lastIndexOf("/"));
      if (folder && folder !== "disk:") await client.ensureFolder(folder);
      const link = await client.uploadLink(path, request.overwrite === true);
      const object = await ctx.env.MEDIA.get(input.video.key);
      if (!object) throw new Error("the video to publish is missing from storage");
      await client.putFile(link.href, object.body, object.size, { contentType: "video/mp4" });
      state.uploaded = true;
    }
    await save();
  }
  if (request.publish === true && !state.public_url) {
    await client.publish(path);
    state.public_url = await client.publicUrl(path);
    await save();
  }
  return { done: true, videoId: null, url: state.public_url ?? path };
}
