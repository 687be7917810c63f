/**
 * Date parsing for recording filters (spec §3.0 RecordingFilters.from_date / to_date).
 * LEAP accepted YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY, DD-MM-YY and DD/MM/YY; all dates are UTC.
 */

const ISO_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DAY_FIRST = /^(\d{1,2})([-/])(\d{1,2})\2(\d{4}|\d{2})$/;
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** UTC instant of the given calendar day, or null if the day does not exist (e.g. 31-02). */
function utcDay(year: number, month: number, day: number, endOfDay: boolean): Date | null {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  if (endOfDay) date.setUTCHours(23, 59, 59, 999);
  return date;
}

function parseTimestamp(value: string, match: RegExpExecArray): Date | null {
  const [, year, month, day, hour, minute, second] = match;
  if (!utcDay(Number(year), Number(month), Number(day), false)) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return null;
  // A timestamp without an offset is taken as UTC, like the date-only forms.
  const parsed = new Date(match[7] ? value : `${value}Z`);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/**
 * Parses a filter date. With `endOfDay` a date-only value becomes 23:59:59.999 UTC of that day,
 * so `to_date` is inclusive; a full ISO-8601 timestamp is returned as is. Invalid input → null.
 */
export function parseFilterDate(value: string, endOfDay: boolean): Date | null {
  const input = value.trim();
  const iso = ISO_DAY.exec(input);
  if (iso) return utcDay(Number(iso[1]), Number(iso[2]), Number(iso[3]), endOfDay);
  const dayFirst = DAY_FIRST.exec(input);
  if (dayFirst) {
    const [, day, , month, year = ""] = dayFirst;
    const fullYear = year.length === 2 ? 2000 + Number(year) : Number(year);
    return utcDay(fullYear, Number(month), Number(day), endOfDay);
  }
  const timestamp = ISO_TIMESTAMP.exec(input);
  return timestamp ? parseTimestamp(input.replace(" ", "T"), timestamp) : null;
}
