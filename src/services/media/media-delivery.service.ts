import { forTenant } from "../../db/repositories/tenant";
import { decideRange, etagMatchesAny, ifRangeHolds, type RangeDecision } from "../../lib/byte-range";
import { epochSeconds } from "../../lib/clock";
import { contentDisposition, safeFileStem } from "../../lib/content-disposition";
import { AppError, notFound } from "../../lib/errors";
import { verifyMediaToken } from "../../lib/media-token";
import type { ServiceContext } from "../context";
import { isShareLive } from "../shares/share-state";
import { kindLabel, mediaFile } from "./media-kinds";

export interface MediaRequest {
  method: "GET" | "HEAD";
  header(name: string): string | undefined;
}

export interface MediaAnswer {
  status: 200 | 206 | 304;
  headers: Record<string, string>;
  /** R2's stream, passed through untouched (never buffered); null for HEAD and 304. */
  body: ReadableStream | null;
}

/** One answer for every bad signature (malformed, tampered, expired, made for someone else), before anything is looked up. */
const denied = () => new AppError("FORBIDDEN", "This media link is invalid or has expired; ask for a new one");

/**
 * Serves the object a signed media URL names, straight from R2: Range (one range per request),
 * HEAD, strong ETag with If-None-Match and If-Range. The signature is checked first, so the answer
 * to a bad one cannot tell whether the object exists; then the recording (not deleted), the
 * share the URL was made for (still live) and the object (still the one that was signed).
 */
export async function deliverSignedMedia(ctx: ServiceContext, token: string, request: MediaRequest): Promise<MediaAnswer> {
  const now = ctx.clock.now();
  const check = await verifyMediaToken(ctx.config.JWT_SECRET, token, epochSeconds(now));
  if (!check.valid) throw denied();
  const claims = check.claims;
  const tenant = forTenant(ctx.db, claims.u);
  const recording = await tenant.recordings.get(claims.r);
  if (!recording || recording.deleted) throw notFound("Recording");
  if (claims.s !== undefined) {
    const share = await tenant.shares.get(recording.id, claims.s);
    if (!share || !isShareLive(share, now)) throw new AppError("NOT_FOUND", "This shared link is no longer available");
  }
  const file = mediaFile(recording, claims.k);
  const gone = () => new AppError("NOT_FOUND", `The ${kindLabel(claims.k)} of this link is no longer stored; ask for a new link`);
  if (!file || file.key !== claims.key) throw gone();
  const head = await ctx.env.MEDIA.head(file.key);
  if (!head) throw gone();

  const fallback = `recording-${recording.id}`;
  const headers: Record<string, string> = {
    "Accept-Ranges": "bytes",
    ETag: head.httpEtag,
    "Last-Modified": head.uploaded.toUTCString(),
    "Cache-Control": `private, max-age=${Math.max(0, claims.e - epochSeconds(now))}`,
  };
  if (etagMatchesAny(request.header("If-None-Match"), head.httpEtag)) return { status: 304, headers, body: null };

  headers["Content-Type"] = file.contentType;
  headers["Content-Disposition"] = contentDisposition(claims.d, `${safeFileStem(recording.displayName, fallback)}${file.nameSuffix}`, file.extension, fallback);
  const range: RangeDecision = ifRangeHolds(request.header("If-Range"), head.httpEtag, head.uploaded) ? decideRange(request.header("Range"), head.size) : { kind: "full" };
  if (range.kind === "unsatisfiable") {
    throw new AppError("RANGE_NOT_SATISFIABLE", `The requested range is outside the file (${head.size} bytes)`, {
      headers: { "Content-Range": `bytes */${head.size}`, "Accept-Ranges": "bytes" },
    });
  }
  const partial = range.kind === "partial";
  const offset = partial ? range.start : 0;
  const length = partial ? range.end - range.start + 1 : head.size;
  headers["Content-Length"] = String(length);
  if (partial) headers["Content-Range"] = `bytes ${range.start}-${range.end}/${head.size}`;
  const status = partial ? 206 : 200;
  if (request.method === "HEAD") return { status, headers, body: null };

  const object = await ctx.env.MEDIA.get(file.key, partial ? { range: { offset, length } } : {});
  if (!object) throw gone();
  return { status, headers, body: object.body };
}
