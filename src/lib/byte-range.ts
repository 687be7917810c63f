import { combineRanges, parse } from "range-parser";

/**
 * What to answer to a `Range` header for an object of `size` bytes (RFC 9110 §14), parsed by
 * jshttp's range-parser:
 * - one satisfiable `bytes` range (a-b, a-, -n) → 206 with that range;
 * - several ranges → 206 when they merge into one, else the whole object (200): a server may
 *   ignore Range, and players only ever seek with one range per request;
 * - no satisfiable range (every start at or past the end) → 416;
 * - another unit, bad syntax, an over-long header or too many ranges → ignored (200).
 */
export type RangeDecision = { kind: "full" } | { kind: "partial"; start: number; end: number } | { kind: "unsatisfiable" };

const MAX_HEADER_LENGTH = 1024;
const MAX_RANGES = 64;

export function decideRange(header: string | null | undefined, size: number): RangeDecision {
  if (!header || header.length > MAX_HEADER_LENGTH) return { kind: "full" };
  const parsed = parse(size, header);
  if (parsed.type !== "bytes") return { kind: "full" };
  // Bit 1: a part could not be parsed (ignore the header); bit 2: a part lies past the end.
  if ((parsed.code & 1) !== 0) return { kind: "full" };
  if (parsed.ranges.length === 0) return (parsed.code & 2) !== 0 ? { kind: "unsatisfiable" } : { kind: "full" };
  if (parsed.ranges.length > MAX_RANGES) return { kind: "full" };
  const merged = combineRanges(parsed.ranges);
  if (merged.length !== 1) return { kind: "full" };
  const [only] = merged;
  return { kind: "partial", start: only!.start, end: only!.end };
}

/** `If-None-Match` (weak comparison, RFC 9110 §13.1.2): does the client hold this version? */
export function etagMatchesAny(header: string | null | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => bare(tag) === bare(etag));
}

/**
 * `If-Range` (RFC 9110 §13.1.5): the range applies only if the client's validator is the current
 * one: a strong ETag compared strongly (a weak one never matches), or exactly the Last-Modified date.
 */
export function ifRangeHolds(header: string | null | undefined, etag: string, lastModified: Date): boolean {
  if (!header) return true;
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith("W/")) return value === etag && !etag.startsWith("W/");
  const date = Date.parse(value);
  return Number.isFinite(date) && Math.floor(date / 1000) === Math.floor(lastModified.getTime() / 1000);
}
