// @ts-check
/**
 * Reads every kind from both servers. A kind that cannot be read (HTTP error, timeout, a body that
 * is not what the API documents) is reported and left null: on LEAP's side nothing of that kind is
 * imported and nothing that references it; on this side nothing of that kind is created, because
 * without the list of what exists here the import could not be idempotent.
 */
import { isObject } from "./convert.mjs";
import { errorMessage, listOf } from "./http.mjs";

/** @typedef {import("./http.mjs").Client} Client */
/** @typedef {import("./report.mjs").Report} Report */
/** @typedef {Record<string, unknown> & { id: number, name: string }} Named */

/**
 * @typedef {object} Snapshot
 * @property {Array<Record<string, unknown>> | null} credentials
 * @property {Array<Record<string, unknown> & { name: string }> | null} thumbnails
 * @property {Named[] | null} presets
 * @property {Named[] | null} sources
 * @property {Named[] | null} templates
 * @property {Named[] | null} jobs
 * @property {Record<string, unknown> | null} config
 */

const LEAP_PATHS = {
  credentials: "/api/v1/credentials/",
  thumbnails: "/api/v1/thumbnails",
  presets: "/api/v1/presets",
  sources: "/api/v1/sources",
  templates: "/api/v1/templates?include_drafts=true",
  jobs: "/api/v1/automation/jobs",
  config: "/api/v1/users/me/config",
};
const HERE_PATHS = { ...LEAP_PATHS, credentials: "/api/v1/credentials" };

const NOUN = { credentials: "credential", thumbnails: "thumbnail", presets: "preset", sources: "source", templates: "template", jobs: "automation job" };

/** @param {unknown} item */
const isNamed = (item) => isObject(item) && Number.isInteger(/** @type {Named} */ (item).id) && typeof (/** @type {Named} */ (item).name) === "string" && /** @type {Named} */ (item).name.trim() !== "";

/** @type {Record<string, (item: unknown) => boolean>} */
const VALID = {
  credentials: (item) => isObject(item) && Number.isInteger(/** @type {Named} */ (item).id) && typeof (/** @type {Record<string, unknown>} */ (item).platform) === "string",
  thumbnails: (item) => isObject(item) && typeof (/** @type {Named} */ (item).name) === "string",
  presets: (item) => isNamed(item) && typeof (/** @type {Named} */ (item).platform) === "string",
  sources: (item) => isNamed(item) && typeof (/** @type {Named} */ (item).source_type) === "string",
  templates: isNamed,
  jobs: isNamed,
};

/**
 * @param {Client} client
 * @param {Report} report
 * @param {"LEAP" | "here"} side
 * @returns {Promise<Snapshot>}
 */
export async function readSnapshot(client, report, side) {
  const paths = side === "LEAP" ? LEAP_PATHS : HERE_PATHS;
  const where = side === "LEAP" ? "from LEAP" : "here";
  /** @type {Record<string, unknown>} */
  const snapshot = {};
  for (const [kind, path] of Object.entries(paths)) {
    const noun = /** @type {Record<string, string>} */ (NOUN)[kind] ?? kind;
    try {
      const body = await client.get(path);
      if (kind === "config") {
        const data = isObject(body) ? /** @type {Record<string, unknown>} */ (body).config_data : undefined;
        if (!isObject(data)) throw new Error(`${side}: GET ${path} answered without a config_data object`);
        snapshot.config = body;
        continue;
      }
      const list = kind === "thumbnails" && isObject(body) ? listOf(/** @type {Record<string, unknown>} */ (body).thumbnails) : listOf(body);
      if (list === null) throw new Error(`${side}: GET ${path.split("?")[0]} answered something that is not a list of ${noun}s`);
      const valid = VALID[kind] ?? (() => true);
      snapshot[kind] = list.filter((item, index) => {
        if (valid(item)) return true;
        report.error(`${side === "LEAP" ? "LEAP" : "This server"} returned a malformed ${noun} (position ${index + 1} of the list); it was left out`);
        return false;
      });
    } catch (error) {
      snapshot[kind] = null;
      report.error(`Could not read ${kind === "config" ? "the user config" : `the ${noun}s`} ${where}: ${errorMessage(error)}`);
    }
  }
  return /** @type {Snapshot} */ (/** @type {unknown} */ (snapshot));
}
