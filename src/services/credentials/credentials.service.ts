import type { AuthContext } from "../../app-types";
import { isUniqueViolation } from "../../db/client";
import type { CredentialRow, NewCredential } from "../../db/repositories/credentials.repository";
import { forTenant } from "../../db/repositories/tenant";
import type { CredentialPlatform } from "../../db/schema";
import { sha256Hex } from "../../lib/crypto";
import { AppError, conflict, notFound } from "../../lib/errors";
import { rememberSecretFields } from "../../lib/redact";
import { secretBox } from "../../lib/secret-box";
import { validationError } from "../../lib/validation";
import type { ServiceContext } from "../context";
import { describePayload, maskedHint, PAYLOAD_SCHEMAS } from "./platform-payloads";

const DUPLICATE = "A credential for this account already exists";

export async function fingerprintOf(platform: CredentialPlatform, payload: Record<string, unknown>): Promise<string> {
  return sha256Hex(`${platform}\n${describePayload(platform, payload).identity}`);
}

/** Validates a platform payload and seals it; returns the columns that describe it. */
async function seal(ctx: ServiceContext, platform: CredentialPlatform, payload: unknown) {
  const parsed = PAYLOAD_SCHEMAS[platform].safeParse(payload);
  if (!parsed.success) throw validationError(parsed.error, `credentials(${platform})`);
  const box = await secretBox(ctx.config.ENCRYPTION_KEYS);
  const about = describePayload(platform, parsed.data);
  return {
    encryptedData: await box.seal(JSON.stringify(parsed.data)),
    keyId: box.currentKeyId,
    fingerprint: await fingerprintOf(platform, parsed.data),
    hint: maskedHint(about.hintOf),
    defaultAccountName: about.accountName,
  };
}

export async function createCredential(
  ctx: ServiceContext,
  auth: AuthContext,
  input: { platform: CredentialPlatform; accountName?: string | null; credentials: unknown },
): Promise<CredentialRow> {
  const sealed = await seal(ctx, input.platform, input.credentials);
  const now = ctx.clock.now();
  try {
    return await forTenant(ctx.db, auth.userId).credentials.insert({
      platform: input.platform,
      accountName: input.accountName ?? sealed.defaultAccountName,
      encryptedData: sealed.encryptedData,
      keyId: sealed.keyId,
      fingerprint: sealed.fingerprint,
      hint: sealed.hint,
      createdAt: now,
      updatedAt: now,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(DUPLICATE);
    throw error;
  }
}

export async function getCredential(ctx: ServiceContext, auth: AuthContext, id: number): Promise<CredentialRow> {
  const row = await forTenant(ctx.db, auth.userId).credentials.get(id);
  if (!row) throw notFound("Credential");
  return row;
}

export async function listCredentials(ctx: ServiceContext, auth: AuthContext, platform?: CredentialPlatform) {
  return forTenant(ctx.db, auth.userId).credentials.list(platform);
}

/** Replaces the secret payload (validated, re-sealed) and/or the name and active flag. */
export async function updateCredential(
  ctx: ServiceContext,
  auth: AuthContext,
  id: number,
  input: { accountName?: string | null; isActive?: boolean; credentials?: unknown },
): Promise<CredentialRow> {
  const current = await getCredential(ctx, auth, id);
  const patch: Partial<NewCredential> = { updatedAt: ctx.clock.now() };
  if (input.accountName !== undefined) patch.accountName = input.accountName;
  if (input.isActive !== undefined) patch.isActive = input.isActive;
  if (input.credentials !== undefined) {
    const sealed = await seal(ctx, current.platform, input.credentials);
    Object.assign(patch, {
      encryptedData: sealed.encryptedData,
      keyId: sealed.keyId,
      fingerprint: sealed.fingerprint,
      hint: sealed.hint,
      needsReauth: false,
      statusReason: null,
    });
  }
  try {
    const updated = await forTenant(ctx.db, auth.userId).credentials.update(id, patch);
    if (!updated) throw notFound("Credential");
    return updated;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(DUPLICATE);
    throw error;
  }
}

export async function deleteCredential(ctx: ServiceContext, auth: AuthContext, id: number): Promise<void> {
  if (!(await forTenant(ctx.db, auth.userId).credentials.delete(id))) throw notFound("Credential");
}

/**
 * The decrypted payload, for integrations only — never for responses or logs. Its secret values
 * are remembered by the redactor, so a provider that echoes one has it removed from every
 * stored reason, answer and log line (the one place secrets are decrypted is the one place they
 * are learned).
 */
export async function openCredential(ctx: ServiceContext, row: CredentialRow): Promise<Record<string, unknown>> {
  const box = await secretBox(ctx.config.ENCRYPTION_KEYS);
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(await box.open(row.encryptedData)) as Record<string, unknown>;
  } catch (error) {
    throw new AppError("INTERNAL", "Stored credential could not be decrypted", { cause: error });
  }
  rememberSecretFields(payload);
  return payload;
}
