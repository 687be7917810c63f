import { z } from "zod";
import { AppError } from "./errors";

/**
 * Depth and size caps for the free-form JSON documents tenants store (configs, preset metadata,
 * matching rules). JSON.parse is iterative and never overflows, but merging, resolving, rendering
 * and JSON.stringify walk documents recursively: a 10 000-level `processing_config` used to end in
 * a stack overflow (500). The depth is measured here without recursion, before anything else
 * touches the document, so the checker cannot overflow on the input it is meant to refuse.
 */
export const MAX_JSON_DEPTH = 32;

const KiB = 1024;
/** Serialized UTF-8 size per stored document. */
export const JSON_SIZE_LIMITS = {
  /** A template's or recording's processing/metadata/output config, preset metadata, request overrides. */
  configDocument: 64 * KiB,
  /** A template's matching rules (lists of names, keywords and patterns). */
  matchingRules: 32 * KiB,
  /** An input source's config (a few typed fields). */
  sourceConfig: 8 * KiB,
} as const;

export interface JsonLimits {
  maxBytes: number;
  maxDepth?: number;
}

/** Whether objects and arrays nest more than `maxDepth` levels (`{}` is one level); stops at the first that does. */
export function exceedsJsonDepth(value: unknown, maxDepth: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== "object" || node === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === "object" && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}

/** UTF-8 size of the document as stored (JSON text); only call once the depth is known to be bounded. */
export const jsonByteLength = (value: unknown): number => new TextEncoder().encode(JSON.stringify(value) ?? "").byteLength;

/** Why the document breaks the limits, or null when it is within them. Depth is checked first. */
export function jsonLimitProblem(value: unknown, limits: JsonLimits): string | null {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  if (exceedsJsonDepth(value, maxDepth)) return `is nested deeper than ${maxDepth} levels`;
  const bytes = jsonByteLength(value);
  return bytes > limits.maxBytes ? `is too large: ${bytes} bytes as JSON, at most ${limits.maxBytes}` : null;
}

/** A zod refinement: the issue lands on the field being validated, so the 400 names it. */
export const refineJsonLimits =
  (limits: JsonLimits) =>
  (value: unknown, ctx: z.RefinementCtx): void => {
    const problem = jsonLimitProblem(value, limits);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  };

/**
 * A free-form JSON object field. zod does not descend into `unknown` values, so the refinement
 * is the first thing that walks the document.
 */
export const boundedJson = (limits: JsonLimits) => z.record(z.string(), z.unknown()).superRefine(refineJsonLimits(limits));

/** The same check where a document is assembled in a service (e.g. after a merge patch): 400 naming `field`. */
export function assertJsonWithin(value: unknown, field: string, limits: JsonLimits): void {
  const problem = jsonLimitProblem(value, limits);
  if (!problem) return;
  throw new AppError("VALIDATION_FAILED", `Invalid ${field}: ${problem}`, {
    details: [{ path: field, message: problem, code: "custom", location: "json" }],
  });
}
