import type { OutputTargetRow } from "../../db/repositories/outputs.repository";
import type { RecordingRow } from "../../db/repositories/recordings.repository";
import { forTenant } from "../../db/repositories/tenant";
import type { PresetPlatform } from "../../db/schema";
import { badRequest, conflict, notFound } from "../../lib/errors";
import type { ServiceContext } from "../context";
import type { RunOptions } from "../pipeline/runs.service";
import { resolveRecordingConfig } from "../recordings/recording-config.service";
import { chosenPresets } from "./preset-choice";
import { missingExtras, reopenExtras } from "./youtube-extras";

const uploadOnly = (presetIds: number[], trigger: RunOptions["trigger"] = "manual"): RunOptions => ({
  trigger,
  only: ["UPLOAD"],
  allowSkipped: true,
  overrides: { output_config: { preset_ids: presetIds } },
});

/**
 * `POST /recordings/{id}/upload/{platform}`: publish with the given preset, or with the
 * recording's configured presets of that platform (template / recording `output_config.preset_ids`),
 * or else the user's `upload.default_preset_ids[platform]`.
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
  const ids = await configuredPresetIds(ctx, userId, recording, platform);
  if (ids.length === 0) throw conflict(`No ${platform} preset is configured for this recording (output_config.preset_ids or upload.default_preset_ids.${platform}); pass preset_id`);
  return uploadOnly(ids);
}

/** The recording's configured presets of one platform, else the user's default preset of that platform (may be none). */
async function configuredPresetIds(ctx: ServiceContext, userId: string, recording: RecordingRow, platform: PresetPlatform): Promise<number[]> {
  const presets = forTenant(ctx.db, userId).presets;
  const { effective } = await resolveRecordingConfig(ctx, recording);
  const ids: number[] = [];
  for (const { id } of chosenPresets(effective.upload)) if ((await presets.get(id))?.platform === platform) ids.push(id);
  const fallback = effective.upload.default_preset_ids?.[platform];
  if (ids.length === 0 && typeof fallback === "number" && (await presets.get(fallback))?.platform === platform) ids.push(fallback);
  return ids;
}

/**
 * LEAP's bulk upload names platforms (default youtube and vk), not presets: per recording, its
 * configured presets of those platforms. A recording with none of them is skipped with the reason.
 */
export async function platformsUploadRequest(ctx: ServiceContext, userId: string, recordingId: number, platforms: readonly PresetPlatform[]): Promise<RunOptions> {
  const recording = await forTenant(ctx.db, userId).recordings.get(recordingId);
  if (!recording) throw notFound("Recording");
  const ids = new Set<number>();
  for (const platform of new Set(platforms)) for (const id of await configuredPresetIds(ctx, userId, recording, platform)) ids.add(id);
  if (ids.size === 0) throw conflict(`No ${platforms.join(" or ")} preset is configured for this recording (output_config.preset_ids or upload.default_preset_ids)`);
  return uploadOnly([...ids], "bulk");
}

/**
 * `POST /recordings/{id}/retry-upload`: the presets whose targets FAILED, and those whose video is
 * published but whose extras (thumbnail, playlist, captions) are missing — their failed extras are
 * reopened and redone without sending the video again. Optionally of some platforms only.
 */
export async function retryUploadRequest(ctx: ServiceContext, userId: string, recordingId: number, platforms?: PresetPlatform[]): Promise<RunOptions> {
  const tenant = forTenant(ctx.db, userId);
  if (!(await tenant.recordings.get(recordingId))) throw notFound("Recording");
  const wanted = platforms?.map((p) => ({ youtube: "YOUTUBE", vk: "VK", yandex_disk: "YANDEX_DISK" })[p]);
  const targets = (await tenant.outputs.list(recordingId)).filter((t) => t.presetId !== null && (!wanted || wanted.includes(t.targetType)));
  const failed = targets.filter((t) => t.status === "FAILED");
  const incomplete = targets.filter((t) => t.status === "UPLOADED" && missingExtras(t.targetMeta).length > 0);
  if (failed.length + incomplete.length === 0) throw conflict("No failed publication to retry");
  await refuseDuringRun(ctx, userId, recordingId);
  for (const target of incomplete) await reopen(ctx, userId, target);
  return uploadOnly([...failed, ...incomplete].map((t) => t.presetId!), "retry");
}

/**
 * `POST /recordings/{id}/outputs/{output_id}/retry-extras`: redoes the missing extras of one
 * published output (failed ones are reopened); the video is not uploaded again.
 */
export async function retryExtrasRequest(ctx: ServiceContext, userId: string, recordingId: number, outputId: number): Promise<RunOptions> {
  const tenant = forTenant(ctx.db, userId);
  if (!(await tenant.recordings.get(recordingId))) throw notFound("Recording");
  const target = await tenant.outputs.get(outputId);
  if (!target || target.recordingId !== recordingId) throw notFound("Output");
  if (target.status !== "UPLOADED") {
    throw conflict(`Output ${outputId} is not published (${target.status}); retry-upload publishes it, extras included`);
  }
  const missing = missingExtras(target.targetMeta);
  if (missing.length === 0) throw conflict(`Output ${outputId} has no missing extras (thumbnail, playlist, captions) to redo`);
  const preset = target.presetId === null ? undefined : await tenant.presets.get(target.presetId);
  if (!preset?.isActive) throw conflict(`The preset of output ${outputId} is ${preset ? "inactive" : "gone"}; its extras cannot be redone`);
  await refuseDuringRun(ctx, userId, recordingId);
  await reopen(ctx, userId, target);
  return uploadOnly([preset.id], "retry");
}

async function refuseDuringRun(ctx: ServiceContext, userId: string, recordingId: number): Promise<void> {
  const active = await forTenant(ctx.db, userId).runs.active(recordingId);
  if (active) throw conflict(`The recording already has an active run (${active.status})`);
}

async function reopen(ctx: ServiceContext, userId: string, target: OutputTargetRow): Promise<void> {
  const meta = reopenExtras(target.targetMeta);
  if (meta) await forTenant(ctx.db, userId).outputs.update(target.id, { targetMeta: meta, updatedAt: ctx.clock.now() });
}

/**
 * `POST /recordings/bulk/upload`: the given presets (checked to be the caller's, and to publish to
 * one of `platforms` when those are named too), or each recording's configured ones.
 */
export async function bulkUploadRequest(ctx: ServiceContext, userId: string, presetIds?: number[], platforms?: readonly PresetPlatform[]): Promise<RunOptions> {
  if (!presetIds) return { trigger: "bulk", only: ["UPLOAD"], allowSkipped: true };
  const presets = forTenant(ctx.db, userId).presets;
  for (const id of presetIds) {
    const preset = await presets.get(id);
    if (!preset) throw notFound("Preset");
    if (platforms && !platforms.includes(preset.platform)) throw badRequest(`Preset ${id} publishes to ${preset.platform}, which is not among platforms (${platforms.join(", ")})`);
  }
  return uploadOnly(presetIds, "bulk");
}
