// @ts-check
/**
 * LEAP id → id here, per kind. An object is referenced only once it exists here (created now or
 * found by name), so nothing is ever created pointing at something that is not there. A LEAP id
 * that LEAP itself no longer has (LEAP keeps a deleted preset's id in its templates, §2.3) is
 * stale: dropped, with a note, because it pointed at nothing in LEAP either.
 */

/**
 * `waitFor`: a LEAP object that was skipped or failed (its own report line says why);
 * `reason`: nothing of this kind could be read.
 * @typedef {{ id: number } | { waitFor: string } | { reason: string }} Resolution
 */

export class Refs {
  /** @param {string} noun "preset", "source", "template" */
  constructor(noun) {
    this.noun = noun;
    /** @type {string | null} why LEAP's list of this kind is unknown (null once read) */
    this.unreadable = `LEAP's ${noun}s were not read`;
    /** @type {Map<number, { name: string, id?: number }>} */
    this.entries = new Map();
  }

  /** @param {Array<{ id: number, name: string }>} items */
  setRead(items) {
    this.unreadable = null;
    for (const item of items) this.entries.set(item.id, { name: item.name });
  }

  /** @param {string} reason */
  setUnreadable(reason) {
    this.unreadable = reason;
  }

  /** @param {number} leapId @param {number} id the id here (in a dry run, a stand-in for what would be created) */
  map(leapId, id) {
    const entry = this.entries.get(leapId);
    if (entry) entry.id = id;
  }

  /** The name it has here (LEAP duplicates get a suffix). @param {number} leapId @param {string} name */
  rename(leapId, name) {
    const entry = this.entries.get(leapId);
    if (entry) entry.name = name;
  }

  /** @param {number} leapId @returns {Resolution | { stale: true }} */
  resolve(leapId) {
    if (this.unreadable) return { reason: this.unreadable };
    const entry = this.entries.get(leapId);
    if (!entry) return { stale: true };
    if (entry.id !== undefined) return { id: entry.id };
    return { waitFor: `${this.noun} "${entry.name}"` };
  }

  /**
   * Maps a list of LEAP ids: every live one must resolve, stale ones are dropped.
   * @param {unknown} leapIds
   * @returns {{ ids: number[], stale: number[], blocked: Array<{ waitFor: string } | { reason: string }> }}
   */
  resolveAll(leapIds) {
    /** @type {number[]} */
    const ids = [];
    /** @type {number[]} */
    const stale = [];
    /** @type {Array<{ waitFor: string } | { reason: string }>} */
    const blocked = [];
    for (const raw of Array.isArray(leapIds) ? leapIds : []) {
      const leapId = Number(raw);
      const result = this.resolve(leapId);
      if ("stale" in result) stale.push(leapId);
      else if ("id" in result) {
        if (!ids.includes(result.id)) ids.push(result.id);
      } else if (!blocked.some((b) => JSON.stringify(b) === JSON.stringify(result))) blocked.push(result);
    }
    return { ids, stale, blocked };
  }
}

/**
 * Why an object waits: `waits for preset "A" and source "B" (not here yet, see above)`, and any
 * kind that could not be read.
 * @param {Array<{ waitFor: string } | { reason: string }>} blocked
 */
export function waitingReason(blocked) {
  const waits = blocked.flatMap((b) => ("waitFor" in b ? [b.waitFor] : []));
  const reasons = [...new Set(blocked.flatMap((b) => ("reason" in b ? [b.reason] : [])))];
  const list = waits.length > 1 ? `${waits.slice(0, -1).join(", ")} and ${waits[waits.length - 1]}` : waits[0];
  return [...(list ? [`waits for ${list} (not here yet, see above)`] : []), ...reasons].join("; ");
}
