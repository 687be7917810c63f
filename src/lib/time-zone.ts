/**
 * Wall-clock ↔ UTC in an IANA time zone with nothing but Intl (no tz database of our own).
 *
 * DST rules (documented behaviour of automation schedules):
 * - a local time that does not exist (spring forward, e.g. 02:30 in New York on the second Sunday
 *   of March) fires at the first valid minute after the gap (03:00 local);
 * - a local time that occurs twice (fall back, e.g. 01:30 in New York on the first Sunday of
 *   November) fires once, at its first occurrence.
 */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const MINUTE_MS = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a zone Intl knows (IANA names such as "Europe/Moscow", and "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export function wallTimeAt(instant: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute! };
}

/** The wall time read as if it were UTC, in ms: a total order on wall times. */
export const wallKey = (w: WallTime): number => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);

/** Zone offset (ms, local − UTC) at an instant, to the minute. */
function offsetAt(instant: number, timeZone: string): number {
  const floored = Math.floor(instant / MINUTE_MS) * MINUTE_MS;
  return wallKey(wallTimeAt(floored, timeZone)) - floored;
}

/**
 * The UTC instant of a local wall time: its first occurrence when repeated, the first valid minute
 * after the gap when skipped. Offsets a day either side bound the two candidates (zones do not
 * change offset twice within two days).
 */
export function instantOf(wall: WallTime, timeZone: string): number {
  const key = wallKey(wall);
  const candidates = [...new Set([key - offsetAt(key - 86_400_000, timeZone), key - offsetAt(key + 86_400_000, timeZone)])].sort((a, b) => a - b);
  const valid = candidates.filter((c) => wallKey(wallTimeAt(c, timeZone)) === key);
  if (valid.length > 0) return valid[0]!;
  // Skipped: the first minute whose wall time is past `wall` lies between the two candidates.
  let lo = Math.floor(candidates[0]! / MINUTE_MS);
  let hi = Math.ceil(candidates[candidates.length - 1]! / MINUTE_MS);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallKey(wallTimeAt(mid * MINUTE_MS, timeZone)) > key) hi = mid;
    else lo = mid + 1;
  }
  return lo * MINUTE_MS;
}
