import type { AuthContext } from "../../app-types";
import { isUniqueViolation } from "../../db/client";
import type { NewPreset, PresetRow } from "../../db/repositories/presets.repository";
import { forTenant } from "../../db/repositories/tenant";
import type { CredentialPlatform, PresetPlatform } from "../../db/schema";
import { badRequest, conflict, notFound } from "../../lib/errors";
import type { ServiceContext } from "../context";
import { parsePresetMetadata } from "./preset-metadata";
import { prepareDraftPublication, type DraftPublication } from "./publication";

/** The credential platform each preset platform publishes with (one canonical id each, §5.3). */
export const PRESET_CREDENTIAL_PLATFORM: Record<PresetPlatform, CredentialPlatform> = {
  youtube: "youtube",
  vk: "vk",
  yandex_disk: "yandex_disk",
};

export interface PresetInput {
  name: string;
  description?: string | null;
  platform: PresetPlatform;
  credentialId: number;
  presetMetadata?: Record<string, unknown> | null;
  isActive?: boolean;
}

// Until the repository joins forTenant, it is built here, bound to the caller.
const presets = (ctx: ServiceContext, auth: AuthContext) => forTenant(ctx.db, auth.userId).presets;

/** The credential must be the caller's (else 404, like any foreign id) and of the preset's platform. */
async function checkCredential(ctx: ServiceContext, auth: AuthContext, platform: PresetPlatform, credentialId: number): Promise<void> {
  const credential = await presets(ctx, auth).findCredential(credentialId);
  if (!credential) throw notFound("Credential");
  const wanted = PRESET_CREDENTIAL_PLATFORM[platform];
  if (credential.platform !== wanted) {
    throw badRequest(`Credential ${credentialId} is a ${credential.platform} credential; a ${platform} preset needs a ${wanted} credential`, [
      { path: "credential_id", message: `must be a ${wanted} credential`, location: "json" },
    ]);
  }
}

async function checkName(ctx: ServiceContext, auth: AuthContext, name: string, exceptId?: number): Promise<void> {
  const existing = await presets(ctx, auth).findByName(name);
  if (existing && existing.id !== exceptId) throw conflict(`A preset named "${name}" already exists`);
}

const duplicateName = (name: string) => conflict(`A preset named "${name}" already exists`);

export async function listPresets(ctx: ServiceContext, auth: AuthContext, options: { platform?: PresetPlatform; activeOnly: boolean }) {
  return presets(ctx, auth).list(options);
}

export async function getPreset(ctx: ServiceContext, auth: AuthContext, id: number): Promise<PresetRow> {
  const preset = await presets(ctx, auth).get(id);
  if (!preset) throw notFound("Preset");
  return preset;
}

export async function createPreset(ctx: ServiceContext, auth: AuthContext, input: PresetInput): Promise<PresetRow> {
  const metadata = parsePresetMetadata(input.platform, input.presetMetadata);
  await checkCredential(ctx, auth, input.platform, input.credentialId);
  await checkName(ctx, auth, input.name);
  const now = ctx.clock.now();
  try {
    return await presets(ctx, auth).insert({
      name: input.name,
      description: input.description ?? null,
      platform: input.platform,
      credentialId: input.credentialId,
      presetMetadata: metadata,
      isActive: input.isActive ?? true,
      createdAt: now,
      updatedAt: now,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(input.name);
    throw error;
  }
}

/**
 * A partial update, validated as a whole: the metadata is checked against the (possibly new)
 * platform, and a new credential or platform must agree with each other. `preset_metadata`
 * replaces the stored object; changing the platform requires sending metadata for it.
 */
export async function updatePreset(ctx: ServiceContext, auth: AuthContext, id: number, input: Partial<PresetInput>): Promise<PresetRow> {
  const current = await getPreset(ctx, auth, id);
  const platform = input.platform ?? current.platform;
  const platformChanged = platform !== current.platform;
  if (platformChanged && input.presetMetadata === undefined) {
    throw badRequest(`Changing the platform to ${platform} needs preset_metadata for ${platform}`, [
      { path: "preset_metadata", message: "required when the platform changes", location: "json" },
    ]);
  }
  const patch: Partial<NewPreset> = { updatedAt: ctx.clock.now() };
  if (input.presetMetadata !== undefined) patch.presetMetadata = parsePresetMetadata(platform, input.presetMetadata);
  if (input.credentialId !== undefined || platformChanged) {
    const credentialId = input.credentialId ?? current.credentialId;
    if (credentialId === null) {
      throw badRequest(`A ${platform} preset needs a credential`, [{ path: "credential_id", message: "is required", location: "json" }]);
    }
    await checkCredential(ctx, auth, platform, credentialId);
    patch.credentialId = credentialId;
  }
  if (input.name !== undefined && input.name !== current.name) {
    await checkName(ctx, auth, input.name, id);
    patch.name = input.name;
  }
  if (input.description !== undefined) patch.description = input.description;
  if (platformChanged) patch.platform = platform;
  if (input.isActive !== undefined) patch.isActive = input.isActive;
  try {
    const updated = await presets(ctx, auth).update(id, patch);
    if (!updated) throw notFound("Preset");
    return updated;
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateName(input.name ?? current.name);
    throw error;
  }
}

export async function deletePreset(ctx: ServiceContext, auth: AuthContext, id: number): Promise<void> {
  if (!(await presets(ctx, auth).delete(id))) throw notFound("Preset");
}

/**
 * The editor's live preview of a preset that is not saved (or not saved as shown): its metadata
 * is checked exactly as a save checks it (a template error is the same 400, with line and column),
 * the credential, when one is picked, must be the caller's and of the platform, and the recording
 * is looked up among the caller's. Nothing is stored.
 */
export async function previewDraftPreset(
  ctx: ServiceContext,
  auth: AuthContext,
  input: { platform: PresetPlatform; credentialId: number | null; presetMetadata?: Record<string, unknown> | null; isActive: boolean; recordingId: number },
): Promise<DraftPublication> {
  const metadata = parsePresetMetadata(input.platform, input.presetMetadata);
  if (input.credentialId !== null) await checkCredential(ctx, auth, input.platform, input.credentialId);
  return prepareDraftPublication(ctx, auth.userId, { platform: input.platform, credentialId: input.credentialId, presetMetadata: metadata, isActive: input.isActive }, input.recordingId);
}
