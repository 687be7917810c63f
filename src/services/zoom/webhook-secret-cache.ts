import type { userCredentials } from "../../db/schema";
import type { ServiceContext } from "../context";
import { openCredential } from "../credentials/credentials.service";

type CredentialRow = typeof userCredentials.$inferSelect;

/** How long an isolate may reuse a decrypted webhook secret without decrypting the row again. */
export const WEBHOOK_SECRET_TTL_MS = 60_000;
const MAX_ENTRIES = 1_000;

interface Entry {
  secret: string | undefined;
  expiresAt: number;
}

// Per isolate. Keyed by the row's identity and version, so an edited or re-encrypted credential
// (new `updated_at` or key id) is never answered from the cache; the TTL bounds how long a
// secret stays in memory after its row stopped being used.
const cache = new Map<string, Entry>();

const cacheKey = (row: CredentialRow) => `${row.id}:${row.updatedAt.getTime()}:${row.keyId}`;

/** The credential's `webhook_secret_token`, decrypted at most once a minute per isolate. */
export async function webhookSecretOf(ctx: ServiceContext, row: CredentialRow): Promise<string | undefined> {
  const key = cacheKey(row);
  const now = ctx.clock.now().getTime();
  const hit = cache.get(key);
  if (hit && hit.expiresAt > now) return hit.secret;
  const value = (await openCredential(ctx, row)).webhook_secret_token;
  const secret = typeof value === "string" && value !== "" ? value : undefined;
  if (cache.size >= MAX_ENTRIES) {
    for (const [k, entry] of cache) if (entry.expiresAt <= now) cache.delete(k);
    if (cache.size >= MAX_ENTRIES) cache.clear();
  }
  cache.set(key, { secret, expiresAt: now + WEBHOOK_SECRET_TTL_MS });
  return secret;
}
