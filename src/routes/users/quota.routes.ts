import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, jsonContent } from "../common/schemas";

const authed = { tags: ["Quota"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };

const Allowance = z.object({ used: z.number(), limit: z.number().nullable(), available: z.number().nullable() });

export const QuotaSchema = z
  .object({
    plan: z.string().nullable().openapi({ description: "The plan's name; null without a subscription (no limits)" }),
    period: z.string().openapi({ example: "202611", description: "The current month (UTC), YYYYMM" }),
    recordings: Allowance.openapi({ description: "New recordings this month" }),
    storage: z.object({
      used_bytes: z.number(),
      limit_bytes: z.number().nullable(),
      available_bytes: z.number().nullable(),
      used_gb: z.number(),
      limit_gb: z.number().nullable(),
      available_gb: z.number().nullable(),
    }),
    transcription_minutes: Allowance.openapi({ description: "Transcribed minutes this month" }),
    concurrent_tasks: Allowance,
    automation_jobs: Allowance.openapi({ description: "Automation jobs defined" }),
  })
  .openapi("Quota");

export const QuotaHistorySchema = z
  .object({
    items: z.array(
      z.object({
        period: z.string(),
        recordings_count: z.number().int(),
        transcription_seconds: z.number().int(),
        storage_bytes: z.number().int(),
        updated_at: z.string(),
      }),
    ),
  })
  .openapi("QuotaHistory");

export const getQuota = createRoute({
  ...authed,
  method: "get",
  path: "/me/quota",
  summary: "Your limits (null = unlimited) and current usage",
  responses: { 200: jsonContent(QuotaSchema, "Limits and usage"), ...authErrors },
});

export const getQuotaHistory = createRoute({
  ...authed,
  method: "get",
  path: "/me/quota/history",
  summary: "Monthly usage history, newest first",
  request: { query: z.object({ months: z.coerce.number().int().min(1).max(36).default(12) }) },
  responses: { 200: jsonContent(QuotaHistorySchema, "Usage per month"), ...authErrors },
});
