import { z } from "@hono/zod-openapi";

/**
 * zod reports a strict object's extra keys once, at the object (`download: Unrecognized key
 * "auto_dowload"`). A config typo is easier to fix when the 400 points at the key itself, so
 * these schemas re-issue each one at its own path with the nearest known key:
 * `processing_config.download.auto_dowload: unknown key (did you mean auto_download?)`.
 */

type Shape = Record<string, z.ZodType>;

function unwrap(schema: unknown): unknown {
  let node = schema;
  while (node instanceof z.ZodOptional || node instanceof z.ZodNullable || node instanceof z.ZodDefault) node = node.unwrap();
  return node;
}

/** The keys the object schema at `path` declares, or none when the path leaves the declared shape. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node = unwrap(schema);
  for (const segment of path) {
    if (!(node instanceof z.ZodObject)) return [];
    node = unwrap((node.shape as Shape)[String(segment)]);
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape as Shape) : [];
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const nearest = known
    .map((name) => ({ name, distance: editDistance(key.toLowerCase(), name) }))
    .filter((c) => c.distance <= Math.max(1, Math.min(3, Math.floor(c.name.length / 4))))
    .sort((a, b) => a.distance - b.distance)[0];
  if (nearest) return `unknown key (did you mean ${nearest.name}?)`;
  return known.length > 0 ? `unknown key (known keys: ${known.join(", ")})` : "unknown key";
}

/**
 * A JSON object checked by `schema` (strict objects all the way down), with every unknown key
 * reported at its own path. Other issues pass through unchanged in path and message.
 */
export function withKeyedUnknowns<T extends z.ZodType>(schema: T) {
  return z.record(z.string(), z.unknown()).transform((value, ctx): z.output<T> => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      if (issue.code !== "unrecognized_keys") {
        ctx.addIssue({ code: "custom", message: issue.message, path: issue.path, input: value });
        continue;
      }
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) ctx.addIssue({ code: "custom", message: unknownKeyMessage(key, known), path: [...issue.path, key], input: value });
    }
    return z.NEVER;
  });
}
