import type { AuthContext } from "../../app-types";
import type { RecordingRow } from "../../db/repositories/recordings.repository";
import { forTenant } from "../../db/repositories/tenant";
import type { TemplateRow } from "../../db/repositories/templates.repository";
import { notFound } from "../../lib/errors";
import { assertJsonWithin, JSON_SIZE_LIMITS } from "../../lib/json-limits";
import { mergePatch } from "../config/merge";
import { deploymentDefaults } from "../config/deployment-defaults";
import { assertMetadataTemplates } from "../config/metadata-templates";
import { configSources } from "../config/config-sources";
import { resolveConfig, type ConfigLayer, type ResolveInput } from "../config/resolve";
import type { ServiceContext } from "../context";
import { assertOwnPresets } from "../presets/preset-ownership";

/**
 * The configuration a run of this recording would use (defaults → user → template → recording),
 * with the layer each value comes from.
 */
export async function recordingConfig(ctx: ServiceContext, auth: AuthContext, id: number) {
  const recording = await forTenant(ctx.db, auth.userId).recordings.get(id);
  if (!recording) throw notFound("Recording");
  const { template, overrides, layers } = await recordingLayers(ctx, recording);
  const effective = resolveConfig(layers);
  return { recording, template, overrides, effective, sources: configSources(layers, effective) };
}

/** A template's config-bearing columns as a resolution layer. */
export const templateLayer = (template: Pick<TemplateRow, "processingConfig" | "metadataConfig" | "outputConfig">): ConfigLayer => ({
  processing_config: template.processingConfig as ConfigLayer["processing_config"],
  metadata_config: template.metadataConfig as ConfigLayer["metadata_config"],
  output_config: template.outputConfig as ConfigLayer["output_config"],
});

/** The stored layers under a recording (loaded by its owner's scope). */
async function recordingLayers(ctx: ServiceContext, recording: RecordingRow) {
  const tenant = forTenant(ctx.db, recording.userId);
  const [user, template] = await Promise.all([
    tenant.config.getOrCreate(ctx.clock.now()),
    recording.templateId ? tenant.templates.get(recording.templateId) : undefined,
  ]);
  const overrides = (recording.processingPreferences ?? null) as ConfigLayer | null;
  const layers = {
    defaults: deploymentDefaults(ctx.env),
    user: user.configData,
    template: template ? templateLayer(template) : null,
    recording: overrides,
  } satisfies ResolveInput;
  return { template, overrides, layers };
}

/** The configuration of a recording already loaded, with a run's request overrides on top; used by the pipeline. */
export async function resolveRecordingConfig(ctx: ServiceContext, recording: RecordingRow, request?: ConfigLayer) {
  const { template, overrides, layers } = await recordingLayers(ctx, recording);
  return { recording, template, overrides, effective: resolveConfig({ ...layers, request }) };
}

/** Merge-patches the recording's own overrides (`null` removes a key, so it inherits again). */
export async function updateRecordingOverrides(ctx: ServiceContext, auth: AuthContext, id: number, patch: ConfigLayer | null) {
  const tenant = forTenant(ctx.db, auth.userId);
  const recording = await tenant.recordings.get(id);
  if (!recording) throw notFound("Recording");
  if (patch) {
    // Shapes were checked by the route's strict schemas; templates and preset ownership need more.
    assertMetadataTemplates(patch.metadata_config, "metadata_config");
    const presetIds = patch.output_config?.preset_ids;
    await assertOwnPresets(ctx, auth.userId, Array.isArray(presetIds) ? (presetIds as number[]) : null, "output_config.preset_ids");
  }
  const next = patch === null ? null : (mergePatch(recording.processingPreferences ?? {}, patch) as Record<string, unknown>);
  // Each patch is capped by the route; repeated patches with new keys must not grow the stored document past the cap.
  for (const [section, value] of Object.entries(next ?? {})) assertJsonWithin(value, section, { maxBytes: JSON_SIZE_LIMITS.configDocument });
  await tenant.recordings.update(id, { processingPreferences: next, updatedAt: ctx.clock.now() });
  return recordingConfig(ctx, auth, id);
}
