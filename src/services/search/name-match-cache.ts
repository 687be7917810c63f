/**
 * A tenant's recent `GET /recordings?search=` matches, kept by the isolate for NAME_MATCH_TTL_MS:
 * paging through a search, sorting it or adding a filter asks the tenant's index object once. The
 * index already follows writes through the queue (a rename or a new recording reaches it a queue
 * hop later, and every match is re-checked against D1), so this adds at most NAME_MATCH_TTL_MS to
 * that delay and never shows a row the tenant cannot see.
 */
export const NAME_MATCH_TTL_MS = 5_000;
/** Bounds the memory held: ids across all entries (8 bytes each) and the number of entries. */
const MAX_HELD_IDS = 200_000;
const MAX_ENTRIES = 200;

interface Entry {
  ids: readonly number[];
  until: number;
}

const entries = new Map<string, Entry>();
let heldIds = 0;

const keyOf = (userId: string, match: string) => `${userId}\u0000${match}`;

function drop(key: string): void {
  const entry = entries.get(key);
  if (!entry) return;
  heldIds -= entry.ids.length;
  entries.delete(key);
}

/** The ids matched within the last NAME_MATCH_TTL_MS, as a copy; undefined when not kept. */
export function cachedNameMatch(userId: string, match: string, now: number): number[] | undefined {
  const key = keyOf(userId, match);
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (now >= entry.until) {
    drop(key);
    return undefined;
  }
  return [...entry.ids];
}

export function rememberNameMatch(userId: string, match: string, ids: readonly number[], now: number): void {
  if (ids.length > MAX_HELD_IDS) return;
  const key = keyOf(userId, match);
  drop(key);
  // Oldest first (a Map keeps insertion order) until the new entry fits.
  for (const oldest of entries.keys()) {
    if (heldIds + ids.length <= MAX_HELD_IDS && entries.size < MAX_ENTRIES) break;
    drop(oldest);
  }
  entries.set(key, { ids: [...ids], until: now + NAME_MATCH_TTL_MS });
  heldIds += ids.length;
}
