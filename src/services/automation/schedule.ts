import type { Cron } from "croner";
import { CronSyntaxError, parseCron } from "./cron-expression";
import { instantOf, isValidTimeZone, wallKey, wallTimeAt } from "../../lib/time-zone";

/**
 * Automation schedules (§7.2). Every type is reduced to a cron expression, as LEAP did:
 * time_of_day "HH:MM" → `M H * * *`; hours N → `0 *\/N * * *` (on the hour, every N hours from
 * midnight local); weekdays (0 = Monday) + time → `M H * * d…`; cron → the expression. Fire times
 * are wall-clock times in `timezone` (default Europe/Moscow); see time-zone.ts for DST.
 *
 * croner finds the matching wall times, but the zone mapping stays ours: croner follows Vixie cron
 * for jobs with a wildcard, step, list or range in the minute/hour field ("interval jobs"), running
 * them at BOTH occurrences of a repeated hour and skipping times in a spring-forward gap, and no
 * option makes every job behave like a fixed-time one. Our documented rule is the same for all
 * schedules: once, at the first occurrence; a skipped time at the first minute after the gap.
 */
export const DEFAULT_TIME_ZONE = "Europe/Moscow";

export type Schedule =
  | { type: "time_of_day"; time: string; timezone: string }
  | { type: "hours"; hours: number; timezone: string }
  | { type: "weekdays"; days: number[]; time: string; timezone: string }
  | { type: "cron"; expression: string; timezone: string };

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

function splitTime(time: string): [number, number] {
  const m = TIME_RE.exec(time);
  if (!m) throw new CronSyntaxError(`time "${time}" must be HH:MM (00:00–23:59)`);
  return [Number(m[1]), Number(m[2])];
}

/** The equivalent 5-field cron expression (shown to users, and what LEAP stored). */
export function scheduleToCron(schedule: Schedule): string {
  switch (schedule.type) {
    case "time_of_day": {
      const [h, m] = splitTime(schedule.time);
      return `${m} ${h} * * *`;
    }
    case "hours":
      return `0 */${schedule.hours} * * *`;
    case "weekdays": {
      const [h, m] = splitTime(schedule.time);
      return `${m} ${h} * * ${schedule.days.map((d) => (d + 1) % 7).join(",")}`;
    }
    case "cron":
      return schedule.expression.trim();
  }
}

/** Problems with a schedule, as messages (empty = valid). */
export function scheduleProblems(schedule: Schedule): string[] {
  const problems: string[] = [];
  if (!isValidTimeZone(schedule.timezone)) problems.push(`timezone "${schedule.timezone}" is not a known IANA time zone`);
  if (schedule.type === "hours" && (!Number.isInteger(schedule.hours) || schedule.hours < 1 || schedule.hours > 24)) problems.push("hours must be 1–24");
  if (schedule.type === "weekdays") {
    if (schedule.days.length === 0) problems.push("days must list at least one day (0 = Monday … 6 = Sunday)");
    if (schedule.days.some((d) => !Number.isInteger(d) || d < 0 || d > 6)) problems.push("days must be 0–6 (0 = Monday)");
  }
  if (problems.length > 0) return problems;
  try {
    const cron = parseCron(scheduleToCron(schedule));
    if (nextFire(cron, schedule.timezone, Date.UTC(2026, 0, 1)) === null) problems.push("the schedule never fires");
  } catch (error) {
    if (!(error instanceof CronSyntaxError)) throw error;
    problems.push(schedule.type === "cron" ? `cron expression: ${error.message}` : error.message);
  }
  return problems;
}

type WithOptionalZone<S> = S extends Schedule ? Omit<S, "timezone"> & { timezone?: string | null } : never;
/** A schedule as a client sends it (the zone may be left out). */
export type ScheduleDraft = WithOptionalZone<Schedule>;

/** Sorts and de-duplicates weekday lists and fills the default zone (the stored form). */
export function normalizeSchedule(draft: ScheduleDraft): Schedule {
  const timezone = draft.timezone || DEFAULT_TIME_ZONE;
  switch (draft.type) {
    case "weekdays":
      return { type: "weekdays", days: [...new Set(draft.days)].sort((a, b) => a - b), time: draft.time, timezone };
    case "cron":
      return { type: "cron", expression: draft.expression.trim().replace(/\s+/g, " "), timezone };
    case "hours":
      return { type: "hours", hours: draft.hours, timezone };
    case "time_of_day":
      return { type: "time_of_day", time: draft.time, timezone };
  }
}

/**
 * The first fire time strictly after `after` (ms). A wall time fires at the first instant the zone's
 * clock reaches it (instantOf), so the answer is the first matching wall time past the latest wall
 * time already reached — read at `after`, except in the second pass of a repeated hour, where the
 * wall times just read map back to their first occurrence and are skipped.
 */
function nextFire(cron: Cron, timeZone: string, after: number): number | null {
  let wall = wallKey(wallTimeAt(after, timeZone));
  for (;;) {
    const next = cron.nextRun(new Date(wall));
    if (next === null) return null;
    wall = next.getTime();
    const w = new Date(wall);
    const instant = instantOf({ year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate(), hour: w.getUTCHours(), minute: w.getUTCMinutes() }, timeZone);
    if (instant > after) return instant;
  }
}

/** The first fire time strictly after `afterUtc`, in UTC (null if the schedule never fires). */
export function nextRunAfter(schedule: Schedule, afterUtc: Date): Date | null {
  const next = nextFire(parseCron(scheduleToCron(schedule)), schedule.timezone, afterUtc.getTime());
  return next === null ? null : new Date(next);
}

/**
 * The shortest gap (hours) between consecutive fire times, measured on wall-clock time (in UTC, so
 * a DST change cannot make the answer depend on the day it is asked) over 8 days from a fixed
 * Monday — enough to see every daily and weekly pattern. LEAP compared only the next two fire
 * times, so `0 *\/5 * * *` passed or failed depending on the hour it was created.
 */
export function minimumIntervalHours(schedule: Schedule): number {
  const cron = parseCron(scheduleToCron(schedule));
  let previous = cron.nextRun(new Date(Date.UTC(2029, 0, 1) - 1));
  const end = Date.UTC(2029, 0, 9);
  let minGap = Number.POSITIVE_INFINITY;
  for (let i = 0; previous !== null && previous.getTime() < end && i < 500; i++) {
    const next = cron.nextRun(previous);
    if (next === null) break;
    minGap = Math.min(minGap, next.getTime() - previous.getTime());
    previous = next;
  }
  return minGap / 3_600_000;
}
