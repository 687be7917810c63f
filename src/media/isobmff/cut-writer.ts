/**
 * Streams a planned cut: the header (ftyp + moov + mdat header), then the kept input ranges,
 * read in windows of at most `readSize` bytes. A window spans several ranges when they are close
 * (audio chunks interleaved with video), so an audio extraction costs one GET per window, not one
 * per chunk. The next window is fetched while the current one is written.
 * Memory: two windows plus whatever the sink buffers (one part), whatever the output length.
 */
import type { CutPlan } from "./cut-plan";
import type { ByteSink, RangeReader, SinkResult } from "./range-io";

export interface WriteOptions {
  /** Largest single range read (default 8 MiB). */
  readSize?: number;
}

export interface WriteResult extends SinkResult {
  /** Range reads issued and bytes they returned (≥ bytes copied when windows span gaps). */
  reads: number;
  bytesRead: number;
}

interface Window {
  offset: number;
  length: number;
  /** [offset within the window, length] of each piece to copy. */
  pieces: number[];
}

export async function writeCut(plan: CutPlan, source: RangeReader, sink: ByteSink, options: WriteOptions = {}): Promise<WriteResult> {
  const readSize = options.readSize ?? 8 * 1024 * 1024;
  const windows = windowsOf(plan.copyRanges, readSize);
  let reads = 0;
  let bytesRead = 0;
  const fetchWindow = (w: Window | undefined) => {
    if (!w) return undefined;
    reads++;
    bytesRead += w.length;
    const pending = source.read(w.offset, w.length).then((bytes) => ({ w, bytes }));
    pending.catch(() => undefined); // awaited later; a failure while the sink is busy must not go unhandled
    return pending;
  };
  try {
    let next = fetchWindow(windows.next().value ?? undefined);
    await sink.write(plan.header);
    while (next) {
      const { w, bytes } = await next;
      next = fetchWindow(windows.next().value ?? undefined);
      for (let i = 0; i < w.pieces.length; i += 2) {
        const at = w.pieces[i] ?? 0;
        await sink.write(bytes.subarray(at, at + (w.pieces[i + 1] ?? 0)));
      }
    }
    const result = await sink.close();
    if (result.size !== plan.outputSize) throw new Error(`wrote ${result.size} bytes, planned ${plan.outputSize}`);
    return { ...result, reads, bytesRead };
  } catch (error) {
    await sink.abort(error).catch(() => undefined);
    throw error;
  }
}

/** Groups copy ranges into read windows of at most readSize bytes, splitting long ranges. */
export function* windowsOf(ranges: Float64Array, readSize: number): Generator<Window, void> {
  let r = 0;
  let consumed = 0; // bytes of range r already covered
  while (r < ranges.length) {
    const offset = (ranges[r] ?? 0) + consumed;
    const limit = offset + readSize;
    const pieces: number[] = [];
    let endOfWindow = offset;
    while (r < ranges.length) {
      const from = (ranges[r] ?? 0) + consumed;
      const rangeEnd = (ranges[r] ?? 0) + (ranges[r + 1] ?? 0);
      if (from >= limit || from < endOfWindow) break; // out of reach, or overlapping: next window
      const to = Math.min(rangeEnd, limit);
      pieces.push(from - offset, to - from);
      endOfWindow = to;
      if (to < rangeEnd) {
        consumed = to - (ranges[r] ?? 0);
        break;
      }
      r += 2;
      consumed = 0;
    }
    yield { offset, length: endOfWindow - offset, pieces };
  }
}
