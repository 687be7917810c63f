import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WEBHOOK_SOURCE_TTL_MS } from "../src/db/webhook-source-cache";
import { cachedSessionUser, forgetSession, forgetUser, rememberSessionUser, SESSION_USER_TTL_MS } from "../src/db/session-user-cache";
import { secretBox } from "../src/lib/secret-box";
import { serviceContext } from "../src/services/context";
import { runStageStep, runStagesWithinBudget } from "../src/services/pipeline/engine";
import { stepBudget } from "../src/services/pipeline/step-budget";
import { persistZoomDelivery } from "../src/services/zoom/webhook-intake";
import { FakeZoom } from "./fakes/fake-zoom";
import { call, expectStatus } from "./helpers/api";
import { MiB, setupZoomRecording, sha256 } from "./helpers/pipeline";
import { seedRecordings } from "./helpers/fixtures";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";
import { deliver, meetingEvent, WEBHOOK_SECRET } from "./helpers/zoom-webhooks";

afterEach(() => vi.restoreAllMocks());

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await probe();
  for (let i = 0; i < 100 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

/**
 * Every SQL statement the request path prepares through D1 sessions, in order, and how many batches
 * went to D1 (restored by vi.restoreAllMocks).
 */
function captureStatements(): string[] & { batches: number } {
  const statements = Object.assign([] as string[], { batches: 0 });
  const withSession = env.DB.withSession.bind(env.DB);
  vi.spyOn(env.DB, "withSession").mockImplementation((constraint?: string) => {
    const session = withSession(constraint);
    const prepare = session.prepare.bind(session);
    const batch = session.batch.bind(session);
    session.prepare = (query: string) => {
      statements.push(query);
      return prepare(query);
    };
    session.batch = (prepared) => {
      statements.batches++;
      return batch(prepared);
    };
    return session;
  });
  return statements;
}

async function zoomSource(t: Tenant): Promise<number> {
  const credential = await call<{ id: number }>("/api/v1/credentials", {
    token: t.accessToken,
    body: {
      platform: "zoom",
      credentials: { account_id: `acc-${t.userId}`, client_id: "client-12345", client_secret: "client-secret-12345", webhook_secret_token: WEBHOOK_SECRET },
    },
  });
  expectStatus(credential, 201);
  const source = await call<{ id: number }>("/api/v1/sources", { token: t.accessToken, body: { name: "Zoom", platform: "ZOOM", credential_id: credential.body.id } });
  expectStatus(source, 201);
  return source.body.id;
}

const storedBodies = async (userId: string) => (await env.MEDIA.list({ prefix: `users/${userId}/zoom-webhooks/` })).objects.length;

describe("webhook ack that only enqueues", () => {
  it("answers 200 once the delivery is queued; the consumer persists, dedupes and ingests it", async () => {
    const t = await createTenant("ackqueue");
    const sourceId = await zoomSource(t);
    const send = vi.spyOn(env.PIPELINE, "send");
    const body = meetingEvent("recording.completed", { uuid: "ack-queue==", topic: "Lecture 1", files: [{ id: "aq-mp4", type: "MP4" }] });
    const answer = await deliver(sourceId, body);
    expectStatus(answer, 200);
    expect(answer.body).toMatchObject({ status: "accepted" });
    const queued = send.mock.calls.map(([message]) => message as { type: string; rawBody?: string; sourceId?: number; userId?: string });
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ type: "zoom.delivery", sourceId, userId: t.userId, rawBody: JSON.stringify(body) });
    const processed = await waitFor(() => countRows("zoom_webhook_events", "user_id = ? AND status = 'processed'", t.userId), (n) => n === 1);
    expect(processed).toBe(1);
    const event = await env.DB.prepare("SELECT id FROM zoom_webhook_events WHERE user_id = ?").bind(t.userId).first<{ id: string }>();
    expect(event?.id).toBe(answer.body.event_id);
    expect(await storedBodies(t.userId)).toBe(1);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(1);
  });

  it("never acknowledges a delivery the queue refused: 503, nothing stored, and Zoom's retry goes through", async () => {
    const t = await createTenant("ackfail");
    const sourceId = await zoomSource(t);
    const body = meetingEvent("recording.completed", { uuid: "ack-fail==", topic: "Lecture 2", files: [{ id: "af-mp4", type: "MP4" }] });
    const send = vi.spyOn(env.PIPELINE, "send").mockRejectedValueOnce(new Error("Queue send failed: internal error"));
    const refused = await deliver(sourceId, body);
    expectStatus(refused, 503);
    expect(refused.headers.get("Retry-After")).toBe("5");
    expect(refused.text).not.toContain("internal error");
    expect(send).toHaveBeenCalledTimes(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await countRows("zoom_webhook_events", "user_id = ?", t.userId)).toBe(0);
    expect(await storedBodies(t.userId)).toBe(0);
    // Zoom retries the same delivery: now the queue takes it and it is ingested once.
    expectStatus(await deliver(sourceId, body), 200);
    const processed = await waitFor(() => countRows("zoom_webhook_events", "user_id = ? AND status = 'processed'", t.userId), (n) => n === 1);
    expect(processed).toBe(1);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(1);
  });

  it("answers the url_validation challenge synchronously without queueing anything", async () => {
    const t = await createTenant("ackcrc");
    const sourceId = await zoomSource(t);
    const send = vi.spyOn(env.PIPELINE, "send");
    const crc = await deliver(sourceId, { payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" }, event_ts: 1654503849680, event: "endpoint.url_validation" });
    expectStatus(crc, 200);
    expect(crc.body).toEqual({ plainToken: "qgg8vlvZRS6UYooatFL8Aw", encryptedToken: "70c1f2e2e6ca2d39297490d1f9142c7d701415ea8e6151f6562a08fa657a40ff" });
    expect(send).not.toHaveBeenCalled();
  });

  it("refuses with 413 a signed delivery that would not fit in a queue message, and queues nothing", async () => {
    const t = await createTenant("ackbig");
    const sourceId = await zoomSource(t);
    const send = vi.spyOn(env.PIPELINE, "send");
    // Under the 64 KiB body cap, but every newline doubles when the body is put in a JSON message.
    const event = JSON.stringify(meetingEvent("recording.completed", { uuid: "ack-big==", topic: "Lecture 3", files: [{ id: "ab-mp4", type: "MP4" }] }));
    const padded = `${event.slice(0, -1)}${"\n".repeat(62_000)}}`;
    const answer = await deliver(sourceId, padded);
    expectStatus(answer, 413);
    expect(send).not.toHaveBeenCalled();
    expect(await countRows("zoom_webhook_events", "user_id = ?", t.userId)).toBe(0);
  });

  it("still rejects a bad signature and an unknown or foreign source before queueing", async () => {
    const t = await createTenant("acksig");
    const sourceId = await zoomSource(t);
    const send = vi.spyOn(env.PIPELINE, "send");
    const body = meetingEvent("recording.completed", { uuid: "ack-sig==", topic: "Lecture 4", files: [{ id: "as-mp4", type: "MP4" }] });
    expectStatus(await deliver(sourceId, body, {}, "not-the-secret"), 401);
    expectStatus(await deliver(987_654, body), 404);
    expectStatus(await deliver(sourceId, "{not json", {}), 400);
    expect(send).not.toHaveBeenCalled();
  });

  it("reads the source once per WEBHOOK_SOURCE_TTL_MS; a source deleted here is refused at once, one deleted elsewhere takes nothing", async () => {
    const t = await createTenant("acksource");
    const sourceId = await zoomSource(t);
    const statements = captureStatements();
    const event = (n: number) => meetingEvent("recording.completed", { uuid: `ack-src-${n}==`, topic: `Lecture ${n}`, files: [{ id: `src-${n}`, type: "MP4" }] });
    expectStatus(await deliver(sourceId, event(1)), 200);
    expectStatus(await deliver(sourceId, event(2)), 200);
    // The first answer read the source (and its credential); the second read nothing at all.
    expect(statements.filter((q) => /from "input_sources" inner join "user_credentials"/i.test(q))).toHaveLength(1);
    await waitFor(() => countRows("zoom_webhook_events", "user_id = ?", t.userId), (n) => n === 2);

    // Deleted through another isolate: this one still answers from memory, and the consumer drops it.
    await env.DB.prepare("UPDATE recordings SET input_source_id = NULL WHERE user_id = ?").bind(t.userId).run();
    await env.DB.prepare("DELETE FROM zoom_webhook_events WHERE user_id = ?").bind(t.userId).run();
    await env.DB.prepare("DELETE FROM input_sources WHERE id = ?").bind(sourceId).run();
    const send = vi.spyOn(env.PIPELINE, "send");
    expectStatus(await deliver(sourceId, event(3)), 200);
    expect(send).toHaveBeenCalledTimes(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await countRows("zoom_webhook_events", "user_id = ?", t.userId)).toBe(0);
    // Once the isolate's time is up, the source is read again: gone, so 404.
    vi.useFakeTimers({ now: Date.now() + WEBHOOK_SOURCE_TTL_MS, toFake: ["Date"] });
    try {
      expectStatus(await deliver(sourceId, event(4)), 404);
    } finally {
      vi.useRealTimers();
    }

    // Deleted through this isolate's API: refused at once.
    // (Below, after a secret changed through another isolate: the consumer checks the signature again.)
    const t2 = await createTenant("acksource2");
    const other = await zoomSource(t2);
    expectStatus(await deliver(other, event(5)), 200);
    expectStatus(await call(`/api/v1/sources/${other}`, { method: "DELETE", token: t2.accessToken }), 204);
    expectStatus(await deliver(other, event(6)), 404);
  });

  it("stores nothing signed with a secret that was replaced meanwhile, though the front door still knew the old one", async () => {
    const t = await createTenant("acksecret");
    const sourceId = await zoomSource(t);
    const event = (n: number) => meetingEvent("recording.completed", { uuid: `ack-secret-${n}==`, topic: `Lecture ${n}`, files: [{ id: `sec-${n}`, type: "MP4" }] });
    expectStatus(await deliver(sourceId, event(1)), 200);
    await waitFor(() => countRows("zoom_webhook_events", "user_id = ?", t.userId), (n) => n === 1);
    // Another isolate stores a new webhook secret for the credential.
    const { credential_id: credentialId } = (await env.DB.prepare("SELECT credential_id FROM input_sources WHERE id = ?").bind(sourceId).first<{ credential_id: number }>())!;
    const box = await secretBox(env.ENCRYPTION_KEYS!);
    const sealed = await box.seal(JSON.stringify({ account_id: `acc-${t.userId}`, client_id: "client-12345", client_secret: "client-secret-12345", webhook_secret_token: "a-brand-new-secret" }));
    await env.DB.prepare("UPDATE user_credentials SET encrypted_data = ?, updated_at = ? WHERE id = ?").bind(sealed, Date.now() + 1000, credentialId).run();
    // This isolate still answers with the old secret's view …
    expectStatus(await deliver(sourceId, event(2)), 200);
    await new Promise((r) => setTimeout(r, 500));
    // … but the consumer, reading the source now, finds the signature is not the current secret's.
    expect(await countRows("zoom_webhook_events", "user_id = ?", t.userId)).toBe(1);
    // Signed with the new secret, a delivery goes through end to end once the isolate reads again.
    vi.useFakeTimers({ now: Date.now() + WEBHOOK_SOURCE_TTL_MS, toFake: ["Date"] });
    try {
      expectStatus(await deliver(sourceId, event(3), {}, "a-brand-new-secret"), 200);
    } finally {
      vi.useRealTimers();
    }
    await waitFor(() => countRows("zoom_webhook_events", "user_id = ?", t.userId), (n) => n === 2);
  });
});

describe("API rate limit on the rate-limiting binding", () => {
  it("counts each API call on the binding under the user's key, not on a Durable Object", async () => {
    const t = await createTenant("rlbinding");
    const limit = vi.spyOn(env.API_RATE_LIMITER, "limit");
    const objects = vi.spyOn(env.RATE_LIMITER, "idFromName");
    const me = await call("/api/v1/users/me", { token: t.accessToken });
    expectStatus(me, 200);
    expect(me.headers.get("X-RateLimit-Limit")).toBe("120");
    expect(limit).toHaveBeenCalledWith({ key: `api:user:${t.userId}` });
    expect(objects.mock.calls.filter(([name]) => String(name).startsWith("api:"))).toEqual([]);
  });

  it("answers 429 with Retry-After and the envelope when the binding refuses, and fails open when it is down", async () => {
    const t = await createTenant("rlrefuse");
    vi.spyOn(env.API_RATE_LIMITER, "limit").mockResolvedValueOnce({ success: false });
    const limited = await call("/api/v1/users/me", { token: t.accessToken });
    expectStatus(limited, 429);
    expect(limited.headers.get("Retry-After")).toBe("60");
    expect(limited.body).toMatchObject({ error: { code: "RATE_LIMITED", details: { limit: 120, periodSeconds: 60 } } });
    vi.spyOn(env.API_RATE_LIMITER, "limit").mockRejectedValueOnce(new Error("rate limiter unreachable"));
    expectStatus(await call("/api/v1/users/me", { token: t.accessToken }), 200);
  });
});

describe("per-request work on an authenticated read", () => {
  it("GET /users/me checks the session and reads the profile in one D1 statement; a revoked session is refused at once", async () => {
    const t = await createTenant("onequery");
    const statements = captureStatements();
    const me = await call<{ id: string; email: string }>("/api/v1/users/me", { token: t.accessToken });
    expectStatus(me, 200);
    expect(me.body).toMatchObject({ id: t.userId, email: t.email });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/from "sessions" inner join "users"/i);
    // The next requests within the isolate's few seconds read nothing at all …
    const again = await call<{ full_name: string | null }>("/api/v1/users/me", { token: t.accessToken });
    expectStatus(again, 200);
    expect(statements).toHaveLength(1);
    // … until something changes the user through this isolate: it reads again and sees the change.
    expectStatus(await call("/api/v1/users/me", { method: "PATCH", token: t.accessToken, body: { full_name: "Fresh Name" } }), 200);
    const before = statements.length;
    const afterWrite = await call<{ full_name: string | null }>("/api/v1/users/me", { token: t.accessToken });
    expect(afterWrite.body.full_name).toBe("Fresh Name");
    // For a while after a change nothing of the user is kept (a read racing the write, or served by a
    // replica behind it, must not become the isolate's answer): each request reads again.
    expectStatus(await call("/api/v1/users/me", { token: t.accessToken }), 200);
    expect(statements.filter((q) => /from "sessions" inner join "users"/i.test(q)).length - statements.slice(0, before).filter((q) => /from "sessions" inner join "users"/i.test(q)).length).toBe(2);
    expectStatus(await call("/api/v1/auth/logout", { method: "POST", body: { refresh_token: t.refreshToken }, ip: t.ip }), 200);
    expectStatus(await call("/api/v1/users/me", { token: t.accessToken }), 401);
  });

  it("GET /recordings answers its page, total and output targets in one D1 round trip, the total from the tallies", async () => {
    const t = await createTenant("listtrip");
    const [first] = await seedRecordings(t.userId, [{ displayName: "With an output", status: "READY" }, { displayName: "Without", status: "READY" }]);
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO output_targets (recording_id, user_id, target_type, status, target_meta, created_at, updated_at) VALUES (?, ?, 'YOUTUBE', 'UPLOADED', '{}', ?, ?)",
    )
      .bind(first, t.userId, now, now)
      .run();
    expectStatus(await call("/api/v1/users/me", { token: t.accessToken }), 200); // the session is now known to this isolate
    const statements = captureStatements();
    const page = await call<{ total: number; items: Array<{ id: number; uploads: Record<string, unknown[]> }> }>("/api/v1/recordings", { token: t.accessToken });
    expectStatus(page, 200);
    expect(page.body.total).toBe(2);
    expect(page.body.items.map((r) => [r.id === first, Object.keys(r.uploads)])).toEqual([
      [false, []],
      [true, ["youtube"]],
    ]);
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/FROM "recording_tallies"/);
    expect(statements[2]).toMatch(/from "output_targets" where .* in \(select "id" from "recordings"/i);
    expect(statements.batches).toBe(1);
  });

  it("keeps a live session for at most SESSION_USER_TTL_MS, never past its expiry, and not for a client that saw a newer bookmark", () => {
    const row = { id: "user-1" } as Parameters<typeof rememberSessionUser>[1];
    const now = 1_000_000;
    rememberSessionUser("s1", row, now, now + 60_000, "0000000a-00000001");
    expect(cachedSessionUser("s1", "user-1", now + 1, null)).toEqual(row);
    expect(cachedSessionUser("s1", "user-1", now + 1, "0000000a-00000001")).toEqual(row); // the same state
    expect(cachedSessionUser("s1", "user-1", now + 1, null)).not.toBe(row); // a copy per request
    expect(cachedSessionUser("s1", "user-1", now + 1, "00000009-ffffffff")).toEqual(row); // an older one
    expect(cachedSessionUser("s1", "user-1", now + 1, "0000000b-00000000")).toBeUndefined(); // saw a later write
    expect(cachedSessionUser("s1", "someone-else", now + 1, null)).toBeUndefined(); // a token for another user
    rememberSessionUser("s1", row, now, now + 60_000, null);
    expect(cachedSessionUser("s1", "user-1", now + SESSION_USER_TTL_MS - 1, null)).toEqual(row);
    expect(cachedSessionUser("s1", "user-1", now + SESSION_USER_TTL_MS, null)).toBeUndefined();
    rememberSessionUser("s2", row, now, now + 100, null); // the session itself ends sooner
    expect(cachedSessionUser("s2", "user-1", now + 100, null)).toBeUndefined();
    rememberSessionUser("s3", row, now, now + 60_000, null);
    rememberSessionUser("s4", row, now, now + 60_000, null);
    forgetSession("s3");
    expect(cachedSessionUser("s3", "user-1", now, null)).toBeUndefined();
    expect(cachedSessionUser("s4", "user-1", now, null)).toEqual(row);
    forgetUser("user-1");
    expect(cachedSessionUser("s4", "user-1", now, null)).toBeUndefined();
  });

  it("sees a revocation made through another isolate once the entry's time is up", async () => {
    const t = await createTenant("otherisolate");
    expectStatus(await call("/api/v1/users/me", { token: t.accessToken }), 200);
    // Another isolate revokes the session: this one's D1 row changes, its cache does not.
    await env.DB.prepare("UPDATE sessions SET revoked_at = ? WHERE user_id = ?").bind(Date.now(), t.userId).run();
    expectStatus(await call("/api/v1/users/me", { token: t.accessToken }), 200);
    vi.useFakeTimers({ now: Date.now() + SESSION_USER_TTL_MS, toFake: ["Date"] });
    try {
      expectStatus(await call("/api/v1/users/me", { token: t.accessToken }), 401);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("reads near the user: D1 sessions and bookmarks", () => {
  it("returns a bookmark after a write, and a request carrying it reads that write", async () => {
    const t = await createTenant("bookmark");
    const sessions = vi.spyOn(env.DB, "withSession");
    const write = await call("/api/v1/users/me", { method: "PATCH", token: t.accessToken, body: { full_name: "Read Your Writes" } });
    expectStatus(write, 200);
    const bookmark = write.headers.get("x-d1-bookmark");
    expect(bookmark, "a write returns a bookmark").toMatch(/^[0-9a-f-]+$/i);
    expect(sessions).toHaveBeenLastCalledWith("first-primary"); // a write without a bookmark starts at the primary
    const read = await call<{ full_name: string }>("/api/v1/users/me", { token: t.accessToken, headers: { "x-d1-bookmark": bookmark! } });
    expectStatus(read, 200);
    expect(sessions).toHaveBeenLastCalledWith(bookmark);
    expect(read.body.full_name).toBe("Read Your Writes");
    // Bookmarks sort oldest to newest: the session never goes back in time.
    expect(read.headers.get("x-d1-bookmark")! >= bookmark!).toBe(true);
    const fresh = await call("/api/v1/users/me", { token: t.accessToken });
    expect(sessions).toHaveBeenLastCalledWith("first-unconstrained");
    expectStatus(fresh, 200);
  });

  it("refuses a malformed bookmark with 400 before touching the database", async () => {
    const t = await createTenant("badbookmark");
    for (const hostile of ["'; DROP TABLE users; --", "x".repeat(600), "00000001-zz"]) {
      const answer = await call("/api/v1/users/me", { method: "PATCH", token: t.accessToken, headers: { "x-d1-bookmark": hostile }, body: { full_name: "Hostile" } });
      expectStatus(answer, 400);
      expect(answer.text).not.toContain("DROP TABLE");
    }
    const me = await call<{ full_name: string }>("/api/v1/users/me", { token: t.accessToken });
    expect(me.body.full_name).not.toBe("Hostile");
  });

  it("lets browsers send and read the bookmark across origins", async () => {
    const preflight = await call("/api/v1/users/me", {
      method: "OPTIONS",
      headers: { Origin: "https://app.example.test", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization, x-d1-bookmark" },
    });
    expect(preflight.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("x-d1-bookmark");
    const health = await call("/api/v1/health", { headers: { Origin: "https://app.example.test" } });
    expect(health.headers.get("Access-Control-Expose-Headers")?.toLowerCase()).toContain("x-d1-bookmark");
  });
});

describe("time-budgeted stage steps", () => {
  /** A fake Zoom whose every ranged GET takes `secondsPerPart` of the service clock. */
  function slowZoom(secondsPerPart: number) {
    const zoom = new FakeZoom();
    let nowMs = Date.now();
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const response = await zoom.handle(input as RequestInfo, init);
      if (new Headers(init?.headers).has("Range")) nowMs += secondsPerPart * 1000;
      return response;
    });
    const ctx = serviceContext(env, { now: () => new Date(nowMs) });
    // A part cap far above what the budget allows: the budget decides (STAGE_STEP_BUDGET_SECONDS is 25 here).
    ctx.config = { ...ctx.config, DOWNLOAD_PARTS_PER_MESSAGE: 64 };
    return { zoom, ctx };
  }

  async function runningDownload(userId: string, recordingId: number, stages: string[]) {
    const runId = `01JBUDGET${String(recordingId).padStart(17, "0")}`;
    const now = Date.now();
    await env.DB.prepare("UPDATE recordings SET status = 'DOWNLOADING' WHERE id = ?").bind(recordingId).run();
    await env.DB.prepare(
      `INSERT INTO pipeline_runs (id, user_id, recording_id, status, trigger, stages, plan, current_stage, started_at, created_at, updated_at)
       VALUES (?, ?, ?, 'RUNNING', 'download', ?, '[]', 'DOWNLOAD', ?, ?, ?)`,
    )
      .bind(runId, userId, recordingId, JSON.stringify(stages), now, now, now)
      .run();
    await env.DB.prepare(
      `INSERT INTO processing_stages (recording_id, user_id, run_id, stage_type, status, stage_meta, created_at, updated_at)
       VALUES (?, ?, ?, 'DOWNLOAD', 'PENDING', '{"status_before":"INITIALIZED"}', ?, ?)`,
    )
      .bind(recordingId, userId, runId, now, now)
      .run();
    return { type: "pipeline.stage" as const, userId, recordingId, runId, stage: "DOWNLOAD" as const };
  }

  const stageRow = (recordingId: number, stage: string) =>
    env.DB.prepare("SELECT status, attempts, stage_meta FROM processing_stages WHERE recording_id = ? AND stage_type = ?")
      .bind(recordingId, stage)
      .first<{ status: string; attempts: number; stage_meta: string }>();

  it("copies parts while its budget lasts, yields after it, and the next message goes on from there", async () => {
    const { zoom, ctx } = slowZoom(10);
    const { t, recordingId, bytes } = await setupZoomRecording(zoom, "budgetdl", 30 * MiB);
    const send = vi.spyOn(env.PIPELINE, "send").mockResolvedValue(undefined as never); // no background consumer: this test runs the steps
    const message = await runningDownload(t.userId, recordingId, ["DOWNLOAD"]);
    zoom.downloadRanges.length = 0;

    // 10 s per part against 25 s: parts at 10, 20 and 30 s, then no new part starts.
    expect(await runStageStep(ctx, message)).toBeNull();
    expect(zoom.downloadRanges).toEqual([`bytes=0-${5 * MiB - 1}`, `bytes=${5 * MiB}-${10 * MiB - 1}`, `bytes=${10 * MiB}-${15 * MiB - 1}`]);
    const yielded = await stageRow(recordingId, "DOWNLOAD");
    expect(yielded?.status).toBe("PENDING");
    expect(JSON.parse(yielded!.stage_meta).files.video.offset).toBe(15 * MiB);
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ type: "pipeline.stage", stage: "DOWNLOAD", recordingId }), undefined);

    // The continuation has a budget of its own and finishes the file from the saved offset.
    expect(await runStageStep(ctx, message)).toBeNull();
    expect(zoom.downloadRanges).toHaveLength(6);
    expect(zoom.downloadRanges[3]).toBe(`bytes=${15 * MiB}-${20 * MiB - 1}`);
    expect((await stageRow(recordingId, "DOWNLOAD"))?.status).toBe("COMPLETED");
    const stored = await env.DB.prepare("SELECT source_object_key FROM recordings WHERE id = ?").bind(recordingId).first<{ source_object_key: string }>();
    expect(await sha256(await (await env.MEDIA.get(stored!.source_object_key))!.arrayBuffer())).toBe(await sha256(bytes));
  });

  it("a fast step copies everything in one message and goes on to the next stage in the same invocation", async () => {
    const { zoom, ctx } = slowZoom(0);
    const { t, recordingId } = await setupZoomRecording(zoom, "budgetchain", 30 * MiB);
    const send = vi.spyOn(env.PIPELINE, "send").mockResolvedValue(undefined as never);
    const message = await runningDownload(t.userId, recordingId, ["DOWNLOAD", "TRANSCRIBE"]);
    zoom.downloadRanges.length = 0;
    await runStagesWithinBudget(ctx, message);
    expect(zoom.downloadRanges).toHaveLength(6); // all six parts in one message (the test pins 2 per message otherwise)
    expect((await stageRow(recordingId, "DOWNLOAD"))?.status).toBe("COMPLETED");
    // The next stage's message was sent (the safety net), and the stage already ran here without it:
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ stage: "TRANSCRIBE" }), undefined);
    const transcribe = await stageRow(recordingId, "TRANSCRIBE");
    expect(transcribe?.status === "PENDING" && transcribe.attempts === 0 && !JSON.parse(transcribe.stage_meta).last_error).toBe(false);
  });

  it("an auto-started run's first stage runs in the invocation that ingested the webhook, not a queue hop later", async () => {
    const { zoom, ctx } = slowZoom(0);
    const { t, recordingId, sourceId } = await setupZoomRecording(zoom, "inlinefirst", 12 * MiB);
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { download: { auto_download: true } } });
    const send = vi.spyOn(env.PIPELINE, "send").mockResolvedValue(undefined as never); // no background consumer
    const rawBody = JSON.stringify(zoom.webhookEvent("inlinefirst-meeting=="));
    await persistZoomDelivery(ctx, { userId: t.userId, sourceId, deliveryId: "01JINLINEFIRST00000000000A", receivedAt: Date.now(), rawBody });
    // The stage's own message went out (the wake-up if this invocation had died) …
    expect(send).toHaveBeenCalledWith(expect.objectContaining({ type: "pipeline.stage", stage: "DOWNLOAD", recordingId }), undefined);
    // … but nobody consumed it, and the download is already done.
    expect((await stageRow(recordingId, "DOWNLOAD"))?.status).toBe("COMPLETED");
    expect(await countRows("zoom_webhook_events", "user_id = ? AND status = 'processed'", t.userId)).toBe(1);
  });

  it("does not start the next stage once the budget is spent", async () => {
    const { zoom, ctx } = slowZoom(10);
    const { t, recordingId } = await setupZoomRecording(zoom, "budgetstop", 12 * MiB);
    vi.spyOn(env.PIPELINE, "send").mockResolvedValue(undefined as never);
    const message = await runningDownload(t.userId, recordingId, ["DOWNLOAD", "TRANSCRIBE"]);
    await runStagesWithinBudget(ctx, message); // three parts: 30 s, past the 25 s budget
    expect((await stageRow(recordingId, "DOWNLOAD"))?.status).toBe("COMPLETED");
    const transcribe = await stageRow(recordingId, "TRANSCRIBE");
    expect(transcribe).toMatchObject({ status: "PENDING", attempts: 0 });
    expect(stepBudget(ctx, 0).hasTime()).toBe(false);
  });
});
