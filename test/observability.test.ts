import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index";
import { redact, redactString } from "../src/lib/redact";
import { call, expectStatus, uniqueIp } from "./helpers/api";
import { createTenant, login } from "./helpers/tenants";

let lines: string[] = [];

beforeEach(() => {
  lines = [];
  const capture = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  };
  vi.spyOn(console, "log").mockImplementation(capture);
  vi.spyOn(console, "info").mockImplementation(capture);
  vi.spyOn(console, "warn").mockImplementation(capture);
  vi.spyOn(console, "error").mockImplementation(capture);
  vi.spyOn(console, "debug").mockImplementation(capture);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe("structured logs", () => {
  it("never contain a password, an access token or a refresh token, through the whole auth lifecycle", async () => {
    const tenant = await createTenant("logs");
    const secrets = [tenant.password, tenant.accessToken, tenant.refreshToken];
    await call("/api/v1/auth/login", { body: { email: tenant.email, password: "Wrong-Guess-77" }, ip: uniqueIp() });
    secrets.push("Wrong-Guess-77");
    const second = await login(tenant.email, tenant.password, tenant.ip);
    secrets.push(second.access_token, second.refresh_token);
    const rotated = await call<{ access_token: string; refresh_token: string }>("/api/v1/auth/refresh", {
      body: { refresh_token: second.refresh_token },
      ip: tenant.ip,
    });
    secrets.push(rotated.body.access_token, rotated.body.refresh_token);
    await call("/api/v1/auth/refresh", { body: { refresh_token: second.refresh_token }, ip: tenant.ip }); // reuse → warn log
    const newPassword = "Changed-Pass-99";
    secrets.push(newPassword);
    await call("/api/v1/users/me/password", {
      token: tenant.accessToken,
      body: { current_password: tenant.password, new_password: newPassword },
    });
    await call("/api/v1/users/me", { token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged-signature-value" });
    await call("/api/v1/auth/logout", { body: { refresh_token: tenant.refreshToken }, ip: tenant.ip });
    await call("/api/v1/users/me", {
      method: "DELETE",
      token: tenant.accessToken,
      body: { password: newPassword, confirmation: "DELETE" },
    });

    expect(lines.length).toBeGreaterThan(10);
    const output = lines.join("\n");
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/);
    expect(output).not.toMatch(/rt_[A-Za-z0-9_-]{20,}/);
    expect(output).toContain("refresh token reuse detected");
  });

  it("writes one JSON object per line with level, request id, user id, route, status and duration", async () => {
    const tenant = await createTenant("accesslog");
    lines = [];
    const response = await call("/api/v1/users/me", { token: tenant.accessToken, headers: { "X-Request-Id": "trace-abcdef-123" } });
    expectStatus(response, 200);
    const access = parsed().find((l) => l.message === "request");
    expect(access).toMatchObject({
      level: "info",
      requestId: "trace-abcdef-123",
      userId: tenant.userId,
      route: "/api/v1/users/me",
      method: "GET",
      status: 200,
    });
    expect(typeof access?.durationMs).toBe("number");
    expect(typeof access?.time).toBe("string");
  });

  it("carries queue context (queue, taskId) into job logs", async () => {
    const batch = createMessageBatch("lecture-pipeline", [
      { id: "msg-ctx-1", timestamp: new Date(), attempts: 1, body: { type: "account.purge", userId: "01JD0Z5N6W4X8T7C2V1B9QK3HA" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue?.(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["msg-ctx-1"]);
    const jobLine = parsed().find((l) => l.message === "account purged");
    expect(jobLine).toMatchObject({ queue: "lecture-pipeline", taskId: "msg-ctx-1" });
  });
});

describe("redaction", () => {
  it("redacts secret keys at any depth and secrets inside strings", () => {
    const out = redact({
      headers: { Authorization: "Bearer abc.def.ghi", Cookie: "session=1", "content-type": "json" },
      body: { password: "Hunter2!", nested: { refresh_token: "rt_x", client_secret: "s", api_key: "k" } },
      note: "download https://zoom.example/rec/download/abc?access_token=SECRET123&x=1 done",
      list: ["Bearer sometoken123"],
    });
    const text = JSON.stringify(out);
    for (const secret of ["abc.def.ghi", "session=1", "Hunter2!", "rt_x", "SECRET123", "sometoken123"]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("content-type");
    expect(text).toContain("https://zoom.example/rec/download/abc?[REDACTED]");
    expect(redactString("X-Amz-Signature https://acc.r2.cloudflarestorage.com/b/k?X-Amz-Signature=ff00")).not.toContain("ff00");
  });
});

describe("error reporting", () => {
  it("retries a failed queue message with backoff and sends nothing over the network without a DSN", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const brokenBucket = {
      list: () => Promise.reject(new Error("R2 unavailable")),
    } as unknown as R2Bucket;
    const userId = "01JD0Z5N6W4X8T7C2V1B9QK3HB";
    const batch = createMessageBatch("lecture-pipeline", [
      { id: "msg-fail-1", timestamp: new Date(), attempts: 2, body: { type: "account.purge", userId } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue?.(batch, { ...env, MEDIA: brokenBucket }, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["msg-fail-1"]);
    // The test harness does not echo delaySeconds back, so read the backoff from the log line.
    const failure = parsed().find((l) => l.message === "queue message failed; will retry");
    expect(failure).toMatchObject({ level: "error", taskId: "msg-fail-1", attempts: 2 });
    expect(Number(failure?.delaySeconds)).toBeGreaterThanOrEqual(10);
    expect(Number(failure?.delaySeconds)).toBeLessThanOrEqual(20);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("acks malformed and dead-lettered messages instead of retrying them forever", async () => {
    const batch = createMessageBatch("lecture-pipeline", [
      { id: "bad-1", timestamp: new Date(), attempts: 1, body: { type: "no.such.job" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue?.(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["bad-1"]);

    const dead = createMessageBatch("lecture-pipeline-dlq", [
      { id: "dead-1", timestamp: new Date(), attempts: 6, body: { type: "account.purge", userId: "01JD0Z5N6W4X8T7C2V1B9QK3HC" } },
    ]);
    const deadCtx = createExecutionContext();
    await worker.queue?.(dead, env, deadCtx);
    expect((await getQueueResult(dead, deadCtx)).explicitAcks).toEqual(["dead-1"]);
    expect(parsed().find((l) => l.message === "message exhausted its retries")).toMatchObject({
      level: "error",
      queue: "lecture-pipeline-dlq",
      taskId: "dead-1",
    });
  });

  it("runs the daily maintenance cron with its context and purges stale sessions", async () => {
    const tenant = await createTenant("cron");
    const old = Date.now() - 30 * 86_400_000;
    await env.DB.prepare("UPDATE sessions SET revoked_at = ?, expires_at = ? WHERE user_id = ?").bind(old, old, tenant.userId).run();
    const controller = createScheduledController({ cron: "30 3 * * *", scheduledTime: new Date() });
    const ctx = createExecutionContext();
    await worker.scheduled?.(controller, env, ctx);
    await waitOnExecutionContext(ctx);
    const done = parsed().find((l) => l.message === "daily maintenance done");
    expect(done).toMatchObject({ cron: "30 3 * * *" });
    expect(Number(done?.purgedSessions)).toBeGreaterThanOrEqual(1);
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?").bind(tenant.userId).first<{ n: number }>();
    expect(left?.n).toBe(0);
  });
});
