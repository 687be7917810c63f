import { forTenant } from "../../db/repositories/tenant";
import type { PresetPlatform } from "../../db/schema";
import { badRequest, conflict, notFound } from "../../lib/errors";
import type { ServiceContext } from "../context";
import type { RunOptions } from "../pipeline/runs.service";
import { resolveRecordingConfig } from "../recordings/recording-config.service";

const uploadOnly = (presetIds: number[], trigger: RunOptions["trigger"] = "manual"): RunOptions => ({
  trigger,
  only: ["UPLOAD"],
  allowSkipped: true,
  overrides: { output_config: { preset_ids: presetIds } },
});

/**
 * `POST /recordings/{id}/upload/{platform}`: publish with the given preset, or with the
 * recording's configured presets of that platform (template or user `output_config.preset_ids`).
 */
export async function uploadRequest(ctx: ServiceContext, userId: string, recordingId: number, platform: PresetPlatform, presetId?: number): Promise<RunOptions> {
  const recording = await forTenant(ctx.db, userId).recordings.get(recordingId);
  if (!recording) throw notFound("Recording");
  const presets = forTenant(ctx.db, userId).presets;
  if (presetId !== undefined) {
    const preset = await presets.get(presetId);
    if (!preset) throw notFound("Preset");
    if (preset.platform !== platform) throw badRequest(`Preset ${presetId} publishes to ${preset.platform}, not ${platform}`);
    return uploadOnly([presetId]);
  }
  const { effective } = await resolveRecordingConfig(ctx, recording);
  const ids: number[] = [];
  for (const id of effective.upload.preset_ids ?? []) if ((await presets.get(id))?.platform === platform) ids.push(id);
  if (ids.length === 0) throw conflict(`No ${platform} preset is configured for this recording; pass preset_id`);
  return uploadOnly(ids);
}

/** `POST /recordings/{id}/retry-upload`: the presets whose targets FAILED (optionally of some platforms only). */
export async function retryUploadRequest(ctx: ServiceContext, userId: string, recordingId: number, platforms?: PresetPlatform[]): Promise<RunOptions> {
  const tenant = forTenant(ctx.db, userId);
  if (!(await tenant.recordings.get(recordingId))) throw notFound("Recording");
  const wanted = platforms?.map((p) => ({ youtube: "YOUTUBE", vk: "VK", yandex_disk: "YANDEX_DISK" })[p]);
  const failed = (await tenant.outputs.list(recordingId)).filter((t) => t.status === "FAILED" && t.presetId !== null && (!wanted || wanted.includes(t.targetType)));
  if (failed.length === 0) throw conflict("No failed publication to retry");
  return uploadOnly(failed.map((t) => t.presetId!), "retry");
}

/** `POST /recordings/bulk/upload`: the given presets (checked to be the caller's), or each recording's configured ones. */
export async function bulkUploadRequest(ctx: ServiceContext, userId: string, presetIds?: number[]): Promise<RunOptions> {
  if (!presetIds) return { trigger: "bulk", only: ["UPLOAD"], allowSkipped: true };
  const presets = forTenant(ctx.db, userId).presets;
  for (const id of presetIds) if (!(await presets.get(id))) throw notFound("Preset");
  return uploadOnly(presetIds, "bulk");
}
