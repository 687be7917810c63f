import { createRoute, z } from "@hono/zod-openapi";
import { requireAdmin, requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../common/schemas";

const admin = { tags: ["Admin"], security: [{ bearerAuth: [] }], middleware: [requireAuth, requireAdmin, apiRateLimit] };
const UserParam = z.object({ user_id: z.string().min(1).max(40).openapi({ param: { name: "user_id", in: "path" } }) });
const notFound = errorResponse("No such user");

const UsageSchema = z.object({ active_runs: z.number().int(), storage_bytes: z.number().int() });
const LimitsSchema = z
  .object({
    recordings_per_month: z.number().int().nullable(),
    storage_gb: z.number().nullable(),
    transcription_minutes_per_month: z.number().nullable(),
    concurrent_tasks: z.number().int().nullable(),
    automation_jobs: z.number().int().nullable(),
    min_automation_interval_hours: z.number().nullable(),
  })
  .openapi("EffectiveLimits", { description: "What applies now: the plan's values with the user's overrides; null = unlimited" });

export const AdminUserSchema = z
  .object({
    user_id: z.string(),
    email: z.string(),
    full_name: z.string().nullable(),
    role: z.string(),
    is_active: z.boolean(),
    plan_name: z.string().nullable(),
    overrides: z.record(z.string(), z.number().nullable()),
    notes: z.string().nullable(),
    usage: UsageSchema,
    limits: LimitsSchema,
    created_at: z.string(),
    last_login_at: z.string().nullable(),
  })
  .openapi("AdminUser");

const limit = (name: string) => z.number().int().min(0).max(1_000_000).nullable().optional().openapi({ description: `${name}; null = the plan's, 0 = none` });

export const listUsers = createRoute({
  ...admin,
  method: "get",
  path: "/users",
  summary: "Users with plan and recording counts (search by e-mail, filter by plan)",
  request: {
    query: z.object({
      search: z.string().max(200).optional(),
      plan_name: z.string().max(50).optional(),
      page: z.coerce.number().int().min(1).default(1),
      page_size: z.coerce.number().int().min(1).max(100).default(50),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({
        total_count: z.number().int(),
        page: z.number().int(),
        page_size: z.number().int(),
        users: z.array(
          z.object({ user_id: z.string(), email: z.string(), role: z.string(), is_active: z.boolean(), plan_name: z.string().nullable(), recordings: z.number().int(), created_at: z.string() }),
        ),
      }),
      "A page of users",
    ),
    ...authErrors,
  },
});

export const getUser = createRoute({ ...admin, method: "get", path: "/users/{user_id}", summary: "One user with plan, overrides and live usage", request: { params: UserParam }, responses: { 200: jsonContent(AdminUserSchema, "The user"), 404: notFound, ...authErrors } });

export const changeSubscription = createRoute({
  ...admin,
  method: "patch",
  path: "/users/{user_id}/subscription",
  summary: "Set a user's plan and per-user limit overrides (audited)",
  request: {
    params: UserParam,
    body: jsonBody(
      z
        .object({
          plan_name: z.string().min(1).max(50).optional(),
          custom_max_recordings_per_month: limit("recordings per month"),
          custom_max_storage_gb: limit("storage GB"),
          custom_max_transcription_minutes_per_month: limit("transcription minutes per month"),
          custom_max_concurrent_tasks: limit("concurrent runs"),
          custom_max_automation_jobs: limit("automation jobs"),
          custom_min_automation_interval_hours: limit("minimum automation interval (hours)"),
          notes: z.string().max(2000).nullable().optional(),
        })
        .strict()
        .refine((b) => Object.keys(b).length > 0, "at least one field is required")
        .openapi("SubscriptionChange"),
    ),
  },
  responses: { 200: jsonContent(AdminUserSchema, "The user after the change"), 404: notFound, ...authErrors },
});

const activation = (action: "deactivate" | "reactivate") =>
  createRoute({
    ...admin,
    method: "post",
    path: `/users/{user_id}/${action}`,
    summary: action === "deactivate" ? "Deactivate a user: signed out everywhere, logins refused (audited)" : "Reactivate a user (audited)",
    request: { params: UserParam },
    responses: { 200: jsonContent(AdminUserSchema, "The user"), 404: notFound, ...authErrors },
  });
export const deactivate = activation("deactivate");
export const reactivate = activation("reactivate");

export const overview = createRoute({
  ...admin,
  method: "get",
  path: "/stats/overview",
  summary: "Platform totals: users, active users, recordings, users by plan, share links",
  responses: {
    200: jsonContent(
      z.object({
        total_users: z.number().int(),
        active_users: z.number().int(),
        total_recordings: z.number().int(),
        users_by_plan: z.record(z.string(), z.number().int()),
        total_shares: z.number().int().openapi({ description: "Share links ever made (revoked and expired included)" }),
        active_shares: z.number().int().openapi({ description: "Share links that work now: not revoked, not expired, recording not deleted" }),
      }),
      "Totals",
    ),
    ...authErrors,
  },
});

const PlanUsageSchema = z.object({
  plan_name: z.string(),
  total_users: z.number().int(),
  total_recordings: z.number().int(),
  total_storage_gb: z.number(),
  total_transcription_minutes: z.number(),
  avg_recordings_per_user: z.number(),
  avg_storage_per_user_gb: z.number(),
});

export const quotaStats = createRoute({
  ...admin,
  method: "get",
  path: "/stats/quotas",
  summary: "A month's usage per plan (LEAP's quota statistics)",
  description:
    "From the monthly usage history: recordings created and transcription minutes in the month, storage as of the month's last " +
    "storage audit. Every plan is listed, with no users too. There is no pay-as-you-go overage here: `total_overage_cost` is 0.",
  request: {
    query: z.object({
      period: z
        .string()
        .regex(/^\d{4}(0[1-9]|1[0-2])$/, "must be YYYYMM")
        .optional()
        .openapi({ description: "The month, YYYYMM (UTC); the current one by default", example: "202609" }),
    }),
  },
  responses: {
    200: jsonContent(
      z
        .object({
          period: z.string(),
          total_recordings: z.number().int(),
          total_storage_gb: z.number(),
          total_transcription_minutes: z.number(),
          total_overage_cost: z.number(),
          plans: z.array(PlanUsageSchema),
        })
        .openapi("QuotaStats"),
      "Usage per plan",
    ),
    ...authErrors,
  },
});

export const auditLog = createRoute({
  ...admin,
  method: "get",
  path: "/audit-log",
  summary: "Admin actions, newest first",
  request: {
    query: z.object({
      target_user_id: z.string().max(40).optional(),
      action: z.string().min(1).max(64).optional().openapi({ description: "Only this action, e.g. `subscription.changed`, `user.deactivated`" }),
      before: z.coerce.number().int().min(1).optional().openapi({ description: "The `next_before` of the previous page" }),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({
        items: z.array(z.object({ id: z.number().int(), actor_id: z.string().nullable(), target_user_id: z.string().nullable(), action: z.string(), details: z.record(z.string(), z.unknown()).nullable(), created_at: z.string() })),
        next_before: z.number().int().nullable().openapi({ description: "Pass as `before` for the next (older) page; null on the last page" }),
      }),
      "Entries",
    ),
    ...authErrors,
  },
});
