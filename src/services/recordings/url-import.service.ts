import type { AuthContext } from "../../app-types";
import { isUniqueViolation } from "../../db/client";
import type { RecordingRow } from "../../db/repositories/recordings.repository";
import { forTenant } from "../../db/repositories/tenant";
import { badRequest, conflict } from "../../lib/errors";
import { assertAllowedUrl, OutboundUrlRefused, outboundPolicyFrom, type OutboundPolicy } from "../../lib/outbound-policy";
import { effectiveUserConfig } from "../config/resolve";
import type { ServiceContext } from "../context";
import { findMatchingTemplate } from "../templates/matcher";
import { toMatchable } from "../templates/rematch";
import { releaseMonthly, requireRecordingQuota } from "../quotas/quota.service";
import { expiryFor } from "./retention-dates";
import { requestIndexUpdate } from "../search/index-sync";
import { NO_TEMPLATE_REASON } from "./skip-reasons";

/**
 * An https URL on a public host, without credentials (they would be stored and shown): the
 * outbound policy, applied when the tenant submits it (400 naming the rule) and again at every hop
 * of the download.
 */
export function checkImportUrl(raw: string, policy: OutboundPolicy): URL {
  let url: URL;
  try {
    url = assertAllowedUrl(raw, policy);
  } catch (error) {
    if (error instanceof OutboundUrlRefused) throw badRequest(error.message, { field: "url", rule: error.rule });
    throw error;
  }
  url.hash = "";
  return url;
}

/**
 * The generic URL source: a recording whose video lives at an https URL (a lecture already
 * hosted elsewhere). It is matched to a template by name like any recording, de-duplicated on the
 * URL, and copied into storage by the download stage (ranged, resumable, verified) when processed.
 */
export async function importFromUrl(
  ctx: ServiceContext,
  auth: AuthContext,
  input: { url: string; displayName: string; startTime?: Date },
): Promise<RecordingRow> {
  const url = checkImportUrl(input.url, outboundPolicyFrom(ctx.config));
  const tenant = forTenant(ctx.db, auth.userId);
  const now = ctx.clock.now();
  const config = effectiveUserConfig((await tenant.config.getOrCreate(now)).configData);
  const match = findMatchingTemplate({ displayName: input.displayName, inputSourceId: null }, (await tenant.templates.listMatchable()).map(toMatchable));
  const { period } = await requireRecordingQuota(ctx, auth.userId);
  try {
    const created = await tenant.recordings.insertWithSource(
      {
        displayName: input.displayName,
        startTime: input.startTime ?? now,
        duration: 0,
        status: match ? "INITIALIZED" : "SKIPPED",
        skipReason: match ? null : NO_TEMPLATE_REASON,
        isMapped: match !== null,
        templateId: match?.id ?? null,
        expireAt: expiryFor(config, now),
        createdAt: now,
        updatedAt: now,
      },
      { sourceType: "URL", sourceKey: url.href, metadata: { url: url.href, host: url.hostname }, createdAt: now, updatedAt: now },
    );
    await requestIndexUpdate(ctx, auth.userId, created.id);
    return created;
  } catch (error) {
    await releaseMonthly(ctx, auth.userId, "recordings", period);
    if (isUniqueViolation(error)) throw conflict("This URL was already imported");
    throw error;
  }
}
