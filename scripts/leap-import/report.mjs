// @ts-check
/**
 * What the import did (or, in a dry run, would do), one line per LEAP object, plus the
 * credentials the user has to connect here. `ok` is false when something failed; skips are not
 * failures: they say what to do and that a re-run picks the object up.
 */

/**
 * @typedef {"created" | "would_create" | "exists" | "updated" | "would_update" | "unchanged" | "skipped" | "failed"} Action
 * @typedef {"thumbnail" | "preset" | "source" | "template" | "user config" | "automation job"} Kind
 *
 * @typedef {object} ReportItem
 * @property {Kind} kind
 * @property {string} name
 * @property {number | null} leapId
 * @property {Action} action
 * @property {number | null} id the id here (created or found), null otherwise
 * @property {string | null} reason why it was skipped or failed
 * @property {string[]} notes what changed on the way, what to do next
 *
 * @typedef {object} CredentialLine
 * @property {number | null} leapId
 * @property {string} platform LEAP's platform name
 * @property {string | null} accountName
 * @property {"connected" | "not_connected" | "ambiguous" | "unsupported" | "unused"} status
 * @property {number | null} id the credential here that stands in for it
 * @property {string[]} neededBy objects that use it
 * @property {string} advice
 */

export class Report {
  /** @param {boolean} dryRun @param {(line: string) => void} log */
  constructor(dryRun, log) {
    this.dryRun = dryRun;
    this.log = log;
    /** @type {{ leap: string | null, here: string | null }} */
    this.accounts = { leap: null, here: null };
    /** @type {string | null} a failure that stopped the import before anything was read or written */
    this.fatal = null;
    /** @type {ReportItem[]} */
    this.items = [];
    /** @type {CredentialLine[]} */
    this.credentials = [];
    /** @type {string[]} whole kinds that could not be read, and other failures outside an item */
    this.errors = [];
  }

  /** @param {Omit<ReportItem, "id" | "reason" | "notes"> & Partial<ReportItem>} item */
  add(item) {
    const full = { id: null, reason: null, notes: [], ...item };
    this.items.push(full);
    this.log(itemLine(full));
    return full;
  }

  /** @param {string} message */
  error(message) {
    this.errors.push(message);
    this.log(`! ${message}`);
  }

  get ok() {
    return this.fatal === null && this.errors.length === 0 && this.items.every((i) => i.action !== "failed");
  }

  get summary() {
    /** @type {Record<string, number>} */
    const counts = {};
    for (const item of this.items) counts[item.action] = (counts[item.action] ?? 0) + 1;
    return counts;
  }

  toJSON() {
    return {
      ok: this.ok,
      dry_run: this.dryRun,
      accounts: this.accounts,
      fatal: this.fatal,
      errors: this.errors,
      summary: this.summary,
      items: this.items,
      credentials: this.credentials,
    };
  }
}

const ACTION_LABEL = /** @type {Record<Action, string>} */ ({
  created: "created",
  would_create: "would create",
  exists: "exists",
  updated: "updated",
  would_update: "would update",
  unchanged: "unchanged",
  skipped: "SKIPPED",
  failed: "FAILED",
});

/** @param {ReportItem} item */
function itemLine(item) {
  const id = item.id !== null && item.id > 0 ? ` → #${item.id}` : "";
  const reason = item.reason ? `: ${item.reason}` : "";
  return `${ACTION_LABEL[item.action].padEnd(12)} ${item.kind} "${item.name}"${id}${reason}`;
}

const KIND_ORDER = ["thumbnail", "preset", "source", "template", "user config", "automation job"];

/** @param {Report} report */
export function formatReport(report) {
  const lines = [];
  const mode = report.dryRun ? " (dry run: nothing was changed)" : "";
  lines.push(`LEAP import: ${report.accounts.leap ?? "?"} (LEAP) → ${report.accounts.here ?? "?"} (here)${mode}`);
  if (report.fatal) {
    lines.push("", `Stopped: ${report.fatal}`);
    return lines.join("\n");
  }
  for (const kind of KIND_ORDER) {
    const items = report.items.filter((i) => i.kind === kind);
    if (items.length === 0) continue;
    lines.push("", `${kind[0]?.toUpperCase()}${kind.slice(1)}s`.replace("configs", "config"));
    for (const item of items) {
      lines.push(`  ${itemLine(item)}`);
      for (const note of item.notes) lines.push(`      - ${note}`);
    }
  }
  if (report.credentials.length > 0) {
    lines.push("", "Credentials (secrets are never read from LEAP: each account is connected here again)");
    for (const c of report.credentials) {
      const needed = c.neededBy.length > 0 ? ` — used by ${c.neededBy.join(", ")}` : "";
      lines.push(`  ${c.platform} "${c.accountName ?? "?"}": ${c.advice}${needed}`);
    }
  }
  if (report.errors.length > 0) {
    lines.push("", "Errors");
    for (const e of report.errors) lines.push(`  ${e}`);
  }
  const counts = Object.entries(report.summary).map(([action, n]) => `${n} ${ACTION_LABEL[/** @type {Action} */ (action)].toLowerCase()}`);
  lines.push("", `Summary: ${counts.join(", ") || "nothing to import"}${report.ok ? "" : " — finished with errors"}`);
  const skipped = report.items.some((i) => i.action === "skipped");
  if (skipped || !report.ok) lines.push("The import is idempotent: fix what is listed above and run it again; nothing is created twice.");
  return lines.join("\n");
}
