import type { AuthContext } from "../../app-types";
import { isUniqueViolation } from "../../db/client";
import type { NewSource, SourceRow } from "../../db/repositories/sources.repository";
import { forTenant } from "../../db/repositories/tenant";
import type { CredentialPlatform, SourceType } from "../../db/schema";
import { badRequest, conflict, notFound } from "../../lib/errors";
import type { ServiceContext } from "../context";
import { assertSupportedInput } from "./input-support";
import { parseSourceConfig } from "./source-config";

/** Which credential platform each remote source type needs (§6.1). LOCAL takes none. */
const CREDENTIAL_PLATFORM: Record<SourceType, CredentialPlatform | null> = {
  ZOOM: "zoom",
  YANDEX_DISK: "yandex_disk",
  LOCAL: null,
};

export interface SourceInput {
  name: string;
  description?: string | null;
  sourceType: SourceType;
  credentialId?: number | null;
  config?: Record<string, unknown> | null;
  isActive?: boolean;
}

async function checkCredential(ctx: ServiceContext, auth: AuthContext, sourceType: SourceType, credentialId: number | null) {
  const platform = CREDENTIAL_PLATFORM[sourceType];
  if (platform === null) {
    if (credentialId !== null) throw badRequest("A LOCAL source takes no credential");
    return;
  }
  if (credentialId === null) throw badRequest(`A ${sourceType} source needs a ${platform} credential`);
  const credential = await forTenant(ctx.db, auth.userId).sources.findCredential(credentialId);
  if (!credential) throw notFound("Credential");
  if (credential.platform !== platform) {
    throw badRequest(`Credential ${credentialId} is a ${credential.platform} credential; a ${sourceType} source needs ${platform}`);
  }
}

async function checkDuplicate(ctx: ServiceContext, auth: AuthContext, source: Pick<SourceRow, "name" | "sourceType" | "credentialId">, exceptId?: number) {
  const duplicate = await forTenant(ctx.db, auth.userId).sources.findDuplicate(source.name, source.sourceType, source.credentialId, exceptId);
  if (duplicate) throw conflict("A source with this name, type and credential already exists");
}

export async function createSource(ctx: ServiceContext, auth: AuthContext, input: SourceInput): Promise<SourceRow> {
  assertSupportedInput(input.sourceType);
  const credentialId = input.credentialId ?? null;
  await checkCredential(ctx, auth, input.sourceType, credentialId);
  await checkDuplicate(ctx, auth, { name: input.name, sourceType: input.sourceType, credentialId });
  const now = ctx.clock.now();
  try {
    return await forTenant(ctx.db, auth.userId).sources.insert({
      name: input.name,
      description: input.description ?? null,
      sourceType: input.sourceType,
      credentialId,
      config: parseSourceConfig(input.sourceType, input.config),
      isActive: input.isActive ?? true,
      createdAt: now,
      updatedAt: now,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("A source with this name, type and credential already exists");
    throw error;
  }
}

export async function listSources(ctx: ServiceContext, auth: AuthContext, options: { search?: string; activeOnly: boolean }) {
  return forTenant(ctx.db, auth.userId).sources.list(options);
}

export async function getSource(ctx: ServiceContext, auth: AuthContext, id: number): Promise<SourceRow> {
  const source = await forTenant(ctx.db, auth.userId).sources.get(id);
  if (!source) throw notFound("Source");
  return source;
}

export async function updateSource(
  ctx: ServiceContext,
  auth: AuthContext,
  id: number,
  input: Partial<Omit<SourceInput, "sourceType">>,
): Promise<SourceRow> {
  const current = await getSource(ctx, auth, id);
  const credentialId = input.credentialId === undefined ? current.credentialId : input.credentialId;
  if (input.credentialId !== undefined) await checkCredential(ctx, auth, current.sourceType, credentialId);
  const name = input.name ?? current.name;
  if (input.name !== undefined || input.credentialId !== undefined) {
    await checkDuplicate(ctx, auth, { name, sourceType: current.sourceType, credentialId }, id);
  }
  const patch: Partial<NewSource> = { updatedAt: ctx.clock.now() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.description !== undefined) patch.description = input.description;
  if (input.credentialId !== undefined) patch.credentialId = credentialId;
  if (input.config !== undefined) patch.config = parseSourceConfig(current.sourceType, input.config);
  if (input.isActive !== undefined) patch.isActive = input.isActive;
  const updated = await forTenant(ctx.db, auth.userId).sources.update(id, patch);
  if (!updated) throw notFound("Source");
  return updated;
}

export async function deleteSource(ctx: ServiceContext, auth: AuthContext, id: number): Promise<void> {
  if (!(await forTenant(ctx.db, auth.userId).sources.delete(id))) throw notFound("Source");
}
