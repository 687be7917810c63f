/**
 * A small 5-field cron parser (minute hour day-of-month month day-of-week): `*`, numbers, lists
 * (`1,15`), ranges (`1-5`), steps (`*\/15`, `10-50/20`, `5/10` = from 5 to the field's maximum).
 * Day-of-week is 0–7 with 0 and 7 both Sunday. As in Vixie cron, when both day fields are
 * restricted a day matches if EITHER matches. Names (JAN, MON) and `?`/`L`/`W`/`#` are not
 * supported and are rejected with a message.
 */
export interface CronSpec {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** 0 = Sunday … 6 = Saturday. */
  daysOfWeek: Set<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

export class CronSyntaxError extends Error {}

function parseNumber(text: string, field: (typeof FIELDS)[number]): number {
  if (!/^\d{1,2}$/.test(text)) throw new CronSyntaxError(`${field.name}: "${text}" is not a number`);
  const value = Number(text);
  if (value < field.min || value > field.max) throw new CronSyntaxError(`${field.name}: ${value} is outside ${field.min}–${field.max}`);
  return value;
}

function parseField(text: string, field: (typeof FIELDS)[number]): { values: Set<number>; restricted: boolean } {
  const values = new Set<number>();
  let restricted = true;
  for (const item of text.split(",")) {
    if (item === "") throw new CronSyntaxError(`${field.name}: empty list item`);
    const [rangeText, stepText, ...extra] = item.split("/");
    if (extra.length > 0) throw new CronSyntaxError(`${field.name}: "${item}" has more than one step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) < 1) throw new CronSyntaxError(`${field.name}: step "${stepText}" must be a positive number`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (rangeText === "*") {
      from = field.min;
      to = field.max;
      if (stepText === undefined) restricted = false;
    } else if (rangeText!.includes("-")) {
      const [a, b, ...more] = rangeText!.split("-");
      if (more.length > 0) throw new CronSyntaxError(`${field.name}: bad range "${rangeText}"`);
      from = parseNumber(a!, field);
      to = parseNumber(b!, field);
      if (from > to) throw new CronSyntaxError(`${field.name}: range ${from}-${to} is reversed`);
    } else {
      from = parseNumber(rangeText!, field);
      to = stepText === undefined ? from : field.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { values, restricted };
}

export function parseCron(expression: string): CronSpec {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === "") throw new CronSyntaxError(`expected 5 fields (minute hour day month weekday), got ${parts[0] === "" ? 0 : parts.length}`);
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, FIELDS[i]!));
  const daysOfWeek = new Set([...dow!.values].map((d) => d % 7));
  return {
    minutes: [...minute!.values].sort((a, b) => a - b),
    hours: [...hour!.values].sort((a, b) => a - b),
    daysOfMonth: dom!.values,
    months: month!.values,
    daysOfWeek,
    // "*" with a step (`*/2`) counts as restricted, as in Vixie cron.
    domRestricted: dom!.restricted,
    dowRestricted: dow!.restricted,
  };
}

/** Does the calendar day (its month, day of month, weekday 0 = Sunday) match the spec? */
export function dayMatches(spec: CronSpec, month: number, day: number, weekday: number): boolean {
  if (!spec.months.has(month)) return false;
  const domOk = spec.daysOfMonth.has(day);
  const dowOk = spec.daysOfWeek.has(weekday);
  if (spec.domRestricted && spec.dowRestricted) return domOk || dowOk;
  return domOk && dowOk;
}
