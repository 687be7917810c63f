import { createRoute, z } from "@hono/zod-openapi";
import { jsonContent } from "../common/schemas";

const CheckSchema = z.object({
  status: z.enum(["ok", "error"]),
  latencyMs: z.number(),
  error: z.string().optional(),
});

export const ReadinessSchema = z
  .object({ status: z.enum(["ok", "unavailable"]), checks: z.object({ d1: CheckSchema, r2: CheckSchema }) })
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
  summary: "Readiness: D1 and R2 are reachable",
  responses: {
    200: jsonContent(ReadinessSchema, "All dependencies answer"),
    503: jsonContent(ReadinessSchema, "A dependency failed"),
  },
});
