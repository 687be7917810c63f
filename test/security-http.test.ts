import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/app";
import worker from "../src/index";
import { call, expectErrorEnvelope, expectStatus, type ApiResponse } from "./helpers/api";
import { fakeMp4, PNG_HEADER } from "./helpers/fixtures";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";
import { deliver, meetingEvent, WEBHOOK_SECRET } from "./helpers/zoom-webhooks";

const KiB = 1024;
const MiB = 1024 * KiB;

afterEach(() => vi.restoreAllMocks());

/** A body generated only as it is read, counting how much the Worker actually pulled. */
function lazyBody(totalBytes: number, firstBytes?: Uint8Array) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= totalBytes) return controller.close();
        const size = Math.min(64 * KiB, totalBytes - pulled);
        const chunk = new Uint8Array(size).fill(0x61);
        if (pulled === 0 && firstBytes) chunk.set(firstBytes.subarray(0, size));
        pulled += size;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

function expectTooLarge(response: ApiResponse<unknown>, what: string) {
  expect(response.status, `${what}: expected 413, got ${response.status}: ${response.text.slice(0, 300)}`).toBe(413);
  expectErrorEnvelope(response, "PAYLOAD_TOO_LARGE");
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
  const source = await call<{ id: number }>("/api/v1/sources", {
    token: t.accessToken,
    body: { name: "Faculty Zoom", platform: "ZOOM", credential_id: credential.body.id },
  });
  expectStatus(source, 201);
  return source.body.id;
}

describe("body limits by route", () => {
  it("answers an 80 MB octet-stream to the webhook route 413 at once, having pulled almost none of it", async () => {
    const before = await countRows("zoom_webhook_events");
    for (const declared of [true, false]) {
      for (const sourceId of [999_999, 1]) {
        const body = lazyBody(80 * 1024 * 1024);
        const started = Date.now();
        const response = await call(`/api/v1/webhooks/zoom/${sourceId}`, {
          method: "POST",
          rawBody: body.stream,
          headers: { "Content-Type": "application/octet-stream", ...(declared ? { "Content-Length": String(80 * 1024 * 1024) } : {}) },
        });
        const elapsed = Date.now() - started;
        expectTooLarge(response, `declared=${declared} source=${sourceId}`);
        expect(body.pulled(), `declared=${declared}: bytes pulled`).toBeLessThan(MiB);
        expect(elapsed, "answered well under a second").toBeLessThan(1_000);
      }
    }
    expect(await countRows("zoom_webhook_events")).toBe(before);
  });

  it("caps webhooks at 64 KiB before the signature is checked, even for a correctly signed event", async () => {
    const t = await createTenant("webhook-cap");
    const sourceId = await zoomSource(t);
    const meeting = { uuid: `cap-${crypto.randomUUID()}`, topic: "Padded", files: [{ id: crypto.randomUUID(), type: "MP4" }] };
    const padded = await deliver(sourceId, meetingEvent("recording.completed", meeting, { padding: "x".repeat(65 * KiB) }));
    expectTooLarge(padded, "signed event over 64 KiB");
    expect(await countRows("zoom_webhook_events", "user_id = ?", t.userId)).toBe(0);
    const normal = await deliver(sourceId, meetingEvent("recording.completed", meeting));
    expectStatus(normal, 200);
    expect(normal.body).toMatchObject({ status: "accepted" });
  });

  it("holds JSON routes to MAX_JSON_BODY_BYTES whatever the Content-Type, declared or streamed, and stores nothing", async () => {
    const t = await createTenant("json-cap");
    const routes = [
      { method: "POST", path: "/api/v1/templates" },
      { method: "PUT", path: "/api/v1/recordings/1/config" },
      { method: "PATCH", path: "/api/v1/users/me" },
    ];
    for (const route of routes) {
      for (const type of ["video/mp4", "audio/mpeg", "application/octet-stream", "application/json"]) {
        const declared = await call(route.path, {
          method: route.method,
          token: t.accessToken,
          rawBody: new Uint8Array(MiB + 1).fill(0x20),
          headers: { "Content-Type": type },
        });
        expectTooLarge(declared, `${route.method} ${route.path} ${type} declared`);
        const body = lazyBody(8 * MiB);
        const streamed = await call(route.path, { method: route.method, token: t.accessToken, rawBody: body.stream, headers: { "Content-Type": type } });
        expectTooLarge(streamed, `${route.method} ${route.path} ${type} streamed`);
        expect(body.pulled(), `${route.path} ${type}: bytes pulled`).toBeLessThanOrEqual(MiB + 64 * KiB);
      }
      const form = new FormData();
      form.append("file", new File([new Uint8Array(2 * MiB)], "x.mp4", { type: "video/mp4" }));
      expectTooLarge(await call(route.path, { method: route.method, token: t.accessToken, rawBody: form }), `${route.path} multipart`);
    }
    expect(await countRows("recording_templates", "user_id = ?", t.userId)).toBe(0);
  });

  it("still takes media bodies on the upload routes, each with its own limit", async () => {
    const t = await createTenant("media-ok");
    const raw = await call<{ id: number; video_file_size: number }>("/api/v1/recordings?display_name=Raw%202%20MiB", {
      method: "POST",
      token: t.accessToken,
      rawBody: fakeMp4(2 * MiB),
      headers: { "Content-Type": "video/mp4" },
    });
    expectStatus(raw, 201);
    expect(raw.body.video_file_size).toBe(2 * MiB);
    expect((await env.MEDIA.head(`users/${t.userId}/recordings/${raw.body.id}/source.mp4`))?.size).toBe(2 * MiB);

    const form = new FormData();
    form.append("file", new File([fakeMp4(1536 * KiB)], "lecture.mp4", { type: "video/mp4" }));
    const viaForm = await call<{ video_file_size: number }>("/api/v1/recordings?display_name=Form", { method: "POST", token: t.accessToken, rawBody: form });
    expectStatus(viaForm, 201);
    expect(viaForm.body.video_file_size).toBe(1536 * KiB);

    const png = new Uint8Array(1536 * KiB);
    png.set(PNG_HEADER);
    const thumbForm = new FormData();
    thumbForm.append("file", new File([png], "cover.png", { type: "image/png" }));
    expectStatus(await call("/api/v1/thumbnails", { token: t.accessToken, rawBody: thumbForm }), 201);

    // Over the direct-upload limit: refused from its declared length, unread.
    const huge = lazyBody(200 * MiB, fakeMp4(64));
    const refused = await call("/api/v1/recordings?display_name=Huge", {
      method: "POST",
      token: t.accessToken,
      rawBody: huge.stream,
      headers: { "Content-Type": "video/mp4", "Content-Length": String(200 * MiB) },
    });
    expectTooLarge(refused, "direct upload over MAX_DIRECT_UPLOAD_BYTES");
    expect(huge.pulled()).toBeLessThan(MiB);
    // A thumbnail form streamed past its cap is cut off as soon as it passes it.
    const bigThumb = lazyBody(16 * MiB);
    expectTooLarge(
      await call("/api/v1/thumbnails", { token: t.accessToken, rawBody: bigThumb.stream, headers: { "Content-Type": "multipart/form-data; boundary=x" } }),
      "streamed thumbnail form",
    );
    expect(bigThumb.pulled()).toBeLessThanOrEqual(2 * MiB + 128 * KiB);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(2);
  });

  it("answers a raw upload without Content-Length 411 (as documented) and stores nothing", async () => {
    const t = await createTenant("no-length");
    const body = lazyBody(5000, fakeMp4(64));
    const direct = await call("/api/v1/recordings?display_name=Chunked", {
      method: "POST",
      token: t.accessToken,
      rawBody: body.stream,
      headers: { "Content-Type": "video/mp4" },
    });
    expectStatus(direct, 411);
    expectErrorEnvelope(direct, "LENGTH_REQUIRED");
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(0);
    expect((await env.MEDIA.list({ prefix: `users/${t.userId}/` })).objects).toHaveLength(0);

    const session = await call<{ id: string }>("/api/v1/recordings/uploads", {
      token: t.accessToken,
      body: { display_name: "Parts", size: 6 * MiB, content_type: "video/mp4", part_size: 5 * MiB },
    });
    expectStatus(session, 201);
    const part = await call(`/api/v1/recordings/uploads/${session.body.id}/parts/2`, {
      method: "PUT",
      token: t.accessToken,
      rawBody: lazyBody(MiB).stream,
      headers: { "Content-Type": "application/octet-stream" },
    });
    expectStatus(part, 411);
    expectErrorEnvelope(part, "LENGTH_REQUIRED");
    const progress = await call<{ uploaded_parts: number[] }>(`/api/v1/recordings/uploads/${session.body.id}`, { token: t.accessToken });
    expect(progress.body.uploaded_parts).toEqual([]);
  });
});

describe("docs from pinned assets, and a Content-Security-Policy", () => {
  const assets = () => (env as unknown as { ASSETS: Fetcher }).ASSETS;

  it("serves /docs as our own page that loads only same-origin scripts, with no inline script", async () => {
    const docs = await call("/docs");
    expectStatus(docs, 200);
    expect(docs.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(docs.text).not.toMatch(/cdn|unpkg|jsdelivr/i);
    const scripts = [...docs.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(inline?.trim(), "no inline script").toBe("");
      expect(attributes).toMatch(/\bsrc="\/vendor\/swagger-ui\/[\w.-]+\.js"/);
    }
    for (const [, url] of docs.text.matchAll(/\b(?:src|href)="([^"]*)"/g)) expect(url, "same-origin reference").toMatch(/^\/(?!\/)/);
  });

  it("sends a CSP that forbids inline and third-party scripts on pages and API answers alike", async () => {
    for (const path of ["/docs", "/api/v1/health", "/openapi.json", "/api/v1/does-not-exist"]) {
      const response = await call(path);
      const csp = response.headers.get("Content-Security-Policy") ?? "";
      const directives = new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
      expect(directives.get("default-src"), `${path}: ${csp}`).toEqual(["'self'"]);
      expect(directives.get("script-src"), `${path}: ${csp}`).toEqual(["'self'"]);
      expect(directives.get("object-src")).toEqual(["'none'"]);
      expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
      expect(directives.get("base-uri")).toEqual(["'self'"]);
      expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    }
  });

  it("serves the pinned Swagger UI from the Worker's static assets, under the same CSP", async () => {
    const worker = (await call("/docs")).headers.get("Content-Security-Policy");
    for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "init.js"]) {
      const response = await assets().fetch(`http://api.test/vendor/swagger-ui/${file}`);
      expect(response.status, file).toBe(200);
      expect(response.headers.get("Content-Security-Policy"), `${file} carries web/dist/_headers`).toBe(worker);
      const text = await response.text();
      if (file === "swagger-ui-bundle.js") expect(text).toContain("SwaggerUIBundle");
      if (file === "init.js") expect(text).not.toMatch(/https?:/);
    }
  });
});

describe("refusing to start insecurely", () => {
  const EXAMPLE_JWT_SECRET = "local-development-secret-change-me-0123456789";
  const EXAMPLE_KEYS = "dev1:q2Y6mX0p3Jb1k9Qv7Tn4Rz8Lc5Wg2Hs6Ud0Fa1Ee3Io=";
  const randomKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
  const goodSecrets = () => ({
    JWT_SECRET: `prod-${crypto.randomUUID()}-${crypto.randomUUID()}`,
    ENCRYPTION_KEYS: `k1:${randomKey()}`,
  });
  const production = (overrides: Record<string, string>) => ({ ...env, ENVIRONMENT: "production", ...goodSecrets(), ...overrides }) as Env;
  const request = async (path: string, bindings: Env, init: RequestInit = {}) => {
    const response = await app.request(path, init, bindings);
    return { status: response.status, headers: response.headers, text: await response.text() };
  };

  it("in production, example or weak secrets fail readiness and every other route, with the reason only in the log", async () => {
    const cases: Array<{ overrides: Record<string, string>; reason: RegExp }> = [
      { overrides: { JWT_SECRET: EXAMPLE_JWT_SECRET }, reason: /JWT_SECRET is a value published/ },
      { overrides: { JWT_SECRET: "too-short-secret" }, reason: /JWT_SECRET/ },
      { overrides: { ENCRYPTION_KEYS: "" }, reason: /ENCRYPTION_KEYS is not set/ },
      { overrides: { ENCRYPTION_KEYS: EXAMPLE_KEYS }, reason: /published in this repository/ },
      // Renaming the key id does not make a published key secret.
      { overrides: { ENCRYPTION_KEYS: `prod7:${EXAMPLE_KEYS.split(":")[1]}` }, reason: /published in this repository/ },
      { overrides: { ENCRYPTION_KEYS: "k1:bm90LTMyLWJ5dGVz" }, reason: /not keyId:base64\(32 bytes\)/ },
    ];
    for (const { overrides, reason } of cases) {
      const errors = vi.spyOn(console, "error");
      const bindings = production(overrides);
      const ready = await request("/api/v1/health/ready", bindings);
      expect(ready.status, `${JSON.stringify(overrides)}: ${ready.text}`).toBe(503);
      expect(JSON.parse(ready.text)).toMatchObject({ status: "unavailable", checks: { config: { status: "error" } } });
      for (const [path, init] of [
        ["/api/v1/health", {}],
        ["/api/v1/auth/login", { method: "POST", body: JSON.stringify({ email: "a@b.test", password: "x" }), headers: { "Content-Type": "application/json" } }],
        ["/docs", {}],
      ] as const) {
        const refused = await request(path, bindings, init);
        expect(refused.status, `${path} with ${JSON.stringify(overrides)}: ${refused.text}`).toBe(503);
        expect(JSON.parse(refused.text).error.code).toBe("SERVICE_UNAVAILABLE");
        for (const text of [refused.text, ready.text]) {
          expect(text).not.toMatch(/JWT_SECRET|ENCRYPTION_KEYS/);
          for (const value of Object.values(overrides)) if (value) expect(text).not.toContain(value);
        }
      }
      const logged = errors.mock.calls.map((args) => args.join(" ")).join("\n");
      expect(logged).toMatch(reason);
      for (const value of Object.values(overrides)) if (value) expect(logged).not.toContain(value);
      vi.restoreAllMocks();
    }
  });

  it("serves in production with real secrets, and in development with the examples", async () => {
    const good = production({});
    expect((await request("/api/v1/health/ready", good)).status).toBe(200);
    expect((await request("/api/v1/health", good)).status).toBe(200);
    const development = { ...env, ENVIRONMENT: "development", JWT_SECRET: EXAMPLE_JWT_SECRET, ENCRYPTION_KEYS: EXAMPLE_KEYS } as Env;
    expect((await request("/api/v1/health/ready", development)).status).toBe(200);
  });

  it("does no queue or cron work either: messages are retried later, ticks skipped", async () => {
    const bindings = production({ JWT_SECRET: EXAMPLE_JWT_SECRET });
    const errors = vi.spyOn(console, "error");
    const ack = vi.fn();
    const retry = vi.fn();
    const retryAll = vi.fn();
    const batch = {
      queue: "lecture-pipeline",
      messages: [{ id: "m1", timestamp: new Date(), attempts: 1, body: { type: "account.purge", userId: "nobody" }, ack, retry }],
      retryAll,
      ackAll: vi.fn(),
    } as unknown as MessageBatch<unknown>;
    await worker.queue!(batch, bindings, createExecutionContext());
    expect(retryAll).toHaveBeenCalledWith({ delaySeconds: 3_600 });
    expect(ack).not.toHaveBeenCalled();
    expect(retry).not.toHaveBeenCalled();

    const controller = { cron: "* * * * *", scheduledTime: Date.now(), noRetry: () => undefined } as ScheduledController;
    await worker.scheduled!(controller, bindings, createExecutionContext());
    const logged = errors.mock.calls.map((args) => args.join(" ")).join("\n");
    expect(logged).toMatch(/queue handler does no work/);
    expect(logged).toMatch(/scheduled handler does no work/);
  });
});
