import { NotificationsRepository } from "../../db/repositories/notifications.repository";
import { forTenant } from "../../db/repositories/tenant";
import type { NotificationKind } from "../../db/schema";
import { log } from "../../lib/logger";
import { effectiveUserConfig } from "../config/resolve";
import type { ServiceContext } from "../context";

/**
 * Queues one line for the user's next notification e-mail, if the user wants this kind
 * (`notifications.email.<kind>` in their config). Lines are sent in batches (flush.ts), so fifty
 * failures in an hour are one message. Never throws: a notification must not fail the work that
 * caused it.
 */
export async function notifyByEmail(ctx: ServiceContext, userId: string, kind: NotificationKind, summary: string, dedupeKey: string | null = null): Promise<boolean> {
  try {
    const now = ctx.clock.now();
    const config = effectiveUserConfig((await forTenant(ctx.db, userId).config.getOrCreate(now)).configData);
    if (!config.notifications.email[kind]) return false;
    return await new NotificationsRepository(ctx.db, userId).add(kind, summary.slice(0, 1000), now, dedupeKey);
  } catch (error) {
    log.error("queueing an e-mail notification failed", { userId, kind, error });
    return false;
  }
}
