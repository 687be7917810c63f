/**
 * Decides what a keyframe-aligned stream copy of [start, end) keeps, the same way as
 * `ffmpeg -ss start -to end -i in -c copy`:
 * - video starts at the last sync sample presented at or before `start` (so up to one GOP early)
 *   and keeps, in decode order, everything up to the last sample presented before `end`;
 * - audio starts at the last sample presented at or before the video keyframe's decode time
 *   (a little pre-roll, hidden by the edit list) and keeps samples presented before `end`.
 * The output timeline starts at the keyframe: video and audio both present from 0, with at most
 * a one-edit list per track (B-frame delay, audio pre-roll) — the kind every muxer writes.
 */
import { UnsupportedMediaError, mdatHeader, view } from "./boxes";
import { concat, layOut } from "./layout";
import type { TrackCut } from "./moov-writer";
import { type Movie, primaryTracks } from "./movie";
import { SampleClock, type TrackTables, chunkOf, sampleSize } from "./sample-tables";

export interface CutRange {
  /** Seconds on the input timeline. */
  start: number;
  /** Seconds; Infinity (or anything past the end) keeps the rest. */
  end: number;
}

export interface CutOptions {
  /** "audio": only the first audio track, cut exactly at `start` (every AAC frame is a sync sample) — an .m4a. */
  tracks?: "all" | "audio";
  /** Write co64 chunk offsets even when 32 bits would do (tests). */
  forceCo64?: boolean;
}

export interface CutTrackSummary {
  id: number;
  kind: "video" | "audio";
  /** Kept samples [firstSample, firstSample + sampleCount) in decode order. */
  firstSample: number;
  sampleCount: number;
}

export interface CutPlan {
  /** Where the output really starts and ends on the input timeline (seconds). Shift transcripts by -start. */
  start: number;
  end: number;
  /** True when the cut would keep every sample of every track: use the original instead of copying. */
  keepsEverything: boolean;
  tracks: CutTrackSummary[];
  /** Track ids left out (extra video/audio, timecode, chapters …). */
  droppedTrackIds: number[];
  /** ftyp + moov + mdat header: the output's first bytes. */
  header: Uint8Array;
  /** Input byte ranges to copy after the header, in output order, as [offset, length] pairs. */
  copyRanges: Float64Array;
  outputSize: number;
}

export class CutRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CutRangeError";
  }
}

const M4A_FTYP = new Uint8Array([
  0, 0, 0, 28, 0x66, 0x74, 0x79, 0x70, 0x4d, 0x34, 0x41, 0x20, 0, 0, 2, 0, 0x4d, 0x34, 0x41, 0x20, 0x69, 0x73, 0x6f, 0x6d,
  0x6d, 0x70, 0x34, 0x32,
]); // ftyp 'M4A ' v512, compatible: 'M4A ' 'isom' 'mp42'

export function planCut(movie: Movie, range: CutRange, options: CutOptions = {}): CutPlan {
  const start = Math.max(0, range.start);
  const end = range.end;
  if (!(end > start) || Number.isNaN(start)) throw new CutRangeError(`empty cut [${range.start}, ${range.end})`);
  if (start >= movie.duration) throw new CutRangeError(`cut starts at ${start} s, after the end (${movie.duration} s)`);
  const audioOnly = options.tracks === "audio";
  const { video: primaryVideo, audio } = primaryTracks(movie);
  const video = audioOnly ? undefined : primaryVideo;
  if (audioOnly && !audio) throw new UnsupportedMediaError("no audio track to extract");
  if (!video && !audio) throw new UnsupportedMediaError("no video or audio track");
  const dv = view(movie.moov);

  const cuts: TrackCut[] = [];
  let origin: number; // seconds
  let realEnd: number;
  let audioFrom: number; // seconds: audio starts at the sample presented at or before this
  if (video) {
    const v = cutVideo(dv, video, start, end);
    cuts.push(v.cut);
    origin = v.origin;
    realEnd = v.end;
    audioFrom = v.decodeStart;
  } else {
    origin = start;
    realEnd = end;
    // From the very beginning, keep the encoder priming frame(s) the input's edit list hides.
    audioFrom = start > 0 ? start : -Infinity;
  }
  if (audio) {
    const a = cutAudio(dv, audio, origin, audioFrom, end, realEnd);
    if (a) {
      cuts.push(a.cut);
      if (!video) realEnd = a.end;
    }
  }
  if (cuts.length === 0 || cuts.every((c) => c.end === c.first)) throw new CutRangeError(`nothing to keep in [${start}, ${end})`);

  const droppedTrackIds = movie.tracks.filter((t) => !cuts.some((c) => c.track === t)).map((t) => t.id);
  const keepsEverything =
    !audioOnly && droppedTrackIds.length === 0 && cuts.every((c) => c.first === 0 && c.end === c.track.sampleCount);

  const ftyp = audioOnly || !movie.ftyp ? M4A_FTYP : movie.ftyp;
  const layout = layOut(dv, movie, cuts, ftyp.byteLength, options.forceCo64 === true);
  return {
    start: keepsEverything ? 0 : origin,
    end: keepsEverything ? movie.duration : realEnd,
    keepsEverything,
    tracks: cuts.map((c) => ({
      id: c.track.id,
      kind: c.track.kind === "video" ? "video" : "audio",
      firstSample: c.first,
      sampleCount: c.end - c.first,
    })),
    droppedTrackIds,
    header: concat([ftyp, layout.moov, mdatHeader(layout.payload)]),
    copyRanges: layout.copyRanges,
    outputSize: ftyp.byteLength + layout.moov.byteLength + layout.mdatHeaderSize + layout.payload,
  };
}

function cutVideo(dv: DataView, track: TrackTables, start: number, end: number) {
  const ts = track.timescale;
  const startUnits = start * ts;
  const endUnits = end * ts;
  const n = track.sampleCount;
  // Keyframe: the last sync sample presented at or before start (else the first one).
  const clock = new SampleClock(dv, track);
  let key = -1;
  let keyPts = 0;
  let keyDts = 0;
  let keyPresentedDts = 0;
  let nextSync = track.stss ? 0 : -1;
  for (; clock.index < n; clock.next()) {
    let sync = true;
    if (track.stss) {
      if (nextSync >= track.stss.count) break;
      sync = dv.getUint32(track.stss.at + nextSync * 4) - 1 === clock.index;
      if (sync) nextSync++;
    }
    if (!sync) continue;
    if (key >= 0 && clock.pts > startUnits) break;
    key = clock.index;
    keyPts = clock.pts;
    keyDts = clock.dts;
    keyPresentedDts = clock.presentedDts;
  }
  if (key < 0) throw new UnsupportedMediaError(`video track ${track.id} has no sync sample`);

  // Last sample (decode order) presented before end; everything between is kept so it decodes.
  const scan = new SampleClock(dv, track);
  scan.seek(key);
  let last = key;
  let maxEnd = 0;
  for (; scan.index < n; scan.next()) {
    if (scan.pts < endUnits) last = scan.index;
    maxEnd = Math.max(maxEnd, scan.pts + scan.duration);
  }
  // The output ends where the first frame not kept would have been shown.
  const after = new SampleClock(dv, track);
  after.seek(last + 1);
  let realEnd = last + 1 >= n ? maxEnd : Infinity;
  for (let i = 0; i < 64 && after.index < n; i++, after.next()) realEnd = Math.min(realEnd, after.pts);
  realEnd = Math.min(realEnd, track.presentedEnd);
  if (realEnd <= keyPts) throw new CutRangeError(`nothing of the video lies in [${start}, ${end})`);

  const cut: TrackCut = {
    track,
    first: key,
    end: last + 1,
    mediaTime: keyPts + track.mediaTime - track.emptyDelay - keyDts,
    emptyDelay: 0,
    presented: realEnd - keyPts,
    ...mediaSpan(dv, track, key, last + 1),
  };
  return { cut, origin: keyPts / ts, end: realEnd / ts, decodeStart: keyPresentedDts / ts };
}

function cutAudio(dv: DataView, track: TrackTables, originSeconds: number, fromSeconds: number, end: number, videoEnd: number) {
  const ts = track.timescale;
  const n = track.sampleCount;
  const fromUnits = fromSeconds * ts;
  const endUnits = end * ts;
  const clock = new SampleClock(dv, track);
  let first = 0;
  for (; clock.index < n && clock.pts <= fromUnits; clock.next()) first = clock.index;
  const scan = new SampleClock(dv, track);
  scan.seek(first);
  const firstDts = scan.dts;
  let lastEnd = scan.pts;
  while (scan.index < n && scan.pts < endUnits) {
    lastEnd = scan.pts + scan.duration;
    scan.next();
  }
  const stop = scan.index;
  if (stop <= first) return null;
  const origin = Math.round(originSeconds * ts);
  let mediaTime = origin + track.mediaTime - track.emptyDelay - firstDts;
  let emptyDelay = 0;
  if (mediaTime < 0) {
    emptyDelay = -mediaTime;
    mediaTime = 0;
  }
  const presentedEnd = Math.min(lastEnd, track.presentedEnd, Math.round(videoEnd * ts));
  const cut: TrackCut = {
    track,
    first,
    end: stop,
    mediaTime,
    emptyDelay,
    presented: Math.max(0, presentedEnd - origin - emptyDelay),
    ...mediaSpan(dv, track, first, stop),
  };
  return { cut, end: presentedEnd / ts };
}

/** Sum of durations, and the kept part of every chunk touched, for samples [first, end). */
function mediaSpan(dv: DataView, track: TrackTables, first: number, end: number) {
  const clock = new SampleClock(dv, track);
  clock.seek(first);
  const startDts = clock.dts;
  clock.seek(end - 1);
  const mediaDuration = clock.dts + clock.duration - startDts;
  const c0 = chunkOf(track, first);
  const c1 = chunkOf(track, end - 1);
  const count = c1 - c0 + 1;
  const chunkIn = new Float64Array(count);
  const chunkBytes = new Float64Array(count);
  const chunkSamples = new Uint32Array(count);
  const chunkDescription = new Uint32Array(count);
  for (let c = c0; c <= c1; c++) {
    const chunkFirst = track.chunkFirstSample[c] ?? 0;
    const from = Math.max(first, chunkFirst);
    const to = Math.min(end, track.chunkFirstSample[c + 1] ?? 0);
    let skip = 0;
    for (let s = chunkFirst; s < from; s++) skip += sampleSize(dv, track, s);
    let bytes = 0;
    for (let s = from; s < to; s++) bytes += sampleSize(dv, track, s);
    chunkIn[c - c0] = (track.chunkOffset[c] ?? 0) + skip;
    chunkBytes[c - c0] = bytes;
    chunkSamples[c - c0] = to - from;
    chunkDescription[c - c0] = track.chunkDescription[c] ?? 1;
  }
  return { mediaDuration, chunkIn, chunkBytes, chunkSamples, chunkDescription, chunkOut: new Float64Array(count) };
}
