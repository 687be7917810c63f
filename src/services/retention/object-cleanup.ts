import type { ServiceContext } from "../context";

export interface PrefixCleanup {
  objects: number;
  bytes: number;
  /** False when the page budget ran out first; the next sweep continues. */
  complete: boolean;
}

/**
 * Deletes the objects under `prefix` (except those `keep` spares), listing before deleting so the
 * result counts exactly the bytes that existed and are now gone. A rerun after an interruption
 * finds only what is left, so subtracting its result from a quota never counts an object twice.
 */
export async function deleteObjectsUnder(
  ctx: ServiceContext,
  prefix: string,
  options: { keep?: (key: string) => boolean; maxPages?: number; pageSize?: number } = {},
): Promise<PrefixCleanup> {
  const maxPages = options.maxPages ?? 5;
  let cursor: string | undefined;
  let objects = 0;
  let bytes = 0;
  for (let page = 0; page < maxPages; page++) {
    const listing = await ctx.env.MEDIA.list({ prefix, cursor, limit: options.pageSize ?? 1000 });
    const doomed = listing.objects.filter((o) => !options.keep?.(o.key));
    if (doomed.length > 0) {
      await ctx.env.MEDIA.delete(doomed.map((o) => o.key));
      objects += doomed.length;
      bytes += doomed.reduce((sum, o) => sum + o.size, 0);
    }
    if (!listing.truncated) return { objects, bytes, complete: true };
    cursor = listing.cursor;
  }
  return { objects, bytes, complete: false };
}
