import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Clock } from "../src/lib/clock";
import { automationTick } from "../src/services/automation/automation-runner";
import { minimumIntervalHours, nextRunAfter, normalizeSchedule, scheduleProblems, scheduleToCron, type Schedule } from "../src/services/automation/schedule";
import { serviceContext } from "../src/services/context";
import worker from "../src/index";
import { FakeZoom } from "./fakes/fake-zoom";
import { call, expectStatus } from "./helpers/api";
import { ENGINE_ONLY_CONFIG, MiB, waitForRun } from "./helpers/pipeline";
import { countRows, createTenant, createTwoTenants, expectTenantIsolation, type Tenant } from "./helpers/tenants";

let zoom: FakeZoom;
beforeEach(() => {
  zoom = new FakeZoom();
  vi.spyOn(globalThis, "fetch").mockImplementation(zoom.handle);
});
afterEach(async () => {
  // Background runs use the fake Zoom: let them end before the mock goes, and keep later ticks to their own jobs.
  await waitUntil(async () => (await countRows("automation_job_runs", "status = 'running'")) === 0);
  await env.DB.prepare("UPDATE automation_jobs SET is_active = 0").run();
  vi.restoreAllMocks();
});

async function waitUntil(done: () => Promise<boolean>, tries = 150): Promise<void> {
  for (let i = 0; i < tries && !(await done()); i++) await new Promise((r) => setTimeout(r, 100));
}

const at = (iso: string) => new Date(iso);
const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });
const next = (schedule: Partial<Schedule> & { type: Schedule["type"] }, after: string) =>
  nextRunAfter(normalizeSchedule(schedule as never), at(after))?.toISOString();

describe("schedule math", () => {
  it("Europe/Moscow (UTC+3, no DST): 09:00 local is 06:00 UTC, the same in winter and summer", () => {
    expect(next({ type: "time_of_day", time: "09:00" }, "2026-11-24T05:59:00Z")).toBe("2026-11-24T06:00:00.000Z");
    expect(next({ type: "time_of_day", time: "09:00" }, "2026-11-24T06:00:00Z")).toBe("2026-11-25T06:00:00.000Z");
    expect(next({ type: "time_of_day", time: "09:00", timezone: "Europe/Moscow" }, "2026-07-01T12:00:00Z")).toBe("2026-07-02T06:00:00.000Z");
    expect(next({ type: "time_of_day", time: "00:30" }, "2026-12-31T22:00:00Z")).toBe("2027-01-01T21:30:00.000Z");
  });

  it("America/New_York across the March and November DST changes", () => {
    const ny = (s: Partial<Schedule> & { type: Schedule["type"] }) => ({ ...s, timezone: "America/New_York" });
    // 09:00 EST = 14:00Z, 09:00 EDT = 13:00Z (spring forward on 2026-03-08, fall back on 2026-11-01).
    expect(next(ny({ type: "time_of_day", time: "09:00" }), "2026-03-07T15:00:00Z")).toBe("2026-03-08T13:00:00.000Z");
    expect(next(ny({ type: "time_of_day", time: "09:00" }), "2026-03-06T15:00:00Z")).toBe("2026-03-07T14:00:00.000Z");
    expect(next(ny({ type: "time_of_day", time: "09:00" }), "2026-10-31T14:00:00Z")).toBe("2026-11-01T14:00:00.000Z");
    // Skipped 02:30 (spring forward) fires at the first valid minute, 03:00 EDT = 07:00Z.
    expect(next(ny({ type: "time_of_day", time: "02:30" }), "2026-03-08T00:00:00Z")).toBe("2026-03-08T07:00:00.000Z");
    expect(next(ny({ type: "time_of_day", time: "02:30" }), "2026-03-08T07:00:00Z")).toBe("2026-03-09T06:30:00.000Z");
    // Repeated 01:30 (fall back) fires once, at its first occurrence (EDT, 05:30Z).
    expect(next(ny({ type: "time_of_day", time: "01:30" }), "2026-11-01T00:00:00Z")).toBe("2026-11-01T05:30:00.000Z");
    expect(next(ny({ type: "time_of_day", time: "01:30" }), "2026-11-01T05:30:00Z")).toBe("2026-11-02T06:30:00.000Z");
    // Hourly through the fall-back night: 01:00 fires once.
    const hourly = ny({ type: "cron", expression: "0 * * * *" });
    const fires: string[] = [];
    let t = "2026-11-01T03:30:00Z";
    for (let i = 0; i < 4; i++) fires.push((t = next(hourly, t)!));
    expect(fires).toEqual(["2026-11-01T04:00:00.000Z", "2026-11-01T05:00:00.000Z", "2026-11-01T07:00:00.000Z", "2026-11-01T08:00:00.000Z"]);
  });

  it("weekdays (0 = Monday), hours and cron with lists, ranges and steps", () => {
    // 2026-11-24 is a Tuesday. Mon+Wed 10:15 Moscow → Wednesday 07:15Z.
    expect(next({ type: "weekdays", days: [2, 0, 0], time: "10:15" }, "2026-11-24T08:00:00Z")).toBe("2026-11-25T07:15:00.000Z");
    expect(next({ type: "weekdays", days: [0], time: "10:15" }, "2026-11-25T08:00:00Z")).toBe("2026-11-30T07:15:00.000Z");
    expect(normalizeSchedule({ type: "weekdays", days: [6, 0, 6], time: "08:00" })).toEqual({ type: "weekdays", days: [0, 6], time: "08:00", timezone: "Europe/Moscow" });
    expect(scheduleToCron(normalizeSchedule({ type: "weekdays", days: [0, 6], time: "08:05" }))).toBe("5 8 * * 1,0");
    // Every 6 hours from local midnight, Moscow: 00, 06, 12, 18 local = 21, 03, 09, 15 UTC.
    expect(next({ type: "hours", hours: 6 }, "2026-11-24T04:00:00Z")).toBe("2026-11-24T09:00:00.000Z");
    expect(next({ type: "cron", expression: "*/20 9-10 * * 1-5", timezone: "UTC" }, "2026-11-24T09:45:00Z")).toBe("2026-11-24T10:00:00.000Z");
    expect(next({ type: "cron", expression: "10-50/20 * * * *", timezone: "UTC" }, "2026-11-24T09:31:00Z")).toBe("2026-11-24T09:50:00.000Z");
    expect(next({ type: "cron", expression: "0 12 1,15 * *", timezone: "UTC" }, "2026-11-24T00:00:00Z")).toBe("2026-12-01T12:00:00.000Z");
    // Both day fields restricted: either matches (Vixie). The 13th or any Friday; 2026-11-27 is a Friday.
    expect(next({ type: "cron", expression: "0 0 13 * 5", timezone: "UTC" }, "2026-11-24T00:00:00Z")).toBe("2026-11-27T00:00:00.000Z");
    expect(next({ type: "cron", expression: "0 0 29 2 *", timezone: "UTC" }, "2026-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
    // 7 is Sunday, like 0 (2026-11-29 is a Sunday).
    expect(next({ type: "cron", expression: "0 0 * * 7", timezone: "UTC" }, "2026-11-24T00:00:00Z")).toBe("2026-11-29T00:00:00.000Z");
    expect(minimumIntervalHours(normalizeSchedule({ type: "hours", hours: 5 }))).toBe(4); // 20:00 → 00:00
    expect(minimumIntervalHours(normalizeSchedule({ type: "time_of_day", time: "09:00" }))).toBe(24);
    expect(minimumIntervalHours(normalizeSchedule({ type: "cron", expression: "*/15 * * * *" }))).toBe(0.25);
  });

  it("rejects invalid cron expressions, zones and impossible dates", () => {
    const problems = (s: Partial<Schedule> & { type: Schedule["type"] }) => scheduleProblems(normalizeSchedule(s as never));
    for (const expression of ["* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "5-1 * * * *", "*/0 * * * *", "a * * * *", "1,,2 * * * *", "* * * JAN *"]) {
      expect(problems({ type: "cron", expression }), expression).not.toEqual([]);
    }
    expect(problems({ type: "cron", expression: "0 0 31 2 *" })).toEqual(["the schedule never fires"]);
    expect(problems({ type: "time_of_day", time: "09:00", timezone: "Mars/Olympus" })[0]).toContain("time zone");
    expect(problems({ type: "time_of_day", time: "24:00" })).not.toEqual([]);
    expect(problems({ type: "hours", hours: 25 })).not.toEqual([]);
    expect(problems({ type: "weekdays", days: [7], time: "09:00" })).not.toEqual([]);
    expect(problems({ type: "cron", expression: "0 9 * * 1-5", timezone: "Asia/Kolkata" })).toEqual([]);
  });
});

describe("cron expressions on croner", () => {
  const problems = (expression: string) => scheduleProblems(normalizeSchedule({ type: "cron", expression, timezone: "UTC" }));
  const fires = (expression: string, timezone: string, after: string, count: number) => {
    const out: string[] = [];
    for (let i = 0, t = after; i < count; i++) out.push((t = next({ type: "cron", expression, timezone }, t)!));
    return out;
  };

  it("refuses croner's extensions and names the wrong field", () => {
    for (const expression of ["0 0 L * *", "0 0 15W * *", "0 0 * * 5#2", "0 0 * * 5L", "0 0 * * MON", "0 0 1 * ?", "0 0 1 * +1", "@daily", "0 0 1 1 * 2027"]) {
      expect(problems(expression), expression).not.toEqual([]);
    }
    expect(problems("0 0 0 * * *")).toEqual(["cron expression: expected 5 fields (minute hour day month weekday), got 6 (a seconds field is not supported: jobs run at most once a minute)"]);
    expect(problems("* * 0 * *")).toEqual(["cron expression: day of month: 0 is outside 1–31"]);
    expect(problems("* * * 13 *")).toEqual(["cron expression: month: 13 is outside 1–12"]);
    expect(problems("* * * * MON")).toEqual(['cron expression: day of week: "MON" is not a number, range or step (names and ? L W # are not supported)']);
    expect(problems("* 5-1 * * *")).toEqual(["cron expression: hour: range 5-1 is reversed"]);
    expect(problems("001 * * * *")).toEqual(['cron expression: minute: "001" is not a number']);
  });

  it("keeps Vixie meanings croner reads differently: N/step, a bare * in a list, steps longer than the field", () => {
    // "7/3" = from 7 (Sunday) to the end of the field; croner alone would match no weekday.
    expect(next({ type: "cron", expression: "0 12 * * 7/3", timezone: "UTC" }, "2026-11-24T00:00:00Z")).toBe("2026-11-29T12:00:00.000Z");
    // "*,5" is unrestricted, so only the weekday counts (Mondays), not "5th OR Monday" (= every day).
    expect(next({ type: "cron", expression: "0 0 *,5 * 1", timezone: "UTC" }, "2026-11-24T00:00:00Z")).toBe("2026-11-30T00:00:00.000Z");
    // A step longer than the field selects its start (croner refuses those; stored jobs may have them).
    expect(problems("0 */30 * * *")).toEqual([]);
    expect(minimumIntervalHours(normalizeSchedule({ type: "cron", expression: "0 */30 * * *" }))).toBe(24);
  });

  it("keeps the documented DST rule for interval jobs too (croner runs them twice in a repeated hour and skips gaps)", () => {
    // New York, spring forward 2026-03-08: 02:00, 02:20, 02:40 do not exist → one run at 03:00 EDT.
    expect(fires("*/20 2 * * *", "America/New_York", "2026-03-08T00:00:00Z", 2)).toEqual(["2026-03-08T07:00:00.000Z", "2026-03-09T06:00:00.000Z"]);
    // Fall back 2026-11-01: 01:00 and 01:30 run once each, at the first (EDT) occurrence.
    expect(fires("*/30 * * * *", "America/New_York", "2026-11-01T04:45:00Z", 4)).toEqual([
      "2026-11-01T05:00:00.000Z",
      "2026-11-01T05:30:00.000Z",
      "2026-11-01T07:00:00.000Z",
      "2026-11-01T07:30:00.000Z",
    ]);
    // Lord Howe shifts by 30 minutes: 02:15 on 2026-10-04 is skipped → 02:30 (+11:00).
    expect(fires("15 2 * * *", "Australia/Lord_Howe", "2026-10-03T12:00:00Z", 2)).toEqual(["2026-10-03T15:30:00.000Z", "2026-10-04T15:15:00.000Z"]);
    // ... and 01:45 on 2026-04-05 happens twice (+11:00, then +10:30) → once, the first time.
    expect(fires("45 1 * * *", "Australia/Lord_Howe", "2026-04-04T12:00:00Z", 2)).toEqual(["2026-04-04T14:45:00.000Z", "2026-04-05T15:15:00.000Z"]);
    // Kathmandu (+05:45, no DST).
    expect(next({ type: "cron", expression: "0 9 * * *", timezone: "Asia/Kathmandu" }, "2026-11-24T00:00:00Z")).toBe("2026-11-24T03:15:00.000Z");
  });
});

async function setPlan(t: Tenant, plan: string) {
  await env.DB.prepare("UPDATE user_subscriptions SET plan_id = (SELECT id FROM subscription_plans WHERE name = ?) WHERE user_id = ?").bind(plan, t.userId).run();
}

async function zoomSetup(t: Tenant): Promise<{ sourceId: number; templateId: number }> {
  const template = await call<{ id: number }>("/api/v1/templates", { token: t.accessToken, body: { name: "Lectures", matching_rules: { keywords: ["lecture"] } } });
  expectStatus(template, 201);
  const credential = await call<{ id: number }>("/api/v1/credentials", {
    token: t.accessToken,
    body: { platform: "zoom", credentials: { account_id: zoom.accountId, client_id: zoom.clientId, client_secret: zoom.clientSecret } },
  });
  expectStatus(credential, 201);
  const source = await call<{ id: number }>("/api/v1/sources", { token: t.accessToken, body: { name: "Zoom", platform: "ZOOM", credential_id: credential.body.id } });
  expectStatus(source, 201);
  return { sourceId: source.body.id, templateId: template.body.id };
}

type Job = { id: number; next_run_at: string | null; is_active: boolean; run_count: number; last_run_at: string | null; schedule: Record<string, unknown>; template_ids: number[] };
const createJob = (t: Tenant, body: Record<string, unknown>) => call<Job>("/api/v1/automation/jobs", { token: t.accessToken, body });

describe("automation jobs API", () => {
  it("creates, lists, reads, updates (recomputing next_run_at) and deletes; validates input; isolates tenants", async () => {
    const { a, b } = await createTwoTenants();
    await setPlan(a, "pro");
    const { sourceId, templateId } = await zoomSetup(a);
    const foreign = await zoomSetup(b);
    const base = { name: "Nightly", source_id: sourceId, template_ids: [templateId], schedule: { type: "time_of_day", time: "09:00" } };

    for (const bad of [
      { ...base, name: "" },
      { ...base, schedule: { type: "time_of_day", time: "9am" } },
      { ...base, schedule: { type: "cron", expression: "61 * * * *" } },
      { ...base, schedule: { type: "time_of_day", time: "09:00", timezone: "Nowhere/City" } },
      { ...base, schedule: { type: "hours", hours: 0 } },
      { ...base, sync_config: { sync_days: 31 } },
      { ...base, processing_config: { max_parallel: 11 } },
      { ...base, unknown: 1 },
    ]) {
      const response = await createJob(a, bad);
      expectStatus(response, 400);
    }
    // ⚠ LEAP: another tenant's source or template is refused (404), nothing stored.
    expectStatus(await createJob(a, { ...base, source_id: foreign.sourceId }), 404);
    expectStatus(await createJob(a, { ...base, template_ids: [templateId, foreign.templateId] }), 404);
    expect(await countRows("automation_jobs", "user_id = ?", a.userId)).toBe(0);

    const created = await createJob(a, base);
    expectStatus(created, 201);
    expect(created.body).toMatchObject({
      name: "Nightly",
      user_id: a.userId,
      source_id: sourceId,
      template_ids: [templateId],
      schedule: { type: "time_of_day", time: "09:00", timezone: "Europe/Moscow" },
      sync_config: { sync_days: 2, allow_skipped: false },
      processing_config: { auto_process: true, auto_upload: true, max_parallel: 3 },
      is_active: true,
      run_count: 0,
      last_run_at: null,
    });
    expect(created.body.next_run_at).toMatch(/T06:00:00\.000Z$/);
    const id = created.body.id;

    const list = await call<Job[]>("/api/v1/automation/jobs", { token: a.accessToken });
    expect(list.body.map((j) => j.id)).toEqual([id]);
    expect((await call<Job[]>("/api/v1/automation/jobs", { token: b.accessToken })).body).toEqual([]);

    const path = `/api/v1/automation/jobs/${id}`;
    expectStatus(await call(path, { method: "PATCH", token: a.accessToken, body: {} }), 400);
    const moved = await call<Job>(path, { method: "PATCH", token: a.accessToken, body: { schedule: { type: "time_of_day", time: "14:30", timezone: "America/New_York" } } });
    expectStatus(moved, 200);
    expect(moved.body.next_run_at).toMatch(/T19:30:00\.000Z$/); // EST in late November
    const off = await call<Job>(path, { method: "PATCH", token: a.accessToken, body: { is_active: false } });
    expect(off.body).toMatchObject({ is_active: false, next_run_at: null });
    expect((await call<Job[]>("/api/v1/automation/jobs?active_only=true", { token: a.accessToken })).body).toEqual([]);
    const on = await call<Job>(path, { method: "PATCH", token: a.accessToken, body: { is_active: true } });
    expect(on.body.next_run_at).toMatch(/T19:30:00\.000Z$/);
    expectStatus(await call(path, { method: "PATCH", token: a.accessToken, body: { template_ids: [foreign.templateId] } }), 404);

    await expectTenantIsolation({ path }, { a, b }, 200);
    await expectTenantIsolation({ path, method: "PATCH", body: { name: "x" } }, { a, b }, 200);
    await expectTenantIsolation({ path: `${path}/run?dry_run=true`, method: "POST" }, { a, b }, 200);
    await expectTenantIsolation({ path, method: "DELETE" }, { a, b }, 204);
    expectStatus(await call(path, { token: a.accessToken }), 404);
  });

  it("enforces the plan's job count and minimum interval", async () => {
    const t = await createTenant("autoquota");
    const { sourceId } = await zoomSetup(t);
    const body = { name: "J", source_id: sourceId, schedule: { type: "time_of_day", time: "09:00" } };
    const free = await createJob(t, body);
    expectStatus(free, 400); // free plan: max_automation_jobs = 0
    expect(free.body).toMatchObject({ error: { message: "Automation job limit reached (0 jobs maximum)", details: { quota: "max_automation_jobs", limit: 0, current: 0 } } });

    await setPlan(t, "plus"); // 3 jobs, ≥ 6 h apart
    const tooOften = await createJob(t, { ...body, schedule: { type: "hours", hours: 4 } });
    expectStatus(tooOften, 400);
    expect(tooOften.body).toMatchObject({ error: { details: { quota: "min_automation_interval_hours", limit: 6 } } });
    for (let i = 0; i < 3; i++) expectStatus(await createJob(t, { ...body, name: `J${i}`, schedule: { type: "hours", hours: 6 } }), 201);
    const fourth = await createJob(t, body);
    expectStatus(fourth, 400);
    expect(fourth.body).toMatchObject({ error: { details: { limit: 3, current: 3 } } });
    expect(await countRows("automation_jobs", "user_id = ?", t.userId)).toBe(3);
  });
});

const runsOf = (jobId: number) => countRows("automation_job_runs", "job_id = ?", jobId);
const jobRow = (id: number) => env.DB.prepare("SELECT next_run_at, running_since, run_count FROM automation_jobs WHERE id = ?").bind(id).first<{ next_run_at: number; running_since: number | null; run_count: number }>();
const waitIdle = (jobId: number) => waitUntil(async () => (await countRows("automation_job_runs", "job_id = ? AND status = 'running'", jobId)) === 0);

describe("the minutely tick", () => {
  it("runs a 09:00 Moscow job once at 06:00 UTC (not at 05:59); simultaneous ticks start one run; missed ticks run once", async () => {
    const t = await createTenant("autotick");
    await setPlan(t, "pro");
    const { sourceId } = await zoomSetup(t);
    const job = await createJob(t, { name: "Morning", source_id: sourceId, schedule: { type: "time_of_day", time: "09:00" } });
    expectStatus(job, 201);
    const due = Date.parse(job.body.next_run_at!);
    expect(new Date(due).toISOString()).toMatch(/T06:00:00\.000Z$/);
    const tick = (ms: number) => automationTick(serviceContext(env, fixedClock(new Date(ms).toISOString())));

    expect((await tick(due - 60_000)).claimed).not.toContain(job.body.id);
    expect(await runsOf(job.body.id)).toBe(0);
    const [first, second] = await Promise.all([tick(due), tick(due)]);
    expect([...first.claimed, ...second.claimed].filter((id) => id === job.body.id)).toHaveLength(1);
    expect(await runsOf(job.body.id)).toBe(1);
    const run = await env.DB.prepare("SELECT mode, scheduled_for FROM automation_job_runs WHERE job_id = ?").bind(job.body.id).first<{ mode: string; scheduled_for: number }>();
    expect(run).toEqual({ mode: "scheduled", scheduled_for: due });
    expect((await jobRow(job.body.id))!.next_run_at).toBe(due + 86_400_000);
    await waitIdle(job.body.id);
    const after = await call<Job>(`/api/v1/automation/jobs/${job.body.id}`, { token: t.accessToken });
    expect(after.body).toMatchObject({ run_count: 1 });
    expect(after.body.last_run_at).not.toBeNull();

    // A job never overlaps itself: while running_since is set it is not claimed, unless stale (> 1 h).
    const nextDue = due + 86_400_000;
    await env.DB.prepare("UPDATE automation_jobs SET running_since = ? WHERE id = ?").bind(nextDue - 30 * 60_000, job.body.id).run();
    expect((await tick(nextDue)).claimed).not.toContain(job.body.id);
    await env.DB.prepare("UPDATE automation_jobs SET running_since = ? WHERE id = ?").bind(nextDue - 61 * 60_000, job.body.id).run();
    expect((await tick(nextDue)).claimed).toContain(job.body.id);
    await waitIdle(job.body.id);
    expect(await runsOf(job.body.id)).toBe(2);

    // The Worker was down for 3 days: one catch-up run, then the schedule continues from now.
    const late = nextDue + 3 * 86_400_000 + 7 * 60_000;
    expect((await tick(late)).claimed).toContain(job.body.id);
    expect((await tick(late + 60_000)).claimed).not.toContain(job.body.id);
    expect(await runsOf(job.body.id)).toBe(3);
    expect((await jobRow(job.body.id))!.next_run_at).toBe(nextDue + 4 * 86_400_000);
    await waitIdle(job.body.id);
  });

  it("the Worker's \"* * * * *\" cron trigger runs the tick", async () => {
    const t = await createTenant("autocron");
    await setPlan(t, "pro");
    const { sourceId } = await zoomSetup(t);
    const job = await createJob(t, { name: "Cron", source_id: sourceId, schedule: { type: "cron", expression: "15 */2 * * *", timezone: "UTC" } });
    expectStatus(job, 201);
    await env.DB.prepare("UPDATE automation_jobs SET next_run_at = ? WHERE id = ?").bind(Date.now() - 60_000, job.body.id).run();
    const ctx = createExecutionContext();
    await worker.scheduled?.(createScheduledController({ cron: "* * * * *", scheduledTime: new Date() }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await runsOf(job.body.id)).toBe(1);
    await waitIdle(job.body.id);
    expect(await countRows("automation_job_runs", "job_id = ? AND status = 'completed' AND mode = 'scheduled'", job.body.id)).toBe(1);
    expect((await jobRow(job.body.id))!.next_run_at).toBeGreaterThan(Date.now());
  });

  it("run now queues one run (409 while running); a run syncs the source and starts pipeline runs for matching recordings", async () => {
    const t = await createTenant("autorun");
    await setPlan(t, "pro");
    const { sourceId, templateId } = await zoomSetup(t);
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { ...ENGINE_ONLY_CONFIG, download: { blank_min_size_mb: 1 } } });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    for (const uuid of ["auto-a==", "auto-b=="]) {
      zoom.addDownloadableMeeting(uuid, 6 * MiB + 17);
      zoom.meetings[zoom.meetings.length - 1]!.start_time = yesterday;
    }
    zoom.addDownloadableMeeting("standup==", 6 * MiB);
    Object.assign(zoom.meetings[zoom.meetings.length - 1]!, { start_time: yesterday, topic: "Weekly standup" });

    const job = await createJob(t, {
      name: "Sync and process",
      source_id: sourceId,
      template_ids: [templateId],
      schedule: { type: "weekdays", days: [0, 2, 4], time: "08:00" },
      processing_config: { max_parallel: 1, auto_upload: false },
    });
    expectStatus(job, 201);
    const path = `/api/v1/automation/jobs/${job.body.id}/run`;

    const dryBefore = await call<Record<string, unknown>>(`${path}?dry_run=true`, { method: "POST", token: t.accessToken });
    expectStatus(dryBefore, 200);
    expect(dryBefore.body).toMatchObject({ mode: "dry_run", task_id: null, estimated_matched_recordings: 0 });
    expect(zoom.requests).toHaveLength(0); // no Zoom call in a dry run

    await env.DB.prepare("UPDATE automation_jobs SET running_since = ? WHERE id = ?").bind(Date.now(), job.body.id).run();
    expectStatus(await call(path, { method: "POST", token: t.accessToken }), 409);
    await env.DB.prepare("UPDATE automation_jobs SET running_since = NULL WHERE id = ?").bind(job.body.id).run();

    const queued = await call<{ task_id: string; mode: string; run_id: number }>(path, { method: "POST", token: t.accessToken });
    expectStatus(queued, 200);
    expect(queued.body.mode).toBe("execute");
    await waitIdle(job.body.id);
    const run = await env.DB.prepare("SELECT status, error, result FROM automation_job_runs WHERE id = ?").bind(queued.body.run_id).first<{ status: string; error: string | null; result: string }>();
    expect(run?.status, run?.error ?? "").toBe("completed");
    const result = JSON.parse(run!.result) as { sync: { created: number }; matched: number; started: Array<{ recording_id: number; run_id: string }> };
    expect(result.sync.created).toBe(3);
    expect(result.matched).toBe(2); // the standup matches no template
    expect(result.started).toHaveLength(1); // max_parallel = 1
    const pipelineRun = await env.DB.prepare("SELECT trigger FROM pipeline_runs WHERE id = ?").bind(result.started[0]!.run_id).first<{ trigger: string }>();
    expect(pipelineRun?.trigger).toBe("bulk");
    expect(await countRows("pipeline_runs", "recording_id IN (SELECT id FROM recordings WHERE user_id = ?)", t.userId)).toBe(1);
    const ended = await waitForRun(result.started[0]!.run_id);
    expect(ended.status, ended.error ?? "").toBe("COMPLETED");

    // The dry run now sees the one matching recording still INITIALIZED, and changes nothing.
    const requests = zoom.requests.length;
    const dryAfter = await call<{ estimated_matched_recordings: number; would_start: number[] }>(`${path}?dry_run=true`, { method: "POST", token: t.accessToken });
    expect(dryAfter.body.estimated_matched_recordings).toBe(1);
    expect(dryAfter.body.would_start).toHaveLength(1);
    expect(zoom.requests.length).toBe(requests);
    expect(await countRows("pipeline_runs", "recording_id IN (SELECT id FROM recordings WHERE user_id = ?)", t.userId)).toBe(1);
    expect((await call<Job>(`/api/v1/automation/jobs/${job.body.id}`, { token: t.accessToken })).body.run_count).toBe(1);
    const history = await call<{ items: Array<{ mode: string; status: string; result: { started?: unknown[] } | null }> }>(`/api/v1/automation/jobs/${job.body.id}/runs`, {
      token: t.accessToken,
    });
    expectStatus(history, 200);
    expect(history.body.items.map((r) => [r.mode, r.status])).toEqual([["manual", "completed"]]);
  });
});
