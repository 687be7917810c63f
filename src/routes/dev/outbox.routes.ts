import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../../app-types";
import { notFound } from "../../lib/errors";
import { commonErrors, errorResponse, jsonContent } from "../common/schemas";

/** The development routes exist only where ENVIRONMENT is development or test: elsewhere 404, as if absent. */
const developmentOnly = createMiddleware<AppBindings>(async (c, next) => {
  if (c.get("config").ENVIRONMENT === "production") throw notFound("Route");
  await next();
});

const OutboxMessageSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    to: z.string(),
    from: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    links: z.array(z.string()),
    sent_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("OutboxMessage");

export const listOutbox = createRoute({
  method: "get",
  path: "/outbox",
  tags: ["Development"],
  summary: "E-mails written to the development outbox (EMAIL_TRANSPORT=outbox), newest first",
  description: "Only when ENVIRONMENT is development or test; 404 in production. No e-mail account is needed for `npm run dev`.",
  middleware: [developmentOnly],
  request: {
    query: z.object({
      to: z.email().max(254).optional().openapi({ description: "Only messages to this address" }),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: jsonContent(z.object({ items: z.array(OutboxMessageSchema) }), "Outbox messages"),
    404: errorResponse("Not in development or test"),
    ...commonErrors,
  },
});
