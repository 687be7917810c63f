import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { AppBindings } from "../app-types";
import type { AppConfig } from "../lib/config";
import { AppError } from "../lib/errors";
import { MAX_PART_SIZE } from "../services/recordings/upload-sessions.service";
import { MAX_THUMBNAIL_BYTES } from "../services/thumbnails/thumbnails.service";

/** Webhook senders post small JSON events; Zoom's largest is a few KB. */
export const WEBHOOK_BODY_LIMIT_BYTES = 64 * 1024;
/** Room for a form's boundaries, part headers and small text fields around its file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/**
 * How a route's body is bounded:
 * - `read`: read here, chunk by chunk, and refused the moment it passes the cap; the handler then
 *   parses the buffered copy. Every route gets this with the JSON cap unless listed below.
 * - `declared`: a media body the handler streams to R2 itself (it insists on a Content-Length and
 *   on getting exactly that many bytes), so only its declared length is checked here; a
 *   multipart form without a declared length is read here with the cap instead.
 */
type BodyLimit = { mode: "read" | "declared"; maxBytes: number };

const isMultipart = (contentType: string) => /^multipart\/form-data/i.test(contentType);

/**
 * The only routes that take media bodies, keyed by their registered `METHOD path`. A route missing
 * here (a new one, or one whose path changed) falls back to the JSON cap: a mistake shows up as an
 * upload refused with 413, never as an unbounded body on a JSON route.
 */
const MEDIA_ROUTES: Record<string, (config: AppConfig, contentType: string) => BodyLimit> = {
  "POST /api/v1/recordings": (config, contentType) =>
    isMultipart(contentType)
      ? { mode: "declared", maxBytes: config.MAX_FORM_UPLOAD_BYTES }
      : { mode: "declared", maxBytes: config.MAX_DIRECT_UPLOAD_BYTES },
  "PUT /api/v1/recordings/uploads/:upload_id/parts/:part_number": () => ({ mode: "declared", maxBytes: MAX_PART_SIZE }),
  "POST /api/v1/thumbnails": () => ({ mode: "read", maxBytes: MAX_THUMBNAIL_BYTES + FORM_OVERHEAD_BYTES }),
  "PUT /api/v1/thumbnails/:name": () => ({ mode: "read", maxBytes: MAX_THUMBNAIL_BYTES + FORM_OVERHEAD_BYTES }),
};

function limitFor(c: Context<AppBindings>): BodyLimit {
  // Webhooks are unauthenticated: the whole area (matched route or not) gets the small cap.
  if (c.req.path.startsWith("/api/v1/webhooks/")) return { mode: "read", maxBytes: WEBHOOK_BODY_LIMIT_BYTES };
  const contentType = c.req.header("Content-Type") ?? "";
  for (const route of matchedRoutes(c)) {
    const media = MEDIA_ROUTES[`${route.method} ${route.path}`];
    if (media) return media(c.get("config"), contentType);
  }
  return { mode: "read", maxBytes: c.get("config").MAX_JSON_BODY_BYTES };
}

function declaredLength(c: Context<AppBindings>): number | null {
  const header = c.req.header("Content-Length");
  if (header === undefined || !/^\d+$/.test(header.trim())) return null;
  return Number(header);
}

/** Answers 413 without waiting on the rest of the body: cancelling it tells the sender to stop. */
function tooLarge(stream: { cancel(): Promise<void> }, maxBytes: number): AppError {
  void stream.cancel().catch(() => undefined);
  return new AppError("PAYLOAD_TOO_LARGE", `The request body exceeds ${maxBytes} bytes`);
}

/** Reads the whole body, giving up (and cancelling the rest) as soon as it passes `maxBytes`. */
async function readCapped(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) throw tooLarge(reader, maxBytes);
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Bounds every request body by its route, whatever its Content-Type, before any handler parses,
 * verifies or looks anything up: JSON routes ≤ MAX_JSON_BODY_BYTES, webhooks ≤ 64 KiB, and only
 * the upload routes take media bodies, with their own limits. An oversized body is answered 413 at
 * once: a declared length over the cap is refused unread, a streamed one when it passes the cap.
 */
export const requestBodyLimit = createMiddleware<AppBindings>(async (c, next) => {
  const body = c.req.raw.body;
  // No handler reads a GET or HEAD body (and a Request of those methods cannot carry one onward).
  if (!body || c.req.method === "GET" || c.req.method === "HEAD") return next();
  const limit = limitFor(c);
  const length = declaredLength(c);
  if (length !== null && length > limit.maxBytes) throw tooLarge(body, limit.maxBytes);
  if (limit.mode === "declared" && (length !== null || !isMultipart(c.req.header("Content-Type") ?? ""))) return next();
  const bytes = await readCapped(body, limit.maxBytes);
  c.req.raw = new Request(c.req.raw, { body: bytes });
  return next();
});
