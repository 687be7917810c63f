import { AppError, badRequest, conflict, notFound } from "../../lib/errors";
import type { ServiceContext } from "../context";
import { recordStoredBytes } from "../quotas/run-slots";
import { IMAGE_MIME, kindOfExtension, sniffImage, type ImageKind } from "./image-sniff";
import { thumbnailKeys } from "./thumbnail-keys";

/** YouTube's thumbnail limit, and LEAP's upload limit (§3.12). */
export const MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024;

/** A stored thumbnail's name: a safe stem and an image extension (it is part of an R2 key). */
export const THUMBNAIL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,100}\.(png|jpg|jpeg)$/;
/** A name as a preset may give it: with its extension, or the bare stem (`python_base`). */
export const THUMBNAIL_REFERENCE_PATTERN = /^[A-Za-z0-9_-]{1,100}(\.(png|jpg|jpeg))?$/;
export const CUSTOM_FILENAME_PATTERN = /^[a-zA-Z0-9_-]+$/;

export type ThumbnailSource = "user" | "shared";

export interface ThumbnailInfo {
  name: string;
  is_template: boolean;
  size_bytes: number;
  modified_at: Date;
  content_type: string;
}

export interface ResolvedThumbnail {
  name: string;
  key: string;
  source: ThumbnailSource;
  size: number;
  contentType: string;
}

const contentTypeOf = (name: string): string => IMAGE_MIME[kindOfExtension(name) ?? "png"];

async function listNames(ctx: ServiceContext, prefix: string): Promise<R2Object[]> {
  const objects: R2Object[] = [];
  let cursor: string | undefined;
  // A handful of pages: thumbnails are counted in tens, and the listing must stay bounded.
  for (let page = 0; page < 5; page++) {
    const listing = await ctx.env.MEDIA.list({ prefix, limit: 1000, cursor });
    objects.push(...listing.objects);
    if (!listing.truncated) break;
    cursor = listing.cursor;
  }
  return objects.filter((o) => THUMBNAIL_NAME_PATTERN.test(o.key.slice(prefix.length)));
}

/** The user's thumbnails, then the shared ones the user has no own file of the same name for. */
export async function listThumbnails(ctx: ServiceContext, userId: string): Promise<ThumbnailInfo[]> {
  const userPrefix = thumbnailKeys.userPrefix(userId);
  const sharedPrefix = thumbnailKeys.sharedPrefix();
  const [own, shared] = await Promise.all([listNames(ctx, userPrefix), listNames(ctx, sharedPrefix)]);
  const info = (o: R2Object, prefix: string, isTemplate: boolean): ThumbnailInfo => {
    const name = o.key.slice(prefix.length);
    return { name, is_template: isTemplate, size_bytes: o.size, modified_at: o.uploaded, content_type: contentTypeOf(name) };
  };
  const byName = (a: ThumbnailInfo, b: ThumbnailInfo) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const mine = own.map((o) => info(o, userPrefix, false)).sort(byName);
  const taken = new Set(mine.map((t) => t.name));
  const defaults = shared
    .map((o) => info(o, sharedPrefix, true))
    .filter((t) => !taken.has(t.name))
    .sort(byName);
  return [...mine, ...defaults];
}

interface IncomingFile {
  name?: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Size and magic bytes: ≤ 2 MB (413), not empty (400), PNG or JPEG whatever it claims (415). */
async function readImage(file: IncomingFile): Promise<{ bytes: Uint8Array; kind: ImageKind }> {
  if (file.size > MAX_THUMBNAIL_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", `A thumbnail may be at most ${MAX_THUMBNAIL_BYTES} bytes (2 MB); this one is ${file.size}`);
  }
  if (file.size === 0) throw badRequest("The thumbnail file is empty");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const kind = sniffImage(bytes.subarray(0, 16));
  if (!kind) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "A thumbnail must be a PNG or JPEG image (checked by its first bytes)");
  return { bytes, kind };
}

/** The stem of an uploaded file's name, reduced to the characters a thumbnail name may have. */
function stemOf(filename: string | undefined): string {
  const base = (filename ?? "").split(/[\\/]/).pop() ?? "";
  const dot = base.lastIndexOf(".");
  const stem = (dot > 0 ? base.slice(0, dot) : base)
    .replace(/[^A-Za-z0-9_-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^[_-]+|[_-]+$/g, "")
    .slice(0, 100);
  return stem || "thumbnail";
}

function extensionFor(kind: ImageKind, filename: string | undefined): string {
  if (kind === "png") return "png";
  return /\.jpeg$/i.test(filename ?? "") ? "jpeg" : "jpg";
}

async function store(ctx: ServiceContext, userId: string, name: string, image: { bytes: Uint8Array; kind: ImageKind }, previousSize: number) {
  const object = await ctx.env.MEDIA.put(thumbnailKeys.user(userId, name), image.bytes, {
    httpMetadata: { contentType: IMAGE_MIME[image.kind], cacheControl: "private, max-age=300" },
  });
  await recordStoredBytes(ctx, userId, object.size - previousSize);
  return { name, is_template: false, size_bytes: object.size, modified_at: object.uploaded, content_type: IMAGE_MIME[image.kind] };
}

/**
 * POST: a new thumbnail named `custom_filename` (or the file's own name, sanitized) plus the
 * extension of what the bytes really are. An existing name is a 409 (PUT overwrites).
 */
export async function uploadThumbnail(
  ctx: ServiceContext,
  userId: string,
  input: { file: IncomingFile; customFilename?: string },
): Promise<ThumbnailInfo> {
  if (input.customFilename !== undefined && (!CUSTOM_FILENAME_PATTERN.test(input.customFilename) || input.customFilename.length > 100)) {
    throw badRequest("custom_filename may only contain letters, digits, _ and - (at most 100)");
  }
  const image = await readImage(input.file);
  const name = `${input.customFilename ?? stemOf(input.file.name)}.${extensionFor(image.kind, input.file.name)}`;
  if (await ctx.env.MEDIA.head(thumbnailKeys.user(userId, name))) throw conflict(`A thumbnail named ${name} already exists`);
  return store(ctx, userId, name, image, 0);
}

export function assertThumbnailName(name: string): void {
  if (!THUMBNAIL_NAME_PATTERN.test(name)) {
    throw badRequest("A thumbnail name is letters, digits, _ or - (at most 100) and .png, .jpg or .jpeg");
  }
}

/** PUT: creates or replaces the user's thumbnail `name`; the bytes must be what the extension says. */
export async function putThumbnail(ctx: ServiceContext, userId: string, name: string, file: IncomingFile) {
  assertThumbnailName(name);
  const image = await readImage(file);
  if (kindOfExtension(name) !== image.kind) {
    throw badRequest(`The file is a ${image.kind.toUpperCase()} image but the name ${name} says otherwise`);
  }
  const existing = await ctx.env.MEDIA.head(thumbnailKeys.user(userId, name));
  const info = await store(ctx, userId, name, image, existing?.size ?? 0);
  return { info, created: existing === null };
}

/** GET: the user's file, else (unless `useTemplate` is false) the shared default of that name. */
export async function getThumbnail(ctx: ServiceContext, userId: string, name: string, useTemplate: boolean) {
  assertThumbnailName(name);
  const own = await ctx.env.MEDIA.get(thumbnailKeys.user(userId, name));
  if (own) return { object: own, source: "user" as ThumbnailSource };
  if (useTemplate) {
    const shared = await ctx.env.MEDIA.get(thumbnailKeys.shared(name));
    if (shared) return { object: shared, source: "shared" as ThumbnailSource };
  }
  throw notFound("Thumbnail");
}

/** DELETE: only the user's own file; shared defaults are never deleted through the API. */
export async function deleteThumbnail(ctx: ServiceContext, userId: string, name: string): Promise<void> {
  assertThumbnailName(name);
  const key = thumbnailKeys.user(userId, name);
  const existing = await ctx.env.MEDIA.head(key);
  if (!existing) throw notFound("Thumbnail");
  await ctx.env.MEDIA.delete(key);
  await recordStoredBytes(ctx, userId, -existing.size);
}

function candidates(name: string): string[] {
  const trimmed = name.trim();
  if (!THUMBNAIL_REFERENCE_PATTERN.test(trimmed)) return [];
  return THUMBNAIL_NAME_PATTERN.test(trimmed) ? [trimmed] : ["png", "jpg", "jpeg"].map((ext) => `${trimmed}.${ext}`);
}

/**
 * The thumbnail the publishing stage uploads for `name` (§6.7): this user's own file first, then
 * the shared default, else null (publish without one, with a warning). Another user's files are
 * never reachable: the key always carries `userId`. A bare stem tries .png, .jpg, .jpeg.
 */
export async function resolveThumbnail(ctx: ServiceContext, userId: string, name: string | null | undefined): Promise<ResolvedThumbnail | null> {
  if (!name) return null;
  const names = candidates(name);
  const lookups: Array<{ name: string; key: string; source: ThumbnailSource }> = [
    ...names.map((n) => ({ name: n, key: thumbnailKeys.user(userId, n), source: "user" as const })),
    ...names.map((n) => ({ name: n, key: thumbnailKeys.shared(n), source: "shared" as const })),
  ];
  for (const lookup of lookups) {
    const head = await ctx.env.MEDIA.head(lookup.key);
    if (head) return { ...lookup, size: head.size, contentType: head.httpMetadata?.contentType ?? contentTypeOf(lookup.name) };
  }
  return null;
}
