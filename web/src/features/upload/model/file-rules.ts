import type { components } from "../../../api/schema";
import type { UploadLimits } from "../api/upload-queries";

type ContentType = components["schemas"]["UploadSessionCreate"]["content_type"];
/** Every content type the session schema names (a compile error here when the API's list changes). */
const CONTENT_TYPES: Record<ContentType, true> = {
  "video/mp4": true,
  "audio/mp4": true,
  "audio/x-m4a": true,
  "video/quicktime": true,
  "video/webm": true,
};
const isContentType = (value: string): value is ContentType => Object.hasOwn(CONTENT_TYPES, value);

export type FileProblem = "wrongType" | "tooLarge" | "empty";

function extension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot >= 0 ? name.slice(dot + 1).toLowerCase() : "";
}

/** What the file picker offers and the drop zone accepts: the API's content types and their extensions. */
export function acceptList(limits: UploadLimits): string[] {
  return [...limits.content_types, ...limits.extensions.map((e) => `.${e}`)];
}

/** The same checks the API makes before a session starts (type by name or browser type, size); the server still sniffs the bytes. */
export function fileProblem(file: File, limits: UploadLimits): FileProblem | null {
  if (!limits.content_types.includes(file.type) && !limits.extensions.includes(extension(file.name))) return "wrongType";
  if (file.size === 0) return "empty";
  if (file.size > limits.max_size) return "tooLarge";
  return null;
}

/** Browsers report some of these files with another (or no) type: the API's type for the file's extension. */
const TYPE_BY_EXTENSION: Record<string, ContentType> = { mp4: "video/mp4", m4a: "audio/mp4", mov: "video/quicktime", webm: "video/webm" };

/** The session's declared type; the server checks it against the file's first bytes. */
export function contentTypeFor(file: File, limits: UploadLimits): ContentType {
  if (limits.content_types.includes(file.type) && isContentType(file.type)) return file.type;
  const byExtension = TYPE_BY_EXTENSION[extension(file.name)];
  return byExtension && limits.content_types.includes(byExtension) ? byExtension : "video/mp4";
}

/**
 * Smaller files go in the smallest parts the API allows, so even they report progress and resume
 * part by part; large ones leave the part size to the server's default (fewer requests).
 */
export function partSizeFor(file: File, limits: UploadLimits): number | undefined {
  return file.size <= limits.default_part_size * 4 ? limits.min_part_size : undefined;
}

export function displayNameFrom(fileName: string): string {
  return (fileName.replace(/\.[^.]+$/, "").trim() || fileName).slice(0, 500);
}
