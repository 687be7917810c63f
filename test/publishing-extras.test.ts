import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { storageKeys } from "../src/lib/storage-keys";
import { call, expectStatus } from "./helpers/api";
import { PNG_HEADER } from "./helpers/fixtures";
import { endRunsWithinEachTest, ENGINE_ONLY_CONFIG, waitForRun } from "./helpers/pipeline";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";
import { FakeYouTube } from "./fakes/fake-youtube";

/**
 * Issue 14, defects 1–3: YouTube extras (playlist, thumbnail, captions) are retried and reported,
 * retry-extras / retry-upload redo them without a second video; upload_captions and
 * default_preset_ids are honoured; a credential without an access token refreshes before any call.
 */
let youtube: FakeYouTube;
/** Hosts called, in order ("google-token" for the token endpoint). */
let calls: string[];
const googleGrants: Array<Record<string, string>> = [];

beforeEach(() => {
  youtube = new FakeYouTube();
  calls = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const host = new URL(input instanceof Request ? input.url : String(input)).hostname;
    if (host.startsWith("youtube")) {
      calls.push("youtube");
      return youtube.handle(input, init);
    }
    if (host === "oauth2.google.fake") {
      calls.push("google-token");
      return googleToken(new Request(input, init));
    }
    return new Response("unexpected host", { status: 599 });
  });
});
afterEach(() => vi.restoreAllMocks());
endRunsWithinEachTest();

/** Google's token endpoint (EXTERNAL-APIS §2.1): a refresh answers a new access token and keeps the refresh token. */
async function googleToken(request: Request): Promise<Response> {
  const form = Object.fromEntries(new URLSearchParams(await request.text()));
  googleGrants.push(form);
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  if (form.client_id !== "youtube-app-client" || form.client_secret !== "youtube-app-secret-123") return json(401, { error: "invalid_client" });
  if (form.grant_type === "refresh_token" && form.refresh_token === "1//extras-refresh") {
    youtube.validTokens.add("ya29.extras-refreshed");
    return json(200, { access_token: "ya29.extras-refreshed", expires_in: 3599, token_type: "Bearer" });
  }
  return json(400, { error: "invalid_grant" });
}

interface Run {
  task_id: string;
  status: string;
  error: string | null;
}
interface Output {
  id: number;
  target_type: string;
  status: string;
  uploaded_at: string | null;
  target_meta: Record<string, unknown> | null;
  extras: Record<string, { status: string; attempts: number; error: string | null }>;
  extras_failed: string[];
}

const SRT = "1\n00:00:00,000 --> 00:00:02,500\nHello, lecture.\n\n2\n00:00:02,500 --> 00:00:05,000\nToday: extras.\n";
const THUMBNAIL = "extras_cover";

/** A tenant with one uploaded recording (engine-only config), its SRT subtitles and a shared thumbnail. */
async function setup(label: string, config: Record<string, unknown> = {}): Promise<{ t: Tenant; recordingId: number }> {
  const t = await createTenant(label);
  const bytes = new Uint8Array(300_000).fill(9);
  bytes.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
  const upload = await call<{ id: number }>("/api/v1/recordings?display_name=Lecture%2014", { method: "POST", token: t.accessToken, rawBody: bytes, headers: { "Content-Type": "video/mp4" } });
  expectStatus(upload, 201);
  expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { ...ENGINE_ONLY_CONFIG, ...config } }), 200);
  const recordingId = upload.body.id;
  await env.MEDIA.put(storageKeys.subtitles(t.userId, recordingId, "srt"), SRT);
  await env.DB.prepare("UPDATE recordings SET subtitles_info = ?, transcript_info = ? WHERE id = ?").bind(JSON.stringify({ formats: ["srt"] }), JSON.stringify({ language: "ru" }), recordingId).run();
  const png = new Uint8Array(400).fill(3);
  png.set(PNG_HEADER);
  await env.MEDIA.put(`shared/thumbnails/${THUMBNAIL}.png`, png, { httpMetadata: { contentType: "image/png" } });
  return { t, recordingId };
}

async function youtubeCredential(t: Tenant, credentials: Record<string, unknown> = { access_token: "ya29.valid", refresh_token: "1//extras-refresh", expiry: "2099-01-01T00:00:00Z" }): Promise<number> {
  const credential = await call<{ id: number }>("/api/v1/credentials", { token: t.accessToken, body: { platform: "youtube", credentials } });
  expectStatus(credential, 201);
  return credential.body.id;
}

async function youtubePreset(t: Tenant, metadata: Record<string, unknown> = {}, credentialId?: number): Promise<number> {
  const created = await call<{ id: number }>("/api/v1/presets", {
    token: t.accessToken,
    body: { name: `yt ${crypto.randomUUID().slice(0, 8)}`, platform: "youtube", credential_id: credentialId ?? (await youtubeCredential(t)), preset_metadata: metadata },
  });
  expectStatus(created, 201);
  return created.body.id;
}

const outputs = async (t: Tenant, recordingId: number) => {
  const detail = await call<{ outputs: Output[] }>(`/api/v1/recordings/${recordingId}`, { token: t.accessToken });
  expectStatus(detail, 200);
  return detail.body.outputs;
};

async function publish(t: Tenant, recordingId: number, presetId?: number): ReturnType<typeof waitForRun> {
  const started = await call<Run>(`/api/v1/recordings/${recordingId}/upload/youtube${presetId ? `?preset_id=${presetId}` : ""}`, { method: "POST", token: t.accessToken });
  expectStatus(started, 202);
  return waitForRun(started.body.task_id);
}

const requests = (endpoint: string) => youtube.log.filter((entry) => entry.endpoint === endpoint);

describe("YouTube extras", () => {
  it("retries transient videoNotFound on thumbnails.set (past one message's tries, into the next) and a 503 on playlistItems.insert: both land, one video", async () => {
    const { t, recordingId } = await setup("extras-transient");
    youtube.addPlaylist("PLextras01");
    const presetId = await youtubePreset(t, { playlist_id: "PLextras01", thumbnail_name: THUMBNAIL });
    // Three tries in the first message fail; the extra stays pending and the next message sets it.
    const notYet = { type: "error", status: 404, reason: "videoNotFound" } as const;
    youtube.faults.thumbnail.push(notYet, notYet, notYet);
    youtube.faults.playlist.push({ type: "error", status: 503, reason: "backendError" });

    const run = await publish(t, recordingId, presetId);
    expect(run, run.error ?? "").toMatchObject({ status: "COMPLETED" });
    const video = youtube.onlyVideo();
    expect(youtube.thumbnails.get(video.id)).toMatchObject({ contentType: "image/png", bytes: 400 });
    expect(youtube.playlists.get("PLextras01")).toEqual([video.id]);
    expect(youtube.captions.map((c) => c.videoId)).toEqual([video.id]);
    expect(requests("thumbnail").map((r) => r.status)).toEqual([404, 404, 404, 200]);
    expect(requests("playlist").map((r) => r.status)).toEqual([503, 200]);
    expect(requests("start")).toHaveLength(1);
    const [output] = await outputs(t, recordingId);
    expect(output).toMatchObject({ status: "UPLOADED", extras_failed: [], extras: { playlist: { status: "done", attempts: 2 }, thumbnail: { status: "done", attempts: 4 }, captions: { status: "done", attempts: 1 } } });
  });

  it("shows a permanent extra failure on the output; retry-extras redoes only that extra without a second upload, tenant-scoped", async () => {
    const { t, recordingId } = await setup("extras-permanent");
    youtube.addPlaylist("PLextras02");
    const presetId = await youtubePreset(t, { playlist_id: "PLextras02", thumbnail_name: THUMBNAIL });
    youtube.faults.thumbnail.push({ type: "error", status: 400, reason: "invalidImage", message: "The thumbnail image is invalid." });

    const run = await publish(t, recordingId, presetId);
    expect(run, run.error ?? "").toMatchObject({ status: "COMPLETED" });
    const video = youtube.onlyVideo();
    expect(youtube.thumbnails.has(video.id)).toBe(false);
    expect(requests("thumbnail")).toHaveLength(1); // a 400 is not retried
    const [failed] = await outputs(t, recordingId);
    expect(failed).toMatchObject({ status: "UPLOADED", extras_failed: ["thumbnail"], extras: { thumbnail: { status: "failed" }, playlist: { status: "done" }, captions: { status: "done" } } });
    expect(failed!.extras.thumbnail!.error).toMatch(/invalidImage/);
    const uploadedAt = failed!.uploaded_at;

    // Another tenant, or an output of another recording: 404; nothing is touched.
    const other = await createTenant("extras-permanent-b");
    expectStatus(await call(`/api/v1/recordings/${recordingId}/outputs/${failed!.id}/retry-extras`, { method: "POST", token: other.accessToken }), 404);
    const otherRecording = await setup("extras-permanent-c");
    expectStatus(await call(`/api/v1/recordings/${otherRecording.recordingId}/outputs/${failed!.id}/retry-extras`, { method: "POST", token: otherRecording.t.accessToken }), 404);
    expectStatus(await call(`/api/v1/recordings/${recordingId}/outputs/${failed!.id}/retry-extras`, { method: "POST" }), 401);
    expect((await outputs(t, recordingId))[0]!.extras_failed).toEqual(["thumbnail"]);

    const retried = await call<Run>(`/api/v1/recordings/${recordingId}/outputs/${failed!.id}/retry-extras`, { method: "POST", token: t.accessToken });
    expectStatus(retried, 202);
    const ended = await waitForRun(retried.body.task_id);
    expect(ended, ended.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect(youtube.videosCreated).toBe(1);
    expect(requests("start")).toHaveLength(1); // no second videos.insert
    expect(requests("chunk").filter((r) => r.status === 200 || r.status === 201)).toHaveLength(1);
    expect(youtube.thumbnails.get(video.id)).toMatchObject({ contentType: "image/png" });
    expect(youtube.playlists.get("PLextras02")).toEqual([video.id]); // done extras are not redone
    expect(youtube.captions).toHaveLength(1);
    const [done] = await outputs(t, recordingId);
    expect(done).toMatchObject({ status: "UPLOADED", extras_failed: [], extras: { thumbnail: { status: "done", attempts: 2 } }, uploaded_at: uploadedAt });
    expect((await call<{ status: string }>(`/api/v1/recordings/${recordingId}`, { token: t.accessToken })).body.status).toBe("READY");

    // Nothing missing any more: 409 with the reason.
    const again = await call<{ error: { message: string } }>(`/api/v1/recordings/${recordingId}/outputs/${failed!.id}/retry-extras`, { method: "POST", token: t.accessToken });
    expectStatus(again, 409);
    expect(again.body.error.message).toMatch(/no missing extras/);
  });

  it("answers 409 for an output that is not published yet", async () => {
    const { t, recordingId } = await setup("extras-unpublished");
    const presetId = await youtubePreset(t, { thumbnail_name: THUMBNAIL });
    youtube.faults.start.push({ type: "error", status: 403, reason: "forbidden", message: "The channel cannot upload." });
    const run = await publish(t, recordingId, presetId);
    expect(run.status).toBe("FAILED");
    const [output] = await outputs(t, recordingId);
    expect(output!.status).toBe("FAILED");
    const refused = await call<{ error: { message: string } }>(`/api/v1/recordings/${recordingId}/outputs/${output!.id}/retry-extras`, { method: "POST", token: t.accessToken });
    expectStatus(refused, 409);
    expect(refused.body.error.message).toMatch(/not published \(FAILED\).*retry-upload/);
  });

  it("retry-upload redoes the missing extras of a published video instead of skipping it, without re-uploading", async () => {
    const { t, recordingId } = await setup("extras-retry-upload");
    const presetId = await youtubePreset(t, { thumbnail_name: THUMBNAIL });
    youtube.faults.caption.push({ type: "error", status: 403, reason: "forbidden", message: "Captions are disabled for this channel." });
    expect((await publish(t, recordingId, presetId)).status).toBe("COMPLETED");
    expect((await outputs(t, recordingId))[0]).toMatchObject({ status: "UPLOADED", extras_failed: ["captions"] });
    expect(youtube.captions).toHaveLength(0);

    const retried = await call<Run>(`/api/v1/recordings/${recordingId}/retry-upload`, { method: "POST", token: t.accessToken, body: { platforms: ["youtube"] } });
    expectStatus(retried, 202);
    expect((await waitForRun(retried.body.task_id)).status).toBe("COMPLETED");
    const video = youtube.onlyVideo();
    expect(youtube.captions.map((c) => c.videoId)).toEqual([video.id]);
    expect(requests("start")).toHaveLength(1);
    expect(requests("thumbnail")).toHaveLength(1); // set the first time, not sent again
    expect((await outputs(t, recordingId))[0]).toMatchObject({ status: "UPLOADED", extras_failed: [] });
    expectStatus(await call(`/api/v1/recordings/${recordingId}/retry-upload`, { method: "POST", token: t.accessToken }), 409);
  });
});

describe("upload settings", () => {
  it("sends no captions when upload.upload_captions is false, though subtitles exist", async () => {
    const { t, recordingId } = await setup("extras-nocaptions", { upload: { upload_captions: false } });
    const presetId = await youtubePreset(t);
    const run = await publish(t, recordingId, presetId);
    expect(run, run.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect(youtube.videosCreated).toBe(1);
    expect(requests("caption")).toHaveLength(0);
    expect(youtube.captions).toHaveLength(0);
  });

  it("publishes with upload.default_preset_ids when no preset is given: the upload endpoint and an auto_upload run", async () => {
    const first = await setup("extras-default-preset");
    const presetId = await youtubePreset(first.t);
    expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: first.t.accessToken, body: { upload: { default_preset_ids: { youtube: presetId } } } }), 200);
    const run = await publish(first.t, first.recordingId);
    expect(run, run.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect(youtube.videosCreated).toBe(1);
    expect((await outputs(first.t, first.recordingId))[0]).toMatchObject({ target_type: "YOUTUBE", status: "UPLOADED" });

    // A full run with auto_upload and default_platforms, no template and no preset_ids: the default preset publishes.
    const second = await setup("extras-default-auto");
    const autoPreset = await youtubePreset(second.t);
    const config = { upload: { auto_upload: true, default_platforms: ["youtube"], default_preset_ids: { youtube: autoPreset } } };
    expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: second.t.accessToken, body: config }), 200);
    const dry = await call<{ steps: Array<{ stage: string; enabled: boolean; skip_reason?: string }> }>(`/api/v1/recordings/${second.recordingId}/process?dry_run=true`, { method: "POST", token: second.t.accessToken });
    expectStatus(dry, 200);
    expect(JSON.stringify(dry.body)).not.toMatch(/No output presets configured/);
    const started = await call<Run>(`/api/v1/recordings/${second.recordingId}/process`, { method: "POST", token: second.t.accessToken });
    expectStatus(started, 202);
    const ended = await waitForRun(started.body.task_id);
    expect(ended, ended.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect(youtube.videosCreated).toBe(2);
    expect(await countRows("output_targets", "user_id = ? AND preset_id = ? AND status = 'UPLOADED'", second.t.userId, autoPreset)).toBe(1);
  });
});

describe("YouTube credentials without an access token", () => {
  it("refreshes before the first call when the credential has no access_token and no expiry; never sends 'Bearer undefined'", async () => {
    const { t, recordingId } = await setup("extras-notoken");
    const credentialId = await youtubeCredential(t, { refresh_token: "1//extras-refresh" });
    const presetId = await youtubePreset(t, {}, credentialId);
    const grantsBefore = googleGrants.length;
    const run = await publish(t, recordingId, presetId);
    expect(run, run.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect(youtube.videosCreated).toBe(1);
    expect(googleGrants.slice(grantsBefore).map((g) => g.grant_type)).toEqual(["refresh_token"]);
    expect(calls[0]).toBe("google-token"); // the refresh comes before any YouTube request
    expect(youtube.authorizations.length).toBeGreaterThan(0);
    expect(youtube.authorizations.filter((a) => a !== "Bearer ya29.extras-refreshed")).toEqual([]);
    expect(youtube.log.filter((entry) => entry.status === 401)).toEqual([]);
  });

  it("uses a stored access token without an expiry as it is (no refresh until YouTube refuses it)", async () => {
    const { t, recordingId } = await setup("extras-noexpiry");
    const credentialId = await youtubeCredential(t, { access_token: "ya29.valid", refresh_token: "1//extras-refresh" });
    const grantsBefore = googleGrants.length;
    const run = await publish(t, recordingId, await youtubePreset(t, {}, credentialId));
    expect(run, run.error ?? "").toMatchObject({ status: "COMPLETED" });
    expect(googleGrants.length).toBe(grantsBefore);
    expect(new Set(youtube.authorizations)).toEqual(new Set(["Bearer ya29.valid"]));
  });
});
