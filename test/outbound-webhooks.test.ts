import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { serviceContext } from "../src/services/context";
import { markNeedsReauth } from "../src/services/credentials/needs-reauth";
import { announceQuotaUsage, announceRunFinished } from "../src/services/notifications/announcements";
import { flushNotifications } from "../src/services/notifications/flush";
import type { OutgoingEmail } from "../src/services/email";
import { emitEvent } from "../src/services/webhooks/events.service";
import { disableReason } from "../src/services/webhooks/retry-policy";
import { call, expectStatus } from "./helpers/api";
import { seedCredential } from "./helpers/fixtures";
import { countRows, createTenant, createTwoTenants, type Tenant } from "./helpers/tenants";
import { FakeWebhookReceiver } from "./fakes/fake-webhook-receiver";

const BASE = "/api/v1/webhooks/endpoints";

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  secret?: string;
  disabled_reason: string | null;
  consecutive_failures: number;
  description?: string | null;
}

interface Delivery {
  id: string;
  message_id: string;
  event_type: string;
  status: string;
  attempts: number;
  manual: boolean;
  response_status: number | null;
  response_body: string | null;
  duration_ms: number | null;
  error: string | null;
}

let receiver: FakeWebhookReceiver;
beforeEach(() => {
  receiver = new FakeWebhookReceiver();
  vi.spyOn(globalThis, "fetch").mockImplementation(receiver.handle);
});
afterEach(() => vi.restoreAllMocks());

async function createEndpoint(t: Tenant, body: Record<string, unknown> = {}): Promise<Endpoint> {
  const created = await call<Endpoint>(BASE, { token: t.accessToken, body: { url: "https://hooks.fake/lectures", events: ["run.completed", "recording.failed"], ...body } });
  expectStatus(created, 201);
  return created.body;
}

async function deliveryRow(id: string) {
  return env.DB.prepare("SELECT status, attempts, response_status, error, manual FROM webhook_deliveries WHERE id = ?")
    .bind(id)
    .first<{ status: string; attempts: number; response_status: number | null; error: string | null; manual: number }>();
}

/** Polls until every delivery of the endpoint has left PENDING (the real queue runs in the background). */
async function settledDeliveries(t: Tenant, endpointId: string, expected: number): Promise<Delivery[]> {
  let items: Delivery[] = [];
  for (let i = 0; i < 150; i++) {
    const page = await call<{ items: Delivery[] }>(`${BASE}/${endpointId}/deliveries`, { token: t.accessToken });
    items = page.body.items;
    if (items.length >= expected && items.every((d) => d.status !== "PENDING")) return items;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`deliveries did not settle: ${JSON.stringify(items)}`);
}

const headersOf = (r: { headers: Record<string, string> }) => ({
  "webhook-id": r.headers["webhook-id"]!,
  "webhook-timestamp": r.headers["webhook-timestamp"]!,
  "webhook-signature": r.headers["webhook-signature"]!,
});

describe("webhook endpoints: CRUD and validation", () => {
  it("creates an endpoint, shows its secret once, and stores the secret sealed", async () => {
    const t = await createTenant("wh-crud");
    const created = await createEndpoint(t, { description: "LMS sync" });
    expect(created.id).toMatch(/^ep_[0-9A-Z]{26}$/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created.enabled).toBe(true);

    const one = await call<Endpoint>(`${BASE}/${created.id}`, { token: t.accessToken });
    expectStatus(one, 200);
    expect(one.body.secret, "the secret is shown only on create and rotate").toBeUndefined();
    const list = await call<Endpoint[]>(BASE, { token: t.accessToken });
    expect(list.body.map((e) => e.id)).toEqual([created.id]);

    const stored = await env.DB.prepare("SELECT secret_sealed FROM webhook_endpoints WHERE id = ?").bind(created.id).first<{ secret_sealed: string }>();
    expect(stored!.secret_sealed).not.toContain(created.secret!.slice(6));
    expect(stored!.secret_sealed).toMatch(/^t2\./);

    const patched = await call<Endpoint>(`${BASE}/${created.id}`, { method: "PATCH", token: t.accessToken, body: { events: ["quota.exceeded"], description: null } });
    expectStatus(patched, 200);
    expect(patched.body.events).toEqual(["quota.exceeded"]);

    const rotated = await call<Endpoint>(`${BASE}/${created.id}/rotate-secret`, { method: "POST", token: t.accessToken, body: {} });
    expectStatus(rotated, 200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);

    const removed = await call(`${BASE}/${created.id}`, { method: "DELETE", token: t.accessToken });
    expect(removed.status).toBe(204);
    expectStatus(await call(`${BASE}/${created.id}`, { token: t.accessToken }), 404);
  });

  it("refuses bad input with a 400 envelope and stores nothing", async () => {
    const t = await createTenant("wh-bad");
    const bad: Array<Record<string, unknown>> = [
      { url: "https://hooks.fake/x", events: [] },
      { url: "https://hooks.fake/x", events: ["recording.deleted"] },
      { url: "https://hooks.fake/x" },
      { events: ["run.completed"] },
      { url: "https://hooks.fake/x", events: ["run.completed"], secret: "not-a-secret" },
      { url: "https://hooks.fake/x", events: ["run.completed"], secret: "whsec_c2hvcnQ=" },
      { url: "https://hooks.fake/x", events: ["run.completed"], extra: true },
      { url: "x".repeat(3000), events: ["run.completed"] },
    ];
    for (const body of bad) expectStatus(await call(BASE, { token: t.accessToken, body }), 400);
    expectStatus(await call(BASE, { token: t.accessToken, rawBody: "{not json", headers: { "Content-Type": "application/json" } }), 400);
    expect(await countRows("webhook_endpoints", "user_id = ?", t.userId)).toBe(0);
  });

  it("refuses URLs the outbound policy forbids at save (private, loopback, metadata, plain http, credentials)", async () => {
    const t = await createTenant("wh-ssrf");
    const hostile = [
      "http://hooks.fake/plain-http",
      "https://127.0.0.1/hook",
      "https://localhost/hook",
      "https://10.1.2.3/hook",
      "https://192.168.0.10/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://0x7f000001/hook",
      "https://2130706433/hook",
      "https://metadata.google.internal/computeMetadata",
      "https://user:pass@hooks.fake/hook",
      "file:///etc/passwd",
      "javascript:alert(1)",
    ];
    for (const url of hostile) {
      const response = await call<{ error: { details?: { field?: string } } }>(BASE, { token: t.accessToken, body: { url, events: ["run.completed"] } });
      expectStatus(response, 400);
      expect(response.body.error.details?.field, url).toBe("url");
    }
    const ep = await createEndpoint(t);
    expectStatus(await call(`${BASE}/${ep.id}`, { method: "PATCH", token: t.accessToken, body: { url: "https://10.0.0.1/x" } }), 400);
    expect(await countRows("webhook_endpoints", "user_id = ?", t.userId)).toBe(1);
    expect(receiver.received).toHaveLength(0);
  });

  it("caps the number of endpoints per user (409)", async () => {
    const t = await createTenant("wh-cap");
    for (let i = 0; i < 5; i++) await createEndpoint(t, { url: `https://hooks.fake/${i}` });
    expectStatus(await call(BASE, { token: t.accessToken, body: { url: "https://hooks.fake/6", events: ["run.completed"] } }), 409);
  });

  it("answers 404 for another tenant's endpoint and delivery ids, 401 without a token", async () => {
    const { a, b } = await createTwoTenants();
    const ep = await createEndpoint(a);
    const test = await call<Delivery>(`${BASE}/${ep.id}/test`, { method: "POST", token: a.accessToken });
    expectStatus(test, 202);
    await settledDeliveries(a, ep.id, 1);
    const routes: Array<{ path: string; method: string; body?: unknown }> = [
      { path: `${BASE}/${ep.id}`, method: "GET" },
      { path: `${BASE}/${ep.id}`, method: "PATCH", body: { description: "mine now" } },
      { path: `${BASE}/${ep.id}`, method: "DELETE" },
      { path: `${BASE}/${ep.id}/rotate-secret`, method: "POST", body: {} },
      { path: `${BASE}/${ep.id}/test`, method: "POST" },
      { path: `${BASE}/${ep.id}/deliveries`, method: "GET" },
      { path: `${BASE}/${ep.id}/deliveries/${test.body.id}/redeliver`, method: "POST" },
    ];
    for (const route of routes) {
      expectStatus(await call(route.path, { method: route.method, body: route.body, ip: b.ip }), 401);
      expectStatus(await call(route.path, { method: route.method, body: route.body, token: b.accessToken, ip: b.ip }), 404);
    }
    // B's own endpoint cannot reach A's delivery either.
    const own = await createEndpoint(b);
    expectStatus(await call(`${BASE}/${own.id}/deliveries/${test.body.id}/redeliver`, { method: "POST", token: b.accessToken }), 404);
    expect((await call<Endpoint>(`${BASE}/${ep.id}`, { token: a.accessToken })).body.description ?? null).toBeNull();
  });

  it("lives beside the inbound Zoom receiver without shadowing it, and is in the OpenAPI document", async () => {
    const t = await createTenant("wh-routes");
    const zoom = await call("/api/v1/webhooks/zoom/999999", { body: { event: "endpoint.url_validation", payload: { plainToken: "x" } } });
    expectStatus(zoom, 404);
    expectStatus(await call(`${BASE}/not-an-id`, { token: t.accessToken }), 400);
    expectStatus(await call(`${BASE}?page=2`, { token: t.accessToken }), 400);
    const doc = await call<{ paths: Record<string, unknown> }>("/openapi.json");
    for (const path of [
      "/api/v1/webhooks/endpoints",
      "/api/v1/webhooks/endpoints/{id}",
      "/api/v1/webhooks/endpoints/{id}/test",
      "/api/v1/webhooks/endpoints/{id}/rotate-secret",
      "/api/v1/webhooks/endpoints/{id}/deliveries",
      "/api/v1/webhooks/endpoints/{id}/deliveries/{delivery_id}/redeliver",
      "/api/v1/webhooks/zoom/{source_id}",
    ]) {
      expect(doc.body.paths[path], path).toBeDefined();
    }
  });
});

describe("webhook deliveries: signing, retries, disabling", () => {
  it("signs per Standard Webhooks: the standardwebhooks library verifies what the receiver got", async () => {
    const t = await createTenant("wh-sign");
    const given = `whsec_${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`;
    const ep = await createEndpoint(t, { secret: given });
    expect(ep.secret).toBe(given);
    const test = await call<Delivery>(`${BASE}/${ep.id}/test`, { method: "POST", token: t.accessToken });
    expectStatus(test, 202);
    expect(test.body).toMatchObject({ event_type: "webhook.test", status: "PENDING", manual: true });
    const [delivery] = await settledDeliveries(t, ep.id, 1);
    expect(delivery).toMatchObject({ status: "SUCCEEDED", attempts: 1, response_status: 200, response_body: "ok" });
    expect(delivery!.duration_ms).toBeGreaterThanOrEqual(0);

    const [request] = receiver.to("hooks.fake");
    expect(request!.method).toBe("POST");
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["webhook-id"]).toBe(delivery!.message_id);
    expect(Math.abs(Number(request!.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
    const verified = new Webhook(given).verify(request!.body, headersOf(request!)) as { type: string; data: { endpoint_id: string } };
    expect(verified.type).toBe("webhook.test");
    expect(verified.data.endpoint_id).toBe(ep.id);
    // A tampered body or a wrong secret does not verify.
    expect(() => new Webhook(given).verify(request!.body.replace("test", "tEst"), headersOf(request!))).toThrow();
    expect(() => new Webhook(`whsec_${btoa("x".repeat(32))}`).verify(request!.body, headersOf(request!))).toThrow();

    // After a rotation the new secret signs, the old one no longer verifies.
    const rotated = await call<Endpoint>(`${BASE}/${ep.id}/rotate-secret`, { method: "POST", token: t.accessToken });
    expectStatus(rotated, 200);
    await call(`${BASE}/${ep.id}/test`, { method: "POST", token: t.accessToken });
    await settledDeliveries(t, ep.id, 2);
    const second = receiver.to("hooks.fake")[1]!;
    expect(() => new Webhook(rotated.body.secret!).verify(second.body, headersOf(second))).not.toThrow();
    expect(() => new Webhook(given).verify(second.body, headersOf(second))).toThrow();
  });

  it("sends each event only to the enabled endpoints subscribed to it", async () => {
    const t = await createTenant("wh-fanout");
    const runs = await createEndpoint(t, { url: "https://runs.fake/hook", events: ["run.completed"] });
    const quota = await createEndpoint(t, { url: "https://quota.fake/hook", events: ["quota.exceeded"] });
    const off = await createEndpoint(t, { url: "https://off.fake/hook", events: ["run.completed"] });
    await call(`${BASE}/${off.id}`, { method: "PATCH", token: t.accessToken, body: { enabled: false } });
    const ctx = serviceContext(env);
    expect(await emitEvent(ctx, t.userId, "run.completed", { run_id: "r1" })).toBe(1);
    expect(await emitEvent(ctx, t.userId, "output.published", { recording_id: 1 })).toBe(0);
    await settledDeliveries(t, runs.id, 1);
    expect(receiver.to("runs.fake")).toHaveLength(1);
    expect(JSON.parse(receiver.to("runs.fake")[0]!.body)).toMatchObject({ type: "run.completed", data: { run_id: "r1" } });
    expect(receiver.to("quota.fake")).toHaveLength(0);
    expect(receiver.to("off.fake")).toHaveLength(0);
    expect(await countRows("webhook_deliveries", "endpoint_id IN (?, ?)", quota.id, off.id)).toBe(0);
  });

  it("retries 5xx, 429, timeouts and broken bodies with backoff, then succeeds; nothing is lost", async () => {
    const t = await createTenant("wh-retry");
    const ep = await createEndpoint(t, { url: "https://flaky.fake/hook" });
    receiver.answer("flaky.fake", { status: 429, body: "slow down", headers: { "Retry-After": "1" } }, "hang");
    const started = Date.now();
    await emitEvent(serviceContext(env), t.userId, "run.completed", { run_id: "r-flaky" });
    const [delivery] = await settledDeliveries(t, ep.id, 1);
    expect(delivery).toMatchObject({ status: "SUCCEEDED", attempts: 3, response_status: 200, error: null });
    const attempts = receiver.to("flaky.fake");
    expect(attempts).toHaveLength(3);
    // Every attempt carries the same message id (receivers dedupe on it), each freshly signed.
    expect(new Set(attempts.map((a) => a.headers["webhook-id"])).size).toBe(1);
    // Two retries of 1 s each, plus the 2 s timeout of the hanging attempt.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);

    const ep2 = await createEndpoint(t, { url: "https://broken.fake/hook" });
    receiver.answer("broken.fake", "malformed", "malformed", "malformed");
    await emitEvent(serviceContext(env), t.userId, "recording.failed", { recording_id: 7 });
    const [failed] = await settledDeliveries(t, ep2.id, 1);
    expect(failed).toMatchObject({ status: "FAILED", attempts: 3, response_status: 502, error: "HTTP 502" });
    expect(failed!.response_body).toContain("partial");
  });

  it("records a timeout and a redirect as failures (the redirect is never followed)", async () => {
    const t = await createTenant("wh-redirect");
    const ep = await createEndpoint(t, { url: "https://moved.fake/hook" });
    receiver.answer("moved.fake", "redirect", "redirect", "hang");
    await emitEvent(serviceContext(env), t.userId, "run.completed", { run_id: "r-moved" });
    const [delivery] = await settledDeliveries(t, ep.id, 1);
    expect(delivery!.status).toBe("FAILED");
    expect(delivery!.attempts).toBe(3);
    expect(delivery!.error).toBe("No answer within 2 s");
    expect(receiver.to("elsewhere.fake")).toHaveLength(0);
    const log = await call<{ items: Delivery[] }>(`${BASE}/${ep.id}/deliveries?limit=1`, { token: t.accessToken });
    expect(log.body.items).toHaveLength(1);
  });

  it("truncates a long response body in the delivery log", async () => {
    const t = await createTenant("wh-trunc");
    const ep = await createEndpoint(t, { url: "https://chatty.fake/hook" });
    receiver.answer("chatty.fake", { status: 200, body: "é".repeat(5000) });
    await call(`${BASE}/${ep.id}/test`, { method: "POST", token: t.accessToken });
    const [delivery] = await settledDeliveries(t, ep.id, 1);
    expect(new TextEncoder().encode(delivery!.response_body!).byteLength).toBeLessThanOrEqual(1024 + 3);
  });

  it("gives up after the schedule, disables the endpoint after repeated give-ups, and e-mails the owner once", async () => {
    const t = await createTenant("wh-disable");
    const ep = await createEndpoint(t, { url: "https://down.fake/hook" });
    receiver.fallback = { status: 503, body: "maintenance" };
    const ctx = serviceContext(env);
    await emitEvent(ctx, t.userId, "run.completed", { run_id: "r-1" });
    await emitEvent(ctx, t.userId, "recording.failed", { recording_id: 1 });
    const deliveries = await settledDeliveries(t, ep.id, 2);
    expect(deliveries.map((d) => [d.status, d.attempts, d.response_status])).toEqual([
      ["FAILED", 3, 503],
      ["FAILED", 3, 503],
    ]);
    expect(receiver.to("down.fake")).toHaveLength(6);
    const endpoint = (await call<Endpoint>(`${BASE}/${ep.id}`, { token: t.accessToken })).body;
    expect(endpoint.enabled).toBe(false);
    expect(endpoint.disabled_reason).toContain("2 deliveries in a row failed");
    expect(await countRows("pending_notifications", "user_id = ? AND kind = 'webhook_endpoint_disabled'", t.userId)).toBe(1);

    // Disabled: new events are not sent to it.
    expect(await emitEvent(ctx, t.userId, "run.completed", { run_id: "r-3" })).toBe(0);

    // Redelivery after a fix: one manual attempt, the same webhook-id, even while disabled.
    receiver.fallback = { status: 204 };
    const original = deliveries[0]!;
    const again = await call<Delivery>(`${BASE}/${ep.id}/deliveries/${original.id}/redeliver`, { method: "POST", token: t.accessToken });
    expectStatus(again, 202);
    expect(again.body.message_id).toBe(original.message_id);
    expect(again.body.id).not.toBe(original.id);
    const after = await settledDeliveries(t, ep.id, 3);
    expect(after.find((d) => d.id === again.body.id)).toMatchObject({ status: "SUCCEEDED", attempts: 1, manual: true, response_status: 204 });
    expect(receiver.to("down.fake").at(-1)!.headers["webhook-id"]).toBe(original.message_id);

    // Re-enabled with a clean slate.
    const enabled = await call<Endpoint>(`${BASE}/${ep.id}`, { method: "PATCH", token: t.accessToken, body: { enabled: true } });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null, consecutive_failures: 0 });
    expect(await emitEvent(ctx, t.userId, "run.completed", { run_id: "r-4" })).toBe(1);
  });

  it("a manual delivery that fails is not retried and does not count towards disabling", async () => {
    const t = await createTenant("wh-manual");
    const ep = await createEndpoint(t, { url: "https://nope.fake/hook" });
    receiver.fallback = { status: 500 };
    for (let i = 0; i < 3; i++) await call(`${BASE}/${ep.id}/test`, { method: "POST", token: t.accessToken });
    const deliveries = await settledDeliveries(t, ep.id, 3);
    expect(deliveries.every((d) => d.status === "FAILED" && d.attempts === 1)).toBe(true);
    expect((await call<Endpoint>(`${BASE}/${ep.id}`, { token: t.accessToken })).body.enabled).toBe(true);
  });

  it("refuses to redeliver a delivery that is still pending (409)", async () => {
    const t = await createTenant("wh-pending");
    const ep = await createEndpoint(t, { url: "https://slow.fake/hook" });
    // The first attempt hangs until the 2 s timeout, then a retry waits 1 s: pending for ≥ 3 s.
    receiver.answer("slow.fake", "hang");
    await emitEvent(serviceContext(env), t.userId, "run.completed", { run_id: "r-p" });
    const id = (await env.DB.prepare("SELECT id FROM webhook_deliveries WHERE endpoint_id = ?").bind(ep.id).first<{ id: string }>())!.id;
    expect((await deliveryRow(id))!.status).toBe("PENDING");
    expectStatus(await call(`${BASE}/${ep.id}/deliveries/${id}/redeliver`, { method: "POST", token: t.accessToken }), 409);
    const [settled] = await settledDeliveries(t, ep.id, 1);
    expect(settled).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    expectStatus(await call(`${BASE}/${ep.id}/deliveries/${id}/redeliver`, { method: "POST", token: t.accessToken }), 202);
    const after = await settledDeliveries(t, ep.id, 2);
    expect(after.map((d) => d.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  });

  it("checks the URL again at delivery: a stored private address is never contacted and disables the endpoint", async () => {
    const t = await createTenant("wh-rebind");
    const ep = await createEndpoint(t, { url: "https://later-private.fake/hook" });
    await env.DB.prepare("UPDATE webhook_endpoints SET url = 'https://169.254.169.254/latest/meta-data' WHERE id = ?").bind(ep.id).run();
    await emitEvent(serviceContext(env), t.userId, "run.completed", { run_id: "r-ssrf" });
    const [delivery] = await settledDeliveries(t, ep.id, 1);
    expect(delivery).toMatchObject({ status: "FAILED", attempts: 1, response_status: null });
    expect(delivery!.error).toContain("URL refused");
    expect(receiver.received).toHaveLength(0);
    expect((await call<Endpoint>(`${BASE}/${ep.id}`, { token: t.accessToken })).body.enabled).toBe(false);
  });

  it("disables after a day of nothing but failures (the time rule)", () => {
    const now = new Date("2026-12-04T12:00:00Z");
    expect(disableReason({ consecutiveFailures: 1, failingSince: new Date("2026-12-03T11:00:00Z") }, now, 5, 86_400_000)).toContain("every delivery has failed since");
    expect(disableReason({ consecutiveFailures: 1, failingSince: new Date("2026-12-04T11:00:00Z") }, now, 5, 86_400_000)).toBeNull();
    expect(disableReason({ consecutiveFailures: 5, failingSince: null }, now, 5, 86_400_000)).toContain("5 deliveries in a row");
  });
});

describe("events from the services", () => {
  it("a credential that needs reconnecting emits credential.needs_reauth once and queues one e-mail line", async () => {
    const t = await createTenant("wh-reauth");
    const ep = await createEndpoint(t, { url: "https://reauth.fake/hook", events: ["credential.needs_reauth"] });
    const credentialId = await seedCredential(t.userId, "youtube");
    const ctx = serviceContext(env);
    const row = { id: credentialId, userId: t.userId, platform: "youtube" as const, accountName: "Channel", needsReauth: false };
    await markNeedsReauth(ctx, row, "Reconnect youtube: the access token was refused");
    // Already marked: refused again, announced no more.
    await markNeedsReauth(ctx, { ...row, needsReauth: true }, "Reconnect youtube: the access token was refused");
    const [delivery] = await settledDeliveries(t, ep.id, 1);
    expect(delivery!.status).toBe("SUCCEEDED");
    expect(JSON.parse(receiver.to("reauth.fake")[0]!.body)).toMatchObject({ type: "credential.needs_reauth", data: { credential_id: credentialId, platform: "youtube" } });
    expect(await countRows("webhook_deliveries", "endpoint_id = ?", ep.id)).toBe(1);
    expect(await countRows("pending_notifications", "user_id = ? AND kind = 'credential_needs_reauth'", t.userId)).toBe(1);
    expect(await countRows("user_credentials", "id = ? AND needs_reauth = 1", credentialId)).toBe(1);
  });

  it("a quota crossing 90% queues one line per quota and period", async () => {
    const t = await createTenant("wh-quota");
    const ctx = serviceContext(env);
    const usage = (before: number, after: number) => announceQuotaUsage(ctx, t.userId, { name: "recordings_per_month", period: "202612", limit: 100, before, after });
    await usage(10, 11);
    expect(await countRows("pending_notifications", "user_id = ?", t.userId)).toBe(0);
    await usage(89, 90);
    await usage(90, 91);
    expect(await countRows("pending_notifications", "user_id = ? AND kind = 'quota_nearly_used'", t.userId)).toBe(1);
  });
});

describe("e-mail notifications are batched", () => {
  const failedRun = (userId: string, i: number) =>
    ({
      id: `01JDRUNFAILED${String(i).padStart(13, "0")}`,
      userId,
      recordingId: i,
      status: "FAILED",
      stages: ["DOWNLOAD"],
      error: `download: the file is gone (${i})`,
    }) as unknown as Parameters<typeof announceRunFinished>[1];

  it("fifty failures in an hour are one e-mail, sent once the window has passed", async () => {
    const t = await createTenant("mail-batch");
    const ctx = serviceContext(env);
    for (let i = 1; i <= 50; i++) await announceRunFinished(ctx, failedRun(t.userId, i), { displayName: `Лекция ${i} <b>` });
    expect(await countRows("pending_notifications", "user_id = ? AND sent_at IS NULL", t.userId)).toBe(50);

    const sent: OutgoingEmail[] = [];
    const capture = async (email: OutgoingEmail) => {
      if (email.userId === t.userId) sent.push(email);
    };
    // Inside the window: nothing goes out yet.
    await flushNotifications(ctx, capture);
    expect(sent).toHaveLength(0);

    const later = serviceContext(env, { now: () => new Date(Date.now() + 3_601_000) });
    await flushNotifications(later, capture);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(t.email);
    expect(sent[0]!.subject).toContain("50");
    expect(sent[0]!.text.match(/Лекция \d+/g)).toHaveLength(50);
    expect(sent[0]!.html).not.toContain("<b>");
    expect(sent[0]!.html).toContain("&lt;b&gt;");

    await flushNotifications(later, capture);
    expect(sent, "sent lines are not sent again").toHaveLength(1);
    expect(await countRows("pending_notifications", "user_id = ? AND sent_at IS NULL", t.userId)).toBe(0);
  });

  it("goes through sendEmail by default, keeps lines pending when sending fails, and honours the preferences", async () => {
    const t = await createTenant("mail-prefs");
    const ctx = serviceContext(env);
    const later = serviceContext(env, { now: () => new Date(Date.now() + 3_601_000) });
    await announceRunFinished(ctx, failedRun(t.userId, 1), { displayName: "Lecture" });

    await flushNotifications(later, async (email) => {
      if (email.userId === t.userId) throw new Error("mail store down");
    });
    expect(await countRows("pending_notifications", "user_id = ? AND sent_at IS NULL", t.userId)).toBe(1);

    await flushNotifications(later);
    expect(await countRows("email_messages", "user_id = ? AND kind = 'notification.digest'", t.userId)).toBe(1);
    expect(await countRows("pending_notifications", "user_id = ? AND sent_at IS NULL", t.userId)).toBe(0);

    const off = await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { notifications: { email: { run_failed: false } } } });
    expectStatus(off, 200);
    await announceRunFinished(ctx, failedRun(t.userId, 2), { displayName: "Lecture 2" });
    expect(await countRows("pending_notifications", "user_id = ? AND sent_at IS NULL", t.userId)).toBe(0);

    const unknown = await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { notifications: { email: { everything: true } } } });
    expectStatus(unknown, 400);
    const wrongType = await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { notifications: { email: { run_failed: "yes" } } } });
    expectStatus(wrongType, 400);
  });
});
