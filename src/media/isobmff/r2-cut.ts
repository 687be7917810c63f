/**
 * The two operations the pipeline needs, from one R2 object to another. Both return what the
 * stage must record: the real cut (shift transcripts and subtitles by -start) and the output.
 */
import { type CutRange, planCut } from "./cut-plan";
import { type WriteResult, writeCut } from "./cut-writer";
import { readMovie } from "./movie";
import { r2MultipartSink, r2RangeReader } from "./range-io";

export interface R2CutOptions {
  /** Multipart part size (≥ 5 MiB, default 8 MiB) and largest range read (default 8 MiB). */
  partSize?: number;
  readSize?: number;
}

export interface R2CutResult {
  /** Real start and end on the input timeline, seconds. */
  start: number;
  end: number;
  /** False when nothing needed cutting: the target was not written, use the source as is. */
  written: boolean;
  size: number;
  write: WriteResult | null;
}

/** Trims [range.start, range.end) of an MP4 by stream copy, cut at the keyframe at or before start. */
export async function trimRecording(
  bucket: R2Bucket,
  sourceKey: string,
  targetKey: string,
  range: CutRange,
  options: R2CutOptions = {},
): Promise<R2CutResult> {
  const source = await r2RangeReader(bucket, sourceKey);
  const plan = planCut(await readMovie(source), range);
  if (plan.keepsEverything) return { start: plan.start, end: plan.end, written: false, size: source.size, write: null };
  const sink = r2MultipartSink(bucket, targetKey, { partSize: options.partSize, httpMetadata: { contentType: "video/mp4" } });
  const write = await writeCut(plan, source, sink, { readSize: options.readSize });
  return { start: plan.start, end: plan.end, written: true, size: write.size, write };
}

/** Copies the first audio track (optionally only [start, end)) into an .m4a. */
export async function extractAudio(
  bucket: R2Bucket,
  sourceKey: string,
  targetKey: string,
  range: CutRange = { start: 0, end: Infinity },
  options: R2CutOptions = {},
): Promise<R2CutResult> {
  const source = await r2RangeReader(bucket, sourceKey);
  const plan = planCut(await readMovie(source), range, { tracks: "audio" });
  const sink = r2MultipartSink(bucket, targetKey, { partSize: options.partSize, httpMetadata: { contentType: "audio/mp4" } });
  const write = await writeCut(plan, source, sink, { readSize: options.readSize });
  return { start: plan.start, end: plan.end, written: true, size: write.size, write };
}
