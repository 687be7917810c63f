// @ts-check
/** What every import step shares: the context, creating one object, and names. */
import { isObject } from "./convert.mjs";
import { errorMessage } from "./http.mjs";

/**
 * @typedef {object} Ctx
 * @property {import("./http.mjs").Client} leap
 * @property {import("./http.mjs").Client} ours
 * @property {boolean} dryRun
 * @property {boolean} activateJobs
 * @property {import("./report.mjs").Report} report
 * @property {import("./read.mjs").Snapshot} from what LEAP has
 * @property {import("./read.mjs").Snapshot} here what this server has
 * @property {{ presets: import("./refs.mjs").Refs, sources: import("./refs.mjs").Refs, templates: import("./refs.mjs").Refs }} refs
 * @property {import("./credentials.mjs").CredentialMap} credentials
 * @property {() => number} standIn the id of an object a dry run would create (negative, never sent)
 */

/**
 * Creates one object here (or, in a dry run, records that it would) and reports it.
 * @param {Ctx} ctx
 * @param {{ kind: import("./report.mjs").Kind, leapId: number, name: string, path: string, body: unknown, notes: string[] }} what
 * @returns {Promise<{ id: number, response: Record<string, unknown> | null } | null>} null when it failed
 */
export async function createHere(ctx, what) {
  const base = { kind: what.kind, name: what.name, leapId: what.leapId, notes: what.notes };
  if (ctx.dryRun) {
    ctx.report.add({ ...base, action: "would_create" });
    return { id: ctx.standIn(), response: null };
  }
  try {
    const body = await ctx.ours.sendJson("POST", what.path, what.body);
    // Template writes answered `{template, rematch}` in some versions of this server, the template in others.
    const created = isObject(body) && isObject(/** @type {Record<string, unknown>} */ (body).template) ? /** @type {Record<string, unknown>} */ (body).template : body;
    const id = isObject(created) ? Number(/** @type {Record<string, unknown>} */ (created).id) : Number.NaN;
    if (!Number.isInteger(id)) throw new Error(`this server created the ${what.kind} but answered without its id; run the import again to pick it up`);
    ctx.report.add({ ...base, action: "created", id });
    return { id, response: /** @type {Record<string, unknown>} */ (created) };
  } catch (error) {
    // The notes describe the object as it would have been created: not worth reading here.
    ctx.report.add({ ...base, notes: [], action: "failed", reason: errorMessage(error) });
    return null;
  }
}

/**
 * The name each LEAP object gets here. LEAP does not keep names unique; this server matches
 * objects by name (presets must even be unique), so a second object with the same name gets its
 * LEAP id appended: stable across runs, so the import stays idempotent.
 * @template {{ id: number, name: string }} T
 * @param {T[]} items
 * @param {(item: T) => string} [key] what must be unique (default: the name)
 */
export function namesHere(items, key = (item) => item.name.trim()) {
  /** @type {Map<number, string>} */
  const names = new Map();
  const seen = new Set();
  for (const item of [...items].sort((a, b) => a.id - b.id)) {
    const k = key(item);
    names.set(item.id, seen.has(k) ? `${item.name.trim()} (LEAP #${item.id})` : item.name.trim());
    seen.add(k);
  }
  return names;
}

/**
 * @param {Array<Record<string, unknown>> | null} list
 * @param {string} name
 */
export const findByName = (list, name) => (list ?? []).find((o) => typeof o.name === "string" && o.name.trim() === name);

/** A reference that cannot be followed: the object is skipped, with every reason. */
export const blockedReason = (/** @type {string[]} */ reasons) => `${reasons.join("; ")}, then run the import again`;
