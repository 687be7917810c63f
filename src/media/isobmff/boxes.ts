/**
 * ISO-BMFF box reading and writing on plain byte arrays. A box is addressed by its position in
 * the buffer it was read from; nothing is copied until a writer asks for bytes.
 */

export class UnsupportedMediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedMediaError";
  }
}

export interface Box {
  type: string;
  /** Offset of the box header within its buffer (or file, for top-level boxes). */
  start: number;
  /** Offset of the payload (after size, type and any 64-bit size). */
  body: number;
  end: number;
}

export const fourcc = (bytes: Uint8Array, at: number) =>
  String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function readUint64(dv: DataView, at: number): number {
  const value = dv.getUint32(at) * 2 ** 32 + dv.getUint32(at + 4);
  if (!Number.isSafeInteger(value)) throw new UnsupportedMediaError("64-bit value beyond 2^53");
  return value;
}

/**
 * Parses the box header at `at` (needs up to 16 bytes). `limit` is where a size-0 box ("to the
 * end") ends. Returns null when the header does not fit in `bytes`.
 */
export function parseBoxHeader(bytes: Uint8Array, at: number, limit: number, base = 0): Box | null {
  if (at + 8 > bytes.byteLength) return null;
  const dv = view(bytes);
  const size32 = dv.getUint32(at);
  const type = fourcc(bytes, at + 4);
  let headerSize = 8;
  let size = size32;
  if (size32 === 1) {
    if (at + 16 > bytes.byteLength) return null;
    size = readUint64(dv, at + 8);
    headerSize = 16;
  } else if (size32 === 0) {
    size = limit - (base + at);
  }
  if (size < headerSize) throw new UnsupportedMediaError(`malformed box '${type}' (size ${size}) at ${base + at}`);
  return { type, start: base + at, body: base + at + headerSize, end: base + at + size };
}

/** The child boxes of [start, end) in `bytes`, in order. */
export function children(bytes: Uint8Array, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    const box = parseBoxHeader(bytes, at, end);
    if (!box || box.end > end) throw new UnsupportedMediaError(`box at ${at} runs past its parent`);
    boxes.push(box);
    at = box.end;
  }
  return boxes;
}

export function child(bytes: Uint8Array, parent: Box, type: string): Box | undefined {
  return children(bytes, parent.body, parent.end).find((box) => box.type === type);
}

export function requireChild(bytes: Uint8Array, parent: Box, type: string): Box {
  const box = child(bytes, parent, type);
  if (!box) throw new UnsupportedMediaError(`'${parent.type}' has no '${type}'`);
  return box;
}

// ---- writing ----

/**
 * An output box tree: leaves are complete boxes (header included), containers are written with
 * a header computed from their children. Serialising happens once, into one buffer.
 */
export type BoxNode = Uint8Array | { type: string; children: BoxNode[] };

export function nodeSize(node: BoxNode): number {
  if (node instanceof Uint8Array) return node.byteLength;
  let size = 8;
  for (const c of node.children) size += nodeSize(c);
  return size;
}

export function serialize(node: BoxNode, into: Uint8Array, at: number): number {
  if (node instanceof Uint8Array) {
    into.set(node, at);
    return at + node.byteLength;
  }
  const size = nodeSize(node);
  if (size > 0xffffffff) throw new UnsupportedMediaError(`'${node.type}' box over 4 GiB`);
  view(into).setUint32(at, size);
  writeFourcc(into, at + 4, node.type);
  let next = at + 8;
  for (const c of node.children) next = serialize(c, into, next);
  return next;
}

export function writeFourcc(into: Uint8Array, at: number, type: string) {
  for (let i = 0; i < 4; i++) into[at + i] = type.charCodeAt(i);
}

/** A full box (version + flags) with a payload of `payloadSize` bytes, returned with a view to fill it. */
export function fullBox(type: string, version: number, flags: number, payloadSize: number): { bytes: Uint8Array; dv: DataView; at: number } {
  const bytes = new Uint8Array(12 + payloadSize);
  const dv = view(bytes);
  dv.setUint32(0, bytes.byteLength);
  writeFourcc(bytes, 4, type);
  dv.setUint32(8, (version << 24) | (flags & 0xffffff));
  return { bytes, dv, at: 12 };
}

/** The 8- or 16-byte header of an mdat holding `payload` bytes. */
export function mdatHeader(payload: number): Uint8Array {
  if (payload + 8 <= 0xffffffff) {
    const bytes = new Uint8Array(8);
    view(bytes).setUint32(0, payload + 8);
    writeFourcc(bytes, 4, "mdat");
    return bytes;
  }
  const bytes = new Uint8Array(16);
  const dv = view(bytes);
  dv.setUint32(0, 1);
  writeFourcc(bytes, 4, "mdat");
  const total = payload + 16;
  dv.setUint32(8, Math.floor(total / 2 ** 32));
  dv.setUint32(12, total >>> 0);
  return bytes;
}
