/**
 * Value formats of the metadata variables (§6.6): dates in the owner's time zone with LEAP's
 * named formats and tokens, durations, and the timecodes of the topics list.
 */

/** LEAP's named date formats (`{record_time:date}`), plus `iso`. */
const NAMED_DATE_FORMATS: Record<string, string> = {
  date: "YYYY-MM-DD",
  time: "HH:mm",
  datetime: "YYYY-MM-DD HH:mm",
};
export const DEFAULT_DATE_FORMAT = NAMED_DATE_FORMATS.datetime!;

/**
 * Tokens, matched longest first and case-sensitively (`MM` month, `mm` minutes). LEAP's token set
 * is YYYY YY MM DD hh mm ss, where `hh` is the 24-hour hour; `HH` is accepted as the same.
 */
const DATE_TOKENS = ["YYYY", "YY", "MM", "DD", "HH", "hh", "mm", "ss"] as const;
type DateToken = (typeof DATE_TOKENS)[number];

interface DateParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function dateParts(date: Date, timeZone: string): DateParts {
  let formatter = partFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    partFormatters.set(timeZone, formatter);
  }
  const parts: Record<string, string> = {};
  for (const p of formatter.formatToParts(date)) parts[p.type] = p.value;
  return {
    year: (parts.year ?? "0000").padStart(4, "0"),
    month: parts.month ?? "01",
    day: parts.day ?? "01",
    hour: parts.hour === "24" ? "00" : (parts.hour ?? "00"),
    minute: parts.minute ?? "00",
    second: parts.second ?? "00",
  };
}

function tokenValue(token: DateToken, p: DateParts): string {
  switch (token) {
    case "YYYY":
      return p.year;
    case "YY":
      return p.year.slice(-2);
    case "MM":
      return p.month;
    case "DD":
      return p.day;
    case "HH":
    case "hh":
      return p.hour;
    case "mm":
      return p.minute;
    case "ss":
      return p.second;
  }
}

function tokenAt(format: string, index: number): DateToken | undefined {
  return DATE_TOKENS.find((t) => format.startsWith(t, index));
}

/** Whether a format names a date layout (a named format, or text with at least one token). */
export function isDateFormat(format: string): boolean {
  if (format === "iso" || format in NAMED_DATE_FORMATS) return true;
  for (let i = 0; i < format.length; i++) if (tokenAt(format, i)) return true;
  return false;
}

/** `2026-03-05 10:07` by default; `date`, `time`, `datetime`, `iso`, or tokens (`DD.MM.YYYY`). */
export function formatDate(date: Date, format: string | undefined, timeZone = "UTC"): string {
  if (format === "iso") return date.toISOString().replace(/\.\d{3}Z$/, "Z");
  const layout = format === undefined || format === "" ? DEFAULT_DATE_FORMAT : (NAMED_DATE_FORMATS[format] ?? format);
  const parts = dateParts(date, timeZone);
  let out = "";
  for (let i = 0; i < layout.length; ) {
    const token = tokenAt(layout, i);
    if (token) {
      out += tokenValue(token, parts);
      i += token.length;
    } else {
      out += layout[i];
      i += 1;
    }
  }
  return out;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** `HH:MM:SS`, or `MM:SS` when `long` is false (a recording shorter than an hour). */
export function formatTimecode(seconds: number, long: boolean): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return long ? `${pad2(h)}:${pad2(m)}:${pad2(s)}` : `${pad2(Math.floor(total / 60))}:${pad2(s)}`;
}

/** Duration formats; the default (no format) is whole minutes, as LEAP's `{duration}` was. */
export const DURATION_FORMATS = ["minutes", "seconds", "HH:MM:SS", "HH:MM", "MM:SS", "timecode"] as const;

export function isDurationFormat(format: string): boolean {
  return (DURATION_FORMATS as readonly string[]).includes(format);
}

export function formatDuration(seconds: number, format: string | undefined): string {
  const total = Math.max(0, Math.round(seconds));
  switch (format) {
    case undefined:
    case "":
    case "minutes":
      return String(Math.round(total / 60));
    case "seconds":
      return String(total);
    case "HH:MM:SS":
      return formatTimecode(total, true);
    case "HH:MM":
      return `${pad2(Math.floor(total / 3600))}:${pad2(Math.floor((total % 3600) / 60))}`;
    case "MM:SS":
      return formatTimecode(total, false);
    case "timecode":
      return formatTimecode(total, total >= 3600);
    default:
      return String(Math.round(total / 60));
  }
}
