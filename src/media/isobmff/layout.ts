/**
 * Output layout: ftyp, moov, mdat header, then the kept chunk pieces in input order.
 */
import { mdatHeader } from "./boxes";
import { type TrackCut, buildMoov } from "./moov-writer";
import type { Movie } from "./movie";

/**
 * Orders every kept chunk piece by input offset (keeps the source's interleaving, so the output
 * reads front to back), assigns output offsets after ftyp + moov + mdat header, and merges
 * adjacent pieces into copy ranges. The moov size depends on stco vs co64, which depends on the
 * offsets: try 32-bit first, widen if anything lands past 4 GiB.
 */
export function layOut(dv: DataView, movie: Movie, cuts: TrackCut[], ftypSize: number, forceCo64: boolean) {
  let total = 0;
  for (const cut of cuts) total += cut.chunkIn.length;
  const order = new Uint32Array(total);
  const owner = new Uint8Array(total);
  const local = new Uint32Array(total);
  let k = 0;
  cuts.forEach((cut, t) => {
    for (let i = 0; i < cut.chunkIn.length; i++, k++) {
      order[k] = k;
      owner[k] = t;
      local[k] = i;
    }
  });
  const inOffset = (g: number) => cuts[owner[g] ?? 0]?.chunkIn[local[g] ?? 0] ?? 0;
  const bytesOf = (g: number) => cuts[owner[g] ?? 0]?.chunkBytes[local[g] ?? 0] ?? 0;
  order.sort((a, b) => inOffset(a) - inOffset(b));
  let payload = 0;
  for (let i = 0; i < total; i++) payload += bytesOf(order[i] ?? 0);
  const header = mdatHeader(payload).byteLength;

  let wide = forceCo64;
  for (;;) {
    const built = buildMoov(dv, movie, cuts, wide);
    let out = ftypSize + built.size + header;
    for (let i = 0; i < total; i++) {
      const g = order[i] ?? 0;
      const cut = cuts[owner[g] ?? 0];
      if (cut) cut.chunkOut[local[g] ?? 0] = out;
      out += bytesOf(g);
    }
    if (!wide && total > 0 && out - (bytesOf(order[total - 1] ?? 0)) > 0xffffffff) {
      wide = true;
      continue;
    }
    const ranges: number[] = [];
    let runStart = -1;
    let runEnd = -1;
    for (let i = 0; i < total; i++) {
      const g = order[i] ?? 0;
      const from = inOffset(g);
      const bytes = bytesOf(g);
      if (bytes === 0) continue;
      if (from === runEnd) runEnd += bytes;
      else {
        if (runStart >= 0) ranges.push(runStart, runEnd - runStart);
        runStart = from;
        runEnd = from + bytes;
      }
    }
    if (runStart >= 0) ranges.push(runStart, runEnd - runStart);
    return { moov: built.serialize(), payload, mdatHeaderSize: header, copyRanges: Float64Array.from(ranges) };
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
