import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../src/index";
import { RetentionRepository } from "../src/db/repositories/retention.repository";
import { storageKeys } from "../src/lib/storage-keys";
import { serviceContext, type ServiceContext } from "../src/services/context";
import { dryRun, startRun } from "../src/services/pipeline/runs.service";
import { addMonthlyUsage, periodOf, reserveMonthly } from "../src/services/quotas/quota.service";
import { admitQuotaBlockedRecording } from "../src/services/quotas/run-quota";
import { quotaUsage, recordStoredBytes } from "../src/services/quotas/run-slots";
import {
  abortAbandonedUploads,
  cleanupDeletedFiles,
  expireRecordings,
  hardDeleteRecordings,
} from "../src/services/retention/retention-sweep";
import { auditUserStorage } from "../src/services/retention/storage-audit";
import { FakeZoom } from "./fakes/fake-zoom";
import { call, expectStatus } from "./helpers/api";
import { fakeMp4, seedCredential, seedRecordings } from "./helpers/fixtures";
import { ENGINE_ONLY_CONFIG } from "./helpers/pipeline";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";
import { deliver, meetingEvent, WEBHOOK_SECRET } from "./helpers/zoom-webhooks";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const at = (ms: number): ServiceContext => serviceContext(env, { now: () => new Date(ms) });

let zoom: FakeZoom;
beforeEach(() => {
  zoom = new FakeZoom();
  vi.spyOn(globalThis, "fetch").mockImplementation(zoom.handle);
});
afterEach(() => vi.restoreAllMocks());

async function zoomTenant(label: string): Promise<{ t: Tenant; sourceId: number }> {
  const t = await createTenant(label);
  expectStatus(await call("/api/v1/templates", { token: t.accessToken, body: { name: "Lectures", matching_rules: { keywords: ["lecture"] } } }), 201);
  const credential = await call<{ id: number }>("/api/v1/credentials", {
    token: t.accessToken,
    body: {
      platform: "zoom",
      credentials: { account_id: zoom.accountId, client_id: zoom.clientId, client_secret: zoom.clientSecret, webhook_secret_token: WEBHOOK_SECRET },
    },
  });
  expectStatus(credential, 201);
  const source = await call<{ id: number }>("/api/v1/sources", { token: t.accessToken, body: { name: "Zoom", platform: "ZOOM", credential_id: credential.body.id } });
  expectStatus(source, 201);
  await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { ...ENGINE_ONLY_CONFIG, download: { blank_min_size_mb: 1 } } });
  return { t, sourceId: source.body.id };
}

const sync = (t: Tenant, sourceId: number) =>
  call<{ created: number; skipped: number }>(`/api/v1/sources/${sourceId}/sync?from_date=2026-09-01&to_date=2026-09-30`, { method: "POST", token: t.accessToken });

/** Stores objects under a recording (as the stages would) and counts them in the quota. */
async function putObjects(userId: string, recordingId: number, files: Record<string, number>): Promise<number> {
  let total = 0;
  for (const [name, size] of Object.entries(files)) {
    await env.MEDIA.put(`${storageKeys.recordingRoot(userId, recordingId)}${name}`, new Uint8Array(size));
    total += size;
  }
  await recordStoredBytes(serviceContext(env), userId, total);
  return total;
}

const MEDIA = { "source.mp4": 1000, "processed.mp4": 500, "audio.m4a": 300 };
const KEPT = { "transcript/master.json": 50, "subtitles/subtitles.srt": 20 };

async function pointAtObjects(userId: string, id: number) {
  const root = storageKeys.recordingRoot(userId, id);
  await env.DB.prepare("UPDATE recordings SET source_object_key = ?, processed_object_key = ?, audio_object_key = ?, transcript_object_key = ? WHERE id = ?")
    .bind(`${root}source.mp4`, `${root}processed.mp4`, `${root}audio.m4a`, `${root}transcript/master.json`, id)
    .run();
}

const keysUnder = async (userId: string, id: number) =>
  (await env.MEDIA.list({ prefix: storageKeys.recordingRoot(userId, id) })).objects.map((o) => o.key.slice(storageKeys.recordingRoot(userId, id).length)).sort();
const storedBytes = async (userId: string) => (await quotaUsage(serviceContext(env), userId)).storageBytes;
const row = (id: number) =>
  env.DB.prepare("SELECT deleted, delete_state, deletion_reason, source_object_key, transcript_object_key FROM recordings WHERE id = ?").bind(id).first<{
    deleted: number;
    delete_state: string;
    deletion_reason: string | null;
    source_object_key: string | null;
    transcript_object_key: string | null;
  }>();

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await probe();
  for (let i = 0; i < 100 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

describe("two-level deletion through time (§9)", () => {
  it("created → expired → files cleaned (objects gone, quota down) → hard deleted (tombstone) → sync and webhook do not bring it back", async () => {
    const { t, sourceId } = await zoomTenant("lifecycle");
    const uuid = "retention-life==";
    zoom.addDownloadableMeeting(uuid, 2 * 1024 * 1024);
    expect((await sync(t, sourceId)).body.created).toBe(1);
    const rec = await env.DB.prepare("SELECT id, expire_at FROM recordings WHERE user_id = ?").bind(t.userId).first<{ id: number; expire_at: number }>();
    const id = rec!.id;
    const t0 = Date.now();
    expect(rec!.expire_at).toBeGreaterThan(t0 + 89 * DAY); // auto_expire_days = 90
    const media = await putObjects(t.userId, id, MEDIA);
    const kept = await putObjects(t.userId, id, KEPT);
    await pointAtObjects(t.userId, id);
    expect(await storedBytes(t.userId)).toBe(media + kept);

    // Day 89: nothing is due yet.
    await expireRecordings(at(t0 + 89 * DAY));
    expect(await row(id)).toMatchObject({ deleted: 0, delete_state: "active" });

    // Day 91: expired (soft, restorable; files untouched).
    expect(await expireRecordings(at(t0 + 91 * DAY))).toBeGreaterThanOrEqual(1);
    expect(await row(id)).toMatchObject({ deleted: 1, delete_state: "soft", deletion_reason: "expired" });
    await cleanupDeletedFiles(at(t0 + 92 * DAY)); // still inside the 3-day restore window
    expect(await keysUnder(t.userId, id)).toHaveLength(5);

    // Day 94: media gone, transcript/subtitles kept, quota down by exactly the media bytes.
    const cleaned = await cleanupDeletedFiles(at(t0 + 94 * DAY + HOUR));
    expect(cleaned.recordings).toBeGreaterThanOrEqual(1);
    expect(await keysUnder(t.userId, id)).toEqual(["subtitles/subtitles.srt", "transcript/master.json"]);
    expect(await storedBytes(t.userId)).toBe(kept);
    expect(await row(id)).toMatchObject({ delete_state: "hard", source_object_key: null });
    const restore = await call(`/api/v1/recordings/${id}/restore`, { method: "POST", token: t.accessToken });
    expectStatus(restore, 400);
    expect(restore.text).toContain("files already deleted");

    // Day 124 (3 + 30 days after the expiry): everything gone, a tombstone stays.
    await hardDeleteRecordings(at(t0 + 123 * DAY));
    expect(await row(id)).not.toBeNull();
    expect((await hardDeleteRecordings(at(t0 + 124 * DAY + HOUR))).recordings).toBeGreaterThanOrEqual(1);
    expect(await row(id)).toBeNull();
    expect(await keysUnder(t.userId, id)).toEqual([]);
    expect(await storedBytes(t.userId)).toBe(0);
    expect(await countRows("recording_tombstones", "user_id = ? AND source_type = 'ZOOM' AND source_key = ?", t.userId, uuid)).toBe(1);

    // Zoom still has the meeting: neither a sync nor a webhook re-creates it.
    const again = await sync(t, sourceId);
    expectStatus(again, 200);
    expect(again.body).toMatchObject({ created: 0, skipped: 1 });
    const delivery = await deliver(sourceId, meetingEvent("recording.completed", { uuid, topic: "Lecture again", files: [{ id: "late-mp4", type: "MP4" }] }));
    expectStatus(delivery, 200);
    await waitFor(() => countRows("zoom_webhook_events", "user_id = ? AND status = 'processed'", t.userId), (n) => n >= 1);
    expect(await countRows("zoom_webhook_events", "user_id = ? AND status = 'processed'", t.userId)).toBe(1);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(0);
  });

  it("a cleanup and a hard delete interrupted halfway finish on the rerun without counting quota twice", async () => {
    const t = await createTenant("interrupted");
    const [id] = await seedRecordings(t.userId, [{ displayName: "Lecture interrupted", status: "INITIALIZED" }]);
    // Bytes that are not this recording's: a double subtraction would eat into them.
    await env.MEDIA.put(`${storageKeys.userRoot(t.userId)}thumbnails/own.png`, new Uint8Array(777));
    await recordStoredBytes(serviceContext(env), t.userId, 777);
    const media = await putObjects(t.userId, id!, MEDIA);
    const kept = await putObjects(t.userId, id!, KEPT);
    await pointAtObjects(t.userId, id!);
    expectStatus(await call(`/api/v1/recordings/${id}`, { method: "DELETE", token: t.accessToken }), 200);
    const now = Date.now();
    expect(await storedBytes(t.userId)).toBe(777 + media + kept);

    // The sweep dies after deleting the objects and freeing the quota, before marking the row.
    const mark = vi.spyOn(RetentionRepository.prototype, "markFilesCleaned").mockRejectedValueOnce(new Error("worker killed"));
    await expect(cleanupDeletedFiles(at(now + 4 * DAY))).rejects.toThrow("worker killed");
    expect(await keysUnder(t.userId, id!)).toEqual(["subtitles/subtitles.srt", "transcript/master.json"]);
    expect(await storedBytes(t.userId)).toBe(777 + kept);
    expect(await row(id!)).toMatchObject({ delete_state: "hard" }); // claimed: a restore can no longer race it
    expect((await row(id!))!.source_object_key).not.toBeNull();
    mark.mockRestore();
    await cleanupDeletedFiles(at(now + 4 * DAY + HOUR));
    expect(await row(id!)).toMatchObject({ delete_state: "hard", source_object_key: null });
    expect(await storedBytes(t.userId)).toBe(777 + kept);
    await cleanupDeletedFiles(at(now + 5 * DAY)); // nothing left to do
    expect(await storedBytes(t.userId)).toBe(777 + kept);

    // Same for the hard delete: objects gone and freed, then the row delete fails once.
    const hard = vi.spyOn(RetentionRepository.prototype, "hardDelete").mockRejectedValueOnce(new Error("D1 unavailable"));
    await expect(hardDeleteRecordings(at(now + 34 * DAY))).rejects.toThrow("D1 unavailable");
    expect(await keysUnder(t.userId, id!)).toEqual([]);
    expect(await storedBytes(t.userId)).toBe(777);
    expect(await row(id!)).not.toBeNull();
    hard.mockRestore();
    await hardDeleteRecordings(at(now + 34 * DAY + HOUR));
    expect(await row(id!)).toBeNull();
    expect(await storedBytes(t.userId)).toBe(777);
  });

  it("restores within the window, and a restored recording is left alone by the sweeps", async () => {
    const t = await createTenant("restored");
    const [id] = await seedRecordings(t.userId, [{ displayName: "Lecture restored", status: "INITIALIZED" }]);
    const media = await putObjects(t.userId, id!, MEDIA);
    expectStatus(await call(`/api/v1/recordings/${id}`, { method: "DELETE", token: t.accessToken }), 200);
    expectStatus(await call(`/api/v1/recordings/${id}/restore`, { method: "POST", token: t.accessToken }), 200);
    const now = Date.now();
    await cleanupDeletedFiles(at(now + 4 * DAY));
    await hardDeleteRecordings(at(now + 40 * DAY));
    expect(await row(id!)).toMatchObject({ deleted: 0, delete_state: "active" });
    expect(await keysUnder(t.userId, id!)).toHaveLength(3);
    expect(await storedBytes(t.userId)).toBe(media);
  });

  it("aborts upload sessions abandoned for 24 h and removes their placeholder recording", async () => {
    const t = await createTenant("abandoned");
    const created = await call<{ id: string; recording_id: number }>("/api/v1/recordings/uploads", {
      token: t.accessToken,
      body: { display_name: "Lecture never finished", size: 6 * 1024 * 1024, content_type: "video/mp4", part_size: 5 * 1024 * 1024 },
    });
    expectStatus(created, 201);
    const now = Date.now();
    await abortAbandonedUploads(at(now + 23 * HOUR));
    expect(await countRows("upload_sessions", "id = ? AND status = 'uploading'", created.body.id)).toBe(1);
    expect(await abortAbandonedUploads(at(now + 25 * HOUR))).toBeGreaterThanOrEqual(1);
    expect(await countRows("upload_sessions", "id = ? AND status = 'aborted'", created.body.id)).toBe(1);
    expect(await countRows("recordings", "id = ?", created.body.recording_id)).toBe(0);
    await abortAbandonedUploads(at(now + 26 * HOUR)); // idempotent
    expect(await countRows("upload_sessions", "id = ? AND status = 'aborted'", created.body.id)).toBe(1);
  });
});

describe("storage audit", () => {
  it("removes orphaned objects older than 24 h, reports missing ones and reconciles the counters", async () => {
    const t = await createTenant("audit");
    const [id] = await seedRecordings(t.userId, [{ displayName: "Lecture audited", status: "DOWNLOADED" }]);
    const root = storageKeys.recordingRoot(t.userId, id!);
    await env.MEDIA.put(`${root}source.mp4`, new Uint8Array(4000));
    await env.DB.prepare("UPDATE recordings SET source_object_key = ?, audio_object_key = ? WHERE id = ?").bind(`${root}source.mp4`, `${root}audio.m4a`, id).run();
    await env.MEDIA.put(`${storageKeys.recordingRoot(t.userId, 987_654_321)}source.mp4`, new Uint8Array(9000)); // no such row
    await recordStoredBytes(serviceContext(env), t.userId, 5); // drifted counter

    const fresh = await auditUserStorage(serviceContext(env), t.userId);
    expect(fresh.orphanObjects).toBe(0); // too young to be sure it is an orphan

    const audit = await auditUserStorage(at(Date.now() + 25 * HOUR), t.userId);
    expect(audit).toMatchObject({ complete: true, storageBytes: 4000, orphanObjects: 1, orphanBytes: 9000 });
    expect(audit.missing).toEqual([{ recordingId: id, key: `${root}audio.m4a` }]);
    expect(await env.MEDIA.head(`${storageKeys.recordingRoot(t.userId, 987_654_321)}source.mp4`)).toBeNull();
    expect(await env.MEDIA.head(`${root}source.mp4`)).not.toBeNull();
    expect(await storedBytes(t.userId)).toBe(4000);
    const again = await auditUserStorage(at(Date.now() + 26 * HOUR), t.userId);
    expect(again).toMatchObject({ storageBytes: 4000, orphanObjects: 0 });

    const history = await call<{ items: Array<{ period: string; storage_bytes: number; recordings_count: number }> }>("/api/v1/users/me/quota/history", { token: t.accessToken });
    expectStatus(history, 200);
    expect(history.body.items[0]).toMatchObject({ period: periodOf(new Date(Date.now() + 26 * HOUR)), storage_bytes: 4000 });
  });

  it("runs from the hourly cron", async () => {
    const ctx = createExecutionContext();
    await worker.scheduled?.(createScheduledController({ cron: "0 * * * *", scheduledTime: new Date() }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await env.MEDIA.head("system/storage-audit-cursor")).not.toBeNull();
  });
});

describe("quotas (§8.4)", () => {
  const setCustom = (userId: string, column: string, value: number | null) =>
    env.DB.prepare(`UPDATE user_subscriptions SET ${column} = ? WHERE user_id = ?`).bind(value, userId).run();

  it("admits exactly the limit of 200 concurrent monthly reservations, with no lost updates", async () => {
    const t = await createTenant("reserve200");
    await setCustom(t.userId, "custom_max_recordings_per_month", 37);
    const ctx = serviceContext(env);
    const decisions = await Promise.all(Array.from({ length: 200 }, () => reserveMonthly(ctx, t.userId, "recordings")));
    expect(decisions.filter((d) => d.granted)).toHaveLength(37);
    const usage = await env.DB.prepare("SELECT recordings_count FROM quota_usage WHERE user_id = ? AND period = ?").bind(t.userId, periodOf(new Date())).first<{ recordings_count: number }>();
    expect(usage?.recordings_count).toBe(37);

    const quota = await call<Record<string, { used: number; limit: number | null; available: number | null }>>("/api/v1/users/me/quota", { token: t.accessToken });
    expectStatus(quota, 200);
    expect(quota.body).toMatchObject({ plan: "free", recordings: { used: 37, limit: 37, available: 0 }, concurrent_tasks: { limit: 1 }, automation_jobs: { used: 0, limit: 0, available: 0 } });

    // Over the limit a direct upload is refused with the limit and the usage.
    const upload = await call<{ error: { code: string; details: unknown } }>("/api/v1/recordings?display_name=Lecture%20over", {
      method: "POST",
      token: t.accessToken,
      rawBody: fakeMp4(10_000),
      headers: { "Content-Type": "video/mp4" },
    });
    expectStatus(upload, 429);
    expect(upload.body.error).toMatchObject({ code: "RATE_LIMITED", details: { quota: "recordings_per_month", limit: 37, used: 37 } });
    expect(Number(upload.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(0);
  });

  it("refuses uploads and runs over the storage quota with 402", async () => {
    const { t, sourceId } = await zoomTenant("storage402");
    zoom.addDownloadableMeeting("storage-402==", 2 * 1024 * 1024);
    expect((await sync(t, sourceId)).body.created).toBe(1);
    const rec = await env.DB.prepare("SELECT id FROM recordings WHERE user_id = ?").bind(t.userId).first<{ id: number }>();
    const ctx = serviceContext(env);
    expect((await dryRun(ctx, t.userId, rec!.id, { trigger: "manual" })).willRun).toBe(true);

    await setCustom(t.userId, "custom_max_storage_gb", 0);
    const upload = await call<{ error: { details: unknown } }>("/api/v1/recordings?display_name=Lecture%20big", {
      method: "POST",
      token: t.accessToken,
      rawBody: fakeMp4(10_000),
      headers: { "Content-Type": "video/mp4" },
    });
    expectStatus(upload, 402);
    expect(upload.body.error.details).toMatchObject({ quota: "storage", limit: 0, used: 0, requested: 10_000 });
    const session = await call("/api/v1/recordings/uploads", {
      token: t.accessToken,
      body: { display_name: "Lecture big", size: 6 * 1024 * 1024, content_type: "video/mp4", part_size: 5 * 1024 * 1024 },
    });
    expectStatus(session, 402);

    const preview = await dryRun(ctx, t.userId, rec!.id, { trigger: "manual" });
    expect(preview).toMatchObject({ willRun: false, refusal: 402, quota: { name: "storage", limit: 0 } });
    await expect(startRun(ctx, t.userId, rec!.id, { trigger: "manual" })).rejects.toMatchObject({ status: 402 });
    expect(await countRows("pipeline_runs", "recording_id = ?", rec!.id)).toBe(0);
  });

  it("keeps Zoom recordings that arrive over the monthly quota, uncounted and marked, and runs them once there is room", async () => {
    const { t, sourceId } = await zoomTenant("monthly");
    await setCustom(t.userId, "custom_max_recordings_per_month", 1);
    zoom.addMeetings(2, "2026-09");
    const synced = await sync(t, sourceId);
    expectStatus(synced, 200);
    expect(synced.body.created).toBe(2); // a sync never fails over quota
    const rows = await env.DB.prepare(
      "SELECT r.id, json_extract(m.metadata, '$.quota_exceeded.quota') AS over FROM recordings r JOIN source_metadata m ON m.recording_id = r.id WHERE r.user_id = ? ORDER BY r.id",
    )
      .bind(t.userId)
      .all<{ id: number; over: string | null }>();
    expect(rows.results.map((r) => r.over)).toEqual([null, "recordings_per_month"]);
    const blocked = rows.results[1]!.id;

    // A webhook for a third meeting answers 200 and is also kept, marked.
    const delivery = await deliver(sourceId, meetingEvent("recording.completed", { uuid: "monthly-webhook==", topic: "Lecture by webhook", files: [{ id: "wh-mp4", type: "MP4" }] }));
    expectStatus(delivery, 200);
    await waitFor(() => countRows("recordings", "user_id = ?", t.userId), (n) => n === 3);
    expect(await countRows("source_metadata", "user_id = ? AND json_extract(metadata, '$.quota_exceeded') IS NOT NULL", t.userId)).toBe(2);

    const refused = await call<{ error: { code: string; details: unknown } }>(`/api/v1/recordings/${blocked}/process`, { method: "POST", token: t.accessToken });
    expectStatus(refused, 429);
    expect(refused.body.error.details).toMatchObject({ quota: "recordings_per_month", limit: 1, used: 1 });

    await setCustom(t.userId, "custom_max_recordings_per_month", 2);
    const ctx = serviceContext(env);
    expect((await dryRun(ctx, t.userId, blocked, { trigger: "manual" })).willRun).toBe(true);
    await admitQuotaBlockedRecording(ctx, t.userId, blocked);
    await admitQuotaBlockedRecording(ctx, t.userId, blocked); // counted once
    expect(await countRows("source_metadata", "recording_id = ? AND json_extract(metadata, '$.quota_exceeded') IS NOT NULL", blocked)).toBe(0);
    const quota = await call<{ recordings: { used: number; limit: number } }>("/api/v1/users/me/quota", { token: t.accessToken });
    expect(quota.body.recordings).toEqual({ used: 2, limit: 2, available: 0 });
  });

  it("refuses a run that transcribes once this month's transcription minutes are used up (429)", async () => {
    const { t, sourceId } = await zoomTenant("minutes");
    await seedCredential(t.userId, "fireworks");
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { transcription: { enable_transcription: true } } });
    zoom.addDownloadableMeeting("minutes-429==", 2 * 1024 * 1024);
    expect((await sync(t, sourceId)).body.created).toBe(1);
    const rec = await env.DB.prepare("SELECT id FROM recordings WHERE user_id = ?").bind(t.userId).first<{ id: number }>();
    await setCustom(t.userId, "custom_max_transcription_minutes_per_month", 2);
    const ctx = serviceContext(env);
    await addMonthlyUsage(ctx, t.userId, "transcription_seconds", 90);
    expect((await dryRun(ctx, t.userId, rec!.id, { trigger: "manual" })).willRun).toBe(true);
    await addMonthlyUsage(ctx, t.userId, "transcription_seconds", 30);
    expect(await dryRun(ctx, t.userId, rec!.id, { trigger: "manual" })).toMatchObject({
      willRun: false,
      refusal: 429,
      quota: { name: "transcription_minutes_per_month", limit: 120, used: 120 },
    });
    // A run without transcription is not affected.
    expect((await dryRun(ctx, t.userId, rec!.id, { trigger: "manual", only: ["DOWNLOAD"] })).willRun).toBe(true);
    const quota = await call<{ transcription_minutes: unknown }>("/api/v1/users/me/quota", { token: t.accessToken });
    expect(quota.body.transcription_minutes).toEqual({ used: 2, limit: 2, available: 0 });
  });

  it("answers 401 without a token", async () => {
    expectStatus(await call("/api/v1/users/me/quota"), 401);
    expectStatus(await call("/api/v1/users/me/quota/history"), 401);
  });
});

describe("the roadmap's quick fixes (§8.9), explicitly", () => {
  it("has the composite indexes the tenant queries use", async () => {
    const indexes = (await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all<{ name: string }>()).results.map((r) => r.name);
    for (const name of [
      "recordings_user_status_idx",
      "recordings_user_visible_start_idx",
      "output_targets_user_status_idx",
      "processing_stages_user_status_idx",
      "pipeline_runs_one_active_uq",
      "output_presets_user_platform_idx",
      "automation_jobs_due_idx",
      "quota_usage_user_period_uq",
    ]) {
      expect(indexes, name).toContain(name);
    }
  });

  it("stores shared thumbnails once: a new user gets none copied, yet sees them", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]);
    await env.MEDIA.put("shared/thumbnails/lecture_default.png", png);
    const t = await createTenant("nodupthumbs");
    expect((await env.MEDIA.list({ prefix: `users/${t.userId}/thumbnails/` })).objects).toHaveLength(0);
    const list = await call<{ thumbnails: Array<{ name: string; is_template: boolean }> }>("/api/v1/thumbnails", { token: t.accessToken });
    expect(list.body.thumbnails).toContainEqual(expect.objectContaining({ name: "lecture_default.png", is_template: true }));
  });

  it("never reads or writes another tenant's output targets", async () => {
    const a = await createTenant("targets-a");
    const b = await createTenant("targets-b");
    const [recordingId] = await seedRecordings(a.userId, [{ displayName: "A's lecture", status: "UPLOADED" }]);
    const now = Date.now();
    await env.DB.prepare(
      "INSERT INTO output_targets (recording_id, user_id, target_type, status, target_meta, created_at, updated_at) VALUES (?, ?, 'YOUTUBE', 'FAILED', '{}', ?, ?)",
    )
      .bind(recordingId, a.userId, now, now)
      .run();
    expectStatus(await call(`/api/v1/recordings/${recordingId}`, { token: b.accessToken }), 404);
    expectStatus(await call(`/api/v1/recordings/${recordingId}/retry-upload`, { method: "POST", token: b.accessToken }), 404);
    const own = await call<{ outputs: unknown[] }>(`/api/v1/recordings/${recordingId}`, { token: a.accessToken });
    expect(own.body.outputs).toHaveLength(1);
  });
});
