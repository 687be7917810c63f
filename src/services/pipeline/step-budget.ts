import type { ServiceContext } from "../context";

/**
 * The wall time one queue message may keep working (STAGE_STEP_BUDGET_SECONDS), read from the
 * service clock so tests can move it. A step always does at least one unit of work (a part, a
 * chunk), then starts another only while `hasTime()`; the unit in flight is never cut off, so
 * the budget plus one unit bounds the message.
 */
export interface StepBudget {
  readonly deadline: number;
  hasTime(): boolean;
}

export function stepBudget(ctx: ServiceContext, seconds: number = ctx.config.STAGE_STEP_BUDGET_SECONDS): StepBudget {
  const deadline = ctx.clock.now().getTime() + seconds * 1000;
  return { deadline, hasTime: () => ctx.clock.now().getTime() < deadline };
}
