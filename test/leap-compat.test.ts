import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { serviceContext } from "../src/services/context";
import { quotaUsage } from "../src/services/quotas/run-slots";
import { call, expectStatus, uniqueIp, type ApiResponse } from "./helpers/api";
import { fakeMp4, seedCredential, seedRecordings } from "./helpers/fixtures";
import { endRunsWithinEachTest, MiB, setupZoomRecording, sha256, waitForRun, waitForStatus } from "./helpers/pipeline";
import { countRows, createTenant, createTwoTenants, DEFAULT_PASSWORD, expectTenantIsolation, login, type Tenant } from "./helpers/tenants";
import { FakeAsr } from "./fakes/fake-asr";
import { FakeLlm } from "./fakes/fake-llm";
import { FakeZoom } from "./fakes/fake-zoom";

/**
 * A LEAP client's requests, replayed as LEAP sent them (LEAP-SPEC §3): its paths (the literal
 * trailing slash of /credentials/), query parameters (status_filter, granularity, formats,
 * use_batch_api, force), bodies (retry-upload's bare array, bulk upload's platforms, logout-all's
 * refresh token) and the fields it reads from the answers.
 */

let zoom: FakeZoom;
let asr: FakeAsr;
let llm: FakeLlm;
beforeEach(() => {
  zoom = new FakeZoom();
  asr = new FakeAsr();
  llm = new FakeLlm();
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.hostname.includes("zoom")) return zoom.handle(request);
    const provider = llm.handles(url);
    return provider ? llm.handle(request, provider) : asr.handle(request);
  });
});
afterEach(() => vi.restoreAllMocks());
endRunsWithinEachTest();

interface Run {
  task_id: string;
  status: string;
  stages: Array<{ stage: string; status: string }>;
}
interface BulkResult {
  total: number;
  succeeded_count: number;
  skipped_count: number;
  error_count: number;
  details: Array<{ recording_id: number; status: string; reason?: string; task_id?: string }>;
}
type ErrorBody = { error: { code: string; message: string; details?: unknown } };

const post = <T = Run>(path: string, token: string, body?: unknown) => call<T>(path, { method: "POST", token, body });
const errorOf = (response: ApiResponse<unknown>) => (response.body as ErrorBody).error;

async function uploadRecording(t: Tenant, name = "Lecture"): Promise<number> {
  const upload = await call<{ id: number }>(`/api/v1/recordings?display_name=${encodeURIComponent(name)}`, {
    method: "POST",
    token: t.accessToken,
    rawBody: fakeMp4(200_000, 9),
    headers: { "Content-Type": "video/mp4" },
  });
  expectStatus(upload, 201);
  return upload.body.id;
}

describe("LEAP paths: the credentials collection with its trailing slash, and /credentials/status", () => {
  it("lists and creates at /api/v1/credentials/ exactly as LEAP's client calls them", async () => {
    const t = await createTenant("leap-slash");
    const created = await call<{ id: number; platform: string; account_name: string }>("/api/v1/credentials/", {
      token: t.accessToken,
      body: { platform: "fireworks", account_name: "asr", credentials: { api_key: "fw-key-0123456789" } },
    });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({ platform: "fireworks", account_name: "asr" });
    // LEAP's bare array (lists of templates, presets, sources, credentials and automation jobs are all bare).
    const listed = await call<Array<{ id: number; platform: string; is_active: boolean }>>("/api/v1/credentials/?platform=fireworks&include_data=false", { token: t.accessToken });
    expectStatus(listed, 200);
    expect(listed.body.map((c) => [c.id, c.platform, c.is_active])).toEqual([[created.body.id, "fireworks", true]]);
    // The secrets LEAP returned with include_data=true are never returned: refused, not silently dropped.
    const secrets = await call(`/api/v1/credentials/?include_data=true`, { token: t.accessToken });
    expectStatus(secrets, 400);
    expect(errorOf(secrets).message).toMatch(/include_data.*never returned|secrets are never returned/);
    expectStatus(await call(`/api/v1/credentials/${created.body.id}?include_data=true`, { token: t.accessToken }), 400);
    expectStatus(await call(`/api/v1/credentials/${created.body.id}/?include_data=false`, { token: t.accessToken }), 200);
    // Other collections take the slash too, for every method; unauthenticated is still 401 and paths outside the API are untouched.
    expectStatus(await call("/api/v1/recordings/", { token: t.accessToken }), 200);
    expectStatus(await call("/api/v1/credentials/"), 401);
    expectStatus(await call("/openapi.json"), 200);
    expect(await countRows("user_credentials", "user_id = ?", t.userId)).toBe(1);
  });

  it("answers GET /credentials/status with LEAP's shape instead of reading 'status' as an id", async () => {
    const { a, b } = await createTwoTenants();
    expectStatus(
      await call("/api/v1/credentials/", { token: a.accessToken, body: { platform: "zoom", credentials: { account_id: "acc-1", client_id: "client-1", client_secret: "secret-0123456789" } } }),
      201,
    );
    const stale = await seedCredential(a.userId, "youtube");
    await env.DB.prepare("UPDATE user_credentials SET needs_reauth = 1 WHERE id = ?").bind(stale).run();
    await env.DB.prepare("UPDATE user_credentials SET is_active = 0 WHERE id = ?").bind(await seedCredential(a.userId, "deepseek")).run();

    const status = await call<{ user_id: string; available_platforms: string[]; credentials_status: Record<string, boolean>; needs_reauth: string[] }>("/api/v1/credentials/status", {
      token: a.accessToken,
    });
    expectStatus(status, 200);
    expect(status.body.user_id).toBe(a.userId);
    expect(status.body.available_platforms).toEqual(["zoom"]);
    expect(status.body.credentials_status).toMatchObject({
      zoom: true,
      youtube: false, // needs re-authorisation: not usable
      vk_video: false,
      fireworks: false,
      deepseek: false, // inactive
      openai: false,
      yandex_disk: false,
      google_drive: false,
    });
    expect(status.body.needs_reauth).toEqual(["youtube"]);
    // Tenant isolation: B sees its own (empty) status; unauthenticated is 401.
    const other = await call<{ available_platforms: string[]; credentials_status: Record<string, boolean> }>("/api/v1/credentials/status/", { token: b.accessToken });
    expectStatus(other, 200);
    expect(other.body.available_platforms).toEqual([]);
    expect(Object.values(other.body.credentials_status).every((v) => v === false)).toBe(true);
    expectStatus(await call("/api/v1/credentials/status"), 401);
  });
});

describe("query parameters: LEAP's names accepted, unknown ones refused", () => {
  it("filters GET /recordings by LEAP's status_filter, and refuses a parameter it does not know by name", async () => {
    const t = await createTenant("leap-status");
    await seedRecordings(t.userId, [
      { displayName: "Skipped lecture", status: "SKIPPED" },
      { displayName: "Ready lecture", status: "READY", isMapped: true },
      { displayName: "Downloaded lecture", status: "DOWNLOADED", isMapped: true },
    ]);
    const page = await call<{ total: number; page: number; per_page: number; total_pages: number; items: Array<{ display_name: string; status: string }> }>(
      "/api/v1/recordings?status_filter=READY&page=1&per_page=20&include_blank=false&include_deleted=false",
      { token: t.accessToken },
    );
    expectStatus(page, 200);
    expect(page.body).toMatchObject({ total: 1, page: 1, per_page: 20, total_pages: 1 });
    expect(page.body.items.map((r) => [r.display_name, r.status])).toEqual([["Ready lecture", "READY"]]);
    expect((await call<{ total: number }>("/api/v1/recordings?status_filter=ready,skipped", { token: t.accessToken })).body.total).toBe(2);
    const both = await call("/api/v1/recordings?status=READY&status_filter=SKIPPED", { token: t.accessToken });
    expectStatus(both, 400);
    expect(errorOf(both).message).toMatch(/status_filter/);

    // A typo or an unsupported parameter is named, with what the endpoint accepts; nothing is guessed.
    const typo = await call("/api/v1/recordings?per_pag=5", { token: t.accessToken });
    expectStatus(typo, 400);
    expect(errorOf(typo)).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: "per_pag", location: "query" }] });
    expect(errorOf(typo).message).toMatch(/"per_pag".*accepts: .*status_filter/);
    expectStatus(await call("/api/v1/users/me?verbose=true", { token: t.accessToken }), 400); // a route without query parameters
    expect(errorOf(await call("/api/v1/users/me?verbose=true", { token: t.accessToken })).message).toMatch(/takes no query parameters/);
    // jQuery's cache-buster is the one parameter every route ignores.
    expectStatus(await call("/api/v1/recordings?_=1712345678901", { token: t.accessToken }), 200);
    // Authentication is still checked first.
    expectStatus(await call("/api/v1/recordings?per_pag=5"), 401);
    // LEAP's ?detailed on one recording is accepted (the answer always has the details).
    const [id] = await seedRecordings(t.userId, [{ displayName: "Detailed lecture" }]);
    expectStatus(await call(`/api/v1/recordings/${id}?detailed=true`, { token: t.accessToken }), 200);

    // Provider redirects are not our clients' requests: an OAuth callback keeps whatever the provider adds.
    const back = await call("/api/v1/oauth/youtube/callback?error=access_denied&scope=openid&authuser=0&prompt=consent");
    expect(back.status, back.text).toBe(302);
    expect(new URL(back.headers.get("Location")!).searchParams.get("oauth_error")).toBe("access_denied");
  });

  it("takes granularity, formats and use_batch_api as query parameters on the single-stage endpoints", async () => {
    const t = await createTenant("leap-stage-query");
    const recordingId = await uploadRecording(t, "Deep Learning");
    expectStatus(await call("/api/v1/credentials", { token: t.accessToken, body: { platform: "fireworks", credentials: { api_key: asr.apiKey, account_id: "acct-42" } } }), 201);
    expectStatus(await call("/api/v1/credentials", { token: t.accessToken, body: { platform: "deepseek", credentials: { api_key: llm.apiKey } } }), 201);
    expectStatus(
      await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { processing: { enable_processing: false }, transcription: { provider: "fireworks", topics_providers: ["deepseek"] } } }),
      200,
    );

    // ?use_batch_api=true: the Fireworks batch API transcribes (LEAP's switch), not the configured synchronous one.
    const transcribed = await post(`/api/v1/recordings/${recordingId}/transcribe?use_batch_api=true`, t.accessToken);
    expectStatus(transcribed, 202);
    expect((await waitForRun(transcribed.body.task_id)).status).toBe("COMPLETED");
    const row = await env.DB.prepare("SELECT transcript_object_key FROM recordings WHERE id = ?").bind(recordingId).first<{ transcript_object_key: string }>();
    expect(((await (await env.MEDIA.get(row!.transcript_object_key))!.json()) as { provider: string }).provider).toBe("fireworks-batch");

    // ?granularity=short reaches the topics stage.
    const topics = await post(`/api/v1/recordings/${recordingId}/topics?granularity=short`, t.accessToken);
    expectStatus(topics, 202);
    expect((await waitForRun(topics.body.task_id)).status).toBe("COMPLETED");
    const versions = await call<{ versions: Array<{ granularity: string; is_active: boolean }> }>(`/api/v1/recordings/${recordingId}/topics`, { token: t.accessToken });
    expect(versions.body.versions.find((v) => v.is_active)?.granularity).toBe("short");

    // ?formats=vtt (FastAPI's repeated-parameter list): only VTT is made.
    const subtitles = await post(`/api/v1/recordings/${recordingId}/subtitles?formats=vtt`, t.accessToken);
    expectStatus(subtitles, 202);
    expect((await waitForRun(subtitles.body.task_id)).status).toBe("COMPLETED");
    expectStatus(await call(`/api/v1/recordings/${recordingId}/subtitles/vtt`, { token: t.accessToken }), 200);
    expectStatus(await call(`/api/v1/recordings/${recordingId}/subtitles/srt`, { token: t.accessToken }), 404);

    // Query and body may be combined; the same parameter with two values is refused, as are bad values and LEAP's version_id.
    const runsBefore = await countRows("pipeline_runs", "recording_id = ?", recordingId);
    const conflicting = await post(`/api/v1/recordings/${recordingId}/topics?granularity=short`, t.accessToken, { granularity: "long" });
    expectStatus(conflicting, 400);
    expect(errorOf(conflicting).message).toMatch(/granularity.*query string and in the body/);
    expectStatus(await post(`/api/v1/recordings/${recordingId}/subtitles?formats=srt&formats=mp4`, t.accessToken), 400);
    expectStatus(await post(`/api/v1/recordings/${recordingId}/transcribe?use_batch_api=maybe`, t.accessToken), 400);
    const versionId = await post(`/api/v1/recordings/${recordingId}/topics?granularity=short&version_id=v9`, t.accessToken);
    expectStatus(versionId, 400);
    expect(errorOf(versionId).message).toMatch(/"version_id"/);
    expect(await countRows("pipeline_runs", "recording_id = ?", recordingId)).toBe(runsBefore);
    const other = await createTenant("leap-stage-query-b");
    expectStatus(await post(`/api/v1/recordings/${recordingId}/topics?granularity=short`, other.accessToken), 404);
  });
});

describe("LEAP bodies: retry-upload's bare array, bulk upload's platforms, logout-all's refresh token", () => {
  async function withPresets(label: string) {
    const t = await createTenant(label);
    const recordingId = await uploadRecording(t);
    const preset = async (platform: string) => {
      const created = await call<{ id: number }>("/api/v1/presets", { token: t.accessToken, body: { name: `${platform} channel`, platform, credential_id: await seedCredential(t.userId, platform) } });
      expectStatus(created, 201);
      return created.body.id;
    };
    return { t, recordingId, youtube: await preset("youtube"), vk: await preset("vk") };
  }

  /** These uploads cannot succeed (the fixture credentials do not decrypt): the run is cancelled rather than left retrying. */
  async function settle(t: Tenant, recordingId: number, runId: string) {
    await call(`/api/v1/recordings/${recordingId}/cancel`, { method: "POST", token: t.accessToken });
    await waitForRun(runId);
  }

  it("retry-upload takes LEAP's JSON array of platforms as well as {platforms}", async () => {
    const { t, recordingId, youtube } = await withPresets("leap-retry-array");
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO output_targets (recording_id, user_id, preset_id, target_type, status, failed, failed_reason, created_at, updated_at) VALUES (?, ?, ?, 'YOUTUBE', 'FAILED', 1, 'quota', ?, ?)",
    )
      .bind(recordingId, t.userId, youtube, now, now)
      .run();
    // Only YouTube failed: a filter of ["vk"] leaves nothing to retry (the array is read, not refused).
    const vkOnly = await post(`/api/v1/recordings/${recordingId}/retry-upload`, t.accessToken, ["vk"]);
    expectStatus(vkOnly, 409);
    expect(errorOf(vkOnly).message).toMatch(/No failed publication/);
    expectStatus(await post(`/api/v1/recordings/${recordingId}/retry-upload`, t.accessToken, ["tiktok"]), 400);
    expectStatus(await post(`/api/v1/recordings/${recordingId}/retry-upload`, t.accessToken, { platforms: ["vk"] }), 409);
    const other = await createTenant("leap-retry-array-b");
    expectStatus(await post(`/api/v1/recordings/${recordingId}/retry-upload`, other.accessToken, ["youtube"]), 404);

    const retried = await post(`/api/v1/recordings/${recordingId}/retry-upload`, t.accessToken, ["youtube"]);
    expectStatus(retried, 202);
    expect(retried.body.stages.map((s) => s.stage)).toEqual(["UPLOAD"]);
    const overrides = await env.DB.prepare("SELECT trigger, overrides FROM pipeline_runs WHERE id = ?").bind(retried.body.task_id).first<{ trigger: string; overrides: string }>();
    expect(overrides?.trigger).toBe("retry");
    expect(JSON.parse(overrides!.overrides)).toMatchObject({ output_config: { preset_ids: [youtube] } });
    await settle(t, recordingId, retried.body.task_id);
  });

  it("bulk/upload takes LEAP's platforms (each recording's presets of those platforms) and its single preset_id", async () => {
    const { t, recordingId, youtube, vk } = await withPresets("leap-bulk-platforms");
    expectStatus(await call(`/api/v1/recordings/${recordingId}/config`, { method: "PUT", token: t.accessToken, body: { output_config: { preset_ids: [youtube] } } }), 200);
    const unmatched = await post<BulkResult>("/api/v1/recordings/bulk/upload", t.accessToken, { recording_ids: [recordingId], platforms: ["vk"] });
    expectStatus(unmatched, 202);
    expect(unmatched.body.details).toEqual([expect.objectContaining({ recording_id: recordingId, status: "skipped", reason: expect.stringMatching(/No vk preset/) })]);
    expect(await countRows("pipeline_runs", "recording_id = ?", recordingId)).toBe(0);
    // A preset that does not publish to the named platforms, or two ways of naming presets, are refused.
    expectStatus(await post("/api/v1/recordings/bulk/upload", t.accessToken, { recording_ids: [recordingId], platforms: ["youtube"], preset_id: vk }), 400);
    expectStatus(await post("/api/v1/recordings/bulk/upload", t.accessToken, { recording_ids: [recordingId], preset_id: vk, preset_ids: [vk] }), 400);
    expectStatus(await post("/api/v1/recordings/bulk/upload", t.accessToken, { recording_ids: [recordingId], platforms: ["myspace"] }), 400);
    expect(await countRows("pipeline_runs", "recording_id = ?", recordingId)).toBe(0);

    const started = await post<BulkResult>("/api/v1/recordings/bulk/upload", t.accessToken, { recording_ids: [recordingId], platforms: ["youtube", "vk"] });
    expectStatus(started, 202);
    expect(started.body).toMatchObject({ total: 1, succeeded_count: 1 });
    const runId = started.body.details[0]!.task_id!;
    const run = await env.DB.prepare("SELECT overrides FROM pipeline_runs WHERE id = ?").bind(runId).first<{ overrides: string }>();
    expect(JSON.parse(run!.overrides)).toMatchObject({ output_config: { preset_ids: [youtube] } });
    await settle(t, recordingId, runId);

    const single = await post<BulkResult>("/api/v1/recordings/bulk/upload", t.accessToken, { recording_ids: [recordingId], preset_id: vk });
    expectStatus(single, 202);
    const singleRun = await env.DB.prepare("SELECT overrides FROM pipeline_runs WHERE id = ?").bind(single.body.details[0]!.task_id).first<{ overrides: string }>();
    expect(JSON.parse(singleRun!.overrides)).toMatchObject({ output_config: { preset_ids: [vk] } });
    await settle(t, recordingId, single.body.details[0]!.task_id!);
  });

  it("logout-all with only a refresh token (LEAP) ends every session of its user; an unusable token is 401", async () => {
    const t = await createTenant("leap-logout-all");
    const second = await login(t.email, DEFAULT_PASSWORD, t.ip);
    const bystander = await createTenant("leap-logout-all-b");
    const signedOut = await call<{ message: string; revoked_tokens: number; revoked_sessions: number }>("/api/v1/auth/logout-all", { body: { refresh_token: second.refresh_token }, ip: t.ip });
    expectStatus(signedOut, 200);
    expect(signedOut.body).toMatchObject({ revoked_tokens: 2, revoked_sessions: 2 });
    expect(typeof signedOut.body.message).toBe("string");
    expectStatus(await call("/api/v1/users/me", { token: t.accessToken }), 401);
    expectStatus(await call("/api/v1/users/me", { token: second.access_token }), 401);
    expectStatus(await call("/api/v1/auth/refresh", { body: { refresh_token: t.refreshToken }, ip: uniqueIp() }), 401);
    expectStatus(await call("/api/v1/users/me", { token: bystander.accessToken }), 200); // another user's sessions are untouched

    // The same token again (its session has ended), a made-up one, or nothing at all: 401.
    expectStatus(await call("/api/v1/auth/logout-all", { body: { refresh_token: second.refresh_token }, ip: uniqueIp() }), 401);
    expectStatus(await call("/api/v1/auth/logout-all", { body: { refresh_token: "not-a-token" }, ip: uniqueIp() }), 401);
    expectStatus(await call("/api/v1/auth/logout-all", { body: {}, ip: uniqueIp() }), 401);
    expectStatus(await call("/api/v1/auth/logout-all", { body: { refresh_token: "x", extra: 1 }, ip: uniqueIp() }), 400);
    // The bearer form keeps working.
    const bearer = await call<{ revoked_sessions: number }>("/api/v1/auth/logout-all", { method: "POST", token: bystander.accessToken });
    expectStatus(bearer, 200);
    expect(bearer.body.revoked_sessions).toBe(1);
  });
});

describe("LEAP routes that fell through to /{id}: bulk download, and re-download with force", () => {
  it("POST /recordings/bulk/download starts a download-only run per recording; foreign and missing ids are reported, not leaked", async () => {
    const { t, recordingId } = await setupZoomRecording(zoom, "leapbulkdl", 6 * MiB);
    const other = await createTenant("leapbulkdl-b");
    const [foreign] = await seedRecordings(other.userId, [{ displayName: "Not yours", status: "INITIALIZED", isMapped: true }]);

    expectStatus(await post("/api/v1/recordings/bulk/download", t.accessToken, {}), 400);
    expectStatus(await post("/api/v1/recordings/bulk/download", t.accessToken, { recording_ids: [recordingId], priority: "high" }), 400);
    expectStatus(await call("/api/v1/recordings/bulk/download", { method: "POST", body: { recording_ids: [recordingId] } }), 401);
    expect(await countRows("pipeline_runs", "recording_id = ?", recordingId)).toBe(0);

    const bulk = await post<BulkResult>("/api/v1/recordings/bulk/download", t.accessToken, { recording_ids: [recordingId, foreign, 999_999], force: false, allow_skipped: false });
    expectStatus(bulk, 202);
    expect(bulk.body).toMatchObject({ total: 3, succeeded_count: 1, error_count: 2 });
    const mine = bulk.body.details.find((d) => d.recording_id === recordingId)!;
    expect(mine.status).toBe("done");
    expect(bulk.body.details.find((d) => d.recording_id === foreign)).toMatchObject({ status: "error", reason: "Recording not found" });
    const run = await env.DB.prepare("SELECT trigger, stages FROM pipeline_runs WHERE id = ?").bind(mine.task_id).first<{ trigger: string; stages: string }>();
    expect(run).toMatchObject({ trigger: "download", stages: JSON.stringify(["DOWNLOAD"]) });
    expect((await waitForRun(mine.task_id!)).status).toBe("COMPLETED");
    expect((await waitForStatus(recordingId, (s) => s === "DOWNLOADED")).status).toBe("DOWNLOADED");
    expect(await countRows("pipeline_runs", "recording_id = ?", foreign)).toBe(0);

    // Downloaded already: skipped with the reason, unless forced.
    const again = await post<BulkResult>("/api/v1/recordings/bulk/download", t.accessToken, { recording_ids: [recordingId] });
    expect(again.body.details[0]).toMatchObject({ status: "skipped", reason: expect.stringMatching(/Already downloaded/) });
    const forced = await post<BulkResult>("/api/v1/recordings/bulk/download", t.accessToken, { recording_ids: [recordingId], force: true });
    expect(forced.body.details[0]).toMatchObject({ status: "done" });
    expect((await waitForRun(forced.body.details[0]!.task_id!)).status).toBe("COMPLETED");
  });

  it("POST /{id}/download?force=true downloads again; the stored video stays in use until the new copy is complete", async () => {
    const { t, recordingId, bytes } = await setupZoomRecording(zoom, "leapforce", 6 * MiB);
    const first = await post(`/api/v1/recordings/${recordingId}/download`, t.accessToken);
    expectStatus(first, 202);
    expect((await waitForRun(first.body.task_id)).status).toBe("COMPLETED");
    const stored = await waitForStatus(recordingId, (s) => s === "DOWNLOADED");
    const oldKey = stored.source_object_key!;

    const unforced = await post(`/api/v1/recordings/${recordingId}/download?force=false`, t.accessToken);
    expectStatus(unforced, 409);
    expect(errorOf(unforced).message).toMatch(/download: Already downloaded/);

    // Zoom now serves other bytes (same size); the first forced attempt gets an HTML page and fails for good.
    const fresh = bytes.slice();
    for (let i = 4096; i < fresh.length; i += 4096) fresh[i] = (fresh[i]! + 1) % 256;
    zoom.contents.set("leapforce-meeting==-mp4", fresh);
    zoom.downloadFailures = ["html"];
    const broken = await post(`/api/v1/recordings/${recordingId}/download?force=true`, t.accessToken);
    expectStatus(broken, 202);
    expect((await waitForRun(broken.body.task_id)).status).toBe("FAILED");
    const afterFailure = await waitForStatus(recordingId, (s) => s === "DOWNLOADED");
    expect(afterFailure.source_object_key).toBe(oldKey);
    expect(await sha256(await (await env.MEDIA.get(oldKey))!.arrayBuffer())).toBe(await sha256(bytes)); // untouched
    expect((await env.MEDIA.list({ prefix: `users/${t.userId}/recordings/${recordingId}/` })).objects.map((o) => o.key)).toEqual([oldKey]);

    // Retrying the failed run re-downloads (still forced); the new copy replaces the old one only once complete.
    const retried = await post(`/api/v1/recordings/${recordingId}/retry`, t.accessToken);
    expectStatus(retried, 202);
    expect((await waitForRun(retried.body.task_id)).status).toBe("COMPLETED");
    const replaced = await waitForStatus(recordingId, (s) => s === "DOWNLOADED");
    expect(replaced.failed).toBe(0);
    expect(replaced.source_object_key).not.toBe(oldKey);
    expect(await sha256(await (await env.MEDIA.get(replaced.source_object_key!))!.arrayBuffer())).toBe(await sha256(fresh));
    expect(await env.MEDIA.head(oldKey)).toBeNull();
    expect((await quotaUsage(serviceContext(env), t.userId)).storageBytes).toBe(fresh.length); // counted once

    // Not once something was made from the stored video, not for another tenant, not with a bad value.
    await env.DB.prepare("UPDATE recordings SET transcript_object_key = ? WHERE id = ?").bind(`users/${t.userId}/recordings/${recordingId}/transcript/master.json`, recordingId).run();
    const derived = await post(`/api/v1/recordings/${recordingId}/download?force=true`, t.accessToken);
    expectStatus(derived, 409);
    expect(errorOf(derived).message).toMatch(/reset the recording/);
    expectStatus(await post(`/api/v1/recordings/${recordingId}/download?force=yes`, t.accessToken), 400);
    await expectTenantIsolation({ path: `/api/v1/recordings/${recordingId}/download?force=true`, method: "POST" }, { a: t, b: await createTenant("leapforce-b") });
  });
});

describe("GET /admin/stats/quotas", () => {
  async function adminToken(): Promise<string> {
    await call("/api/v1/auth/register", { body: { email: "first-admin@example.test", password: DEFAULT_PASSWORD }, ip: uniqueIp() });
    return (await login("first-admin@example.test", DEFAULT_PASSWORD, uniqueIp())).access_token;
  }

  it("reports a month's usage per plan in LEAP's shape, for admins only", async () => {
    const token = await adminToken();
    const free = await createTenant("leap-quota-free");
    const pro = await createTenant("leap-quota-pro");
    expectStatus(await call(`/api/v1/admin/users/${pro.userId}/subscription`, { method: "PATCH", token, body: { plan_name: "pro" } }), 200);
    const GiB = 1024 ** 3;
    const usage = async (userId: string, recordings: number, bytes: number, seconds: number) =>
      env.DB.prepare("INSERT INTO quota_usage (user_id, period, recordings_count, transcription_seconds, storage_bytes, created_at, updated_at) VALUES (?, '202301', ?, ?, ?, 0, 0)")
        .bind(userId, recordings, seconds, bytes)
        .run();
    await usage(free.userId, 3, 2 * GiB, 600);
    await usage(pro.userId, 1, GiB, 1200);
    await env.DB.prepare("INSERT INTO quota_usage (user_id, period, recordings_count, transcription_seconds, storage_bytes, created_at, updated_at) VALUES (?, '202302', 50, 0, 0, 0, 0)")
      .bind(pro.userId)
      .run();

    type Stats = { period: string; total_recordings: number; total_storage_gb: number; total_overage_cost: number; total_transcription_minutes: number; plans: Array<Record<string, number | string>> };
    const stats = await call<Stats>("/api/v1/admin/stats/quotas?period=202301", { token });
    expectStatus(stats, 200);
    expect(stats.body).toMatchObject({ period: "202301", total_recordings: 4, total_storage_gb: 3, total_overage_cost: 0, total_transcription_minutes: 30 });
    expect(stats.body.plans.find((p) => p.plan_name === "pro")).toEqual({
      plan_name: "pro",
      total_users: 1,
      total_recordings: 1,
      total_storage_gb: 1,
      total_transcription_minutes: 20,
      avg_recordings_per_user: 1,
      avg_storage_per_user_gb: 1,
    });
    const freePlan = stats.body.plans.find((p) => p.plan_name === "free")!;
    expect(freePlan).toMatchObject({ total_recordings: 3, total_storage_gb: 2 });
    expect(freePlan.avg_recordings_per_user).toBeCloseTo(3 / Number(freePlan.total_users), 2);

    const current = await call<Stats>("/api/v1/admin/stats/quotas", { token });
    expectStatus(current, 200);
    expect(current.body.period).toMatch(/^\d{6}$/);
    expectStatus(await call("/api/v1/admin/stats/quotas?period=2023-01", { token }), 400);
    expectStatus(await call("/api/v1/admin/stats/quotas?period=202313", { token }), 400);
    expectStatus(await call("/api/v1/admin/stats/quotas", { token: free.accessToken }), 403);
    expectStatus(await call("/api/v1/admin/stats/quotas"), 401);
  });
});
