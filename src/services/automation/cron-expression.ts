import { Cron } from "croner";

/**
 * Automation cron expressions: the classic 5 fields (minute hour day-of-month month day-of-week)
 * with `*`, numbers, lists (`1,15`), ranges (`1-5`) and steps (`*\/15`, `10-50/20`, `5/10` = from 5
 * to the field's maximum). Day-of-week is 0–7 with 0 and 7 both Sunday; when both day fields are
 * restricted a day matches if EITHER matches (Vixie cron). A field is unrestricted when it is `*` or
 * lists a bare `*`; `*\/2` counts as restricted (croner agrees; Vixie cron decides by the field's
 * first character, so it would read `*\/2` as unrestricted and `5,*` as restricted).
 *
 * croner does the calendar matching. This module keeps the accepted grammar to the subset LEAP
 * clients send — croner's extensions (names, `?` `L` `W` `#` `+`, `@daily`, a seconds or year
 * field) are refused, since jobs tick once a minute and a stored expression must mean the same to
 * every cron reader — and names the wrong field in its messages (croner's do not always).
 */
export class CronSyntaxError extends Error {}

/** `maxStep`: croner refuses longer steps; any step at least as long as the field selects only its start. */
const FIELDS = [
  { name: "minute", min: 0, max: 59, maxStep: 60 },
  { name: "hour", min: 0, max: 23, maxStep: 24 },
  { name: "day of month", min: 1, max: 31, maxStep: 31 },
  { name: "month", min: 1, max: 12, maxStep: 12 },
  { name: "day of week", min: 0, max: 7, maxStep: 7 },
] as const;
type Field = (typeof FIELDS)[number];

/** `*`, `N` or `N-M`, with an optional `/S`. */
const ITEM_RE = /^(?:\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;

function checkNumber(text: string, field: Field): number {
  if (text.length > 2) throw new CronSyntaxError(`${field.name}: "${text}" is not a number`);
  const value = Number(text);
  if (value < field.min || value > field.max) throw new CronSyntaxError(`${field.name}: ${value} is outside ${field.min}–${field.max}`);
  return value;
}

/** Validates one list item and spells it the way croner reads it. */
function checkItem(item: string, field: Field): string {
  if (item === "") throw new CronSyntaxError(`${field.name}: empty list item`);
  const m = ITEM_RE.exec(item);
  if (!m) throw new CronSyntaxError(`${field.name}: "${item}" is not a number, range or step (names and ? L W # are not supported)`);
  const [, fromText, toText, stepText] = m;
  let range = "*";
  if (fromText !== undefined) {
    const from = checkNumber(fromText, field);
    // "5/10" runs from 5 to the field's end, as in Vixie cron; croner wants that range written out.
    const to = toText !== undefined ? checkNumber(toText, field) : stepText !== undefined ? field.max : from;
    if (from > to) throw new CronSyntaxError(`${field.name}: range ${from}-${to} is reversed`);
    range = toText === undefined && stepText === undefined ? `${from}` : `${from}-${to}`;
  }
  if (stepText === undefined) return range;
  if (stepText.length > 2 || Number(stepText) < 1) throw new CronSyntaxError(`${field.name}: step "${stepText}" must be a positive number`);
  return `${range}/${Math.min(Number(stepText), field.maxStep)}`;
}

/**
 * Parses an expression into a wall-clock matcher: croner evaluates it in UTC, so its fire times are
 * local wall times read as if they were UTC (no time zone, no DST — schedule.ts maps them to the
 * job's zone).
 */
export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  const count = parts[0] === "" ? 0 : parts.length;
  if (count !== 5) {
    const hint = count === 6 ? " (a seconds field is not supported: jobs run at most once a minute)" : "";
    throw new CronSyntaxError(`expected 5 fields (minute hour day month weekday), got ${count}${hint}`);
  }
  const pattern = parts
    .map((text, i) => {
      const items = text.split(",").map((item) => checkItem(item, FIELDS[i]!));
      // A bare `*` anywhere makes the field unrestricted (it matters for the day-of-month/day-of-week
      // OR); croner only sees that when the field is exactly `*`.
      return items.includes("*") ? "*" : items.join(",");
    })
    .join(" ");
  try {
    // domAndDow is spelled out: croner's default for the day-field OR has changed across versions (legacyMode).
    return new Cron(pattern, { mode: "5-part", utcOffset: 0, domAndDow: false });
  } catch (error) {
    // The checks above should leave croner nothing to refuse; if it does, still answer 400, not 500.
    throw new CronSyntaxError(error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error));
  }
}
