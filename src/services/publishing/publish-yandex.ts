import { yandexClientFor } from "./clients";
import type { PublishInput, PublishStep } from "./publish-types";

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
