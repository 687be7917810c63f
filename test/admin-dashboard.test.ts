import { describe, expect, it } from "vitest";
import { call, expectStatus, uniqueIp } from "./helpers/api";
import { countRows, createTenant, DEFAULT_PASSWORD, login } from "./helpers/tenants";

/** What the dashboard's admin pages need beyond the LEAP routes: effective limits and a pageable, filterable audit log. */
describe("admin: effective limits and the audit log's pages", () => {
  async function adminToken(): Promise<string> {
    // The bootstrap admin (BOOTSTRAP_ADMIN_EMAIL); another test may have registered it already.
    await call("/api/v1/auth/register", { body: { email: "first-admin@example.test", password: DEFAULT_PASSWORD }, ip: uniqueIp() });
    return (await login("first-admin@example.test", DEFAULT_PASSWORD, uniqueIp())).access_token;
  }

  type Limits = Record<string, number | null>;

  it("answers the limits that apply now: the plan's, with overrides (0 stays 0, null inherits)", async () => {
    const token = await adminToken();
    const user = await createTenant("limits-target");
    const detail = await call<{ plan_name: string; limits: Limits }>(`/api/v1/admin/users/${user.userId}`, { token });
    expectStatus(detail, 200);
    expect(detail.body.limits).toEqual({
      recordings_per_month: 10,
      storage_gb: 5,
      transcription_minutes_per_month: 600,
      concurrent_tasks: 1,
      automation_jobs: 0,
      min_automation_interval_hours: 24,
    });

    const pro = await call<{ plan_name: string; limits: Limits }>(`/api/v1/admin/users/${user.userId}/subscription`, {
      method: "PATCH",
      token,
      body: { plan_name: "pro", custom_max_storage_gb: 7, custom_max_automation_jobs: 0 },
    });
    expectStatus(pro, 200);
    expect(pro.body.limits).toMatchObject({ recordings_per_month: 200, storage_gb: 7, automation_jobs: 0, concurrent_tasks: 5 });

    const enterprise = await call<{ limits: Limits }>(`/api/v1/admin/users/${user.userId}/subscription`, {
      method: "PATCH",
      token,
      body: { plan_name: "enterprise", custom_max_storage_gb: null, custom_max_automation_jobs: null },
    });
    expect(enterprise.body.limits).toMatchObject({ recordings_per_month: null, storage_gb: null, automation_jobs: null, concurrent_tasks: 10 });
    // The user's own quota answer agrees with what the admin sees.
    const quota = await call<{ plan: string; recordings: { limit: number | null } }>("/api/v1/users/me/quota", { token: user.accessToken });
    expect(quota.body).toMatchObject({ plan: "enterprise", recordings: { limit: null } });
  });

  it("filters the audit log by action and pages it with next_before", async () => {
    const token = await adminToken();
    const user = await createTenant("audit-pages");
    for (const plan of ["plus", "pro", "plus"]) {
      expectStatus(await call(`/api/v1/admin/users/${user.userId}/subscription`, { method: "PATCH", token, body: { plan_name: plan } }), 200);
    }
    expectStatus(await call(`/api/v1/admin/users/${user.userId}/deactivate`, { method: "POST", token }), 200);

    type Page = { items: Array<{ id: number; action: string }>; next_before: number | null };
    const first = await call<Page>(`/api/v1/admin/audit-log?target_user_id=${user.userId}&action=subscription.changed&limit=2`, { token });
    expectStatus(first, 200);
    expect(first.body.items.map((i) => i.action)).toEqual(["subscription.changed", "subscription.changed"]);
    expect(first.body.next_before).toBe(first.body.items[1]?.id);
    const second = await call<Page>(`/api/v1/admin/audit-log?target_user_id=${user.userId}&action=subscription.changed&limit=2&before=${first.body.next_before}`, { token });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.next_before).toBeNull();
    const seen = new Set([...first.body.items, ...second.body.items].map((i) => i.id));
    expect(seen.size).toBe(3);

    const deactivations = await call<Page>(`/api/v1/admin/audit-log?target_user_id=${user.userId}&action=user.deactivated`, { token });
    expect(deactivations.body.items.map((i) => i.action)).toEqual(["user.deactivated"]);
    const none = await call<Page>(`/api/v1/admin/audit-log?action=${encodeURIComponent("'; DROP TABLE admin_audit_log; --")}`, { token });
    expectStatus(none, 200);
    expect(none.body.items).toEqual([]);
    expect(await countRows("admin_audit_log")).toBeGreaterThanOrEqual(4);
  });

  it("refuses bad paging input with a 400 and non-admins with a 403", async () => {
    const token = await adminToken();
    const user = await createTenant("audit-bad-input");
    expectStatus(await call("/api/v1/admin/audit-log?before=abc", { token }), 400);
    expectStatus(await call("/api/v1/admin/audit-log?before=0", { token }), 400);
    expectStatus(await call(`/api/v1/admin/audit-log?action=${"x".repeat(65)}`, { token }), 400);
    expectStatus(await call("/api/v1/admin/audit-log", { token: user.accessToken }), 403);
    expectStatus(await call(`/api/v1/admin/users/${user.userId}`, { token: user.accessToken }), 403);
    expectStatus(await call("/api/v1/admin/users/01JDNOBODY0000000000000000", { token }), 404);
  });
});
