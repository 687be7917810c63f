import { forTenant } from "../../db/repositories/tenant";
import { AppError, notFound } from "../../lib/errors";
import { storageKeys } from "../../lib/storage-keys";
import type { ServiceContext } from "../context";

const notYet = (what: string) => new AppError("NOT_FOUND", `The recording has no ${what} yet`);

/** A stored processing output of one of the caller's recordings, as an R2 object (streamed to the client). */
export async function recordingArtifact(ctx: ServiceContext, userId: string, recordingId: number, kind: "transcript" | "topics" | "srt" | "vtt"): Promise<R2ObjectBody> {
  const recording = await forTenant(ctx.db, userId).recordings.get(recordingId);
  if (!recording) throw notFound("Recording");
  const key =
    kind === "transcript"
      ? recording.transcriptObjectKey
      : kind === "topics"
        ? storageKeys.topics(userId, recordingId)
        : storageKeys.subtitles(userId, recordingId, kind);
  const object = key ? await ctx.env.MEDIA.get(key) : null;
  if (!object) throw notYet(kind === "transcript" ? "transcript" : kind === "topics" ? "topics" : `${kind.toUpperCase()} subtitles`);
  return object;
}
