import { countSealedWithOldKeys, credentialsSealedWithOldKeys, resealCredential } from "../../db/repositories/credentials.repository";
import { log } from "../../lib/logger";
import { secretBox } from "../../lib/secret-box";
import type { ServiceContext } from "../context";

/**
 * Key rotation: re-seals up to `limit` credentials that an older key encrypted with the newest
 * key. Idempotent and safe to interrupt (each row is a compare-and-set on its old ciphertext);
 * run until `remaining` is 0, then the old key can leave ENCRYPTION_KEYS.
 */
export async function reencryptCredentials(ctx: ServiceContext, limit = 200): Promise<{ resealed: number; remaining: number }> {
  const box = await secretBox(ctx.config.ENCRYPTION_KEYS);
  const rows = await credentialsSealedWithOldKeys(ctx.db, box.currentKeyId, limit);
  let resealed = 0;
  for (const row of rows) {
    try {
      const plaintext = await box.open(row.encryptedData);
      if (await resealCredential(ctx.db, row, await box.seal(plaintext), box.currentKeyId)) resealed += 1;
    } catch (error) {
      // A key missing from ENCRYPTION_KEYS: the row stays as it is and is reported, never lost.
      log.error("credential could not be re-encrypted", { credentialId: row.id, keyId: row.keyId, error });
    }
  }
  const remaining = await countSealedWithOldKeys(ctx.db, box.currentKeyId);
  log.info("credentials re-encrypted", { resealed, remaining, keyId: box.currentKeyId });
  return { resealed, remaining };
}
