import { z } from "@hono/zod-openapi";
import { parseFilterDate } from "../../lib/dates";

/** A query/body date in any of LEAP's formats; `endOfDay` makes a "to" date inclusive. */
export const leapDate = (endOfDay: boolean) =>
  z
    .string()
    .max(40)
    .transform((value, ctx) => {
      const date = parseFilterDate(value, endOfDay);
      if (!date) ctx.addIssue({ code: "custom", message: "use YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY, DD-MM-YY or DD/MM/YY" });
      return date ?? new Date(0);
    });
