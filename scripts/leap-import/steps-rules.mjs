// @ts-check
/** Templates, the user config and automation jobs: the objects that point at presets, sources and templates. */
import { isObject, jobBody, templateBody } from "./convert.mjs";
import { errorMessage } from "./http.mjs";
import { waitingReason } from "./refs.mjs";
import { blockedReason, createHere, findByName, namesHere } from "./step-helpers.mjs";
import { configChanges, patchFor } from "./user-config.mjs";

/** @typedef {import("./step-helpers.mjs").Ctx} Ctx */

const staleNote = (/** @type {string} */ noun, /** @type {number[]} */ ids) =>
  `LEAP still listed ${noun} id${ids.length > 1 ? "s" : ""} ${ids.join(", ")}, which LEAP itself no longer has; dropped`;

/**
 * Templates are created with auto_rematch=false: importing settings must not start matching (and
 * so processing) recordings that are already here. Rematch from the API when ready.
 * @param {Ctx} ctx
 */
export async function importTemplates(ctx) {
  const refs = ctx.refs.templates;
  if (!ctx.from.templates) {
    refs.setUnreadable("LEAP's templates could not be read");
    return;
  }
  refs.setRead(ctx.from.templates);
  if (!ctx.here.templates) {
    refs.setUnreadable("this server's templates could not be listed");
    return;
  }
  const names = namesHere(ctx.from.templates);
  for (const leap of ctx.from.templates) {
    const name = names.get(leap.id) ?? leap.name;
    refs.rename(leap.id, name);
    const base = /** @type {const} */ ({ kind: "template", name, leapId: leap.id });
    const existing = findByName(ctx.here.templates, name);
    if (existing) {
      refs.map(leap.id, Number(existing.id));
      ctx.report.add({ ...base, action: "exists", id: Number(existing.id) });
      continue;
    }
    const output = isObject(leap.output_config) ? /** @type {Record<string, unknown>} */ (leap.output_config) : {};
    const rules = isObject(leap.matching_rules) ? /** @type {Record<string, unknown>} */ (leap.matching_rules) : {};
    const presets = ctx.refs.presets.resolveAll(output.preset_ids);
    const sources = ctx.refs.sources.resolveAll(rules.source_ids);
    const blocked = [...presets.blocked, ...sources.blocked];
    if (blocked.length > 0) {
      ctx.report.add({ ...base, action: "skipped", reason: blockedReason([waitingReason(blocked)]) });
      continue;
    }
    const { body, notes } = templateBody(leap, { presetIds: presets.ids, sourceIds: sources.ids });
    body.name = name;
    if (presets.stale.length > 0) notes.unshift(staleNote("preset", presets.stale));
    if (sources.stale.length > 0) notes.unshift(staleNote("source", sources.stale));
    const created = await createHere(ctx, { ...base, path: "/api/v1/templates?auto_rematch=false", body, notes });
    if (created) refs.map(leap.id, created.id);
  }
}

/** @param {unknown} v */
const show = (v) => {
  const text = JSON.stringify(v) ?? "null";
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/** Preset ids a dry run would create have no number yet. */
const showSetting = (/** @type {string} */ path, /** @type {unknown} */ v) =>
  show(path.startsWith("upload.default_preset_ids") ? JSON.parse(JSON.stringify(v), (_k, x) => (typeof x === "number" && x < 0 ? "(the imported preset)" : x)) : v);

/**
 * One JSON Merge Patch per setting, so a value this server refuses costs only that setting.
 * @param {Ctx} ctx
 */
export async function importUserConfig(ctx) {
  const base = /** @type {const} */ ({ kind: "user config", name: "settings", leapId: null });
  if (!ctx.from.config) return;
  if (!ctx.here.config) {
    ctx.report.add({ ...base, action: "failed", reason: "this server's config could not be read" });
    return;
  }
  const here = { effective: ctx.here.config.config_data, overrides: ctx.here.config.overrides ?? {} };
  const changes = configChanges(ctx.from.config.config_data, here, (leapId) => {
    const r = ctx.refs.presets.resolve(leapId);
    if ("stale" in r) return { reason: `preset #${leapId} no longer exists in LEAP` };
    return "waitFor" in r ? { reason: waitingReason([r]) } : r;
  });
  /** @type {string[]} */
  const notes = [];
  /** @type {string[]} */
  const failures = [];
  let set = 0;
  for (const change of changes) {
    if (change.status === "unchanged") continue;
    if (change.status === "not_supported") notes.push(`${change.path}: no such setting here; not carried over`);
    else if (change.status === "kept_yours") notes.push(`${change.path}: kept yours (${show(change.current)}); LEAP has ${show(change.value)}`);
    else if (change.status === "blocked") notes.push(`${change.path}: not set, ${change.reason}`);
    else {
      if (!ctx.dryRun) {
        try {
          await ctx.ours.sendJson("PATCH", "/api/v1/users/me/config", patchFor(change.path, change.value));
        } catch (error) {
          failures.push(`${change.path}: ${errorMessage(error)}`);
          continue;
        }
      }
      set += 1;
      notes.push(`${change.path}: ${show(change.current)} → ${showSetting(change.path, change.value)}`, ...(change.notes ?? []).map((n) => `${change.path}: ${n}`));
    }
  }
  if (failures.length > 0) {
    ctx.report.add({ ...base, action: "failed", reason: failures.join("; "), notes });
    return;
  }
  const action = set === 0 ? "unchanged" : ctx.dryRun ? "would_update" : "updated";
  ctx.report.add({ ...base, action, notes });
}

/**
 * Jobs are created paused unless asked otherwise: while LEAP still runs its own job, two active
 * jobs would process and publish every lecture twice.
 * @param {Ctx} ctx
 */
export async function importJobs(ctx) {
  if (!ctx.from.jobs) return;
  if (!ctx.here.jobs) {
    for (const job of ctx.from.jobs) ctx.report.add({ kind: "automation job", name: job.name, leapId: job.id, action: "failed", reason: "this server's automation jobs could not be listed" });
    return;
  }
  const names = namesHere(ctx.from.jobs);
  for (const leap of ctx.from.jobs) {
    const name = names.get(leap.id) ?? leap.name;
    const base = /** @type {const} */ ({ kind: "automation job", name, leapId: leap.id });
    const existing = findByName(ctx.here.jobs, name);
    if (existing) {
      ctx.report.add({ ...base, action: "exists", id: Number(existing.id) });
      continue;
    }
    const source = ctx.refs.sources.resolve(Number(leap.source_id));
    const templates = ctx.refs.templates.resolveAll(leap.template_ids);
    if ("stale" in source) {
      ctx.report.add({ ...base, action: "skipped", reason: `its source (#${leap.source_id}) no longer exists in LEAP` });
      continue;
    }
    if (!("id" in source) || templates.blocked.length > 0) {
      const blocked = "id" in source ? templates.blocked : [source, ...templates.blocked];
      ctx.report.add({ ...base, action: "skipped", reason: blockedReason([waitingReason(blocked)]) });
      continue;
    }
    const body = { ...jobBody(leap, { sourceId: source.id, templateIds: templates.ids, activate: ctx.activateJobs }), name };
    /** @type {string[]} */
    const notes = [];
    if (templates.stale.length > 0) notes.push(staleNote("template", templates.stale));
    if (leap.is_active !== false && !ctx.activateJobs) {
      notes.push("created paused so LEAP and this server do not both publish the same lectures: switch LEAP's job off, then set is_active here");
    }
    await createHere(ctx, { ...base, path: "/api/v1/automation/jobs", body, notes });
  }
}
