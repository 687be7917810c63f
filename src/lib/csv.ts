/**
 * CSV cells per RFC 4180, made safe to open in a spreadsheet: a field with a comma, quote, CR or LF
 * is quoted with its quotes doubled, and a text cell that a spreadsheet would read as a formula
 * (starting with = + - @, tab or CR; OWASP "CSV injection") gets a leading single quote.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Excel reads a CSV as UTF-8 only when it starts with a byte-order mark. */
export const UTF8_BOM = "\uFEFF";

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return "";
  // Numbers and booleans are ours, never formulas (a negative duration stays a number).
  if (typeof value !== "string") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvRow(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
