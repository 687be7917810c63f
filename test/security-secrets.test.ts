import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { log } from "../src/lib/logger";
import { rememberSecrets } from "../src/lib/redact";
import { sanitizeProviderMessage } from "../src/lib/sanitize-provider-message";
import { call, expectStatus } from "./helpers/api";
import { fakeMp4, seedRecordings } from "./helpers/fixtures";
import { waitForRun } from "./helpers/pipeline";
import { createTenant } from "./helpers/tenants";

/**
 * Guarantee 5: a provider that echoes the request's key (in its error text, a quoted header or a
 * URL) never gets it stored, returned or logged; and capabilities (a resumable-session URL, an
 * upload URL) stay server-side.
 */

let lines: string[] = [];
beforeEach(() => {
  lines = [];
  const capture = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  };
  for (const level of ["log", "info", "warn", "error", "debug"] as const) vi.spyOn(console, level).mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

/** Every spelling of a secret that would give it away. */
const spellings = (secret: string) => [secret, encodeURIComponent(secret), btoa(secret).replace(/=+$/, "")];
function expectNoSecret(where: string, text: string, secret: string): void {
  for (const spelling of spellings(secret)) expect(text.includes(spelling), `${where} contains ${spelling}: ${text.slice(0, 2000)}`).toBe(false);
}

/** A provider error that echoes everything it was sent, padded well past any sensible length. */
function echoingError(secret: string): string {
  return (
    `Incorrect API key provided: ${secret}. You sent Authorization: Bearer ${secret} to ` +
    `https://openai.fake/v1/audio/transcriptions?key=${encodeURIComponent(secret)}&api_key=${secret}; x-api-key: ${secret}; ` +
    `retry at https://me:${secret}@openai.fake/ (base64 ${btoa(secret)}). ${"Please check your account settings. ".repeat(100)}`
  );
}

describe("the provider-message sanitiser", () => {
  it("removes anything shaped like a secret, keeps the readable rest, and caps the length", () => {
    const cases: Array<[string, string[]]> = [
      ["Incorrect API key provided: sk-proj-AbCdEf0123456789xyz. See your dashboard.", ["sk-proj-AbCdEf0123456789xyz"]],
      ["header was Authorization: Bearer abc.def-ghi_123456", ["abc.def-ghi_123456"]],
      ["got x-api-key: kv-77-supersecret and X-Api-Key=other-secret-9", ["kv-77-supersecret", "other-secret-9"]],
      ["GET https://api.example.com/v1/x?key=AIzaSyA-1234567890abcdefghijklmnopqrs&alt=json failed", ["AIzaSyA-1234567890", "alt=json"]],
      ['body {"access_token": "tok_live_9f8e7d6c", "password":"hunter2hunter2"}', ["tok_live_9f8e7d6c", "hunter2hunter2"]],
      ["api_key=supersecretvalue1&secret=abc123def", ["supersecretvalue1", "abc123def"]],
      ["could not reach https://admin:p4ssw0rd!@host.example/path", ["p4ssw0rd", "admin:"]],
      ["auth: Basic dXNlcjpwYXNzd29yZA==", ["dXNlcjpwYXNzd29yZA"]],
      ["signature 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 mismatch", ["9f86d081884c7d659a2feaa0c55ad015"]],
      ["token QWxhZGRpbjpvcGVuIHNlc2FtZQ1234567890abcdefghij rejected", ["QWxhZGRpbjpvcGVuIHNlc2FtZQ1234567890"]],
      ["refresh 1//0gLkQx-abcdefghijklmnop and ya29.a0AfB_byC-0123456789 and y0_AgAAAAB0123456789", ["1//0gLkQx", "ya29.a0AfB", "y0_AgAAAAB"]],
    ];
    for (const [message, secrets] of cases) {
      const clean = sanitizeProviderMessage(message);
      for (const secret of secrets) expect(clean, message).not.toContain(secret);
      expect(clean, message).toContain("[REDACTED]");
      expect(sanitizeProviderMessage(clean), "idempotent").toBe(clean);
    }
    // Ordinary messages, ids and paths stay as they were.
    for (const plain of [
      "Audio duration is too short.",
      "request refused with 413 (the file is too large)",
      "Zoom recording 550e8400-e29b-41d4-a716-446655440000 is still processing",
      "no object at users/01JD0Z5N6W4X8T7C2V1B9QK3HB/recordings/12/source.mp4",
    ]) {
      expect(sanitizeProviderMessage(plain)).toBe(plain);
    }
    const long = sanitizeProviderMessage(`problem: ${"x ".repeat(5000)}`);
    expect(long.length).toBeLessThanOrEqual(500);
    expect(long.endsWith("…")).toBe(true);
    expect(sanitizeProviderMessage("a\u0000b\u001b[31mc")).toBe("ab[31mc");
  });

  it("removes the secrets this isolate decrypted, in every spelling, from messages and from log lines", () => {
    const secret = "Plain Secret/Value+42"; // shaped like nothing: only knowing it finds it
    rememberSecrets([secret]);
    const clean = sanitizeProviderMessage(`echo ${secret} / ${encodeURIComponent(secret)} / ${btoa(secret)}`);
    expectNoSecret("sanitised message", clean, secret);
    log.error(`provider said ${secret}`, { detail: `again ${encodeURIComponent(secret)}`, nested: { list: [btoa(secret)] } });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expectNoSecret("log line", line, secret);
  });
});

describe("provider errors that echo the key", () => {
  it("never store, return or log a transcription key the provider echoed; the reason stays readable and short", async () => {
    const key = "tenantKey7Plain3Value"; // no known key format, under 32 characters: only the credential itself identifies it
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (new URL(request.url).hostname !== "openai.fake") return new Response("unexpected host", { status: 599 });
      const sent = request.headers.get("Authorization")?.replace(/^Bearer /, "") ?? "";
      return new Response(JSON.stringify({ error: { message: echoingError(sent), type: "invalid_request_error" } }), { status: 401, headers: { "content-type": "application/json" } });
    });
    const t = await createTenant("echo-asr");
    const upload = await call<{ id: number }>("/api/v1/recordings?display_name=Echo%20lecture", { method: "POST", token: t.accessToken, rawBody: fakeMp4(200_000, 5), headers: { "Content-Type": "video/mp4" } });
    expectStatus(upload, 201);
    expectStatus(await call("/api/v1/credentials", { token: t.accessToken, body: { platform: "openai", credentials: { api_key: key } } }), 201);
    expectStatus(
      await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { processing: { enable_processing: false }, transcription: { provider: "openai", enable_topics: false, enable_subtitles: false } } }),
      200,
    );
    const run = await call<{ task_id: string }>(`/api/v1/recordings/${upload.body.id}/process`, { method: "POST", token: t.accessToken });
    expectStatus(run, 202);
    const ended = await waitForRun(run.body.task_id);
    expect(ended).toMatchObject({ status: "FAILED" });
    expect(ended.error).toMatch(/^transcribe: OpenAI: the credential was rejected \(Incorrect API key provided: \[REDACTED\]/);
    expect(ended.error!.length).toBeLessThan(500);

    const responses = [
      JSON.stringify(ended),
      (await call(`/api/v1/recordings/${upload.body.id}`, { token: t.accessToken })).text,
      (await call(`/api/v1/recordings/${upload.body.id}/runs`, { token: t.accessToken })).text,
      (await call(`/api/v1/recordings?per_page=50`, { token: t.accessToken })).text,
    ];
    for (const text of responses) expectNoSecret("API response", text, key);
    const stored = [
      await env.DB.prepare("SELECT * FROM recordings WHERE id = ?").bind(upload.body.id).all(),
      await env.DB.prepare("SELECT * FROM processing_stages WHERE recording_id = ?").bind(upload.body.id).all(),
      await env.DB.prepare("SELECT * FROM pipeline_runs WHERE recording_id = ?").bind(upload.body.id).all(),
    ];
    const rows = JSON.stringify(stored.map((s) => s.results));
    expect(rows).toContain("the credential was rejected");
    expectNoSecret("stored rows", rows, key);
    expect(lines.some((l) => l.includes("stage failed"))).toBe(true);
    for (const line of lines) expectNoSecret("log line", line, key);
  });

  it("never stores or returns a Zoom client secret echoed by the token endpoint (credential status_reason)", async () => {
    const secret = "zoomPlainSecret2024x";
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      if (url.hostname !== "zoom.us" || url.pathname !== "/oauth/token") return new Response("unexpected host", { status: 599 });
      const basic = request.headers.get("Authorization") ?? "";
      const [, pair = ""] = /^Basic (.+)$/.exec(basic) ?? [];
      return new Response(JSON.stringify({ error: "invalid_client", reason: `Invalid client_secret: ${atob(pair).split(":")[1]} (sent ${basic})` }), { status: 401, headers: { "content-type": "application/json" } });
    });
    const t = await createTenant("echo-zoom");
    const created = await call<{ id: number }>("/api/v1/credentials", {
      token: t.accessToken,
      body: { platform: "zoom", credentials: { account_id: "acct-12345", client_id: "zoomclient01", client_secret: secret } },
    });
    expectStatus(created, 201);
    const tested = await call<{ ok: boolean; reason: string }>(`/api/v1/credentials/${created.body.id}/test`, { method: "POST", token: t.accessToken });
    expectStatus(tested, 200);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.reason).toMatch(/^Zoom: Invalid client_secret: \[REDACTED\]/);
    const shown = await call<{ status_reason: string; needs_reauth: boolean }>(`/api/v1/credentials/${created.body.id}`, { token: t.accessToken });
    expect(shown.body).toMatchObject({ needs_reauth: true, status_reason: tested.body.reason });
    for (const text of [tested.text, shown.text, (await call("/api/v1/credentials", { token: t.accessToken })).text]) expectNoSecret("API response", text, secret);
    const row = await env.DB.prepare("SELECT status_reason FROM user_credentials WHERE id = ?").bind(created.body.id).first<{ status_reason: string }>();
    expectNoSecret("stored status_reason", row!.status_reason, secret);
    expect(row!.status_reason).not.toContain(btoa(`zoomclient01:${secret}`));
    for (const line of lines) expectNoSecret("log line", line, secret);
  });
});

describe("capabilities stay server-side", () => {
  it("never returns a YouTube resumable-session URL or a VK upload URL from GET /recordings/{id}", async () => {
    const t = await createTenant("capabilities");
    const [rec] = await seedRecordings(t.userId, [{ displayName: "Publishing" }]);
    const session = "https://youtube-upload.fake/upload/youtube/v3/videos?uploadType=resumable&upload_id=SESSION-CAPABILITY-1";
    const vkUpload = "https://pu.vk.fake/upload.php?act=add_video&hash=VKHASH-CAPABILITY-2";
    const now = Date.now();
    const insert = env.DB.prepare(
      "INSERT INTO output_targets (recording_id, user_id, preset_id, target_type, status, target_meta, created_at, updated_at) VALUES (?, ?, ?, ?, 'UPLOADING', ?, ?, ?)",
    );
    await insert.bind(rec, t.userId, 1, "YOUTUBE", JSON.stringify({ session_url: session, offset: 262144, size: 1048576, video_id: "dQw4w9WgXcQ" }), now, now).run();
    await insert.bind(rec, t.userId, 2, "VK", JSON.stringify({ upload_url: vkUpload, owner_id: -5, video_id: 77, in_flight: true, warnings: ["thumbnail: https://pu.vk.fake/photo?access_token=vk1.a.SECRETTOKEN0123456789"] }), now, now).run();

    const detail = await call<{ outputs: Array<{ target_type: string; target_meta: Record<string, unknown> }> }>(`/api/v1/recordings/${rec}`, { token: t.accessToken });
    expectStatus(detail, 200);
    for (const capability of ["SESSION-CAPABILITY-1", "VKHASH-CAPABILITY-2", "youtube-upload.fake", "pu.vk.fake/upload.php", "SECRETTOKEN0123456789"]) {
      expect(detail.text, capability).not.toContain(capability);
    }
    const byType = Object.fromEntries(detail.body.outputs.map((o) => [o.target_type, o.target_meta]));
    expect(byType.YOUTUBE).toEqual({ offset: 262144, size: 1048576, video_id: "dQw4w9WgXcQ" });
    expect(byType.VK).toMatchObject({ owner_id: -5, video_id: 77 });
    expect(byType.VK).not.toHaveProperty("upload_url");
    // Still stored: the next upload step resumes from it.
    const stored = await env.DB.prepare("SELECT target_meta FROM output_targets WHERE recording_id = ? AND target_type = 'YOUTUBE'").bind(rec).first<{ target_meta: string }>();
    expect(JSON.parse(stored!.target_meta).session_url).toBe(session);
  });
});
