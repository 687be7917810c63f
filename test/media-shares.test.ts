import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AppError } from "../src/lib/errors";
import { sha256Hex } from "../src/lib/crypto";
import { storageKeys } from "../src/lib/storage-keys";
import { serviceContext } from "../src/services/context";
import { deliverSignedMedia } from "../src/services/media/media-delivery.service";
import { recordingMediaUrl } from "../src/services/media/media-links.service";
import { visitShare } from "../src/services/shares/public-share.service";
import { call, expectStatus, uniqueIp } from "./helpers/api";
import { seedRecordings } from "./helpers/fixtures";
import { countRows, createTenant, createTwoTenants, DEFAULT_PASSWORD, login, type Tenant } from "./helpers/tenants";

const SOURCE_SIZE = 10_000;
const PROCESSED_SIZE = 6_000;
const TTL_MS = 600_000; // MEDIA_URL_TTL_SECONDS in vitest.config.ts
const VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nДобрый день\n";
const SRT = "1\n00:00:01,000 --> 00:00:03,000\nДобрый день\n";
const TRANSCRIPT = {
  language: "ru",
  duration: 120,
  text: "Добрый день. Сегодня интегралы.",
  words: [],
  segments: [
    { id: 0, start: 1, end: 3, text: "Добрый день." },
    { id: 1, start: 3, end: 6, text: "Сегодня интегралы." },
  ],
  provider: "fake",
  model: "fake-1",
};

/** Byte i is (i·7 + seed) mod 251, so any slice can be checked against its position. */
function pattern(size: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + seed) % 251;
  return bytes;
}

interface Raw {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  text: string;
}

/** A request to the Worker's real fetch entry, keeping the body as bytes. */
async function raw(url: string, options: { method?: string; headers?: Record<string, string>; token?: string } = {}): Promise<Raw> {
  const headers: Record<string, string> = { "CF-Connecting-IP": "203.0.113.77", ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const absolute = url.startsWith("http") ? url : `http://api.test${url}`;
  const response = await exports.default.fetch(new Request(absolute, { method: options.method ?? "GET", headers, redirect: "manual" }));
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, text: new TextDecoder().decode(bytes) };
}

function expectEnvelope(response: Raw, status: number, code?: string): { code: string; message: string } {
  expect(response.status, `expected ${status}, got ${response.status}: ${response.text}`).toBe(status);
  const body = JSON.parse(response.text) as { error: { code: string; message: string; requestId: string } };
  expect(body.error.requestId).toBe(response.headers.get("X-Request-Id"));
  if (code) expect(body.error.code, response.text).toBe(code);
  return body.error;
}

interface Seeded {
  id: number;
  source: Uint8Array;
  processed: Uint8Array | null;
}

/** A recording with files in R2 and the row pointing at them, as the pipeline leaves it. */
async function recordingWithMedia(tenant: Tenant, displayName: string, options: { processed?: boolean; subtitles?: boolean } = {}): Promise<Seeded> {
  const [id] = await seedRecordings(tenant.userId, [{ displayName, status: "READY", duration: 5400 }]);
  const recordingId = id!;
  const source = pattern(SOURCE_SIZE);
  const sourceKey = storageKeys.recordingSource(tenant.userId, recordingId, "mp4");
  // A hostile stored content type must not decide what we serve.
  await env.MEDIA.put(sourceKey, source, { httpMetadata: { contentType: "text/html" } });
  const audioKey = storageKeys.recordingAudio(tenant.userId, recordingId, "m4a");
  await env.MEDIA.put(audioKey, pattern(2_000, 3));
  const transcriptKey = storageKeys.transcript(tenant.userId, recordingId);
  await env.MEDIA.put(transcriptKey, JSON.stringify(TRANSCRIPT));
  const processed = options.processed ? pattern(PROCESSED_SIZE, 5) : null;
  if (processed) await env.MEDIA.put(storageKeys.recordingProcessed(tenant.userId, recordingId), processed);
  if (options.subtitles !== false) {
    await env.MEDIA.put(storageKeys.subtitles(tenant.userId, recordingId, "srt"), SRT);
    await env.MEDIA.put(storageKeys.subtitles(tenant.userId, recordingId, "vtt"), VTT);
  }
  await env.DB.prepare(
    `UPDATE recordings SET source_object_key = ?, audio_object_key = ?, transcript_object_key = ?, processed_object_key = ?,
       subtitles_info = ?, main_topics = ?, topic_timestamps = ?, topics_summary = ? WHERE id = ?`,
  )
    .bind(
      sourceKey,
      audioKey,
      transcriptKey,
      processed ? storageKeys.recordingProcessed(tenant.userId, recordingId) : null,
      options.subtitles === false ? null : JSON.stringify({ formats: ["srt", "vtt"], cues: 1 }),
      JSON.stringify(["Интегралы"]),
      JSON.stringify([
        { topic: "Введение", start: 0, end: 60 },
        { topic: "Интеграл Римана", start: 60, end: 120 },
      ]),
      "Лекция об интегралах",
      recordingId,
    )
    .run();
  return { id: recordingId, source, processed };
}

/** GET …/media/{kind} and the signed URL it redirects to. */
async function signedUrl(tenant: Tenant, id: number, kind: string, query = ""): Promise<string> {
  const redirect = await raw(`/api/v1/recordings/${id}/media/${kind}${query}`, { token: tenant.accessToken });
  expect(redirect.status, redirect.text).toBe(302);
  const location = redirect.headers.get("Location");
  expect(location).toMatch(/^http:\/\/api\.test\/api\/v1\/media\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  return location!;
}

const ranged = (url: string, range: string, extra: Record<string, string> = {}) => raw(url, { headers: { Range: range, ...extra } });

function expectSlice(response: Raw, whole: Uint8Array, start: number, end: number): void {
  expect(response.status, response.text.slice(0, 200)).toBe(206);
  expect(response.headers.get("Content-Range")).toBe(`bytes ${start}-${end}/${whole.length}`);
  expect(response.headers.get("Content-Length")).toBe(String(end - start + 1));
  expect(response.bytes.length).toBe(end - start + 1);
  expect(Array.from(response.bytes)).toEqual(Array.from(whole.subarray(start, end + 1)));
}

/** Replaces the MAC or the claims of a signed URL, keeping the rest. */
function tamper(url: string, change: (claims: Record<string, unknown>) => void): string {
  const [prefix, token] = [url.slice(0, url.lastIndexOf("/") + 1), url.slice(url.lastIndexOf("/") + 1)];
  const [body, mac] = token.split(".");
  const claims = JSON.parse(atob(body!.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
  change(claims);
  const encoded = btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(claims))))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return `${prefix}${encoded}.${mac}`;
}

describe("media access: redirect to a signed URL", () => {
  it("redirects every stored kind to a short-lived signed URL that serves the file with our content type", async () => {
    const tenant = await createTenant("media");
    const rec = await recordingWithMedia(tenant, "Лекция 1", { processed: true });
    const expected: Record<string, { type: string; body?: Uint8Array | string }> = {
      original: { type: "video/mp4", body: rec.source },
      processed: { type: "video/mp4", body: rec.processed! },
      audio: { type: "audio/mp4" },
      transcript: { type: "application/json; charset=utf-8" },
      srt: { type: "application/x-subrip; charset=utf-8", body: SRT },
      vtt: { type: "text/vtt; charset=utf-8", body: VTT },
    };
    for (const [kind, want] of Object.entries(expected)) {
      const redirect = await raw(`/api/v1/recordings/${rec.id}/media/${kind}`, { token: tenant.accessToken });
      expect(redirect.status, `${kind}: ${redirect.text}`).toBe(302);
      expect(redirect.headers.get("Cache-Control")).toBe("no-store");
      const file = await raw(redirect.headers.get("Location")!);
      expect(file.status, `${kind}: ${file.text.slice(0, 200)}`).toBe(200);
      expect(file.headers.get("Content-Type"), kind).toBe(want.type);
      expect(file.headers.get("Accept-Ranges")).toBe("bytes");
      expect(file.headers.get("Cache-Control")).toMatch(/^private\b/);
      expect(file.headers.get("Content-Disposition"), kind).toMatch(/^inline; /);
      expect(file.headers.get("X-Content-Type-Options")).toBe("nosniff");
      if (want.body instanceof Uint8Array) expect(Array.from(file.bytes)).toEqual(Array.from(want.body));
      else if (typeof want.body === "string") expect(file.text).toBe(want.body);
    }
    const transcript = await raw(await signedUrl(tenant, rec.id, "transcript"));
    expect(JSON.parse(transcript.text)).toEqual(TRANSCRIPT);
  });

  it("answers the signed URL and its expiry as JSON to Accept: application/json, for players that renew it", async () => {
    const tenant = await createTenant("media-json");
    const rec = await recordingWithMedia(tenant, "Лекция JSON", { processed: true });
    const before = Date.now();
    const answer = await raw(`/api/v1/recordings/${rec.id}/media/processed`, { token: tenant.accessToken, headers: { Accept: "application/json" } });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get("Cache-Control")).toBe("no-store");
    expect(answer.headers.get("Vary")).toContain("Accept");
    expect(answer.headers.get("Location")).toBeNull();
    const link = JSON.parse(answer.text) as { kind: string; url: string; expires_at: string };
    expect(link.kind).toBe("processed");
    expect(link.url).toMatch(/^http:\/\/api\.test\/api\/v1\/media\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const expiresAt = Date.parse(link.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + TTL_MS - 2_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + TTL_MS + 1_000);
    expectSlice(await ranged(link.url, "bytes=100-199"), rec.processed!, 100, 199);
    // download=1 applies to the JSON answer's URL too.
    const download = await raw(`/api/v1/recordings/${rec.id}/media/original?download=1`, { token: tenant.accessToken, headers: { Accept: "application/json" } });
    expect(download.status, download.text).toBe(200);
    const file = await raw((JSON.parse(download.text) as { url: string }).url, { method: "HEAD" });
    expect(file.headers.get("Content-Disposition")).toMatch(/^attachment; /);
    // A browser's navigation (wildcards, HTML first) still gets the redirect; errors stay the usual envelope.
    const navigation = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    expect((await raw(`/api/v1/recordings/${rec.id}/media/original`, { token: tenant.accessToken, headers: { Accept: navigation } })).status).toBe(302);
    expectEnvelope(await raw(`/api/v1/recordings/999999/media/original`, { token: tenant.accessToken, headers: { Accept: "application/json" } }), 404, "NOT_FOUND");
  });

  it("answers 404 for a kind not produced yet, another tenant's or a deleted recording, and 400/401 for bad calls", async () => {
    const { a, b } = await createTwoTenants();
    const rec = await recordingWithMedia(a, "Без обрезки", { subtitles: false });
    const notYet = await call(`/api/v1/recordings/${rec.id}/media/processed`, { token: a.accessToken });
    expectStatus(notYet, 404);
    expect((notYet.body as { error: { message: string } }).error.message).toBe("The recording has no trimmed video yet");
    expectStatus(await call(`/api/v1/recordings/${rec.id}/media/vtt`, { token: a.accessToken }), 404);
    // The row points at a file that is not in storage (lost or cleaned): the same clear 404.
    await env.MEDIA.delete(storageKeys.recordingAudio(a.userId, rec.id, "m4a"));
    const lost = await call(`/api/v1/recordings/${rec.id}/media/audio`, { token: a.accessToken });
    expectStatus(lost, 404);
    expect(lost.text).toContain("no audio yet");

    expectStatus(await call(`/api/v1/recordings/${rec.id}/media/original`), 401);
    expectStatus(await call(`/api/v1/recordings/${rec.id}/media/original`, { token: b.accessToken }), 404);
    expectStatus(await call(`/api/v1/recordings/999999/media/original`, { token: a.accessToken }), 404);
    for (const kind of ["thumbnail", "..%2F..%2Fetc%2Fpasswd", "ORIGINAL", "original.mp4", "%00"]) {
      expectStatus(await call(`/api/v1/recordings/${rec.id}/media/${kind}`, { token: a.accessToken }), 400);
    }
    expectStatus(await call(`/api/v1/recordings/${rec.id}/media/original?download=yes`, { token: a.accessToken }), 400);
    expectStatus(await call(`/api/v1/recordings/${rec.id}/media/original?dl=1`, { token: a.accessToken }), 400);
    expectStatus(await call(`/api/v1/recordings/abc/media/original`, { token: a.accessToken }), 400);

    expectStatus(await call(`/api/v1/recordings/${rec.id}`, { method: "DELETE", token: a.accessToken }), 200);
    expectStatus(await call(`/api/v1/recordings/${rec.id}/media/original`, { token: a.accessToken }), 404);
  });

  it("is in the OpenAPI document", async () => {
    const spec = await call<{ paths: Record<string, Record<string, unknown>> }>("/openapi.json");
    for (const path of ["/api/v1/recordings/{id}/media/{kind}", "/api/v1/media/{token}", "/api/v1/recordings/{id}/shares", "/api/v1/recordings/{id}/shares/{share_id}", "/api/v1/public/shares/{token}"]) {
      expect(spec.body.paths, path).toHaveProperty([path]);
    }
    expect(spec.body.paths["/api/v1/public/shares/{token}"]).not.toHaveProperty(["get", "security"]);
  });
});

describe("signed media: ranges, HEAD, ETag", () => {
  it("serves the first byte, a middle range, the last byte, suffix and open-ended ranges, and repeated seeks", async () => {
    const tenant = await createTenant("ranges");
    const rec = await recordingWithMedia(tenant, "Ranges");
    const url = await signedUrl(tenant, rec.id, "original");
    expectSlice(await ranged(url, "bytes=0-0"), rec.source, 0, 0);
    expectSlice(await ranged(url, "bytes=4000-4999"), rec.source, 4000, 4999);
    expectSlice(await ranged(url, `bytes=${SOURCE_SIZE - 1}-${SOURCE_SIZE - 1}`), rec.source, SOURCE_SIZE - 1, SOURCE_SIZE - 1);
    expectSlice(await ranged(url, "bytes=-500"), rec.source, SOURCE_SIZE - 500, SOURCE_SIZE - 1);
    expectSlice(await ranged(url, "bytes=-99999"), rec.source, 0, SOURCE_SIZE - 1);
    expectSlice(await ranged(url, "bytes=9000-"), rec.source, 9000, SOURCE_SIZE - 1);
    expectSlice(await ranged(url, "bytes=9990-99999999999"), rec.source, 9990, SOURCE_SIZE - 1);
    // A player seeking: one range per request, each answered on its own.
    for (const start of [7000, 100, 5555, 9999, 0]) expectSlice(await ranged(url, `bytes=${start}-`), rec.source, start, SOURCE_SIZE - 1);
    // Ranges that merge into one are served as that one; disjoint ones get the whole file.
    expectSlice(await ranged(url, "bytes=0-99,100-199"), rec.source, 0, 199);
    const disjoint = await ranged(url, "bytes=0-9,500-509");
    expect(disjoint.status).toBe(200);
    expect(disjoint.bytes.length).toBe(SOURCE_SIZE);
    const whole = await raw(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("Content-Length")).toBe(String(SOURCE_SIZE));
    expect(Array.from(whole.bytes)).toEqual(Array.from(rec.source));
  });

  it("answers 416 with Content-Range: bytes */size past the end, and ignores malformed or hostile Range headers", async () => {
    const tenant = await createTenant("range416");
    const rec = await recordingWithMedia(tenant, "416");
    const url = await signedUrl(tenant, rec.id, "original");
    for (const range of [`bytes=${SOURCE_SIZE}-`, `bytes=${SOURCE_SIZE}-${SOURCE_SIZE + 10}`, "bytes=99999999999999999999999-", "bytes=-0"]) {
      const response = await ranged(url, range);
      expectEnvelope(response, 416, "RANGE_NOT_SATISFIABLE");
      expect(response.headers.get("Content-Range"), range).toBe(`bytes */${SOURCE_SIZE}`);
    }
    const hostile = [
      "bytes=abc",
      "bytes=5-2",
      "bytes=--1",
      "bytes=",
      "bytes=0-1;drop table",
      "items=0-10",
      "0-10",
      "bytes=0x10-0x20",
      "bytes=1e3-2e3",
      `bytes=${"0-1,".repeat(3000)}0-1`,
      `bytes=${Array.from({ length: 200 }, (_, i) => `${i * 40}-${i * 40 + 1}`).join(",")}`,
      "bytes=0--1",
      "bytes=\t0-1\t0-1",
    ];
    for (const range of hostile) {
      const response = await ranged(url, range);
      expect(response.status, `${range.slice(0, 40)}: ${response.text.slice(0, 200)}`).toBe(200);
      expect(response.bytes.length).toBe(SOURCE_SIZE);
    }
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const tenant = await createTenant("head");
    const rec = await recordingWithMedia(tenant, "Head");
    const url = await signedUrl(tenant, rec.id, "original");
    const head = await raw(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    expect(head.headers.get("Content-Length")).toBe(String(SOURCE_SIZE));
    expect(head.headers.get("Content-Type")).toBe("video/mp4");
    expect(head.headers.get("Accept-Ranges")).toBe("bytes");
    expect(head.headers.get("ETag")).toMatch(/^"[^"]+"$/);
    const headRange = await raw(url, { method: "HEAD", headers: { Range: "bytes=100-199" } });
    expect(headRange.status).toBe(206);
    expect(headRange.headers.get("Content-Range")).toBe(`bytes 100-199/${SOURCE_SIZE}`);
    expect(headRange.bytes.length).toBe(0);
  });

  it("uses R2's strong ETag: If-None-Match answers 304, If-Range decides between the range and the whole file", async () => {
    const tenant = await createTenant("etag");
    const rec = await recordingWithMedia(tenant, "ETag");
    const url = await signedUrl(tenant, rec.id, "original");
    const first = await raw(url);
    const etag = first.headers.get("ETag")!;
    const stored = await env.MEDIA.head(storageKeys.recordingSource(tenant.userId, rec.id, "mp4"));
    expect(etag).toBe(stored!.httpEtag);
    expect(etag.startsWith("W/")).toBe(false);

    for (const value of [etag, `"other", ${etag}`, "*", `W/${etag}`]) {
      const notModified = await raw(url, { headers: { "If-None-Match": value } });
      expect(notModified.status, value).toBe(304);
      expect(notModified.bytes.length).toBe(0);
      expect(notModified.headers.get("ETag")).toBe(etag);
    }
    expect((await raw(url, { headers: { "If-None-Match": '"stale"' } })).status).toBe(200);

    expectSlice(await ranged(url, "bytes=10-19", { "If-Range": etag }), rec.source, 10, 19);
    expectSlice(await ranged(url, "bytes=10-19", { "If-Range": first.headers.get("Last-Modified")! }), rec.source, 10, 19);
    for (const stale of ['"stale"', `W/${etag}`, "Wed, 21 Oct 2015 07:28:00 GMT", "not a date"]) {
      const full = await ranged(url, "bytes=10-19", { "If-Range": stale });
      expect(full.status, stale).toBe(200);
      expect(full.bytes.length).toBe(SOURCE_SIZE);
    }
  });

  it("names a download after the recording: Cyrillic in filename*, an ASCII fallback, no path characters, quotes or controls", async () => {
    const tenant = await createTenant("disposition");
    const rec = await recordingWithMedia(tenant, 'Лекция 3: «Интегралы» / часть "2"\r\n../../etc\u202e\u0000', { processed: true });
    const disposition = (await raw(await signedUrl(tenant, rec.id, "original", "?download=1"))).headers.get("Content-Disposition")!;
    expect(disposition).toMatch(/^attachment; filename="[^"]+"; filename\*=UTF-8''[A-Za-z0-9%._~-]+$/);
    const ascii = /filename="([^"]+)"/.exec(disposition)![1]!;
    expect(ascii).toMatch(/^[\x20-\x7e]+$/);
    expect(ascii).not.toMatch(/[/\\"%]/);
    expect(ascii.startsWith("Lekciya 3")).toBe(true);
    expect(ascii.endsWith(".mp4")).toBe(true);
    const utf8Name = decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!);
    expect(utf8Name).toBe("Лекция 3 «Интегралы» часть 2 .. .. etc.mp4");
    expect(utf8Name).not.toMatch(/[/\\"\p{Cc}\p{Cf}]/u);

    const trimmed = (await raw(await signedUrl(tenant, rec.id, "processed", "?download=true"))).headers.get("Content-Disposition")!;
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(trimmed)![1]!)).toBe("Лекция 3 «Интегралы» часть 2 .. .. etc (trimmed).mp4");
    const inline = (await raw(await signedUrl(tenant, rec.id, "original", "?download=0"))).headers.get("Content-Disposition")!;
    expect(inline.startsWith("inline; ")).toBe(true);

    // A name of nothing but symbols falls back to the recording id.
    const [symbols] = await seedRecordings(tenant.userId, [{ displayName: '///"""\\\\' }]);
    const key = storageKeys.recordingSource(tenant.userId, symbols!, "mp4");
    await env.MEDIA.put(key, pattern(10));
    await env.DB.prepare("UPDATE recordings SET source_object_key = ? WHERE id = ?").bind(key, symbols!).run();
    const fallback = (await raw(await signedUrl(tenant, symbols!, "original", "?download=1"))).headers.get("Content-Disposition")!;
    expect(fallback).toBe(`attachment; filename="recording-${symbols}.mp4"; filename*=UTF-8''recording-${symbols}.mp4`);
  });
});

describe("signed media: signatures", () => {
  it("refuses an expired URL (time moved with the service clock) with 403", async () => {
    const tenant = await createTenant("expiry");
    const rec = await recordingWithMedia(tenant, "Expiry");
    const past = serviceContext(env, { now: () => new Date(Date.now() - TTL_MS - 60_000) });
    const old = await recordingMediaUrl(past, tenant.userId, rec.id, "original", { origin: "http://api.test", download: false });
    expect(old.expiresAt.getTime()).toBeLessThan(Date.now());
    const expired = expectEnvelope(await raw(old.url), 403, "FORBIDDEN");
    expect(expired.message).toBe("This media link is invalid or has expired; ask for a new one");

    const fresh = await recordingMediaUrl(serviceContext(env), tenant.userId, rec.id, "original", { origin: "http://api.test", download: false });
    expect(fresh.expiresAt.getTime() - Date.now()).toBeGreaterThan(TTL_MS - 5_000);
    expect(fresh.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(TTL_MS);
    const token = fresh.url.slice(fresh.url.lastIndexOf("/") + 1);
    const justBefore = serviceContext(env, { now: () => new Date(fresh.expiresAt.getTime() - 1_000) });
    expect((await deliverSignedMedia(justBefore, token, { method: "HEAD", header: () => undefined })).status).toBe(200);
    const later = serviceContext(env, { now: () => new Date(fresh.expiresAt.getTime() + 1_000) });
    const error = await deliverSignedMedia(later, token, { method: "GET", header: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(403);
  });

  it("refuses tampered URLs and other tenants' signatures with one 403, whether or not the object exists", async () => {
    const { a, b } = await createTwoTenants();
    const recA = await recordingWithMedia(a, "Tenant A");
    const recA2 = await recordingWithMedia(a, "Tenant A, second");
    const recB = await recordingWithMedia(b, "Tenant B");
    const urlA = await signedUrl(a, recA.id, "original");
    const urlB = await signedUrl(b, recB.id, "original");
    const token = urlA.slice(urlA.lastIndexOf("/") + 1);
    const mac = token.split(".")[1]!;
    // Flip a character inside the MAC: its last base64url character carries padding bits a decoder
    // drops, so changing only those would be the same MAC (and made this test fail now and then).
    const at = token.length - 10;
    const flipped = `${token.slice(0, at)}${token[at] === "A" ? "B" : "A"}${token.slice(at + 1)}`;
    const attempts = [
      urlA.replace(token, flipped),
      urlA.replace(mac, urlB.slice(urlB.lastIndexOf(".") + 1)),
      tamper(urlA, (c) => (c.r = recA2.id)),
      tamper(urlA, (c) => (c.key = storageKeys.recordingSource(a.userId, recA2.id, "mp4"))),
      tamper(urlA, (c) => (c.d = "attachment")),
      tamper(urlA, (c) => (c.e = Number(c.e) + 86_400)),
      tamper(urlA, (c) => (c.k = "audio")),
      // B's signature carried over to A's object, and to an object that does not exist.
      tamper(urlB, (c) => ((c.u = a.userId), (c.r = recA.id), (c.key = storageKeys.recordingSource(a.userId, recA.id, "mp4")))),
      tamper(urlB, (c) => ((c.u = a.userId), (c.r = 987_654), (c.key = storageKeys.recordingSource(a.userId, 987_654, "mp4")))),
    ];
    const messages = new Set<string>();
    for (const url of attempts) {
      for (const method of ["GET", "HEAD"]) {
        const response = await raw(url, { method });
        expect(response.status, `${method} ${url.slice(-60)}: ${response.text}`).toBe(403);
        if (method === "GET") messages.add(JSON.stringify({ ...expectEnvelope(response, 403, "FORBIDDEN"), requestId: undefined }));
      }
    }
    expect([...messages]).toHaveLength(1);
    // The genuine URLs still work.
    expect((await raw(urlA)).status).toBe(200);
    expect((await raw(urlB)).status).toBe(200);
  });

  it("answers garbage and path-like tokens with 4xx, never a file or a 500", async () => {
    const tenant = await createTenant("garbage");
    await recordingWithMedia(tenant, "Garbage");
    const tokens = ["abc", "a.b", "..", "..%2F..%2Fusers", "%00", `${"A".repeat(60)}.${"B".repeat(43)}`, `e30.${"A".repeat(43)}`, `${"A".repeat(1700)}.${"B".repeat(43)}`];
    for (const token of tokens) {
      const response = await raw(`/api/v1/media/${token}`);
      expect([400, 403, 404], `${token.slice(0, 30)}: ${response.status} ${response.text}`).toContain(response.status);
      expectEnvelope(response, response.status);
    }
  });

  it("stops a URL when its recording is soft-deleted or its file is replaced", async () => {
    const tenant = await createTenant("media-deleted");
    const rec = await recordingWithMedia(tenant, "Deleted later");
    const url = await signedUrl(tenant, rec.id, "original");
    const vtt = await signedUrl(tenant, rec.id, "vtt");
    expect((await raw(url)).status).toBe(200);
    // A forced re-download points the row at a new copy: URLs of the old one stop.
    const copy = storageKeys.recordingSource(tenant.userId, rec.id, "mp4", "copy2");
    await env.MEDIA.put(copy, pattern(100));
    await env.DB.prepare("UPDATE recordings SET source_object_key = ? WHERE id = ?").bind(copy, rec.id).run();
    expectEnvelope(await raw(url), 404, "NOT_FOUND");
    expectStatus(await call(`/api/v1/recordings/${rec.id}`, { method: "DELETE", token: tenant.accessToken }), 200);
    expectEnvelope(await raw(vtt), 404, "NOT_FOUND");
  });
});

interface CreatedShare {
  id: number;
  token: string;
  url: string;
  status: string;
  allow_download: boolean;
  password_protected: boolean;
  expires_at: string | null;
  view_count: number;
}

interface PublicView {
  title: string;
  description: string | null;
  duration: number;
  main_topics: string[];
  chapters: Array<{ title: string; start: number; end: number }>;
  transcript: Array<{ start: number; end: number; text: string }>;
  video: { kind: string; url: string; download_url: string | null; expires_at: string } | null;
  subtitles: { srt: string | null; vtt: string | null };
  allow_download: boolean;
}

const createShare = (tenant: Tenant, id: number, body: Record<string, unknown> = {}) =>
  call<CreatedShare>(`/api/v1/recordings/${id}/shares`, { body, token: tenant.accessToken, ip: tenant.ip });
const visit = (token: string, options: { password?: string; ip?: string } = {}) =>
  call<PublicView>(`/api/v1/public/shares/${token}`, {
    ip: options.ip ?? uniqueIp(),
    // Header values are ASCII in browsers: the password travels percent-encoded (UTF-8).
    headers: options.password === undefined ? {} : { "X-Share-Password": encodeURIComponent(options.password) },
  });
const listShares = (tenant: Tenant, id: number) =>
  call<{ items: Array<CreatedShare & { last_viewed_at: string | null; revoked_at: string | null }> }>(`/api/v1/recordings/${id}/shares`, { token: tenant.accessToken });

async function adminToken(): Promise<string> {
  // BOOTSTRAP_ADMIN_EMAIL: the first registration of that address is an administrator (storage is per test file).
  await call("/api/v1/auth/register", { body: { email: "first-admin@example.test", password: DEFAULT_PASSWORD }, ip: uniqueIp() });
  return (await login("first-admin@example.test", DEFAULT_PASSWORD, uniqueIp())).access_token;
}

describe("share links", () => {
  it("creates a link whose token is shown once and stored only as a hash; anyone can view it; views are counted", async () => {
    const tenant = await createTenant("share");
    const rec = await recordingWithMedia(tenant, "Лекция для всех", { processed: true });
    const created = await createShare(tenant, rec.id);
    expectStatus(created, 201);
    const share = created.body;
    expect(share.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(share.url).toBe(`http://api.test/api/v1/public/shares/${share.token}`);
    expect(share).toMatchObject({ status: "active", allow_download: false, password_protected: false, expires_at: null, view_count: 0 });
    const row = await env.DB.prepare("SELECT * FROM recording_shares WHERE id = ?").bind(share.id).first<Record<string, unknown>>();
    expect(row!.token_hash).toBe(await sha256Hex(share.token));
    expect(JSON.stringify(row)).not.toContain(share.token);

    const page = await visit(share.token);
    expectStatus(page, 200);
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    expect(page.body).toMatchObject({
      title: "Лекция для всех",
      description: "Лекция об интегралах",
      duration: 5400,
      main_topics: ["Интегралы"],
      chapters: [
        { title: "Введение", start: 0, end: 60 },
        { title: "Интеграл Римана", start: 60, end: 120 },
      ],
      transcript: [
        { start: 1, end: 3, text: "Добрый день." },
        { start: 3, end: 6, text: "Сегодня интегралы." },
      ],
      allow_download: false,
    });
    expect(page.body.video).toMatchObject({ kind: "processed", download_url: null });
    const video = await raw(page.body.video!.url, { headers: { Range: "bytes=0-99" } });
    expectSlice(video, rec.processed!, 0, 99);
    expect(video.headers.get("Content-Disposition")).toMatch(/^inline; /);
    const vtt = await raw(page.body.subtitles.vtt!);
    expect(vtt.status).toBe(200);
    expect(vtt.text).toBe(VTT);
    expect((await raw(page.body.subtitles.srt!)).text).toBe(SRT);

    expectStatus(await visit(share.token), 200);
    const listed = await listShares(tenant, rec.id);
    expectStatus(listed, 200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ id: share.id, view_count: 2, status: "active" });
    expect(listed.body.items[0]).not.toHaveProperty("token");
    expect(Date.now() - Date.parse(listed.body.items[0]!.last_viewed_at!)).toBeLessThan(60_000);
    expect(listed.text).not.toContain(share.token);
  });

  it("hands out a download URL only when the link allows downloads, and the original video without a trimmed one", async () => {
    const tenant = await createTenant("share-dl");
    const rec = await recordingWithMedia(tenant, "Скачать можно");
    const share = (await createShare(tenant, rec.id, { allow_download: true })).body;
    const page = await visit(share.token);
    expectStatus(page, 200);
    expect(page.body.video!.kind).toBe("original");
    const download = await raw(page.body.video!.download_url!);
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Disposition")).toMatch(/^attachment; filename="Skachat mozhno\.mp4"; filename\*=UTF-8''/);
    expect(Array.from(download.bytes)).toEqual(Array.from(rec.source));
  });

  it("asks for the password, refuses a wrong one, rate-limits guesses per link and address, and counts only real views", async () => {
    const tenant = await createTenant("share-pw");
    const rec = await recordingWithMedia(tenant, "С паролем");
    const share = (await createShare(tenant, rec.id, { password: "открой-сезам" })).body;
    expect(share.password_protected).toBe(true);
    const row = await env.DB.prepare("SELECT password_hash FROM recording_shares WHERE id = ?").bind(share.id).first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^pbkdf2_sha256\$/);

    const ip = uniqueIp();
    const missing = await visit(share.token, { ip });
    expectStatus(missing, 401);
    expect(missing.body).toMatchObject({ error: { code: "UNAUTHORIZED", details: { password_required: true } } });
    expect(missing.headers.get("WWW-Authenticate")).toBeNull();
    const wrong = await visit(share.token, { ip, password: "неверный" });
    expectStatus(wrong, 401);
    expect(wrong.text).not.toContain("неверный");
    expectStatus(await visit(share.token, { ip, password: "открой-сезам" }), 200);

    // AUTH_MAX_FAILURES_PER_ACCOUNT (7 in tests) free failures, then growing waits.
    let limited: Awaited<ReturnType<typeof visit>> | undefined;
    for (let i = 0; i < 12 && !limited; i++) {
      const response = await visit(share.token, { ip, password: `guess-${i}` });
      if (response.status === 429) limited = response;
      else expectStatus(response, 401);
    }
    expect(limited, "wrong passwords were never rate-limited").toBeDefined();
    expectStatus(limited!, 429);
    expect(Number(limited!.headers.get("Retry-After"))).toBeGreaterThan(0);
    // Locked on this link from this address even with the right password; another visitor is not affected.
    expectStatus(await visit(share.token, { ip, password: "открой-сезам" }), 429);
    expectStatus(await visit(share.token, { ip: uniqueIp(), password: "открой-сезам" }), 200);

    const listed = await listShares(tenant, rec.id);
    expect(listed.body.items[0]!.view_count).toBe(2);
  });

  it("stops working when it expires (service clock moved) and answers 404 like an unknown link", async () => {
    const tenant = await createTenant("share-exp");
    const rec = await recordingWithMedia(tenant, "Истекает");
    // Two minutes: shorter than a media URL's 10, so the URLs signed for the link end with it.
    const expiresAt = new Date(Math.ceil((Date.now() + 120_000) / 1000) * 1000);
    const share = (await createShare(tenant, rec.id, { expires_at: expiresAt.toISOString() })).body;
    expect(share.expires_at).toBe(expiresAt.toISOString());
    const page = await visit(share.token);
    expectStatus(page, 200);
    expect(page.body.video!.expires_at).toBe(expiresAt.toISOString());

    const later = serviceContext(env, { now: () => new Date(expiresAt.getTime() + 1_000) });
    const error = await visitShare(later, { token: share.token, password: undefined, address: uniqueIp(), origin: "http://api.test" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(404);
    expect((error as AppError).message).toBe("Shared link not found");
    const videoToken = page.body.video!.url.slice(page.body.video!.url.lastIndexOf("/") + 1);
    const before = serviceContext(env, { now: () => new Date(expiresAt.getTime() - 1_000) });
    expect((await deliverSignedMedia(before, videoToken, { method: "HEAD", header: () => undefined })).status).toBe(200);
    const lapsed = await deliverSignedMedia(later, videoToken, { method: "HEAD", header: () => undefined }).catch((e: unknown) => e);
    expect((lapsed as AppError).status).toBe(403);

    // Expired in the database (as time passing would leave it): the same 404 as a link that never existed.
    await env.DB.prepare("UPDATE recording_shares SET expires_at = ? WHERE id = ?").bind(Date.now() - 1_000, share.id).run();
    const unknown = await visit("A".repeat(43));
    const expired = await visit(share.token);
    expectStatus(expired, 404);
    expect(expired.body).toEqual({ error: { ...(unknown.body as unknown as { error: object }).error, requestId: expired.headers.get("X-Request-Id") } });
    expectEnvelope(await raw(page.body.video!.url), 404, "NOT_FOUND");
    expect((await listShares(tenant, rec.id)).body.items[0]!.status).toBe("expired");
  });

  it("revokes a link at once, its media URLs too, and writes both to the audit log and the admin overview", async () => {
    const admin = await adminToken();
    const before = await call<{ total_shares: number; active_shares: number }>("/api/v1/admin/stats/overview", { token: admin });
    expectStatus(before, 200);
    const tenant = await createTenant("share-revoke");
    const rec = await recordingWithMedia(tenant, "Отзыв");
    const share = (await createShare(tenant, rec.id)).body;
    const page = await visit(share.token);
    expectStatus(page, 200);
    const during = await call<{ total_shares: number; active_shares: number }>("/api/v1/admin/stats/overview", { token: admin });
    expect(during.body.total_shares).toBe(before.body.total_shares + 1);
    expect(during.body.active_shares).toBe(before.body.active_shares + 1);

    const revoked = await call<CreatedShare & { revoked_at: string }>(`/api/v1/recordings/${rec.id}/shares/${share.id}`, { method: "DELETE", token: tenant.accessToken });
    expectStatus(revoked, 200);
    expect(revoked.body.status).toBe("revoked");
    expectStatus(await visit(share.token), 404);
    expectEnvelope(await raw(page.body.video!.url), 404, "NOT_FOUND");
    expectEnvelope(await raw(page.body.subtitles.vtt!), 404, "NOT_FOUND");
    // Revoking again changes nothing; an unknown link is 404.
    const again = await call<{ revoked_at: string }>(`/api/v1/recordings/${rec.id}/shares/${share.id}`, { method: "DELETE", token: tenant.accessToken });
    expectStatus(again, 200);
    expect(again.body.revoked_at).toBe(revoked.body.revoked_at);
    expectStatus(await call(`/api/v1/recordings/${rec.id}/shares/999999`, { method: "DELETE", token: tenant.accessToken }), 404);

    const after = await call<{ total_shares: number; active_shares: number }>("/api/v1/admin/stats/overview", { token: admin });
    expect(after.body.total_shares).toBe(before.body.total_shares + 1);
    expect(after.body.active_shares).toBe(before.body.active_shares);
    const audit = await call<{ items: Array<{ action: string; actor_id: string; details: Record<string, unknown> }> }>(`/api/v1/admin/audit-log?target_user_id=${tenant.userId}`, { token: admin });
    expectStatus(audit, 200);
    expect(audit.body.items.map((i) => i.action)).toEqual(["share.revoked", "share.created"]);
    expect(audit.body.items[1]).toMatchObject({ actor_id: tenant.userId, details: { recording_id: rec.id, share_id: share.id, allow_download: false, password_protected: false } });
    expect(audit.text).not.toContain(share.token);
  });

  it("stops every link of a recording when it is soft-deleted", async () => {
    const tenant = await createTenant("share-del");
    const rec = await recordingWithMedia(tenant, "Удаляется");
    const first = (await createShare(tenant, rec.id)).body;
    const second = (await createShare(tenant, rec.id, { allow_download: true, password: "secret-pass" })).body;
    const page = await visit(first.token);
    expectStatus(page, 200);
    expectStatus(await call(`/api/v1/recordings/${rec.id}`, { method: "DELETE", token: tenant.accessToken }), 200);
    expectStatus(await visit(first.token), 404);
    expectStatus(await visit(second.token, { password: "secret-pass" }), 404);
    expectEnvelope(await raw(page.body.video!.url), 404, "NOT_FOUND");
    // No new links on a deleted recording.
    expectStatus(await createShare(tenant, rec.id), 404);
  });

  it("survives storage failures: an unreadable transcript or a failing R2 leaves the page without segments; a failing read is no file and no view", async () => {
    const tenant = await createTenant("share-r2");
    const rec = await recordingWithMedia(tenant, "Сбой хранилища");
    const share = (await createShare(tenant, rec.id)).body;
    await env.MEDIA.put(storageKeys.transcript(tenant.userId, rec.id), "{not json");
    const page = await visit(share.token);
    expectStatus(page, 200);
    expect(page.body.transcript).toEqual([]);
    expect(page.body.video).not.toBeNull();

    const broken = new Error("R2 unavailable (simulated 503)");
    const failingMedia = new Proxy(env.MEDIA, {
      get: (target, prop) => (prop === "get" || prop === "head" ? () => Promise.reject(broken) : Reflect.get(target, prop)),
    });
    const failing = serviceContext({ ...env, MEDIA: failingMedia } as Env);
    const view = await visitShare(failing, { token: share.token, password: undefined, address: uniqueIp(), origin: "http://api.test" });
    expect(view.transcript).toEqual([]);
    expect(view.video?.url).toMatch(/\/api\/v1\/media\//);
    const viewsBefore = (await listShares(tenant, rec.id)).body.items[0]!.view_count;
    const token = view.video!.url.slice(view.video!.url.lastIndexOf("/") + 1);
    await expect(deliverSignedMedia(failing, token, { method: "GET", header: () => undefined })).rejects.toBe(broken);
    expect((await listShares(tenant, rec.id)).body.items[0]!.view_count).toBe(viewsBefore);
    // Storage back: the same URL works.
    expect((await raw(view.video!.url)).status).toBe(200);
  });

  it("keeps another tenant's recordings and links out of reach (404) and stores nothing", async () => {
    const { a, b } = await createTwoTenants();
    const recA = await recordingWithMedia(a, "Чужая");
    const recB = await recordingWithMedia(b, "Своя");
    const shareA = (await createShare(a, recA.id)).body;
    const before = await countRows("recording_shares");
    expectStatus(await createShare(b, recA.id), 404);
    expectStatus(await listShares(b, recA.id), 404);
    expectStatus(await call(`/api/v1/recordings/${recA.id}/shares/${shareA.id}`, { method: "DELETE", token: b.accessToken }), 404);
    // A's link id under B's own recording is not B's either.
    expectStatus(await call(`/api/v1/recordings/${recB.id}/shares/${shareA.id}`, { method: "DELETE", token: b.accessToken }), 404);
    expectStatus(await call(`/api/v1/recordings/${recA.id}/shares`, { body: {} }), 401);
    expectStatus(await call(`/api/v1/recordings/${recA.id}/shares`), 401);
    expect(await countRows("recording_shares")).toBe(before);
    expectStatus(await visit(shareA.token), 200);
  });

  it("rejects bad input with 400 and stores nothing; unknown or malformed tokens are 404", async () => {
    const tenant = await createTenant("share-bad");
    const rec = await recordingWithMedia(tenant, "Плохой ввод");
    const before = await countRows("recording_shares", "user_id = ?", tenant.userId);
    const bodies: Array<Record<string, unknown>> = [
      { expires_at: new Date(Date.now() - 60_000).toISOString() },
      { expires_at: new Date(Date.now() + 400 * 86_400_000).toISOString() },
      { expires_at: "tomorrow" },
      { expires_at: "2030-01-01T00:00:00" },
      { allow_download: "yes" },
      { password: "abc" },
      { password: "x".repeat(201) },
      { password: 12345678 },
      { token: "chosen-by-me" },
    ];
    for (const body of bodies) {
      const response = await createShare(tenant, rec.id, body);
      expect(response.status, `${JSON.stringify(body)}: ${response.text}`).toBe(400);
      expectStatus(response, 400);
    }
    expectStatus(await call(`/api/v1/recordings/${rec.id}/shares`, { rawBody: "{not json", headers: { "Content-Type": "application/json" }, token: tenant.accessToken }), 400);
    expectStatus(await call(`/api/v1/recordings/${rec.id}/shares/abc`, { method: "DELETE", token: tenant.accessToken }), 400);
    expect(await countRows("recording_shares", "user_id = ?", tenant.userId)).toBe(before);

    for (const token of ["short", "A".repeat(43), "../../admin", "%2e%2e%2fadmin", `${"A".repeat(42)}=`]) {
      expectStatus(await visit(token), 404);
    }
    expectStatus(await visit("A".repeat(500)), 400);
    expectStatus(await call(`/api/v1/public/shares/${"A".repeat(43)}?x=1`), 400);
  });
});
