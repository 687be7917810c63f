/**
 * Identifies an uploaded container from its first bytes, whatever the client claims.
 * ISO-BMFF (MP4/M4A/MOV) has an `ftyp` box (or, in old QuickTime files, another top-level atom)
 * at offset 4; WebM is an EBML document whose DocType is "webm".
 */
export type ContainerKind = "mp4" | "m4a" | "mov" | "webm";

export const SNIFF_BYTES = 64;

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
const QUICKTIME_ATOMS = new Set(["moov", "mdat", "wide", "free", "skip", "pnot"]);

export function sniffContainer(head: Uint8Array): ContainerKind | null {
  if (head.length < 12) return null;
  const box = ascii(head, 4, 8);
  if (box === "ftyp") {
    const brand = ascii(head, 8, 12);
    if (brand === "qt  ") return "mov";
    if (brand === "M4A " || brand === "M4B ") return "m4a";
    return "mp4";
  }
  if (QUICKTIME_ATOMS.has(box)) return "mov";
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return ascii(head, 4, Math.min(head.length, SNIFF_BYTES)).includes("webm") ? "webm" : null;
  }
  return null;
}

export const CONTAINER_EXTENSIONS: Record<ContainerKind, string> = { mp4: "mp4", m4a: "m4a", mov: "mov", webm: "webm" };
export const CONTAINER_MIME: Record<ContainerKind, string> = {
  mp4: "video/mp4",
  m4a: "audio/mp4",
  mov: "video/quicktime",
  webm: "video/webm",
};
