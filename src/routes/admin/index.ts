import { serviceContext } from "../../services/context";
import * as service from "../../services/admin/admin.service";
import { createRouter } from "../router";
import * as routes from "./admin.routes";

type Detail = Awaited<ReturnType<typeof service.userDetail>>;
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

const GiB = 1024 ** 3;

const toAdminUser = ({ user, subscription, plan, usage, limits }: Detail) => ({
  user_id: user.id,
  email: user.email,
  full_name: user.fullName,
  role: user.role,
  is_active: user.isActive,
  plan_name: plan?.name ?? null,
  overrides: {
    custom_max_recordings_per_month: subscription?.customMaxRecordingsPerMonth ?? null,
    custom_max_storage_gb: subscription?.customMaxStorageGb ?? null,
    custom_max_transcription_minutes_per_month: subscription?.customMaxTranscriptionMinutesPerMonth ?? null,
    custom_max_concurrent_tasks: subscription?.customMaxConcurrentTasks ?? null,
    custom_max_automation_jobs: subscription?.customMaxAutomationJobs ?? null,
    custom_min_automation_interval_hours: subscription?.customMinAutomationIntervalHours ?? null,
  },
  notes: subscription?.notes ?? null,
  usage: { active_runs: usage.activeRuns, storage_bytes: usage.storageBytes },
  limits: {
    recordings_per_month: limits.recordingsPerMonth,
    storage_gb: limits.storageBytes === null ? null : limits.storageBytes / GiB,
    transcription_minutes_per_month: limits.transcriptionSecondsPerMonth === null ? null : limits.transcriptionSecondsPerMonth / 60,
    concurrent_tasks: limits.concurrentTasks,
    automation_jobs: limits.automationJobs,
    min_automation_interval_hours: limits.minAutomationIntervalHours,
  },
  created_at: user.createdAt.toISOString(),
  last_login_at: iso(user.lastLoginAt),
});

export const adminRouter = createRouter()
  .openapi(routes.listUsers, async (c) => {
    const query = c.req.valid("query");
    const { rows, total } = await service.listUsers(serviceContext(c.env), query);
    return c.json(
      {
        total_count: total,
        page: query.page,
        page_size: query.page_size,
        users: rows.map((r) => ({ user_id: r.id, email: r.email, role: r.role, is_active: r.isActive, plan_name: r.planName, recordings: Number(r.recordings), created_at: r.createdAt.toISOString() })),
      },
      200,
    );
  })
  .openapi(routes.getUser, async (c) => c.json(toAdminUser(await service.userDetail(serviceContext(c.env), c.req.valid("param").user_id)), 200))
  .openapi(routes.changeSubscription, async (c) =>
    c.json(toAdminUser(await service.changeSubscription(serviceContext(c.env), c.get("auth"), c.req.valid("param").user_id, c.req.valid("json"))), 200),
  )
  .openapi(routes.deactivate, async (c) => c.json(toAdminUser(await service.setUserActive(serviceContext(c.env), c.get("auth"), c.req.valid("param").user_id, false)), 200))
  .openapi(routes.reactivate, async (c) => c.json(toAdminUser(await service.setUserActive(serviceContext(c.env), c.get("auth"), c.req.valid("param").user_id, true)), 200))
  .openapi(routes.overview, async (c) => {
    const o = await service.overview(serviceContext(c.env));
    return c.json({ total_users: o.totalUsers, active_users: o.activeUsers, total_recordings: o.totalRecordings, users_by_plan: o.usersByPlan, total_shares: o.totalShares, active_shares: o.activeShares }, 200);
  })
  .openapi(routes.quotaStats, async (c) => c.json(await service.quotaStats(serviceContext(c.env), c.req.valid("query").period), 200))
  .openapi(routes.auditLog, async (c) => {
    const q = c.req.valid("query");
    const page = await service.auditLog(serviceContext(c.env), { targetUserId: q.target_user_id, action: q.action, before: q.before }, q.limit);
    return c.json(
      {
        items: page.items.map((i) => ({ id: i.id, actor_id: i.actorId, target_user_id: i.targetUserId, action: i.action, details: i.details, created_at: i.createdAt.toISOString() })),
        next_before: page.nextBefore,
      },
      200,
    );
  });
