import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent } from "../common/schemas";

const CheckSchema = z.object({
  status: z.enum(["ok", "error"]),
  latencyMs: z.number(),
  error: z.string().optional(),
});

export const ReadinessSchema = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    checks: z.object({
      d1: CheckSchema,
      r2: CheckSchema,
      config: CheckSchema.optional().openapi({ description: "Present when the configuration is refused (details in the log)" }),
    }),
  })
  .openapi("Readiness");

export const liveness = createRoute({
  method: "get",
  path: "/",
  tags: ["Health"],
  summary: "Liveness: the Worker answers",
  responses: {
    200: jsonContent(
      z.object({ status: z.literal("ok"), service: z.string(), version: z.string() }).openapi("Liveness"),
      "The service is up",
    ),
  },
});

export const readiness = createRoute({
  method: "get",
  path: "/ready",
  tags: ["Health"],
  summary: "Readiness: D1 and R2 are reachable and the configuration is safe to serve with",
  responses: {
    200: jsonContent(ReadinessSchema, "All dependencies answer"),
    503: jsonContent(ReadinessSchema, "A dependency failed, or the configuration is refused (then every other route answers 503)"),
  },
});
