/**
 * Writes the output moov: the input moov with dropped tracks left out, durations rewritten, one
 * edit per track (plus a leading empty edit if a track starts late), and every per-sample table
 * sliced to the kept samples. Boxes the cutter does not understand are copied verbatim outside
 * the sample tables and dropped inside them (they could describe samples that are gone).
 */
import { type Box, type BoxNode, UnsupportedMediaError, children, fullBox, nodeSize, serialize, view } from "./boxes";
import type { Movie } from "./movie";
import type { TrackTables } from "./sample-tables";

/** One kept track: samples [first, end) and the output timing, in its media units unless noted. */
export interface TrackCut {
  track: TrackTables;
  first: number;
  end: number;
  /** Output edit: media time presented first, and a delay before it. */
  mediaTime: number;
  emptyDelay: number;
  /** Presented duration after the delay. */
  presented: number;
  /** Sum of the kept samples' durations. */
  mediaDuration: number;
  /** Kept part of each touched chunk: input offset, bytes, samples, sample description. */
  chunkIn: Float64Array;
  chunkBytes: Float64Array;
  chunkSamples: Uint32Array;
  chunkDescription: Uint32Array;
  /** Output offsets, filled by the layout before serialising. */
  chunkOut: Float64Array;
}

const STBL_VERBATIM = new Set(["stsd", "sgpd"]);

export function buildMoov(dv: DataView, movie: Movie, cuts: TrackCut[], wide: boolean) {
  const moov = movie.moov;
  const toMovie = (units: number, track: TrackTables) => Math.round((units * movie.timescale) / track.timescale);
  const trackDuration = (cut: TrackCut) => toMovie(cut.emptyDelay, cut.track) + toMovie(cut.presented, cut.track);
  const movieDuration = Math.max(...cuts.map(trackDuration));
  const dropsTracks = cuts.length !== movie.tracks.length;
  const offsetBoxes: Array<{ bytes: Uint8Array; cut: TrackCut }> = [];
  const root = boxAt(moov, 0);

  const kids: BoxNode[] = [];
  for (const box of children(moov, root.body, root.end)) {
    if (box.type === "mvhd") kids.push(patchDuration(moov, box, movieDuration, 16, 24));
    else if (box.type === "trak") {
      const cut = cuts.find((c) => c.track.trak.start === box.start);
      if (cut) kids.push(buildTrak(cut));
    } else kids.push(raw(moov, box));
  }
  const tree: BoxNode = { type: "moov", children: kids };

  function buildTrak(cut: TrackCut): BoxNode {
    const out: BoxNode[] = [];
    for (const box of children(moov, cut.track.trak.body, cut.track.trak.end)) {
      if (box.type === "tkhd") {
        out.push(patchDuration(moov, box, trackDuration(cut), 20, 28));
        out.push(editList(cut));
      } else if (box.type === "edts" || (box.type === "tref" && dropsTracks)) continue;
      else if (box.type === "mdia") out.push(container(box, (b) => buildMdiaChild(cut, b)));
      else out.push(raw(moov, box));
    }
    return { type: "trak", children: out };
  }

  function buildMdiaChild(cut: TrackCut, box: Box): BoxNode {
    if (box.type === "mdhd") return patchDuration(moov, box, cut.mediaDuration, 16, 24);
    if (box.type === "minf") return container(box, (m) => (m.type === "stbl" ? buildStbl(cut, m) : raw(moov, m)));
    return raw(moov, box);
  }

  function container(box: Box, map: (child: Box) => BoxNode): BoxNode {
    return { type: box.type, children: children(moov, box.body, box.end).map(map) };
  }

  function editList(cut: TrackCut): BoxNode {
    const entries: Array<[number, number]> = [];
    if (cut.emptyDelay > 0) entries.push([toMovie(cut.emptyDelay, cut.track), -1]);
    entries.push([toMovie(cut.presented, cut.track), cut.mediaTime]);
    const v1 = entries.some(([d, t]) => d > 0xffffffff || t > 0x7fffffff);
    const size = v1 ? 20 : 12;
    const { bytes, dv: out, at } = fullBox("elst", v1 ? 1 : 0, 0, 4 + entries.length * size);
    out.setUint32(at, entries.length);
    entries.forEach(([duration, mediaTime], i) => {
      const e = at + 4 + i * size;
      if (v1) {
        setUint64(out, e, duration);
        out.setInt32(e + 8, Math.floor(mediaTime / 2 ** 32));
        out.setUint32(e + 12, mediaTime >>> 0);
        out.setInt32(e + 16, 0x10000);
      } else {
        out.setUint32(e, duration);
        out.setInt32(e + 4, mediaTime);
        out.setInt32(e + 8, 0x10000);
      }
    });
    return { type: "edts", children: [bytes] };
  }

  function buildStbl(cut: TrackCut, stbl: Box): BoxNode {
    const t = cut.track;
    const boxes = children(moov, stbl.body, stbl.end);
    const out: BoxNode[] = [];
    const stsd = boxes.find((b) => b.type === "stsd");
    if (!stsd) throw new UnsupportedMediaError(`track ${t.id} has no stsd`);
    out.push(raw(moov, stsd));
    out.push(sliceRuns(dv, boxes.find((b) => b.type === "stts"), cut.first, cut.end, 0));
    const ctts = boxes.find((b) => b.type === "ctts");
    if (ctts) out.push(sliceRuns(dv, ctts, cut.first, cut.end, 0));
    if (t.stss) out.push(syncSamples(dv, t, cut.first, cut.end));
    out.push(sampleToChunk(cut));
    out.push(sampleSizes(moov, t, cut.first, cut.end));
    const offsets = fullBox(wide ? "co64" : "stco", 0, 0, 4 + cut.chunkIn.length * (wide ? 8 : 4));
    offsets.dv.setUint32(offsets.at, cut.chunkIn.length);
    offsetBoxes.push({ bytes: offsets.bytes, cut });
    out.push(offsets.bytes);
    for (const box of boxes) {
      if (STBL_VERBATIM.has(box.type) && box.type !== "stsd") out.push(raw(moov, box));
      else if (box.type === "sbgp") out.push(sliceRuns(dv, box, cut.first, cut.end, dv.getUint8(box.body) === 1 ? 8 : 4));
    }
    return { type: "stbl", children: out };
  }

  const size = nodeSize(tree);
  return {
    size,
    /** Call after the layout has filled every cut's chunkOut. */
    serialize(): Uint8Array {
      for (const { bytes, cut } of offsetBoxes) {
        const out = view(bytes);
        for (let i = 0; i < cut.chunkOut.length; i++) {
          const offset = cut.chunkOut[i] ?? 0;
          if (wide) setUint64(out, 16 + i * 8, offset);
          else out.setUint32(16 + i * 4, offset);
        }
      }
      const bytes = new Uint8Array(size);
      serialize(tree, bytes, 0);
      return bytes;
    },
  };
}

function boxAt(bytes: Uint8Array, at: number): Box {
  const size = view(bytes).getUint32(at);
  return { type: "moov", start: at, body: at + 8, end: at + size };
}

const raw = (moov: Uint8Array, box: Box) => moov.subarray(box.start, box.end);

function setUint64(dv: DataView, at: number, value: number) {
  dv.setUint32(at, Math.floor(value / 2 ** 32));
  dv.setUint32(at + 4, value >>> 0);
}

/** A copy of a full box whose duration field sits at payload offset v0At (32-bit) or v1At (64-bit). */
function patchDuration(moov: Uint8Array, box: Box, duration: number, v0At: number, v1At: number): Uint8Array {
  const bytes = moov.slice(box.start, box.end);
  const dv = view(bytes);
  const body = box.body - box.start;
  if (dv.getUint8(body) === 1) setUint64(dv, body + v1At, duration);
  else {
    if (duration > 0xffffffff) throw new UnsupportedMediaError(`'${box.type}' duration does not fit 32 bits`);
    dv.setUint32(body + v0At, duration);
  }
  return bytes;
}

/**
 * Slices a run-length table of (sample count, value) entries — stts, ctts, sbgp — to samples
 * [first, end). `prefix` is the bytes between version/flags and the entry count (sbgp's grouping
 * type and parameter). Version and flags are kept.
 */
function sliceRuns(dv: DataView, box: Box | undefined, first: number, end: number, prefix: number): Uint8Array {
  if (!box) throw new UnsupportedMediaError("missing run-length table");
  const countAt = box.body + 4 + prefix;
  const count = dv.getUint32(countAt);
  const walk = (emit: (samples: number, entry: number) => void) => {
    let sample = 0;
    for (let e = 0; e < count && sample < end; e++) {
      const n = dv.getUint32(countAt + 4 + e * 8);
      const from = Math.max(sample, first);
      const to = Math.min(sample + n, end);
      if (to > from) emit(to - from, e);
      sample += n;
    }
  };
  let kept = 0;
  walk(() => kept++);
  const versionFlags = dv.getUint32(box.body);
  const out = fullBox(box.type, versionFlags >>> 24, versionFlags & 0xffffff, prefix + 4 + kept * 8);
  for (let i = 0; i < prefix; i += 4) out.dv.setUint32(out.at + i, dv.getUint32(box.body + 4 + i));
  out.dv.setUint32(out.at + prefix, kept);
  let at = out.at + prefix + 4;
  walk((samples, e) => {
    out.dv.setUint32(at, samples);
    out.dv.setUint32(at + 4, dv.getUint32(countAt + 4 + e * 8 + 4));
    at += 8;
  });
  return out.bytes;
}

function syncSamples(dv: DataView, track: TrackTables, first: number, end: number): Uint8Array {
  const stss = track.stss;
  if (!stss) throw new UnsupportedMediaError("missing stss");
  let lo = stss.count;
  let hi = 0;
  for (let i = 0; i < stss.count; i++) {
    const s = dv.getUint32(stss.at + i * 4) - 1;
    if (s >= first && s < end) {
      lo = Math.min(lo, i);
      hi = i + 1;
    }
  }
  const kept = Math.max(0, hi - lo);
  const out = fullBox("stss", 0, 0, 4 + kept * 4);
  out.dv.setUint32(out.at, kept);
  for (let i = 0; i < kept; i++) out.dv.setUint32(out.at + 4 + i * 4, dv.getUint32(stss.at + (lo + i) * 4) - first);
  return out.bytes;
}

function sampleToChunk(cut: TrackCut): Uint8Array {
  const n = cut.chunkSamples.length;
  const starts = (i: number) =>
    i === 0 || cut.chunkSamples[i] !== cut.chunkSamples[i - 1] || cut.chunkDescription[i] !== cut.chunkDescription[i - 1];
  let runs = 0;
  for (let i = 0; i < n; i++) if (starts(i)) runs++;
  const out = fullBox("stsc", 0, 0, 4 + runs * 12);
  out.dv.setUint32(out.at, runs);
  let at = out.at + 4;
  for (let i = 0; i < n; i++) {
    if (!starts(i)) continue;
    out.dv.setUint32(at, i + 1);
    out.dv.setUint32(at + 4, cut.chunkSamples[i] ?? 0);
    out.dv.setUint32(at + 8, cut.chunkDescription[i] ?? 1);
    at += 12;
  }
  return out.bytes;
}

function sampleSizes(moov: Uint8Array, track: TrackTables, first: number, end: number): Uint8Array {
  const count = end - first;
  if (track.stsz.constant) {
    const out = fullBox("stsz", 0, 0, 8);
    out.dv.setUint32(out.at, track.stsz.constant);
    out.dv.setUint32(out.at + 4, count);
    return out.bytes;
  }
  const out = fullBox("stsz", 0, 0, 8 + count * 4);
  out.dv.setUint32(out.at + 4, count);
  out.bytes.set(moov.subarray(track.stsz.at + first * 4, track.stsz.at + end * 4), out.at + 8);
  return out.bytes;
}
