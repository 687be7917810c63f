// @ts-check
/**
 * Imports a LEAP user's settings through both public APIs: LEAP's read side (spec §3) and this
 * server's routes. Plain ESM over two fetch-like functions, so the same code runs from the CLI
 * (cli.mjs, Node) and inside the test runner (workerd), where the fake LEAP and the Worker are
 * both just functions.
 *
 * Order follows the references: thumbnails and presets and sources first, then templates (which
 * point at presets and sources), the user config (default presets), automation jobs (a source and
 * templates). An object is created only when everything it points at is here, so a failure or a
 * skip never leaves a half-linked object; the report says what to do, and a re-run picks up what
 * was skipped. Objects are matched by kind and name: what exists here is used and never modified.
 */
import { CredentialMap } from "./credentials.mjs";
import { createClient, errorMessage } from "./http.mjs";
import { readSnapshot } from "./read.mjs";
import { Refs } from "./refs.mjs";
import { Report } from "./report.mjs";
import { importPresets, importSources, importThumbnails } from "./steps-outputs.mjs";
import { importJobs, importTemplates, importUserConfig } from "./steps-rules.mjs";

export { formatReport, Report } from "./report.mjs";
export { protectLeapTemplate } from "./metadata-text.mjs";
export { configChanges } from "./user-config.mjs";

/** @typedef {import("./http.mjs").FetchLike} FetchLike */

/**
 * @typedef {object} ImportOptions
 * @property {FetchLike} leap LEAP's API: paths such as `/api/v1/templates`, bearer token attached
 * @property {FetchLike} ours this server's API, the same way
 * @property {boolean} [dryRun] read everything, write nothing, report what would happen
 * @property {boolean} [activateJobs] keep LEAP's active jobs active here (default: created paused)
 * @property {(line: string) => void} [log] progress, one line per object
 * @property {number} [timeoutMs] per request (default 30 s)
 * @property {number} [retries] extra attempts for a failed read (default 2)
 * @property {number} [retryDelayMs] first backoff between attempts (default 500 ms)
 */

/** @param {unknown} body */
const emailOf = (body) => {
  const b = /** @type {Record<string, unknown> | null} */ (body);
  return typeof b?.email === "string" ? b.email : "(unknown account)";
};

/**
 * @param {ImportOptions} options
 * @returns {Promise<Report>}
 */
export async function importFromLeap(options) {
  const clientOptions = { timeoutMs: options.timeoutMs, retries: options.retries, retryDelayMs: options.retryDelayMs };
  const leap = createClient(options.leap, "LEAP", clientOptions);
  const ours = createClient(options.ours, "here", clientOptions);
  const dryRun = options.dryRun === true;
  const report = new Report(dryRun, options.log ?? (() => {}));

  // Both tokens are checked before anything is read or written.
  try {
    report.accounts.leap = emailOf(await leap.get("/api/v1/users/me"));
  } catch (error) {
    report.fatal = `checking the LEAP account failed: ${errorMessage(error)}`;
    return report;
  }
  try {
    report.accounts.here = emailOf(await ours.get("/api/v1/users/me"));
  } catch (error) {
    report.fatal = `checking the account here failed: ${errorMessage(error)}`;
    return report;
  }

  const from = await readSnapshot(leap, report, "LEAP");
  const here = await readSnapshot(ours, report, "here");
  let standIn = 0;
  /** @type {import("./step-helpers.mjs").Ctx} */
  const ctx = {
    leap,
    ours,
    dryRun,
    activateJobs: options.activateJobs === true,
    report,
    from,
    here,
    refs: { presets: new Refs("preset"), sources: new Refs("source"), templates: new Refs("template") },
    credentials: new CredentialMap(from.credentials, here.credentials),
    standIn: () => --standIn,
  };
  await importThumbnails(ctx);
  await importPresets(ctx);
  await importSources(ctx);
  await importTemplates(ctx);
  await importUserConfig(ctx);
  await importJobs(ctx);
  report.credentials = ctx.credentials.report();
  return report;
}
