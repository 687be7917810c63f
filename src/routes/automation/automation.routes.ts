import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../common/schemas";
import { JobCreateSchema, JobSchema, JobUpdateSchema, RunResultSchema } from "./automation.schemas";

const authed = { tags: ["Automation"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const IdParam = z.object({ id: z.coerce.number().int().positive() });
const notFound = errorResponse("No such automation job (or source/template) of the caller");
const bool = z.enum(["true", "false"]).transform((v) => v === "true");

export const list = createRoute({
  ...authed,
  method: "get",
  path: "/",
  summary: "List automation jobs (oldest first)",
  request: { query: z.object({ active_only: bool.default(false) }) },
  responses: { 200: jsonContent(z.array(JobSchema), "Jobs"), ...authErrors },
});

export const create = createRoute({
  ...authed,
  method: "post",
  path: "/",
  summary: "Create a job: plan job count and minimum interval checked, source and templates must be the caller's, next_run_at computed",
  request: { body: jsonBody(JobCreateSchema) },
  responses: { 201: jsonContent(JobSchema, "The job"), 404: notFound, ...authErrors },
});

export const get = createRoute({
  ...authed,
  method: "get",
  path: "/{id}",
  summary: "One automation job",
  request: { params: IdParam },
  responses: { 200: jsonContent(JobSchema, "The job"), 404: notFound, ...authErrors },
});

export const update = createRoute({
  ...authed,
  method: "patch",
  path: "/{id}",
  summary: "Update a job; a new schedule or is_active recomputes next_run_at (null while inactive)",
  request: { params: IdParam, body: jsonBody(JobUpdateSchema) },
  responses: { 200: jsonContent(JobSchema, "The job"), 404: notFound, ...authErrors },
});

export const remove = createRoute({
  ...authed,
  method: "delete",
  path: "/{id}",
  summary: "Delete a job (and its run history)",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, 404: notFound, ...authErrors },
});

export const run = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/run",
  summary: "Run now (queued; 409 while the job is running), or dry_run=true: the recordings a run would process, with no side effects",
  request: { params: IdParam, query: z.object({ dry_run: bool.default(false) }) },
  responses: { 200: jsonContent(RunResultSchema, "Queued run, or the dry run's plan"), 404: notFound, 409: errorResponse("The job is already running"), ...authErrors },
});

export const runs = createRoute({
  ...authed,
  method: "get",
  path: "/{id}/runs",
  summary: "The job's runs, newest first (scheduled and manual), with their results or errors",
  request: { params: IdParam, query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
  responses: {
    200: jsonContent(
      z.object({
        items: z.array(
          z.object({
            id: z.number().int(),
            mode: z.string(),
            status: z.string(),
            scheduled_for: z.string().nullable(),
            started_at: z.string(),
            finished_at: z.string().nullable(),
            result: z.record(z.string(), z.unknown()).nullable(),
            error: z.string().nullable(),
          }),
        ),
      }),
      "Runs",
    ),
    404: notFound,
    ...authErrors,
  },
});
