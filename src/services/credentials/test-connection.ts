import type { AuthContext } from "../../app-types";
import { forTenant } from "../../db/repositories/tenant";
import { ZoomApiError } from "../../integrations/zoom/errors";
import { badRequest } from "../../lib/errors";
import { sanitizeProviderMessage } from "../../lib/sanitize-provider-message";
import type { ServiceContext } from "../context";
import { zoomClientFor, zoomFailureToAppError } from "../zoom/zoom-client-factory";
import { getCredential } from "./credentials.service";
import { markNeedsReauth } from "./needs-reauth";

/**
 * Proves a credential works with the cheapest authenticated call. A rejection marks it as needing
 * re-authorisation (the reason is shown on the credential); a passing test clears that mark.
 * Zoom is checked here; the other platforms gain their test with their integrations.
 */
export async function testCredential(ctx: ServiceContext, auth: AuthContext, id: number) {
  const credential = await getCredential(ctx, auth, id);
  if (credential.platform !== "zoom") throw badRequest(`Connection tests are available for zoom credentials, not yet for ${credential.platform}`);
  const repo = forTenant(ctx.db, auth.userId).credentials;
  const now = ctx.clock.now();
  try {
    const client = await zoomClientFor(ctx, { ...credential, needsReauth: false });
    const me = await client.me();
    await repo.update(id, { needsReauth: false, statusReason: null, lastUsedAt: now, updatedAt: now });
    return { ok: true, account: me.email ?? null, reason: null };
  } catch (error) {
    if (!(error instanceof ZoomApiError)) throw error;
    if (error.kind !== "auth") throw zoomFailureToAppError(error);
    const reason = sanitizeProviderMessage(error.message);
    await markNeedsReauth(ctx, credential, reason);
    return { ok: false, account: null, reason };
  }
}
