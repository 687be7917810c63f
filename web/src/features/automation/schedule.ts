import { Cron } from "croner";
import type { components } from "../../api/schema";

/** A schedule as the API takes it (time_of_day, hours, weekdays or cron, each with its time zone). */
export type Schedule = components["schemas"]["AutomationJobCreate"]["schedule"];
export type ScheduleType = Schedule["type"];
export const SCHEDULE_TYPES: readonly ScheduleType[] = ["time_of_day", "weekdays", "hours", "cron"];

/** Every field of every schedule type, so switching type keeps what was typed. */
export interface ScheduleDraft {
  type: ScheduleType;
  time: string;
  days: number[];
  hours: number;
  expression: string;
  timezone: string;
}

export const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

export function defaultDraft(timezone: string): ScheduleDraft {
  return { type: "time_of_day", time: "09:00", days: [0], hours: 6, expression: "0 9 * * 1-5", timezone };
}

/** A stored job's schedule (the API answers it as a plain object) as a draft to edit. */
export function draftOf(stored: Record<string, unknown>, fallbackZone: string): ScheduleDraft {
  const draft = defaultDraft(typeof stored.timezone === "string" ? stored.timezone : fallbackZone);
  const type = SCHEDULE_TYPES.find((t) => t === stored.type) ?? draft.type;
  return {
    ...draft,
    type,
    ...(typeof stored.time === "string" ? { time: stored.time } : {}),
    ...(Array.isArray(stored.days) ? { days: stored.days.filter((d): d is number => typeof d === "number") } : {}),
    ...(typeof stored.hours === "number" ? { hours: stored.hours } : {}),
    ...(typeof stored.expression === "string" ? { expression: stored.expression } : {}),
  };
}

/** The body's schedule for the draft's type. */
export function scheduleOf(draft: ScheduleDraft): Schedule {
  const { timezone } = draft;
  switch (draft.type) {
    case "time_of_day":
      return { type: "time_of_day", time: draft.time, timezone };
    case "hours":
      return { type: "hours", hours: draft.hours, timezone };
    case "weekdays":
      return { type: "weekdays", days: [...new Set(draft.days)].sort((a, b) => a - b), time: draft.time, timezone };
    case "cron":
      return { type: "cron", expression: draft.expression.trim(), timezone };
  }
}

/** The equivalent cron expression, as the API computes it (weekdays: 0 = Monday becomes cron's 1). */
export function cronOf(schedule: Schedule): string {
  switch (schedule.type) {
    case "time_of_day": {
      const [h, m] = schedule.time.split(":").map(Number);
      return `${m} ${h} * * *`;
    }
    case "hours":
      return `0 */${schedule.hours} * * *`;
    case "weekdays": {
      const [h, m] = schedule.time.split(":").map(Number);
      return `${m} ${h} * * ${schedule.days.map((d) => (d + 1) % 7).join(",")}`;
    }
    case "cron":
      return schedule.expression;
  }
}

/** What is wrong with a draft before it is sent (empty = nothing), as keys of the dictionary's schedule errors. */
export function draftProblems(draft: ScheduleDraft): ("time" | "days" | "hours" | "expression")[] {
  switch (draft.type) {
    case "time_of_day":
      return TIME_RE.test(draft.time) ? [] : ["time"];
    case "weekdays":
      return [...(TIME_RE.test(draft.time) ? [] : (["time"] as const)), ...(draft.days.length === 0 ? (["days"] as const) : [])];
    case "hours":
      return Number.isInteger(draft.hours) && draft.hours >= 1 && draft.hours <= 24 ? [] : ["hours"];
    case "cron":
      return draft.expression.trim().split(/\s+/).length === 5 ? [] : ["expression"];
  }
}

/**
 * The next `count` fire times of a schedule in its time zone (croner, as the API uses it), or null
 * when the schedule cannot be read. Times in a DST change may differ by the gap from what the API
 * stores (it fires a skipped local time at the first minute after the gap).
 */
export function nextRuns(schedule: Schedule, count: number, from: Date = new Date()): Date[] | null {
  try {
    const cron = new Cron(cronOf(schedule), { timezone: schedule.timezone, paused: true });
    return cron.nextRuns(count, from);
  } catch {
    return null;
  }
}
