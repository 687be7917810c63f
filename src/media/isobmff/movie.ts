/**
 * Finds and parses the moov of an MP4/M4A/MOV by range reads: the first 64 KiB, then one 16-byte
 * header read per top-level box that lies beyond it (usually just the mdat), then the moov itself.
 * Works with the moov before or after the mdat and with 64-bit box sizes.
 */
import { type Box, UnsupportedMediaError, children, parseBoxHeader, view } from "./boxes";
import type { RangeReader } from "./range-io";
import { type TrackTables, readTrack } from "./sample-tables";

export interface Movie {
  /** The input's ftyp box (null for old QuickTime files without one). */
  ftyp: Uint8Array | null;
  /** The whole moov box, header included; tables are views into it. */
  moov: Uint8Array;
  /** Movie timescale (mvhd). */
  timescale: number;
  /** Presented duration in seconds (mvhd). */
  duration: number;
  tracks: TrackTables[];
}

const HEAD_BYTES = 64 * 1024;
/** A moov is ~1 MB per hour of 30 fps video + AAC; refuse absurd sizes before allocating them. */
const MAX_MOOV_BYTES = 96 * 1024 * 1024;

export async function readMovie(source: RangeReader): Promise<Movie> {
  const head = await source.read(0, Math.min(source.size, HEAD_BYTES));
  let ftyp: Uint8Array | null = null;
  let moovBox: Box | null = null;
  let at = 0;
  while (at + 8 <= source.size) {
    let box = at + 8 <= head.byteLength ? parseBoxHeader(head, at, source.size) : null;
    if (!box) {
      const bytes = await source.read(at, Math.min(16, source.size - at));
      box = parseBoxHeader(bytes, 0, source.size, at);
      if (!box) break;
    }
    if (box.end > source.size) throw new UnsupportedMediaError(`'${box.type}' box runs past the end of the file (truncated upload?)`);
    if (box.type === "ftyp" && box.end <= head.byteLength) ftyp = head.slice(box.start, box.end);
    if (box.type === "moof") throw new UnsupportedMediaError("fragmented MP4 is not supported");
    if (box.type === "moov") {
      moovBox = box;
      break;
    }
    at = box.end;
  }
  if (!moovBox) throw new UnsupportedMediaError("no moov box: not an MP4, or the upload is incomplete");
  const moovSize = moovBox.end - moovBox.start;
  if (moovSize > MAX_MOOV_BYTES) throw new UnsupportedMediaError(`moov of ${moovSize} bytes is too large`);
  const moov =
    moovBox.end <= head.byteLength ? head.slice(moovBox.start, moovBox.end) : await source.read(moovBox.start, moovSize);
  return parseMoov(moov, ftyp);
}

export function parseMoov(moov: Uint8Array, ftyp: Uint8Array | null): Movie {
  const root = parseBoxHeader(moov, 0, moov.byteLength);
  if (root?.type !== "moov") throw new UnsupportedMediaError("not a moov box");
  const boxes = children(moov, root.body, root.end);
  if (boxes.some((b) => b.type === "mvex")) throw new UnsupportedMediaError("fragmented MP4 is not supported");
  const mvhd = boxes.find((b) => b.type === "mvhd");
  if (!mvhd) throw new UnsupportedMediaError("moov has no mvhd");
  const dv = view(moov);
  const v1 = dv.getUint8(mvhd.body) === 1;
  const timescale = dv.getUint32(mvhd.body + (v1 ? 20 : 12));
  const rawDuration = v1 ? dv.getUint32(mvhd.body + 24) * 2 ** 32 + dv.getUint32(mvhd.body + 28) : dv.getUint32(mvhd.body + 16);
  const tracks = boxes.filter((b) => b.type === "trak").map((trak) => readTrack(moov, trak, { timescale }));
  return { ftyp, moov, timescale, duration: timescale ? rawDuration / timescale : 0, tracks };
}

/** The first video track and the first audio track that have samples. */
export function primaryTracks(movie: Movie): { video: TrackTables | undefined; audio: TrackTables | undefined } {
  return {
    video: movie.tracks.find((t) => t.kind === "video" && t.sampleCount > 0),
    audio: movie.tracks.find((t) => t.kind === "audio" && t.sampleCount > 0),
  };
}
