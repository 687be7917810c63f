import type { UserConfigData } from "../config/defaults";

const DAY_MS = 86_400_000;

/** When an untouched recording expires; `auto_expire_days` 0 means never. */
export function expiryFor(config: UserConfigData, now: Date): Date | null {
  const days = config.retention.auto_expire_days;
  return days > 0 ? new Date(now.getTime() + days * DAY_MS) : null;
}

/** The two-level deletion schedule of a soft delete at `now` (§9). */
export function softDeleteSchedule(config: UserConfigData, now: Date) {
  const cleanupAt = new Date(now.getTime() + config.retention.soft_delete_days * DAY_MS);
  return {
    deletedAt: now,
    softDeletedAt: cleanupAt,
    hardDeleteAt: new Date(cleanupAt.getTime() + config.retention.hard_delete_days * DAY_MS),
  };
}
