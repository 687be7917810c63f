import type { AuthContext } from "../../app-types";
import type { NewTemplate, TemplateRow } from "../../db/repositories/templates.repository";
import { forTenant } from "../../db/repositories/tenant";
import { badRequest, notFound } from "../../lib/errors";
import { validationError } from "../../lib/validation";
import { outputConfigOverrideSchema, processingConfigSchema } from "../config/config-layer.schema";
import { assertMetadataTemplates } from "../config/metadata-templates";
import type { ServiceContext } from "../context";
import { assertOwnPresets } from "../presets/preset-ownership";
import { templateMatches } from "./matcher";
import { hasPositiveRule, type MatchingRules } from "./matching-rules";
import { rematch } from "./rematch";

type Json = Record<string, unknown>;

export interface TemplateInput {
  name: string;
  description?: string | null;
  matchingRules?: MatchingRules | null;
  processingConfig?: Json | null;
  metadataConfig?: Json | null;
  outputConfig?: Json | null;
  isDraft?: boolean;
  isActive?: boolean;
}

function assertPublishable(isDraft: boolean, rules: MatchingRules | null | undefined): void {
  if (!isDraft && (!rules || !hasPositiveRule(rules))) {
    throw badRequest(
      "A template that is not a draft needs matching_rules with exact_matches, keywords, patterns or source_ids",
      [{ path: "matching_rules", message: "at least one positive rule is required", location: "json" }],
    );
  }
}

const participatesInMatching = (t: TemplateRow) => t.isActive && !t.isDraft;

/**
 * What the body schema cannot see: each metadata template is checked like a preset's (field, line,
 * column), and every output preset must be the caller's. Configs are shaped by the route's strict schemas.
 */
async function checkConfigs(ctx: ServiceContext, auth: AuthContext, input: Partial<TemplateInput>): Promise<void> {
  assertMetadataTemplates(input.metadataConfig, "metadata_config");
  const presetIds = input.outputConfig?.preset_ids;
  await assertOwnPresets(ctx, auth.userId, Array.isArray(presetIds) ? (presetIds as number[]) : null, "output_config.preset_ids");
}

export async function listTemplates(ctx: ServiceContext, auth: AuthContext, options: { search?: string; includeDrafts: boolean }) {
  return forTenant(ctx.db, auth.userId).templates.list(options);
}

export async function getTemplate(ctx: ServiceContext, auth: AuthContext, id: number): Promise<TemplateRow> {
  const template = await forTenant(ctx.db, auth.userId).templates.get(id);
  if (!template) throw notFound("Template");
  return template;
}

export async function createTemplate(ctx: ServiceContext, auth: AuthContext, input: TemplateInput, autoRematch: boolean) {
  const isDraft = input.isDraft ?? false;
  assertPublishable(isDraft, input.matchingRules);
  await checkConfigs(ctx, auth, input);
  const now = ctx.clock.now();
  const template = await forTenant(ctx.db, auth.userId).templates.insert({
    name: input.name,
    description: input.description ?? null,
    matchingRules: input.matchingRules ?? null,
    processingConfig: input.processingConfig ?? null,
    metadataConfig: input.metadataConfig ?? null,
    outputConfig: input.outputConfig ?? null,
    isDraft,
    isActive: input.isActive ?? true,
    createdAt: now,
    updatedAt: now,
  });
  const rematched = autoRematch && participatesInMatching(template) ? await rematch(ctx, auth.userId, true) : null;
  return { template, rematched };
}

/**
 * Updates a template (cross-validated like create, unlike LEAP). When anything that affects
 * matching changes, the unmapped recordings are matched again (LEAP never rematched on PATCH).
 */
export async function updateTemplate(
  ctx: ServiceContext,
  auth: AuthContext,
  id: number,
  input: Partial<TemplateInput>,
  autoRematch: boolean,
) {
  const current = await getTemplate(ctx, auth, id);
  const isDraft = input.isDraft ?? current.isDraft;
  const rules = input.matchingRules === undefined ? (current.matchingRules as MatchingRules | null) : input.matchingRules;
  assertPublishable(isDraft, rules);
  await checkConfigs(ctx, auth, input);
  const patch: Partial<NewTemplate> = { updatedAt: ctx.clock.now() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.description !== undefined) patch.description = input.description;
  if (input.matchingRules !== undefined) patch.matchingRules = input.matchingRules;
  if (input.processingConfig !== undefined) patch.processingConfig = input.processingConfig;
  if (input.metadataConfig !== undefined) patch.metadataConfig = input.metadataConfig;
  if (input.outputConfig !== undefined) patch.outputConfig = input.outputConfig;
  if (input.isDraft !== undefined) patch.isDraft = input.isDraft;
  if (input.isActive !== undefined) patch.isActive = input.isActive;
  const template = await forTenant(ctx.db, auth.userId).templates.update(id, patch);
  if (!template) throw notFound("Template");
  const matchingChanged =
    input.matchingRules !== undefined || input.isDraft !== undefined || input.isActive !== undefined;
  const rematched = autoRematch && matchingChanged ? await rematch(ctx, auth.userId, true) : null;
  return { template, rematched };
}

/** Unmaps the template's recordings (status unchanged), then deletes it. */
export async function deleteTemplate(ctx: ServiceContext, auth: AuthContext, id: number): Promise<void> {
  const tenant = forTenant(ctx.db, auth.userId);
  await getTemplate(ctx, auth, id);
  await tenant.recordings.unmapTemplate(id, ctx.clock.now());
  if (!(await tenant.templates.delete(id))) throw notFound("Template");
}

export async function explicitRematch(ctx: ServiceContext, auth: AuthContext, id: number, onlyUnmapped: boolean) {
  const template = await getTemplate(ctx, auth, id);
  if (!participatesInMatching(template)) throw badRequest("Only an active, non-draft template can be matched");
  return { template, result: await rematch(ctx, auth.userId, onlyUnmapped) };
}

/** Which unmapped recordings this template would claim (without changing anything). */
export async function previewTemplate(
  ctx: ServiceContext,
  auth: AuthContext,
  id: number,
  options: { onlySkipped: boolean; sourceId?: number; limit: number },
) {
  const template = await getTemplate(ctx, auth, id);
  const repo = forTenant(ctx.db, auth.userId).recordings;
  const { items } = await repo.list(
    {
      mapped: false,
      sourceId: options.sourceId,
      statuses: options.onlySkipped ? ["SKIPPED", "PENDING_SOURCE"] : undefined,
    },
    { offset: 0, limit: options.limit, orderBy: "id", order: "asc" },
  );
  const rules = (template.matchingRules as MatchingRules | null) ?? null;
  const matches = items.filter((r) => templateMatches(rules, { displayName: r.displayName, inputSourceId: r.inputSourceId }));
  return { template, checked: items.length, matches };
}

/**
 * Which of the caller's recordings some rules would match, before they are saved (the editor's
 * live preview): the newest unmapped recordings and, when editing, the template's own ones, at
 * most `limit` of them, newest first. Reuses the matcher; changes nothing.
 */
export async function previewRules(
  ctx: ServiceContext,
  auth: AuthContext,
  rules: MatchingRules,
  options: { templateId?: number; limit: number },
) {
  if (options.templateId !== undefined) await getTemplate(ctx, auth, options.templateId);
  const repo = forTenant(ctx.db, auth.userId).recordings;
  const page = { offset: 0, limit: options.limit, orderBy: "id", order: "desc" } as const;
  const unmapped = (await repo.list({ mapped: false }, page)).items;
  const own = options.templateId === undefined ? [] : (await repo.list({ templateId: options.templateId }, page)).items;
  const byId = new Map([...unmapped, ...own].map((r) => [r.id, r]));
  const candidates = [...byId.values()].sort((a, b) => b.id - a.id).slice(0, options.limit);
  const matches = candidates.filter((r) => templateMatches(rules, { displayName: r.displayName, inputSourceId: r.inputSourceId }));
  return { checked: candidates.length, matches };
}

export async function createTemplateFromRecording(
  ctx: ServiceContext,
  auth: AuthContext,
  recordingId: number,
  input: { name: string; description?: string | null; matchPattern?: string; matchSource: boolean },
) {
  const tenant = forTenant(ctx.db, auth.userId);
  const recording = await tenant.recordings.get(recordingId);
  if (!recording) throw notFound("Recording");
  const rules: MatchingRules = input.matchPattern
    ? { patterns: [input.matchPattern], case_sensitive: false }
    : { exact_matches: [recording.displayName], case_sensitive: false };
  if (input.matchSource && recording.inputSourceId !== null) rules.source_ids = [recording.inputSourceId];
  const preferences = recording.processingPreferences ?? {};
  copiedConfig(preferences.processing_config, processingConfigSchema, "processing_config");
  copiedConfig(preferences.output_config, outputConfigOverrideSchema, "output_config");
  const created = await createTemplate(
    ctx,
    auth,
    {
      name: input.name,
      description: input.description ?? null,
      matchingRules: rules,
      processingConfig: (preferences.processing_config as Json | undefined) ?? null,
      metadataConfig: (preferences.metadata_config as Json | undefined) ?? null,
      outputConfig: (preferences.output_config as Json | undefined) ?? null,
    },
    true,
  );
  // The recording it was made from belongs to it, matched or not (LEAP left it unlinked).
  await tenant.recordings.update(recordingId, {
    templateId: created.template.id,
    isMapped: true,
    ...(recording.status === "SKIPPED" && !recording.blankRecord ? { status: "INITIALIZED" as const } : {}),
    updatedAt: ctx.clock.now(),
  });
  return created;
}

/**
 * The recording's overrides become the template's configs: ones saved before overrides were
 * checked are refused (fix them with PUT /recordings/{id}/config) rather than copied unchecked.
 */
function copiedConfig(value: unknown, schema: typeof processingConfigSchema | typeof outputConfigOverrideSchema, field: string): void {
  if (value === undefined || value === null) return;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, `overrides.${field}`);
}

export async function templateStats(ctx: ServiceContext, auth: AuthContext, id: number) {
  const template = await getTemplate(ctx, auth, id);
  const counts = await forTenant(ctx.db, auth.userId).recordings.countByStatusForTemplate(id);
  return {
    template,
    total: counts.reduce((sum, c) => sum + c.n, 0),
    byStatus: Object.fromEntries(counts.map((c) => [c.status, c.n])),
  };
}
