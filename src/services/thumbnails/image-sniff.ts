/** Identifies a thumbnail image from its first bytes, whatever the client claims. */
export type ImageKind = "png" | "jpeg";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffImage(head: Uint8Array): ImageKind | null {
  if (head.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => head[i] === b)) return "png";
  // JPEG: SOI marker followed by the start of another marker.
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  return null;
}

export const IMAGE_MIME: Record<ImageKind, string> = { png: "image/png", jpeg: "image/jpeg" };

/** The kind a file name's extension promises. */
export function kindOfExtension(name: string): ImageKind | null {
  const extension = name.slice(name.lastIndexOf(".") + 1).toLowerCase();
  if (extension === "png") return "png";
  if (extension === "jpg" || extension === "jpeg") return "jpeg";
  return null;
}
