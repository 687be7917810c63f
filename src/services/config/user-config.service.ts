import type { AuthContext } from "../../app-types";
import { forTenant } from "../../db/repositories/tenant";
import type { ServiceContext } from "../context";
import { deploymentDefaults } from "./deployment-defaults";
import { mergePatch } from "./merge";
import { assertMetadataTemplates } from "./metadata-templates";
import { effectiveUserConfig } from "./resolve";
import type { UserConfigPatch } from "./user-config.schema";

/** The stored overrides merged over the defaults (the defaults are never copied into the row). */
export async function getUserConfig(ctx: ServiceContext, auth: AuthContext) {
  const row = await forTenant(ctx.db, auth.userId).config.getOrCreate(ctx.clock.now());
  return { row, effective: effectiveUserConfig(row.configData, deploymentDefaults(ctx.env)) };
}

/**
 * JSON Merge Patch (RFC 7396) into the stored overrides: `null` resets a key to its default. The
 * metadata templates are the lowest layer of every publication, so they are checked like a preset's.
 */
export async function patchUserConfig(ctx: ServiceContext, auth: AuthContext, patch: UserConfigPatch) {
  assertMetadataTemplates(patch.metadata, "metadata");
  const repo = forTenant(ctx.db, auth.userId).config;
  const now = ctx.clock.now();
  const current = await repo.getOrCreate(now);
  const row = await repo.save(mergePatch(current.configData, patch as Record<string, unknown>), now);
  return { row, effective: effectiveUserConfig(row.configData, deploymentDefaults(ctx.env)) };
}

export async function resetUserConfig(ctx: ServiceContext, auth: AuthContext) {
  const row = await forTenant(ctx.db, auth.userId).config.save({}, ctx.clock.now());
  return { row, effective: effectiveUserConfig(row.configData, deploymentDefaults(ctx.env)) };
}
