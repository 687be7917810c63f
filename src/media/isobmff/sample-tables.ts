/**
 * One track's sample tables, read in place from the moov bytes: run-length tables (stts, ctts,
 * stsc) stay as they are, per-sample sizes are a view on stsz, and only per-chunk arrays are
 * expanded (first sample and offset of each chunk). Nothing is allocated per sample.
 */
import { type Box, UnsupportedMediaError, child, children, readUint64, requireChild, view } from "./boxes";

export type TrackKind = "video" | "audio" | "other";

export interface TrackTables {
  id: number;
  kind: TrackKind;
  trak: Box;
  /** Media timescale (mdhd). */
  timescale: number;
  sampleCount: number;
  /** Input edit: presentation time = dts + ctts - mediaTime + emptyDelay (all media units). */
  mediaTime: number;
  emptyDelay: number;
  /** End of the presented span, media units on that timeline; Infinity when the edit does not bound it. */
  presentedEnd: number;
  stts: { at: number; count: number };
  ctts: { at: number; count: number } | null;
  /** Sync samples, 1-based numbers; null when every sample is a sync sample. */
  stss: { at: number; count: number } | null;
  stsz: { constant: number; at: number };
  /** First sample (0-based) of each chunk, with one extra entry: the sample count. */
  chunkFirstSample: Uint32Array;
  /** Sample description index of each chunk. */
  chunkDescription: Uint32Array;
  chunkOffset: Float64Array;
  sbgp: Box[];
}

export interface MovieHeader {
  timescale: number;
}

/** Media-unit times of samples in decode order, walked without allocating. */
export class SampleClock {
  index = 0;
  dts = 0;
  private sttsEntry = 0;
  private sttsLeft: number;
  private cttsEntry = 0;
  private cttsLeft: number;
  duration: number;
  offset: number;

  constructor(
    private readonly dv: DataView,
    private readonly track: TrackTables,
  ) {
    this.sttsLeft = track.stts.count > 0 ? dv.getUint32(track.stts.at) : 0;
    this.duration = track.stts.count > 0 ? dv.getUint32(track.stts.at + 4) : 0;
    const ctts = track.ctts;
    this.cttsLeft = ctts && ctts.count > 0 ? dv.getUint32(ctts.at) : Infinity;
    this.offset = ctts && ctts.count > 0 ? dv.getInt32(ctts.at + 4) : 0;
  }

  /** Presentation time of the current sample on the input timeline (media units). */
  get pts(): number {
    return this.dts + this.offset - this.track.mediaTime + this.track.emptyDelay;
  }

  /** Decode time of the current sample on the presentation timeline (media units). */
  get presentedDts(): number {
    return this.dts - this.track.mediaTime + this.track.emptyDelay;
  }

  next(): void {
    this.index++;
    this.dts += this.duration;
    if (--this.sttsLeft === 0 && ++this.sttsEntry < this.track.stts.count) {
      const at = this.track.stts.at + this.sttsEntry * 8;
      this.sttsLeft = this.dv.getUint32(at);
      this.duration = this.dv.getUint32(at + 4);
    }
    const ctts = this.track.ctts;
    if (ctts && --this.cttsLeft === 0 && ++this.cttsEntry < ctts.count) {
      const at = ctts.at + this.cttsEntry * 8;
      this.cttsLeft = this.dv.getUint32(at);
      this.offset = this.dv.getInt32(at + 4);
    }
  }

  /** Advances to sample `index` (forward only). */
  seek(index: number): void {
    while (this.index < index) this.next();
  }
}

export function sampleSize(dv: DataView, track: TrackTables, index: number): number {
  return track.stsz.constant || dv.getUint32(track.stsz.at + index * 4);
}

/** Chunk holding `sample` (binary search over chunk first samples). */
export function chunkOf(track: TrackTables, sample: number): number {
  const firsts = track.chunkFirstSample;
  let lo = 0;
  let hi = firsts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((firsts[mid] ?? 0) <= sample) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const HANDLER_KIND: Record<string, TrackKind> = { vide: "video", soun: "audio" };

function fullBoxVersion(dv: DataView, box: Box): number {
  return dv.getUint8(box.body);
}

/** Reads a trak box's tables. `movie` gives the movie timescale needed to read the edit list. */
export function readTrack(moov: Uint8Array, trak: Box, movie: MovieHeader): TrackTables {
  const dv = view(moov);
  const tkhd = requireChild(moov, trak, "tkhd");
  const id = dv.getUint32(tkhd.body + (fullBoxVersion(dv, tkhd) === 1 ? 20 : 12));
  const mdia = requireChild(moov, trak, "mdia");
  const mdhd = requireChild(moov, mdia, "mdhd");
  const timescale = dv.getUint32(mdhd.body + (fullBoxVersion(dv, mdhd) === 1 ? 20 : 12));
  const hdlr = requireChild(moov, mdia, "hdlr");
  const handler = String.fromCharCode(...moov.subarray(hdlr.body + 8, hdlr.body + 12));
  const stbl = requireChild(moov, requireChild(moov, mdia, "minf"), "stbl");
  const boxes = children(moov, stbl.body, stbl.end);
  const find = (type: string) => boxes.find((b) => b.type === type);
  const entries = (box: Box) => ({ at: box.body + 8, count: dv.getUint32(box.body + 4) });

  const sttsBox = find("stts");
  const stszBox = find("stsz");
  const stscBox = find("stsc");
  const stcoBox = find("stco") ?? find("co64");
  if (!sttsBox || !stscBox || !stcoBox) throw new UnsupportedMediaError(`track ${id} lacks sample tables`);
  if (!stszBox) throw new UnsupportedMediaError(`track ${id}: only 'stsz' sample sizes are supported`);
  const sampleCount = dv.getUint32(stszBox.body + 8);
  const stsz = { constant: dv.getUint32(stszBox.body + 4), at: stszBox.body + 12 };
  const cttsBox = find("ctts");
  const stssBox = find("stss");

  // Per-chunk arrays from stsc runs and the offset table.
  const wide = stcoBox.type === "co64";
  const chunkCount = dv.getUint32(stcoBox.body + 4);
  const chunkOffset = new Float64Array(chunkCount);
  for (let c = 0; c < chunkCount; c++) {
    chunkOffset[c] = wide ? readUint64(dv, stcoBox.body + 8 + c * 8) : dv.getUint32(stcoBox.body + 8 + c * 4);
  }
  const chunkFirstSample = new Uint32Array(chunkCount + 1);
  const chunkDescription = new Uint32Array(chunkCount);
  const stsc = entries(stscBox);
  let sample = 0;
  for (let e = 0; e < stsc.count; e++) {
    const at = stsc.at + e * 12;
    const first = dv.getUint32(at) - 1;
    const perChunk = dv.getUint32(at + 4);
    const description = dv.getUint32(at + 8);
    const last = e + 1 < stsc.count ? dv.getUint32(at + 12) - 1 : chunkCount;
    for (let c = first; c < Math.min(last, chunkCount); c++) {
      chunkFirstSample[c] = sample;
      chunkDescription[c] = description;
      sample += perChunk;
    }
  }
  chunkFirstSample[chunkCount] = sample;
  if (sample < sampleCount) throw new UnsupportedMediaError(`track ${id}: chunks hold ${sample} of ${sampleCount} samples`);

  const track: TrackTables = {
    id,
    kind: HANDLER_KIND[handler] ?? "other",
    trak,
    timescale,
    sampleCount,
    mediaTime: 0,
    emptyDelay: 0,
    presentedEnd: Infinity,
    stts: entries(sttsBox),
    ctts: cttsBox ? entries(cttsBox) : null,
    stss: stssBox ? entries(stssBox) : null,
    stsz,
    chunkFirstSample,
    chunkDescription,
    chunkOffset,
    sbgp: boxes.filter((b) => b.type === "sbgp"),
  };
  readEditList(moov, track, movie);
  return track;
}

/**
 * Supports the edit lists real encoders write: an optional leading empty edit (a delay) and one
 * normal-rate edit (B-frame delay, AAC priming). Anything else would need re-timing we don't do.
 */
function readEditList(moov: Uint8Array, track: TrackTables, movie: MovieHeader) {
  const edts = child(moov, track.trak, "edts");
  const elst = edts && child(moov, edts, "elst");
  if (!elst) return;
  const dv = view(moov);
  const v1 = fullBoxVersion(dv, elst) === 1;
  const count = dv.getUint32(elst.body + 4);
  const size = v1 ? 20 : 12;
  let at = elst.body + 8;
  let normal = 0;
  for (let i = 0; i < count; i++, at += size) {
    const segment = v1 ? readUint64(dv, at) : dv.getUint32(at);
    const mediaTime = v1 ? dv.getInt32(at + 8) * 2 ** 32 + dv.getUint32(at + 12) : dv.getInt32(at + 4);
    const rate = dv.getInt32(at + (v1 ? 16 : 8));
    const inMedia = (segment * track.timescale) / movie.timescale;
    if (mediaTime === -1) {
      if (normal > 0) throw new UnsupportedMediaError(`track ${track.id}: empty edit after a normal edit`);
      track.emptyDelay += Math.round(inMedia);
      continue;
    }
    if (++normal > 1) throw new UnsupportedMediaError(`track ${track.id}: edit list with several segments`);
    if (rate !== 0x10000) throw new UnsupportedMediaError(`track ${track.id}: edit with rate ${rate / 0x10000}`);
    track.mediaTime = mediaTime;
    // segment 0 means "the rest of the media" in files written by some muxers
    if (segment > 0) track.presentedEnd = track.emptyDelay + Math.round(inMedia);
  }
}
