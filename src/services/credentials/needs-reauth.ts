import type { CredentialRow } from "../../db/repositories/credentials.repository";
import { forTenant } from "../../db/repositories/tenant";
import type { ServiceContext } from "../context";
import { announceCredentialNeedsReauth } from "../notifications/announcements";

/**
 * Marks a credential as needing the user to reconnect it, with the reason shown on it. The
 * `credential.needs_reauth` event and the e-mail go out only when it was usable until now (the
 * row as the caller read it), so a credential refused again and again is announced once.
 */
export async function markNeedsReauth(ctx: ServiceContext, credential: Pick<CredentialRow, "id" | "userId" | "platform" | "accountName" | "needsReauth">, reason: string): Promise<void> {
  await forTenant(ctx.db, credential.userId).credentials.update(credential.id, { needsReauth: true, statusReason: reason, updatedAt: ctx.clock.now() });
  if (!credential.needsReauth) {
    await announceCredentialNeedsReauth(ctx, credential.userId, { id: credential.id, platform: credential.platform, name: credential.accountName }, reason);
  }
}
