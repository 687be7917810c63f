import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index";
import { quotaDay } from "../src/integrations/youtube/errors";
import { ConfigError, loadConfig } from "../src/lib/config";
import { youTubeWatchUrl } from "../src/services/publishing/publish-youtube";
import { call, expectStatus } from "./helpers/api";
import { endRunsWithinEachTest, ENGINE_ONLY_CONFIG, sha256, waitForRun, waitForStatus } from "./helpers/pipeline";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";
import { FakeVk } from "./fakes/fake-vk";
import { FakeYandexDisk } from "./fakes/fake-yandex";
import { FakeYouTube } from "./fakes/fake-youtube";

let youtube: FakeYouTube;
let vk: FakeVk;
let yandex: FakeYandexDisk;
beforeEach(() => {
  youtube = new FakeYouTube();
  vk = new FakeVk();
  yandex = new FakeYandexDisk();
  yandex.validTokens.add("y0_valid_token_0123");
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const host = new URL(input instanceof Request ? input.url : String(input)).hostname;
    if (host.startsWith("youtube")) return youtube.handle(input, init);
    if (host.endsWith("vk.fake")) return vk.handle(input, init);
    if (host.endsWith("yandex.fake")) return yandex.handle(input, init);
    if (host === "oauth2.google.fake") return googleToken(new Request(input, init));
    return new Response("unexpected host", { status: 599 });
  });
});
afterEach(() => vi.restoreAllMocks());
endRunsWithinEachTest();

/** Google's token endpoint (EXTERNAL-APIS §2.1): code exchange with PKCE, refresh without a new refresh token. */
const googleGrants: Array<Record<string, string>> = [];
async function googleToken(request: Request): Promise<Response> {
  const form = Object.fromEntries(new URLSearchParams(await request.text()));
  googleGrants.push(form);
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  if (form.client_id !== "youtube-app-client" || form.client_secret !== "youtube-app-secret-123") return json(401, { error: "invalid_client" });
  if (form.grant_type === "authorization_code") {
    if (form.code !== "google-code" || !form.code_verifier) return json(400, { error: "invalid_grant" });
    const idToken = ["e30", btoa(JSON.stringify({ email: "teacher@university.example" })).replace(/=+$/, ""), "sig"].join(".");
    return json(200, { access_token: "ya29.first", refresh_token: "1//google-refresh", expires_in: 3599, scope: "youtube.upload", token_type: "Bearer", id_token: idToken });
  }
  if (form.grant_type === "refresh_token" && form.refresh_token === "1//google-refresh") {
    youtube.validTokens.add("ya29.refreshed");
    return json(200, { access_token: "ya29.refreshed", expires_in: 3599, token_type: "Bearer" });
  }
  return json(400, { error: "invalid_grant" });
}

interface Run {
  task_id: string;
  status: string;
  error: string | null;
}
interface Target {
  target_type: string;
  status: string;
  failed_reason: string | null;
  target_meta: { video_url?: string; video_id?: string } | null;
}

/** About 1.3 MB of video bytes: six 256 KiB YouTube chunks, two per queue message. */
function videoBytes(size = 5 * 256 * 1024 + 12_345): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  bytes.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]); // ftyp isom
  return bytes;
}

async function setup(label: string, size?: number): Promise<{ t: Tenant; recordingId: number; bytes: Uint8Array }> {
  const t = await createTenant(label);
  const bytes = videoBytes(size);
  const upload = await call<{ id: number }>("/api/v1/recordings?display_name=Lecture%207", { method: "POST", token: t.accessToken, rawBody: bytes, headers: { "Content-Type": "video/mp4" } });
  expectStatus(upload, 201);
  await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: ENGINE_ONLY_CONFIG });
  return { t, recordingId: upload.body.id, bytes };
}

async function preset(t: Tenant, platform: "youtube" | "vk" | "yandex_disk", metadata: Record<string, unknown> = {}): Promise<number> {
  const credentials =
    platform === "youtube"
      ? { client_id: "google-client-1", client_secret: "google-secret-123", access_token: "ya29.valid", refresh_token: "1//refresh-token", expiry: "2099-01-01T00:00:00Z" }
      : platform === "vk"
        ? { access_token: "vk1.a.valid" }
        : { oauth_token: "y0_valid_token_0123" };
  const credential = await call<{ id: number }>("/api/v1/credentials", { token: t.accessToken, body: { platform, credentials } });
  expectStatus(credential, 201);
  const created = await call<{ id: number }>("/api/v1/presets", {
    token: t.accessToken,
    body: { name: `${platform} preset`, platform, credential_id: credential.body.id, preset_metadata: metadata },
  });
  expectStatus(created, 201);
  return created.body.id;
}

const targets = async (t: Tenant, recordingId: number) => (await call<{ outputs: Target[] }>(`/api/v1/recordings/${recordingId}`, { token: t.accessToken })).body.outputs;

describe("YouTube: resumable upload across queue messages", () => {
  it("survives a 5xx, a dropped connection, a lost chunk and a stored-then-failed last chunk with exactly one video; the recording is READY", async () => {
    const { t, recordingId, bytes } = await setup("ytresume");
    youtube.addPlaylist("PLlectures01");
    const presetId = await preset(t, "youtube", { privacy: "unlisted", playlist_id: "PLlectures01", title_template: "{{ display_name }}", notify_subscribers: false });
    youtube.faults.chunk.push(null, { type: "error", status: 503, reason: "backendError" }, { type: "drop", afterBytes: 100_000 }, { type: "lose", keepBytes: 256 * 1024 }, null, null, null, { type: "commit-then-fail" });
    const run = await call<Run>(`/api/v1/recordings/${recordingId}/upload/youtube?preset_id=${presetId}`, { method: "POST", token: t.accessToken });
    expectStatus(run, 202);
    const ended = await waitForRun(run.body.task_id);
    expect(ended, ended.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect(youtube.videosCreated).toBe(1);
    const video = youtube.onlyVideo();
    expect(video.size).toBe(bytes.length);
    expect(video.sha256).toBe(await sha256(bytes));
    expect(youtube.sessions.size).toBe(1); // one session: resumed, never restarted
    expect(video.notifySubscribers).toBe(false); // the preset's notify_subscribers reaches videos.insert
    expect(youtube.playlists.get("PLlectures01")).toEqual([video.id]);
    const [target] = await targets(t, recordingId);
    expect(target).toMatchObject({ target_type: "YOUTUBE", status: "UPLOADED", target_meta: { video_id: video.id, video_url: `https://youtube-watch.fake/watch?v=${video.id}` } }); // YOUTUBE_WATCH_BASE_URL of the test config
    expect((await waitForStatus(recordingId, (s) => s === "READY")).status).toBe("READY");

    // Publishing again with the same preset finds the target UPLOADED: nothing is sent twice.
    const again = await call<Run>(`/api/v1/recordings/${recordingId}/upload/youtube?preset_id=${presetId}`, { method: "POST", token: t.accessToken });
    expect((await waitForRun(again.body.task_id)).status).toBe("COMPLETED");
    expect(youtube.videosCreated).toBe(1);
  });

  it("parks on quotaExceeded (not an auth error: no token refresh) and resumes after the reset", async () => {
    const { t, recordingId, bytes } = await setup("ytquota");
    const presetId = await preset(t, "youtube");
    youtube.faults.start.push({ type: "error", status: 403, reason: "quotaExceeded", message: "The request cannot be completed because you have exceeded your quota." });
    const run = await call<Run>(`/api/v1/recordings/${recordingId}/upload/youtube?preset_id=${presetId}`, { method: "POST", token: t.accessToken });
    let meta: { parked_until?: string } = {};
    for (let i = 0; i < 100 && !meta.parked_until; i++) {
      await new Promise((r) => setTimeout(r, 100));
      meta = JSON.parse((await env.DB.prepare("SELECT target_meta FROM output_targets WHERE recording_id = ?").bind(recordingId).first<{ target_meta: string }>())?.target_meta ?? "{}");
    }
    expect(Date.parse(meta.parked_until!)).toBeGreaterThan(Date.now());
    expect(await countRows("pipeline_runs", "id = ? AND status = 'RUNNING'", run.body.task_id)).toBe(1);
    expect(youtube.videosCreated).toBe(0);
    expect(await countRows("user_credentials", "user_id = ? AND needs_reauth = 1", t.userId)).toBe(0);

    // Midnight Pacific passes: the project's budget is back and the parked message is due.
    const day = quotaDay(new Date());
    const quota = env.PROVIDER_QUOTA.get(env.PROVIDER_QUOTA.idFromName("youtube:default"));
    for (let i = 0; i < 100 && (await quota.usage(day)) > 0; i++) await quota.release(day);
    await env.DB.prepare("UPDATE output_targets SET target_meta = json_remove(target_meta, '$.parked_until') WHERE recording_id = ?").bind(recordingId).run();
    await env.DB.prepare("UPDATE processing_stages SET updated_at = ? WHERE recording_id = ?").bind(Date.now() - 20 * 60_000, recordingId).run();
    const ctx = createExecutionContext();
    await worker.scheduled?.(createScheduledController({ cron: "*/5 * * * *", scheduledTime: new Date() }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await waitForRun(run.body.task_id)).status).toBe("COMPLETED");
    expect(youtube.onlyVideo().sha256).toBe(await sha256(bytes));
  });
});

describe("YouTube watch links", () => {
  it("point at YOUTUBE_WATCH_BASE_URL (www.youtube.com unless configured, e.g. a sandbox's simulator); a non-URL is refused at start-up", () => {
    const secret = { JWT_SECRET: "x".repeat(32) };
    expect(youTubeWatchUrl(loadConfig(secret).YOUTUBE_WATCH_BASE_URL, "dQw4w9WgXcQ")).toBe("https://www.youtube.com/watch?v=dQw4w9WgXcQ");
    const sandbox = loadConfig({ ...secret, YOUTUBE_WATCH_BASE_URL: "http://127.0.0.1:8793" });
    expect(youTubeWatchUrl(sandbox.YOUTUBE_WATCH_BASE_URL, "SIM001abcde")).toBe("http://127.0.0.1:8793/watch?v=SIM001abcde");
    // A base with a path keeps it; an odd id is encoded, never able to change the link's path or add parameters.
    expect(youTubeWatchUrl("https://video.example/yt/", "a&b=c#d")).toBe("https://video.example/yt/watch?v=a%26b%3Dc%23d");
    expect(() => loadConfig({ ...secret, YOUTUBE_WATCH_BASE_URL: "not a url" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...secret, YOUTUBE_WATCH_BASE_URL: "not a url" })).toThrow(/YOUTUBE_WATCH_BASE_URL/);
  });
});

describe("YouTube OAuth connect", () => {
  it("connects a channel through Google (offline access, PKCE), then refreshes its expired token to publish", async () => {
    const { t, recordingId } = await setup("ytoauth");
    const started = await call<{ authorization_url: string; state: string }>("/api/v1/oauth/youtube/authorize", { token: t.accessToken });
    expectStatus(started, 200);
    const url = new URL(started.body.authorization_url);
    expect(`${url.origin}${url.pathname}`).toBe("https://accounts.google.fake/o/oauth2/auth");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: "youtube-app-client", access_type: "offline", prompt: "consent", code_challenge_method: "S256" });
    expect(url.searchParams.get("scope")).toContain("https://www.googleapis.com/auth/youtube.upload");
    const back = await call(`/api/v1/oauth/youtube/callback?code=google-code&state=${encodeURIComponent(started.body.state)}`);
    expect(back.status).toBe(302);
    const credentialId = Number(new URL(back.headers.get("location")!).searchParams.get("credential_id"));
    const credential = await call<{ account_name: string; platform: string }>(`/api/v1/credentials/${credentialId}`, { token: t.accessToken });
    expect(credential.body).toMatchObject({ platform: "youtube", account_name: "teacher@university.example" });

    // YouTube refuses the stored token (401): publishing refreshes it once with the server's app and goes on.
    const presetRow = await call<{ id: number }>("/api/v1/presets", { token: t.accessToken, body: { name: "Channel", platform: "youtube", credential_id: credentialId, preset_metadata: {} } });
    const run = await call<Run>(`/api/v1/recordings/${recordingId}/upload/youtube?preset_id=${presetRow.body.id}`, { method: "POST", token: t.accessToken });
    expect((await waitForRun(run.body.task_id)).status).toBe("COMPLETED");
    expect(youtube.videosCreated).toBe(1);
    expect(googleGrants.map((g) => g.grant_type)).toEqual(["authorization_code", "refresh_token"]);
  });
});

describe("VK and Yandex Disk", () => {
  it("publishes to VK; a captcha fails that target clearly; retry-upload publishes it without touching the others", async () => {
    // Under VK_SINGLE_UPLOAD_MAX_BYTES (1 MiB in tests): one multipart POST.
    const { t, recordingId, bytes } = await setup("vkpublish", 700_000);
    const vkPreset = await preset(t, "vk", { privacy_view: 0, album_title: "Lectures 2026", compression: true, disable_comments: true });
    const diskPreset = await preset(t, "yandex_disk", { folder_path: "/Lectures/Course" });
    vk.fault("video.save", { error_code: 14, error_msg: "Captcha needed", extra: { captcha_sid: "548", captcha_img: "https://api.vk.fake/captcha.php?sid=548" } });
    const first = await call<Run>(`/api/v1/recordings/${recordingId}/process?allow_skipped=true`, {
      method: "POST",
      token: t.accessToken,
      body: { output_config: { preset_ids: [vkPreset, diskPreset], auto_upload: true } },
    });
    expectStatus(first, 202);
    const failed = await waitForRun(first.body.task_id);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/Publishing failed: VK: .*[Cc]aptcha/);
    const after = await targets(t, recordingId);
    expect(after.find((x) => x.target_type === "YANDEX_DISK")).toMatchObject({ status: "UPLOADED" });
    expect(after.find((x) => x.target_type === "VK")).toMatchObject({ status: "FAILED" });
    expect(await waitForStatus(recordingId, (s) => s === "DOWNLOADED")).toMatchObject({ failed: 1, failed_at_stage: "UPLOAD" });
    expect([...yandex.resources.entries()].filter(([, r]) => r.type === "file")).toHaveLength(1);

    const retried = await call<Run>(`/api/v1/recordings/${recordingId}/retry-upload`, { method: "POST", token: t.accessToken });
    expectStatus(retried, 202);
    expect((await waitForRun(retried.body.task_id)).status).toBe("COMPLETED");
    expect(vk.uploadedVideos).toHaveLength(1);
    expect(vk.uploadedVideos[0]!.upload).toMatchObject({ bytes: bytes.length, sha256: await sha256(bytes) });
    expect(vk.chunkRequests).toHaveLength(0);
    // What the preview shows is what video.save gets.
    expect(vk.uploadedVideos[0]!.params).toMatchObject({ privacy_view: "all", compression: "1", no_comments: "1", wallpost: "0", repeat: "0" });
    // The album named in the preset did not exist: it was created, and the video placed in it.
    const albums = vk.albums.filter((a) => a.title === "Lectures 2026");
    expect(albums).toHaveLength(1);
    expect(vk.uploadedVideos[0]!.albums).toEqual([albums[0]!.id]);
    expect((await targets(t, recordingId)).map((x) => x.status)).toEqual(["UPLOADED", "UPLOADED"]);
    expect([...yandex.resources.entries()].filter(([, r]) => r.type === "file")).toHaveLength(1); // not sent again
    expect((await waitForStatus(recordingId, (s) => s === "READY")).status).toBe("READY");
    expectStatus(await call(`/api/v1/recordings/${recordingId}/retry-upload`, { method: "POST", token: t.accessToken }), 409);
  });

  it("sends a VK file over the single-upload limit in resumable chunks across messages, through a 5xx and lost connections; a refused upload_url starts over on retry", async () => {
    // 1.3 MB over a 1 MiB limit: six 256 KiB chunks, two per queue message.
    const { t, recordingId, bytes } = await setup("vkchunks");
    const vkPreset = await preset(t, "vk", { privacy_view: 0 });
    vk.fault("chunk", { pass: true }, { http: 503 }, { drop: "before" }, { drop: "after" });
    const run = await call<Run>(`/api/v1/recordings/${recordingId}/upload/vk?preset_id=${vkPreset}`, { method: "POST", token: t.accessToken });
    expectStatus(run, 202);
    const ended = await waitForRun(run.body.task_id);
    expect(ended, ended.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect(vk.calls.filter((c) => c.method === "video.save")).toHaveLength(1);
    expect(vk.uploadedVideos).toHaveLength(1);
    const video = vk.uploadedVideos[0]!;
    expect(video.upload).toMatchObject({ bytes: bytes.length, sha256: await sha256(bytes), filename: `recording-${recordingId}.mp4` });
    expect(video.uploads).toBe(1);
    // Chunk 1 was tried three times (503, dropped before, dropped after it was stored); after the lost
    // answer the host's report moved the upload on, so chunk 1 was not sent a fourth time.
    const ranges = vk.chunkRequests.map((r) => r.range);
    expect(ranges.filter((r) => r?.startsWith("bytes 262144-"))).toHaveLength(3);
    expect(ranges).toHaveLength(8);
    expect(ranges.at(-1)).toBe(`bytes ${5 * 256 * 1024}-${bytes.length - 1}/${bytes.length}`);
    expect(new Set(vk.chunkRequests.map((r) => r.contentType))).toEqual(new Set(["application/octet-stream"]));
    const [target] = await targets(t, recordingId);
    expect(target).toMatchObject({ target_type: "VK", status: "UPLOADED", target_meta: { video_url: `https://vk.com/video${video.owner_id}_${video.video_id}` } });

    // The upload host refuses a second recording's upload_url for good: the empty video is deleted, the
    // target fails with the reason, and retry-upload saves a new video and sends every chunk to it.
    const second = await setup("vkchunks-2");
    const secondPreset = await preset(second.t, "vk");
    vk.fault("chunk", { pass: true }, { uploadError: "upload_url expired" });
    const refused = await call<Run>(`/api/v1/recordings/${second.recordingId}/upload/vk?preset_id=${secondPreset}`, { method: "POST", token: second.t.accessToken });
    const failed = await waitForRun(refused.body.task_id);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/upload_url expired.*save the video again/);
    const firstSave = vk.videos.at(-1)!;
    expect(firstSave.deleted).toBe(true);
    const retried = await call<Run>(`/api/v1/recordings/${second.recordingId}/retry-upload`, { method: "POST", token: second.t.accessToken });
    expectStatus(retried, 202);
    expect((await waitForRun(retried.body.task_id)).status).toBe("COMPLETED");
    const replacement = vk.uploadedVideos.at(-1)!;
    expect(replacement.video_id).not.toBe(firstSave.video_id);
    expect(replacement.upload).toMatchObject({ bytes: second.bytes.length, sha256: await sha256(second.bytes) });
    expect(vk.uploadedVideos).toHaveLength(2);
    expect((await targets(second.t, second.recordingId))[0]).toMatchObject({ status: "UPLOADED", target_meta: { video_id: `${replacement.owner_id}_${replacement.video_id}` } });
  });

  it("refreshes a VK ID credential's expired token through VK ID (device_id, no secret, rotated refresh token); a dead grant asks to reconnect", async () => {
    const { t, recordingId, bytes } = await setup("vkrefresh", 600_000);
    vk.grants.set("vk2.r.first", { client_id: "51234567", device_id: "device-7f3a" });
    const vkPreset = async (tenant: Tenant, credentials: Record<string, unknown>) => {
      const credential = await call<{ id: number }>("/api/v1/credentials", { token: tenant.accessToken, body: { platform: "vk", credentials } });
      expectStatus(credential, 201);
      const created = await call<{ id: number }>("/api/v1/presets", { token: tenant.accessToken, body: { name: "vk id", platform: "vk", credential_id: credential.body.id, preset_metadata: {} } });
      expectStatus(created, 201);
      return { presetId: created.body.id, credentialId: credential.body.id };
    };
    const expired = { access_token: "vk2.a.expired-token", refresh_token: "vk2.r.first", client_id: "51234567", device_id: "device-7f3a", expiry: "2020-01-01T00:00:00Z" };
    const { presetId } = await vkPreset(t, expired);
    const run = await call<Run>(`/api/v1/recordings/${recordingId}/upload/vk?preset_id=${presetId}`, { method: "POST", token: t.accessToken });
    const ended = await waitForRun(run.body.task_id);
    expect(ended, ended.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect(vk.tokenRequests).toHaveLength(1);
    expect(vk.tokenRequests[0]).toMatchObject({ grant_type: "refresh_token", refresh_token: "vk2.r.first", client_id: "51234567", device_id: "device-7f3a" });
    expect(vk.tokenRequests[0]!.client_secret).toBeUndefined();
    expect(vk.grants.has("vk2.r.first")).toBe(false); // rotated: the stored credential now holds the new one
    expect(vk.uploadedVideos.at(-1)!.upload).toMatchObject({ bytes: bytes.length, sha256: await sha256(bytes) });

    // A grant VK ID no longer knows: the credential is marked for reconnection and the target fails with the reason.
    const other = await setup("vkrefresh-dead", 600_000);
    const dead = await vkPreset(other.t, { ...expired, refresh_token: "vk2.r.revoked" });
    const failing = await call<Run>(`/api/v1/recordings/${other.recordingId}/upload/vk?preset_id=${dead.presetId}`, { method: "POST", token: other.t.accessToken });
    const failed = await waitForRun(failing.body.task_id);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/Reconnect vk: .*invalid_grant/);
    const credential = await call<{ needs_reauth: boolean }>(`/api/v1/credentials/${dead.credentialId}`, { token: other.t.accessToken });
    expect(credential.body.needs_reauth).toBe(true);
  });

  it("connects VK through VK ID and Yandex Disk through Yandex OAuth, then publishes with those credentials", async () => {
    const { t, recordingId, bytes } = await setup("connectvk", 600_000);
    const presetWith = async (platform: "vk" | "yandex_disk", credentialId: number, metadata: Record<string, unknown> = {}) => {
      const created = await call<{ id: number }>("/api/v1/presets", { token: t.accessToken, body: { name: `${platform} connected`, platform, credential_id: credentialId, preset_metadata: metadata } });
      expectStatus(created, 201);
      return created.body.id;
    };
    const callback = async (platform: string, query: Record<string, string>) => {
      const back = await call(`/api/v1/oauth/${platform}/callback?${new URLSearchParams(query)}`);
      expect(back.status).toBe(302);
      return new URL(back.headers.get("Location")!).searchParams;
    };

    // VK ID: a public PKCE client; the callback brings the device_id the grant is bound to.
    const vkStart = await call<{ authorization_url: string }>("/api/v1/oauth/vk/authorize", { token: t.accessToken });
    expectStatus(vkStart, 200);
    const vkUrl = new URL(vkStart.body.authorization_url);
    expect(`${vkUrl.origin}${vkUrl.pathname}`).toBe("https://id.vk.fake/authorize");
    expect(Object.fromEntries(vkUrl.searchParams)).toMatchObject({ response_type: "code", client_id: "51234567", scope: "video groups wall", code_challenge_method: "S256", redirect_uri: "http://api.test/api/v1/oauth/vk/callback" });
    const approval = vk.approve(vkStart.body.authorization_url);
    expect((await callback("vk", { code: approval.code, state: approval.state })).get("oauth_error")).toBe("invalid_state"); // no device_id
    const vkDone = await callback("vk", { code: approval.code, state: approval.state, device_id: approval.device_id, type: "code_v2" });
    expect(vkDone.get("oauth_success")).toBe("true");
    const vkCredential = Number(vkDone.get("credential_id"));
    expect((await call<{ platform: string; account_name: string }>(`/api/v1/credentials/${vkCredential}`, { token: t.accessToken })).body).toMatchObject({ platform: "vk", account_name: "vk:743784474" });
    expect(vk.tokenRequests.at(-1)).toMatchObject({ grant_type: "authorization_code", code: approval.code, client_id: "51234567", device_id: approval.device_id, state: approval.state });
    expect(vk.tokenRequests.at(-1)!.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    const vkRun = await call<Run>(`/api/v1/recordings/${recordingId}/upload/vk?preset_id=${await presetWith("vk", vkCredential)}`, { method: "POST", token: t.accessToken });
    const vkEnded = await waitForRun(vkRun.body.task_id);
    expect(vkEnded, vkEnded.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect(vk.uploadedVideos.at(-1)!.upload).toMatchObject({ bytes: bytes.length, sha256: await sha256(bytes) });

    // Yandex: client_secret in the body, the consent screen forced; a refused code ends in token_exchange_failed.
    const yaStart = await call<{ authorization_url: string }>("/api/v1/oauth/yandex_disk/authorize", { token: t.accessToken });
    expectStatus(yaStart, 200);
    const yaUrl = new URL(yaStart.body.authorization_url);
    expect(`${yaUrl.origin}${yaUrl.pathname}`).toBe("https://oauth.yandex.fake/authorize");
    expect(Object.fromEntries(yaUrl.searchParams)).toMatchObject({ client_id: "yandex-app-client", force_confirm: "yes", scope: "cloud_api:disk.read cloud_api:disk.write cloud_api:disk.info" });
    const refused = yandex.approve(yaStart.body.authorization_url);
    expect((await callback("yandex_disk", { code: "9999999", state: refused.state })).get("oauth_error")).toBe("token_exchange_failed");
    const again = yandex.approve((await call<{ authorization_url: string }>("/api/v1/oauth/yandex_disk/authorize", { token: t.accessToken })).body.authorization_url);
    const yaDone = await callback("yandex_disk", { code: again.code, state: again.state });
    expect(yaDone.get("oauth_success")).toBe("true");
    expect(yandex.tokenRequests.at(-1)).toMatchObject({ grant_type: "authorization_code", code: again.code, client_id: "yandex-app-client", client_secret: "yandex-app-secret-123" });
    const yaRun = await call<Run>(`/api/v1/recordings/${recordingId}/upload/yandex_disk?preset_id=${await presetWith("yandex_disk", Number(yaDone.get("credential_id")), { folder_path: "/Connected" })}`, { method: "POST", token: t.accessToken });
    const yaEnded = await waitForRun(yaRun.body.task_id);
    expect(yaEnded, yaEnded.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect([...yandex.resources.keys()].some((path) => path.startsWith("/Connected/"))).toBe(true);
  });

  it("publishes many recordings in bulk; another tenant's preset id is refused", async () => {
    const { t, recordingId } = await setup("pubbulk");
    const disk = await preset(t, "yandex_disk", { folder_path: "/Lectures", publish: true });
    const foreign = await preset(await createTenant("pubbulk-b"), "yandex_disk");
    expectStatus(await call("/api/v1/recordings/bulk/upload", { method: "POST", token: t.accessToken, body: { recording_ids: [recordingId], preset_ids: [foreign] } }), 404);
    const bulk = await call<{ succeeded_count: number; details: Array<{ task_id?: string }> }>("/api/v1/recordings/bulk/upload", {
      method: "POST",
      token: t.accessToken,
      body: { recording_ids: [recordingId], preset_ids: [disk] },
    });
    expectStatus(bulk, 202);
    expect(bulk.body.succeeded_count).toBe(1);
    expect((await waitForRun(bulk.body.details[0]!.task_id!)).status).toBe("COMPLETED");
    const [target] = await targets(t, recordingId);
    expect(target).toMatchObject({ target_type: "YANDEX_DISK", status: "UPLOADED" });
    expect(target!.target_meta?.video_url).toMatch(/^https:\/\//); // the public link
  });

  it("keeps presets tenant-scoped: another tenant's preset cannot publish my recording", async () => {
    const { t, recordingId } = await setup("pubtenant");
    const other = await createTenant("pubtenant-b");
    const foreign = await preset(other, "youtube");
    expectStatus(await call(`/api/v1/recordings/${recordingId}/upload/youtube?preset_id=${foreign}`, { method: "POST", token: t.accessToken }), 404);
    const own = await preset(t, "vk");
    expectStatus(await call(`/api/v1/recordings/${recordingId}/upload/youtube?preset_id=${own}`, { method: "POST", token: t.accessToken }), 400);
    expectStatus(await call(`/api/v1/recordings/${recordingId}/upload/youtube?preset_id=${own}`, { method: "POST", token: other.accessToken }), 404);
    expect(await countRows("output_targets", "user_id = ?", t.userId)).toBe(0);
  });
});
