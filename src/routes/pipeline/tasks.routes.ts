import { createRoute, z } from "@hono/zod-openapi";
import { ULID_PATTERN } from "../../lib/ids";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, errorResponse, jsonContent } from "../common/schemas";
import { RunSchema } from "./pipeline.schemas";

const authed = { tags: ["Tasks"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const TaskParam = z.object({ task_id: z.string().regex(ULID_PATTERN, "is not a task id").openapi({ param: { name: "task_id", in: "path" } }) });
const notFound = errorResponse("No such task of the caller (⚠ LEAP answered PENDING for any id)");

export const getTask = createRoute({
  ...authed,
  method: "get",
  path: "/{task_id}",
  summary: "A pipeline run's status: state, progress 0–100, stages, error",
  request: { params: TaskParam },
  responses: { 200: jsonContent(RunSchema, "The run"), 404: notFound, ...authErrors },
});

export const cancelTask = createRoute({
  ...authed,
  method: "delete",
  path: "/{task_id}",
  summary: "Cancel a run (a running stage stops after its current chunk)",
  request: { params: TaskParam },
  responses: { 200: jsonContent(RunSchema, "The run after the request"), 404: notFound, 409: errorResponse("The run has already ended"), ...authErrors },
});
