import { userQuota } from "../quotas/run-slots";
import { QuotaUsageRepository } from "../../db/repositories/quota-usage.repository";
import { RetentionRepository } from "../../db/repositories/retention.repository";
import { log } from "../../lib/logger";
import { storageKeys } from "../../lib/storage-keys";
import type { ServiceContext } from "../context";
import { periodOf } from "../quotas/quota.service";

const ORPHAN_MIN_AGE_MS = 24 * 3_600_000;
const CURSOR_KEY = "system/storage-audit-cursor";

export interface UserStorageAudit {
  userId: string;
  /** False when the user has more objects than one audit lists; nothing was reconciled then. */
  complete: boolean;
  storageBytes: number;
  orphanObjects: number;
  orphanBytes: number;
  /** Rows pointing at objects that do not exist (reported, not changed). */
  missing: Array<{ recordingId: number; key: string }>;
}


/**
 * One user's storage audit: lists everything under `users/{id}/`, deletes objects of recordings
 * that no longer have a row (older than 24 h, so an object written a moment before its row is
 * never taken), reports rows whose objects are missing, and sets the quota counters to what R2
 * and D1 really hold. Running it twice changes nothing the second time.
 */
export async function auditUserStorage(ctx: ServiceContext, userId: string, maxPages = 20): Promise<UserStorageAudit> {
  const repo = new RetentionRepository(ctx.db);
  const now = ctx.clock.now();
  const recordingsPrefix = `${storageKeys.userRoot(userId)}recordings/`;
  const objects: Array<{ key: string; size: number; uploaded: Date }> = [];
  let cursor: string | undefined;
  let complete = false;
  for (let page = 0; page < maxPages; page++) {
    const listing = await ctx.env.MEDIA.list({ prefix: storageKeys.userRoot(userId), cursor, limit: 1000 });
    for (const o of listing.objects) objects.push({ key: o.key, size: o.size, uploaded: o.uploaded });
    if (!listing.truncated) {
      complete = true;
      break;
    }
    cursor = listing.cursor;
  }

  const recordingIdOf = (key: string): number | null => {
    if (!key.startsWith(recordingsPrefix)) return null;
    const id = Number(key.slice(recordingsPrefix.length).split("/")[0]);
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  };
  const ids = [...new Set(objects.map((o) => recordingIdOf(o.key)).filter((id): id is number => id !== null))];
  const existing = await repo.existingRecordingIds(userId, ids);
  const orphans = objects.filter((o) => {
    const id = recordingIdOf(o.key);
    return id !== null && !existing.has(id) && now.getTime() - o.uploaded.getTime() >= ORPHAN_MIN_AGE_MS;
  });
  for (let i = 0; i < orphans.length; i += 1000) await ctx.env.MEDIA.delete(orphans.slice(i, i + 1000).map((o) => o.key));
  const orphanBytes = orphans.reduce((sum, o) => sum + o.size, 0);
  const storageBytes = objects.reduce((sum, o) => sum + o.size, 0) - orphanBytes;

  const missing: UserStorageAudit["missing"] = [];
  if (complete) {
    const present = new Set(objects.map((o) => o.key));
    for (const row of await repo.objectPointers(userId, 500)) {
      for (const key of JSON.parse(row.keys) as Array<string | null>) {
        if (key && !present.has(key)) missing.push({ recordingId: row.id, key });
      }
    }
    const period = periodOf(now);
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const stub = userQuota(ctx, userId);
    await stub.setStorageBytes(storageBytes);
    // Rows only prove a lower bound (hard-deleted recordings still count): the counter is only raised.
    await stub.raiseMonthly("recordings", period, await repo.countCreated(userId, from, to));
    const monthly = await stub.monthlyUsage(period);
    await new QuotaUsageRepository(ctx.db, userId).reconcile(period, { ...monthly, storageBytes }, now);
  }
  if (orphans.length > 0 || missing.length > 0) {
    log.warn("storage audit found inconsistencies", { userId, orphanObjects: orphans.length, orphanBytes, missing: missing.slice(0, 20) });
  }
  return { userId, complete, storageBytes, orphanObjects: orphans.length, orphanBytes, missing };
}

/** Audits a few users per tick, walking all users by id; the cursor is a tiny R2 object. */
export async function auditStorage(ctx: ServiceContext, usersPerTick = 10) {
  const cursor = (await (await ctx.env.MEDIA.get(CURSOR_KEY))?.text()) ?? "";
  const userIds = await new RetentionRepository(ctx.db).usersAfter(cursor, usersPerTick);
  const totals = { users: 0, incomplete: 0, orphanObjects: 0, orphanBytes: 0, missingObjects: 0 };
  for (const userId of userIds) {
    const audit = await auditUserStorage(ctx, userId);
    totals.users++;
    if (!audit.complete) totals.incomplete++;
    totals.orphanObjects += audit.orphanObjects;
    totals.orphanBytes += audit.orphanBytes;
    totals.missingObjects += audit.missing.length;
  }
  const next = userIds.length < usersPerTick ? "" : userIds[userIds.length - 1]!;
  await ctx.env.MEDIA.put(CURSOR_KEY, next);
  log.info("storage audit done", totals);
  return totals;
}
