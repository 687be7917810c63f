/**
 * Keyframe-aligned MP4 cutting without re-encoding, in bounded memory, for any length.
 *
 *   const source = await r2RangeReader(env.MEDIA, srcKey);
 *   const movie = await readMovie(source);                  // moov only: 2–3 range reads
 *   const plan = planCut(movie, { start: 95.2, end: 5321 }); // or { tracks: "audio" } for an .m4a
 *   if (plan.keepsEverything) useOriginal();
 *   else await writeCut(plan, source, r2MultipartSink(env.MEDIA, dstKey, { partSize: 16 << 20 }));
 *   shiftTimestamps(-plan.start);                           // the real start: up to one GOP early
 *
 * Memory is the input moov while planning (~1 MB per hour), the output moov, two read windows and
 * one multipart part — no object per sample. Limits: progressive (non-fragmented) MP4/MOV only;
 * the first video and first audio track are kept, other tracks are dropped (`droppedTrackIds`);
 * input edit lists may hold one delay and one normal-rate edit (what encoders write).
 */
export { UnsupportedMediaError } from "./boxes";
export { type Movie, readMovie, primaryTracks } from "./movie";
export { type CutPlan, type CutRange, type CutOptions, type CutTrackSummary, CutRangeError, planCut } from "./cut-plan";
export { type WriteOptions, type WriteResult, writeCut } from "./cut-writer";
export { type SilentEdges, audioPayloadPerSecond, silentEdges } from "./audio-payload";
export {
  type ByteSink,
  type R2SinkOptions,
  type RangeReader,
  type SinkResult,
  MediaSourceChangedError,
  MIN_PART_BYTES,
  bytesRangeReader,
  r2MultipartSink,
  r2RangeReader,
} from "./range-io";
export { extractAudio, trimRecording } from "./r2-cut";
