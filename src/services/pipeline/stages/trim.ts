import type { RecordingRow } from "../../../db/repositories/recordings.repository";
import { audioPayloadPerSecond, CutRangeError, MediaSourceChangedError, readMovie, r2RangeReader, silentEdges, trimRecording, UnsupportedMediaError } from "../../../media/isobmff";
import { log } from "../../../lib/logger";
import { storageKeys } from "../../../lib/storage-keys";
import type { ConfigLayer } from "../../config/resolve";
import type { ServiceContext } from "../../context";
import { recordStoredBytes } from "../../quotas/run-slots";
import { resolveRecordingConfig } from "../../recordings/recording-config.service";
import { shiftTranscript, speechBounds, transcriptSummary } from "../../transcripts/normalize";
import { putArtifact } from "../../transcripts/storage";
import type { Transcript } from "../../../lib/transcripts/types";
import { PermanentStageError, RetryableStageError } from "../stage-errors";
import type { StageExecutor } from "../stage-executor";
import { applyMinSilence } from "./trim-bounds";

/** Cuts closer than this to the file's edges are not worth a copy. */
const EDGE_TOLERANCE_SECONDS = 0.5;

/** The transcript on the source's timeline (the transcription stage stores it), so trimming again starts from it. */
async function sourceTimelineTranscript(ctx: ServiceContext, recording: RecordingRow): Promise<Transcript | null> {
  if (!recording.transcriptObjectKey) return null;
  const object = await ctx.env.MEDIA.get(storageKeys.transcriptSourceTimeline(recording.userId, recording.id));
  return object ? ((await object.json()) as Transcript) : null;
}

/**
 * Silence trimming at the edge, without re-encoding (Workers have no ffmpeg): speech starts and
 * ends where the transcript's first and last real words are (hallucinations excluded), cross-checked
 * with AAC frame sizes from the sample table, which reveal true digital silence; an edge silence
 * shorter than `min_silence_duration` is kept (LEAP's silencedetect `d`); LEAP's padding is added
 * (`silence_threshold`, a loudness in dB, cannot be measured without decoding: the schemas accept
 * only LEAP's default and it changes nothing here); the ISO-BMFF cutter copies the kept samples
 * from R2 to R2 in bounded memory, cut at the keyframe at or before the start. The real cut is reported, and the transcript is shifted by it
 * (subtitles are made from the shifted transcript). When nothing needs cutting, the original is used
 * without a copy.
 */
export const trimStage: StageExecutor = {
  maxAttempts: 3,
  leaseMs: 15 * 60_000,

  async step({ ctx, recording, run, progress }) {
    const sourceKey = recording.sourceObjectKey;
    if (!sourceKey) throw new PermanentStageError("The recording has no stored video to trim");
    const { effective: config } = await resolveRecordingConfig(ctx, recording, (run.overrides ?? undefined) as ConfigLayer | undefined);
    const { padding_before: before, padding_after: after, min_silence_duration: minSilence } = config.processing;
    try {
      const { duration, firstSound, lastSound } = await soundBounds(ctx.env.MEDIA, sourceKey);
      const transcript = await sourceTimelineTranscript(ctx, recording);
      // Words "heard" inside digital silence are hallucinations: the frame sizes bound the speech.
      const heard = transcript ? dropInaudible(transcript, firstSound, lastSound) : null;
      const speech = heard ? speechBounds(heard) : null;
      const sound = speech ? { start: Math.max(speech.firstSpeech, firstSound), end: Math.min(speech.lastSpeech, lastSound) } : { start: firstSound, end: lastSound };
      // An edge gap shorter than min_silence_duration is not a silence (LEAP's silencedetect d=): it stays.
      const { span, silences } = applyMinSilence(sound, duration, minSilence);
      const { start: speechStart, end: speechEnd } = span;
      const method = speech ? "transcript" : "audio-frames";
      const wanted = { start: Math.max(0, speechStart - before), end: Math.min(duration, speechEnd + after) };
      Object.assign(progress, { method, speech_start: speechStart, speech_end: speechEnd, edge_silences: silences, requested: wanted, duration });

      let cut = { start: 0, end: duration, written: false, size: 0 };
      if (wanted.start > EDGE_TOLERANCE_SECONDS || wanted.end < duration - EDGE_TOLERANCE_SECONDS) {
        cut = await trimRecording(ctx.env.MEDIA, sourceKey, storageKeys.recordingProcessed(recording.userId, recording.id), wanted, { partSize: ctx.config.DOWNLOAD_PART_BYTES });
      }
      const processedKey = cut.written ? storageKeys.recordingProcessed(recording.userId, recording.id) : sourceKey;
      if (cut.written) await recordStoredBytes(ctx, recording.userId, cut.size);
      const trimInfo = {
        method,
        requested_start: wanted.start,
        requested_end: wanted.end,
        start: cut.start,
        end: cut.end,
        duration: cut.end - cut.start,
        source_duration: duration,
        min_silence_duration: minSilence,
        leading_silence: silences.leadingCounts ? silences.leading : 0,
        trailing_silence: silences.trailingCounts ? silences.trailing : 0,
        copied: cut.written,
        bytes: cut.written ? cut.size : null,
      };
      Object.assign(progress, { cut: trimInfo });
      log.info("trim decided", { recordingId: recording.id, ...trimInfo });
      return { done: true, recording: { processedObjectKey: processedKey, trimInfo, ...(heard ? await storeShifted(ctx, recording, heard, cut.start, cut.end - cut.start) : {}) } };
    } catch (error) {
      if (error instanceof UnsupportedMediaError || error instanceof CutRangeError) throw new PermanentStageError(`The video cannot be trimmed: ${error.message}`);
      if (error instanceof MediaSourceChangedError) throw new RetryableStageError(error.message);
      throw error;
    }
  },
};

/**
 * Where sound starts and ends, from the AAC frame sizes in the sample tables. A function of its own
 * so the parsed movie (~20 B per sample) is garbage before the copy starts: the cutter reads its
 * own, and only the output header stays in memory while the bytes are copied.
 */
async function soundBounds(bucket: R2Bucket, key: string) {
  const movie = await readMovie(await r2RangeReader(bucket, key));
  const edges = silentEdges(audioPayloadPerSecond(movie));
  return { duration: movie.duration, firstSound: edges.leading, lastSound: movie.duration - edges.trailing };
}

/**
 * The transcript without what lies entirely inside digital silence (hallucinations by definition):
 * such words go, and a segment that held some is rebuilt from its remaining words (or dropped).
 */
function dropInaudible(transcript: Transcript, firstSound: number, lastSound: number): Transcript {
  const audible = (i: { start: number; end: number }) => i.end > firstSound && i.start < lastSound;
  const words = transcript.words.filter(audible);
  if (words.length === transcript.words.length && transcript.segments.every(audible)) return transcript;
  const within = (s: { start: number; end: number }, list: readonly Transcript["words"][number][]) => list.filter((w) => w.start >= s.start && w.end <= s.end);
  const segments = transcript.segments.flatMap((segment) => {
    const before = within(segment, transcript.words);
    const after = within(segment, words);
    if (before.length === after.length) return audible(segment) ? [segment] : [];
    if (after.length === 0) return [];
    return [{ ...segment, start: after[0]!.start, end: after.at(-1)!.end, text: after.map((w) => w.word).join(" ") }];
  });
  return { ...transcript, words, segments: segments.map((s, id) => ({ ...s, id })), text: segments.map((s) => s.text).join(" ") };
}

/** The transcript on the trimmed timeline becomes the recording's transcript (the source-timeline copy stays). */
async function storeShifted(ctx: ServiceContext, recording: RecordingRow, transcript: Transcript, start: number, length: number) {
  const shifted = shiftTranscript(transcript, -start, length);
  const key = storageKeys.transcript(recording.userId, recording.id);
  await recordStoredBytes(ctx, recording.userId, await putArtifact(ctx, key, JSON.stringify(shifted), "application/json; charset=utf-8"));
  return { transcriptObjectKey: key, transcriptInfo: { ...transcriptSummary(shifted), provider: shifted.provider, model: shifted.model, shifted_by: start } };
}
