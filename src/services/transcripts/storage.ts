import type { RecordingRow } from "../../db/repositories/recordings.repository";
import { PermanentStageError } from "../pipeline/stage-errors";
import type { ServiceContext } from "../context";
import type { Transcript } from "../../lib/transcripts/types";

/** The recording's stored transcript, or a permanent stage error saying what to run first. */
export async function loadTranscript(ctx: ServiceContext, recording: RecordingRow): Promise<Transcript> {
  const object = recording.transcriptObjectKey ? await ctx.env.MEDIA.get(recording.transcriptObjectKey) : null;
  if (!object) throw new PermanentStageError("The recording has no transcript yet; transcribe it first");
  return (await object.json()) as Transcript;
}

/** Writes a JSON or text artifact to R2 and returns how many bytes it adds to the user's storage. */
export async function putArtifact(ctx: ServiceContext, key: string, body: string, contentType: string): Promise<number> {
  const previous = await ctx.env.MEDIA.head(key);
  const stored = await ctx.env.MEDIA.put(key, body, { httpMetadata: { contentType } });
  return stored.size - (previous?.size ?? 0);
}
