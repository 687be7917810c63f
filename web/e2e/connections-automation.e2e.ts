import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { PASSWORD, registerViaApi, signIn, uniqueEmail } from "./support/accounts";
import { baseURL, launch, newContext, review, trackErrors } from "./support/browser";
import { meetingArrives, sandbox } from "./support/sandbox";

// A content manager connects the university's Zoom account with its Server-to-Server keys, adds a
// Zoom source and copies its webhook URL into Zoom, tests the keys; then schedules a morning sync
// in the lecturers' time zone for one course's template, tries it as a dry run and runs it once; and
// pulls a date range of recordings from the sandbox's simulated Zoom with "Sync now".
/** Each state is reviewed (axe + two screenshots): on a busy machine that alone takes most of the default 90 s. */
const JOURNEY_TIMEOUT_MS = 180_000;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function api<T>(pathname: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  const response = await fetch(`${baseURL()}${pathname}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The bootstrapped administrator's token (registered on first use; another journey may have done it). */
async function adminToken(): Promise<string> {
  const email = inject("adminEmail");
  const register = await api("/api/v1/auth/register", { method: "POST", json: { email, password: PASSWORD } });
  expect([201, 409]).toContain(register.status);
  const login = await api<{ access_token: string }>("/api/v1/auth/login", { method: "POST", json: { email, password: PASSWORD } });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return login.body.access_token;
}

/** The free plan has no automation jobs: an administrator moves the account to Pro. */
async function upgradeToPro(email: string): Promise<void> {
  const token = await adminToken();
  const found = await api<{ users: { user_id: string; email: string }[] }>(`/api/v1/admin/users?search=${encodeURIComponent(email)}`, { token });
  const user = found.body.users.find((u) => u.email === email);
  expect(user, JSON.stringify(found.body)).toBeDefined();
  const changed = await api(`/api/v1/admin/users/${user!.user_id}/subscription`, { method: "PATCH", token, json: { plan_name: "pro" } });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
}

test("connect Zoom with keys, add a source and copy its webhook, test the keys; an OAuth refusal comes back with its message", async () => {
  const context = await newContext(browser);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  const errors = trackErrors(page);
  const email = uniqueEmail("content-manager");

  // Sign up.
  await page.goto("/sign-up");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Full name").fill("Maria Content");
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();

  // Connections: nothing yet.
  const nav = page.getByRole("navigation", { name: "Main navigation" });
  await nav.getByRole("link", { name: "Connections" }).click();
  await page.getByRole("heading", { level: 1, name: "Connections" }).waitFor();
  await page.getByText("No credentials yet.").waitFor();
  await page.getByText("No sources yet.").waitFor();
  await review(page, "connections-empty");

  // A key-based credential: the API's rules are checked before sending, then it is stored and shown masked.
  await page.getByRole("button", { name: "Add a key" }).click();
  const form = page.getByRole("form", { name: "Add a key" });
  await form.getByRole("button", { name: "Save credential" }).click();
  await expect.poll(() => form.getByText("Required.").count()).toBe(3);
  await form.getByLabel("Name for this account").fill("University Zoom");
  await form.getByLabel("Account ID").fill("uni-account-42");
  await form.getByLabel("Client ID").fill("s2s-client-7Kq2");
  await form.getByLabel("Client secret").fill("short");
  await form.getByRole("button", { name: "Save credential" }).click();
  await form.getByText("At least 10 characters.").waitFor();
  await review(page, "connections-credential-form");
  const secret = "zoom-client-secret-9f8e7d";
  await form.getByLabel("Client secret").fill(secret);
  await form.getByRole("button", { name: "Save credential" }).click();
  const credentialRow = page.getByRole("row", { name: /University Zoom/ });
  await credentialRow.waitFor();
  await expect.poll(() => credentialRow.getByText("••••7Kq2").count()).toBe(1);
  expect(await page.content()).not.toContain(secret);

  // Test: the dev server reaches no Zoom, so the failure is shown clearly.
  await credentialRow.getByRole("button", { name: "Test Zoom (University Zoom)" }).click();
  const testResult = page.getByRole("alert").filter({ hasText: "Zoom (University Zoom): the test failed" });
  await testResult.waitFor();
  expect(((await testResult.textContent()) ?? "").trim().length).toBeGreaterThan("Zoom (University Zoom): the test failed".length);
  await review(page, "connections-credential-tested");

  // A Zoom source with that credential; its webhook URL on this origin, copied with one click.
  await page.getByRole("button", { name: "Add a Zoom source" }).click();
  const sourceForm = page.getByRole("form", { name: "Add a Zoom source" });
  await sourceForm.getByLabel("Source name").fill("Lectures Zoom");
  await sourceForm.getByLabel("Zoom credential").click();
  await page.getByRole("option", { name: /University Zoom/ }).click();
  await sourceForm.getByRole("button", { name: "Create source" }).click();
  const source = page.getByRole("region", { name: "Lectures Zoom" });
  await source.getByRole("heading", { name: "Lectures Zoom" }).waitFor();
  const webhook = source.getByLabel("Event notification endpoint URL");
  const url = await webhook.inputValue();
  expect(url).toMatch(new RegExp(`^${baseURL().replace(/[.:/]/g, "\\$&")}/api/v1/webhooks/zoom/\\d+$`));
  await expect.poll(() => source.getByRole("listitem").count()).toBe(4); // the numbered setup steps
  await source.getByRole("button", { name: "Copy the webhook URL of Lectures Zoom" }).click();
  await source.getByRole("button", { name: "Copied" }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await source.getByRole("button", { name: "Sync now" }).waitFor();
  await review(page, "connections-source");

  // OAuth: this server has no YouTube app configured, which is said plainly …
  await page.getByRole("button", { name: "Connect YouTube" }).click();
  await page.getByRole("alert").filter({ hasText: "Could not connect YouTube" }).filter({ hasText: "not configured" }).waitFor();
  // … and a refused consent coming back from the provider lands here with its message.
  await page.goto("/connections?platform=youtube&oauth_error=access_denied");
  const landing = page.getByRole("alert").filter({ hasText: "Access was not granted on the provider's page." });
  await landing.waitFor();
  await expect.poll(() => landing.getByText("Could not connect YouTube").count()).toBe(1);
  await review(page, "connections-oauth-refused");
  await landing.getByRole("button", { name: "Dismiss" }).click();
  await expect.poll(() => new URL(page.url()).search).toBe("");

  expect(errors).toEqual([]);
  await context.close();
}, JOURNEY_TIMEOUT_MS);

test("schedule a job for one course's template in the lecturers' time zone, see its next five runs, dry-run it, run it and see the history; with the template deleted the job still edits", async () => {
  // The story starts with a Zoom source (made on the Connections page above) on a plan with automation.
  const email = uniqueEmail("scheduler");
  const token = await registerViaApi(email);
  await upgradeToPro(email);
  const credential = await api<{ id: number }>("/api/v1/credentials", {
    method: "POST",
    token,
    json: { platform: "zoom", account_name: "University Zoom", credentials: { account_id: "uni-account-42", client_id: "s2s-client-7Kq2", client_secret: "zoom-client-secret-9f8e7d" } },
  });
  expect(credential.status, JSON.stringify(credential.body)).toBe(201);
  const source = await api("/api/v1/sources", { method: "POST", token, json: { name: "Lectures Zoom", platform: "ZOOM", credential_id: credential.body.id } });
  expect(source.status, JSON.stringify(source.body)).toBe(201);
  // Two courses' templates (the Templates page has its own journey): this job processes only one of them.
  const templateIds: Record<string, number> = {};
  for (const [name, keyword] of [["Algorithms course", "algorithms"], ["Databases course", "databases"]] as const) {
    const template = await api<{ id: number }>("/api/v1/templates", { method: "POST", token, json: { name, matching_rules: { keywords: [keyword] } } });
    expect(template.status, JSON.stringify(template.body)).toBe(201);
    templateIds[name] = template.body.id;
  }

  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  await signIn(page, email);
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Automation" }).click();
  await page.getByRole("heading", { level: 1, name: "Automation" }).waitFor();
  await page.getByText("No automation jobs yet.").waitFor();
  await page.getByRole("button", { name: "New job" }).click();
  const jobForm = page.getByRole("form", { name: "New job" });
  await jobForm.getByLabel("Name").fill("Nightly lectures");
  await jobForm.getByLabel("Zoom source").click();
  await page.getByRole("option", { name: "Lectures Zoom" }).click();
  await jobForm.getByText("Leave empty for any template.").waitFor();
  await jobForm.getByLabel("Templates", { exact: true }).click();
  await page.getByRole("option", { name: "Algorithms course" }).click();
  await jobForm.getByLabel("Templates", { exact: true }).press("Escape");
  await jobForm.getByLabel("Time", { exact: true }).fill("07:30");
  await jobForm.getByLabel("Time zone").click();
  await jobForm.getByLabel("Time zone").fill("Asia/Tokyo");
  await page.getByRole("option", { name: "Asia/Tokyo", exact: true }).click();
  const nextRuns = jobForm.getByRole("list", { name: "Next five runs (Asia/Tokyo)" }).getByRole("listitem");
  await expect.poll(() => nextRuns.count()).toBe(5);
  for (const run of await nextRuns.allInnerTexts()) expect(run).toMatch(/07:30.*GMT\+9/);
  await jobForm.getByText("30 7 * * *").waitFor();
  await review(page, "automation-new-job");
  await jobForm.getByRole("button", { name: "Create job" }).click();

  // The job opens with its schedule; a dry run says what would happen and changes nothing.
  await page.getByRole("heading", { level: 2, name: "Nightly lectures" }).waitFor();
  await expect.poll(() => new URL(page.url()).searchParams.get("job")).toMatch(/^\d+$/);
  await page.getByRole("row", { name: /Nightly lectures/ }).getByText("Asia/Tokyo").waitFor();
  await page.getByText("This job has not run yet.").waitFor();
  const panel = page.getByRole("region", { name: "Nightly lectures" });
  await panel.getByText("Templates: Algorithms course", { exact: true }).waitFor();
  await page.reload();
  await panel.getByText("Templates: Algorithms course", { exact: true }).waitFor();

  // Editing something else (how far back to look) keeps the templates and the rest of the job as they were.
  await panel.getByRole("button", { name: "Edit" }).click();
  const editForm = page.getByRole("form", { name: "Edit Nightly lectures" });
  await editForm.getByText("Algorithms course", { exact: true }).waitFor();
  await editForm.getByLabel("Look back (days)").fill("5");
  await review(page, "automation-edit-job");
  await editForm.getByRole("button", { name: "Save job" }).click();
  await editForm.waitFor({ state: "detached" });
  await panel.getByText("Templates: Algorithms course", { exact: true }).waitFor();
  await panel.getByText("30 7 * * *").waitFor();
  const saved = await api<{ template_ids: number[]; schedule: Record<string, unknown>; sync_config: Record<string, unknown>; processing_config: Record<string, unknown> }[]>(
    "/api/v1/automation/jobs",
    { token },
  );
  expect(saved.body.map(({ template_ids, schedule, sync_config, processing_config }) => ({ template_ids, schedule, sync_config, processing_config }))).toEqual([
    {
      template_ids: [templateIds["Algorithms course"]],
      schedule: { type: "time_of_day", time: "07:30", timezone: "Asia/Tokyo" },
      sync_config: { sync_days: 5, allow_skipped: false },
      processing_config: { auto_process: true, auto_upload: true, max_parallel: 3 },
    },
  ]);

  await page.getByRole("button", { name: "Dry run" }).click();
  const dryRun = page.getByRole("status").filter({ hasText: "Dry run: what a run now would do" });
  await dryRun.getByText("0 recording(s) would be processed").waitFor();
  await dryRun.getByText("Nothing was changed: no sync, no processing.").waitFor();
  await page.getByText("This job has not run yet.").waitFor();
  await review(page, "automation-dry-run");

  // Run now: it is queued and shows in the history.
  await page.getByRole("button", { name: "Run now" }).click();
  await page.getByRole("status").filter({ hasText: "Run started" }).waitFor();
  await page.getByRole("row", { name: /Run now/ }).waitFor();
  await review(page, "automation-history");

  // The course's template is deleted: the job says so, other edits still save, and the template can be taken off.
  const algorithms = templateIds["Algorithms course"];
  expect((await api(`/api/v1/templates/${algorithms}`, { method: "DELETE", token })).status).toBe(204);
  await page.reload();
  await panel.getByText(`Templates: Deleted template #${algorithms}`, { exact: true }).waitFor();
  await panel.getByRole("button", { name: "Edit" }).click();
  await editForm.getByText(`Deleted template #${algorithms}`, { exact: true }).waitFor();
  await review(page, "automation-edit-deleted-template");
  await editForm.getByLabel("Look back (days)").fill("6");
  await editForm.getByRole("button", { name: "Save job" }).click();
  await editForm.waitFor({ state: "detached" });
  await panel.getByRole("button", { name: "Edit" }).click();
  await editForm.getByLabel("Templates", { exact: true }).press("Backspace");
  await expect.poll(() => editForm.getByText(`Deleted template #${algorithms}`, { exact: true }).count()).toBe(0);
  await editForm.getByRole("button", { name: "Save job" }).click();
  await editForm.waitFor({ state: "detached" });
  await panel.getByText("Templates: Any template", { exact: true }).waitFor();
  const after = await api<{ template_ids: number[]; sync_config: Record<string, unknown> }[]>("/api/v1/automation/jobs", { token });
  expect(after.body.map(({ template_ids, sync_config }) => ({ template_ids, sync_days: sync_config.sync_days }))).toEqual([{ template_ids: [], sync_days: 6 }]);

  expect(errors).toEqual([]);
  await context.close();
}, JOURNEY_TIMEOUT_MS);

/** The label the calendar gives a day `offset` days from today (UTC, as the sync form's dates). */
function dayLabel(offset: number): string {
  const day = new Date(Date.now() + offset * 86_400_000);
  return day.toLocaleDateString("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });
}

/** Picks a range in the source's "Recordings from – to" calendar, moving to a later month when a day is not shown; `reviewAs` reviews the open calendar. */
async function pickRange(page: Page, source: Locator, from: number, to: number, reviewAs?: string): Promise<void> {
  const next = page.getByRole("button", { name: "Next month" });
  const open = async () => {
    await source.getByLabel("Recordings from – to").click();
    await next.waitFor();
  };
  await open();
  if (reviewAs) {
    await review(page, reviewAs);
    // The review's screenshots resize the page, which closes the calendar (after a fade): close it
    // for sure and open it again.
    await page.keyboard.press("Escape");
    await next.waitFor({ state: "hidden" });
    await open();
  }
  for (const offset of [from, to]) {
    const day = page.getByRole("button", { name: dayLabel(offset), exact: true }).first();
    // The calendar opens on the month of its current value (or this month): the day may be a month
    // either way; "Next month" is disabled on this month (no future dates).
    if (!(await day.isVisible()) && (await next.isEnabled())) await next.click();
    for (let i = 0; i < 2 && !(await day.isVisible()); i++) await page.getByRole("button", { name: "Previous month" }).click();
    // force: the open calendar keeps re-laying out its range highlight under the pointer, which Playwright
    // can read as "not stable" for longer than its timeout on a busy machine.
    await day.click({ force: true });
  }
  await expect.poll(() => page.getByRole("button", { name: "Next month" }).count()).toBe(0);
}

test.skipIf(sandbox() === null)("sync a Zoom source over a date range: what the sandbox Zoom holds in that range, and nothing outside it", async () => {
  // A lecturer with the sandbox's Zoom connected (its Server-to-Server keys), whose account just recorded a meeting.
  const email = uniqueEmail("sync-range");
  const token = await registerViaApi(email);
  const { secrets } = sandbox()!;
  const credential = await api<{ id: number }>("/api/v1/credentials", {
    method: "POST",
    token,
    json: { platform: "zoom", account_name: "Sandbox Zoom", credentials: { ...secrets.zoom, webhook_secret_token: secrets.zoomWebhookSecret } },
  });
  expect(credential.status, JSON.stringify(credential.body)).toBe(201);
  const created = await api<{ id: number; webhook_url: string | null }>("/api/v1/sources", {
    method: "POST",
    token,
    json: { name: "Department Zoom", platform: "ZOOM", credential_id: credential.body.id },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  await meetingArrives(created.body.webhook_url ?? `${baseURL()}/api/v1/webhooks/zoom/${created.body.id}`);

  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  await signIn(page, email);
  await page.goto("/connections");
  const source = page.getByRole("region", { name: "Department Zoom" });
  await source.getByRole("heading", { name: "Department Zoom" }).waitFor();

  // Last week and a half: no meeting then.
  await pickRange(page, source, -10, -8, "connections-sync-calendar");
  await review(page, "connections-sync-range");
  await source.getByRole("button", { name: "Sync now" }).click();
  const result = source.getByRole("status").filter({ hasText: "Sync finished" });
  await result.getByText(/^Found 0 recording\(s\): 0 new/).waitFor();

  // Yesterday and today: today's meeting is found (it came by webhook already, so it is not new).
  await pickRange(page, source, -1, 0);
  await source.getByRole("button", { name: "Sync now" }).click();
  await result.getByText(/^Found [1-9]\d* recording\(s\)/).waitFor();
  await review(page, "connections-synced");

  expect(errors).toEqual([]);
  await context.close();
}, JOURNEY_TIMEOUT_MS);
