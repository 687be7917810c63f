import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import worker from "../src/index";
import { serviceContext } from "../src/services/context";
import { quotaUsage } from "../src/services/quotas/run-slots";
import { call, expectStatus } from "./helpers/api";
import { fakeMp4 } from "./helpers/fixtures";
import { endRunsWithinEachTest, ENGINE_ONLY_CONFIG, MiB, setupZoomRecording, sha256, waitForRun, waitForStatus } from "./helpers/pipeline";
import { countRows, createTenant, expectTenantIsolation } from "./helpers/tenants";
import { deliver, meetingEvent, WEBHOOK_SECRET } from "./helpers/zoom-webhooks";
import { FakeZoom } from "./fakes/fake-zoom";

let zoom: FakeZoom;
beforeEach(() => {
  zoom = new FakeZoom();
  vi.spyOn(globalThis, "fetch").mockImplementation(zoom.handle);
});
afterEach(() => vi.restoreAllMocks());
endRunsWithinEachTest();

interface Step {
  stage: string;
  name: string;
  enabled: boolean;
  skip_reason?: string;
}
interface Run {
  task_id: string;
  status: string;
  state: string;
  progress: number;
  trigger: string;
  error: string | null;
  stages: Array<{ stage: string; status: string; attempts: number; duration_ms: number | null; progress: number | null }>;
  plan: Step[];
}

const post = <T = Run>(path: string, token: string, body?: unknown) => call<T>(path, { method: "POST", token, body });

describe("process: plan, dry run and a whole run", () => {
  it("dry-runs without storing anything, then runs the planned stages to COMPLETED with per-stage timing", async () => {
    const { t, recordingId, bytes } = await setupZoomRecording(zoom, "runhappy", 6 * MiB);
    const dry = await post<{ will_run: boolean; steps: Step[] }>(`/api/v1/recordings/${recordingId}/process?dry_run=true`, t.accessToken, {
      processing_config: { enable_processing: false },
    });
    expectStatus(dry, 200);
    expect(dry.body.will_run).toBe(true);
    expect(dry.body.steps.map((s) => s.name)).toEqual(["download", "transcribe", "trim", "topics", "subtitles", "upload"]);
    expect(dry.body.steps[0]).toMatchObject({ stage: "DOWNLOAD", enabled: true });
    expect(dry.body.steps[2]?.skip_reason).toMatch(/enable_processing is false/); // the request override applies
    expect(dry.body.steps[5]?.skip_reason).toBe("auto_upload is false");
    expect(await countRows("pipeline_runs", "recording_id = ?", recordingId)).toBe(0);
    expect(zoom.downloadRanges).toHaveLength(0);

    const started = await post(`/api/v1/recordings/${recordingId}/process`, t.accessToken);
    expectStatus(started, 202);
    expect(started.body).toMatchObject({ status: "RUNNING", state: "PROCESSING", trigger: "manual" });
    expect(started.body.stages.map((s) => s.stage)).toEqual(["DOWNLOAD"]);
    const ended = await waitForRun(started.body.task_id);
    expect(ended.status).toBe("COMPLETED");

    const task = await call<Run>(`/api/v1/tasks/${started.body.task_id}`, { token: t.accessToken });
    expectStatus(task, 200);
    expect(task.body).toMatchObject({ status: "COMPLETED", state: "SUCCESS", progress: 100, error: null });
    expect(task.body.stages[0]).toMatchObject({ stage: "DOWNLOAD", status: "COMPLETED", attempts: 0, progress: 100 });
    expect(task.body.stages[0]?.duration_ms).toBeGreaterThanOrEqual(0);
    const row = await waitForStatus(recordingId, (s) => s === "DOWNLOADED");
    expect(await sha256(await (await env.MEDIA.get(row.source_object_key!))!.arrayBuffer())).toBe(await sha256(bytes));

    const detail = await call<{ latest_run: Run }>(`/api/v1/recordings/${recordingId}`, { token: t.accessToken });
    expect(detail.body.latest_run).toMatchObject({ task_id: started.body.task_id, status: "COMPLETED" });
    // Downloaded, and no later stage is available: nothing to run, said plainly.
    const again = await post<{ error: { message: string; details: { steps: Step[] } } }>(`/api/v1/recordings/${recordingId}/process`, t.accessToken);
    expectStatus(again, 409);
    expect(again.body.error.message).toMatch(/Nothing to run/);
    expect(again.body.error.details.steps[0]?.skip_reason).toBe("Already downloaded");
  });

  it("gives one run for two simultaneous process calls, and refuses what cannot run with a clear 4xx", async () => {
    const { t, recordingId } = await setupZoomRecording(zoom, "runonce", 6 * MiB);
    const [a, b] = await Promise.all([post(`/api/v1/recordings/${recordingId}/process`, t.accessToken), post(`/api/v1/recordings/${recordingId}/process`, t.accessToken)]);
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    expect(await countRows("pipeline_runs", "recording_id = ?", recordingId)).toBe(1);
    await waitForRun((a.status === 202 ? a : b).body.task_id);
    expect(zoom.downloadRanges).toHaveLength(2); // two parts, each fetched once

    expectStatus(await post(`/api/v1/recordings/${recordingId}/process`, t.accessToken, { unknown: true }), 400);
    expectStatus(await post(`/api/v1/recordings/999999/process`, t.accessToken), 404);
    expectStatus(await call(`/api/v1/tasks/not-a-task`, { token: t.accessToken }), 400);
    expectStatus(await call(`/api/v1/tasks/01JDZZZZZZZZZZZZZZZZZZZZZZ`, { token: t.accessToken }), 404);
    // SKIPPED (no template matched) needs allow_skipped; a blank record never runs.
    await env.DB.prepare("UPDATE recordings SET status = 'SKIPPED', source_object_key = NULL WHERE id = ?").bind(recordingId).run();
    const skipped = await post<{ error: { message: string } }>(`/api/v1/recordings/${recordingId}/process`, t.accessToken);
    expectStatus(skipped, 409);
    expect(skipped.body.error.message).toMatch(/allow_skipped/);
    const dry = await post<{ will_run: boolean }>(`/api/v1/recordings/${recordingId}/process?dry_run=true&allow_skipped=true`, t.accessToken);
    expect(dry.body.will_run).toBe(true);
    await env.DB.prepare("UPDATE recordings SET blank_record = 1 WHERE id = ?").bind(recordingId).run();
    const blank = await post<{ error: { message: string } }>(`/api/v1/recordings/${recordingId}/process?allow_skipped=true`, t.accessToken);
    expectStatus(blank, 409);
    expect(blank.body.error.message).toMatch(/Blank record/);
    expect(await countRows("pipeline_runs", "recording_id = ?", recordingId)).toBe(1);
  });

  it("keeps runs and tasks tenant-scoped: another tenant gets 404 for every id", async () => {
    const { t: a, recordingId } = await setupZoomRecording(zoom, "runtenant", 6 * MiB);
    const b = await createTenant("runtenant-b");
    const started = await post(`/api/v1/recordings/${recordingId}/process`, a.accessToken);
    const tenants = { a, b };
    await expectTenantIsolation({ path: `/api/v1/tasks/${started.body.task_id}` }, tenants, 200);
    await expectTenantIsolation({ path: `/api/v1/recordings/${recordingId}/runs` }, tenants, 200);
    await expectTenantIsolation({ path: `/api/v1/recordings/${recordingId}/process?dry_run=true`, method: "POST" }, tenants);
    for (const action of ["pause", "resume", "cancel", "retry", "reset", "download"]) {
      expectStatus(await post(`/api/v1/recordings/${recordingId}/${action}`, b.accessToken), 404);
    }
    expectStatus(await call(`/api/v1/tasks/${started.body.task_id}`, { method: "DELETE", token: b.accessToken }), 404);
    await waitForRun(started.body.task_id);
    expect(await countRows("pipeline_runs", "recording_id = ? AND status = 'COMPLETED'", recordingId)).toBe(1);
  });
});

describe("queue handler, driven directly", () => {
  it("acks a batch holding the same stage message twice and runs the chunk once", async () => {
    const { t, recordingId } = await setupZoomRecording(zoom, "rundirect", 6 * MiB);
    const now = Date.now();
    const runId = "01JDDIRECT0000000000000001";
    await env.DB.prepare(
      `INSERT INTO pipeline_runs (id, user_id, recording_id, status, trigger, stages, plan, current_stage, started_at, created_at, updated_at)
       VALUES (?, ?, ?, 'RUNNING', 'manual', '["DOWNLOAD"]', '[]', 'DOWNLOAD', ?, ?, ?)`,
    )
      .bind(runId, t.userId, recordingId, now, now, now)
      .run();
    await env.DB.prepare("UPDATE recordings SET status = 'DOWNLOADING' WHERE id = ?").bind(recordingId).run();
    await env.DB.prepare(
      `INSERT INTO processing_stages (recording_id, user_id, run_id, stage_type, status, stage_meta, created_at, updated_at)
       VALUES (?, ?, ?, 'DOWNLOAD', 'PENDING', '{"status_before":"INITIALIZED"}', ?, ?)`,
    )
      .bind(recordingId, t.userId, runId, now, now)
      .run();
    const body = { type: "pipeline.stage", userId: t.userId, recordingId, runId, stage: "DOWNLOAD" };
    const batch = createMessageBatch("lecture-pipeline", [
      { id: "first", timestamp: new Date(), attempts: 1, body },
      { id: "redelivered", timestamp: new Date(), attempts: 1, body },
      { id: "stale-run", timestamp: new Date(), attempts: 1, body: { ...body, runId: "01JDSTALE00000000000000000" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue?.(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["first", "redelivered", "stale-run"]);
    expect(result.retryMessages).toEqual([]);
    expect(zoom.downloadRanges).toHaveLength(2); // two parts, each fetched once
    expect((await waitForRun(runId)).status).toBe("COMPLETED");
    expect(await countRows("recordings", "id = ? AND status = 'DOWNLOADED'", recordingId)).toBe(1);
  });
});

describe("control: cancel, retry, reset", () => {
  it("cancels a multi-chunk download: partial parts discarded, recording back to INITIALIZED, not failed", async () => {
    const { t, recordingId } = await setupZoomRecording(zoom, "runcancel", 22 * MiB);
    zoom.downloadDelayMs = 600;
    const started = await post(`/api/v1/recordings/${recordingId}/process`, t.accessToken);
    for (let i = 0; i < 200 && zoom.downloadRanges.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const cancelled = await call<Run>(`/api/v1/tasks/${started.body.task_id}`, { method: "DELETE", token: t.accessToken });
    expectStatus(cancelled, 200);
    const ended = await waitForRun(started.body.task_id);
    expect(ended.status).toBe("CANCELLED");
    const row = await waitForStatus(recordingId, (s) => s === "INITIALIZED");
    expect(row).toMatchObject({ status: "INITIALIZED", failed: 0, source_object_key: null });
    expect(await countRows("processing_stages", "recording_id = ? AND status = 'CANCELLED'", recordingId)).toBe(1);
    expect((await env.MEDIA.list({ prefix: `users/${t.userId}/recordings/` })).objects).toHaveLength(0);
    expect((await quotaUsage(serviceContext(env), t.userId)).activeRuns).toBe(0);
    expectStatus(await call(`/api/v1/tasks/${started.body.task_id}`, { method: "DELETE", token: t.accessToken }), 409);
    expectStatus(await post(`/api/v1/recordings/${recordingId}/cancel`, t.accessToken), 409);
    // A new run starts cleanly afterwards.
    zoom.downloadDelayMs = 0;
    const next = await post(`/api/v1/recordings/${recordingId}/process`, t.accessToken);
    expectStatus(next, 202);
    expect((await waitForRun(next.body.task_id)).status).toBe("COMPLETED");
  });

  it("retries a failed run from the failed stage, with the reason kept on the failed run", async () => {
    const { t, recordingId, bytes } = await setupZoomRecording(zoom, "runretry", 6 * MiB);
    expectStatus(await post(`/api/v1/recordings/${recordingId}/retry`, t.accessToken), 409); // nothing failed yet
    zoom.downloadFailures.push("html");
    const first = await post(`/api/v1/recordings/${recordingId}/process`, t.accessToken);
    const failed = await waitForRun(first.body.task_id);
    expect(failed).toMatchObject({ status: "FAILED", current_stage: "DOWNLOAD" });
    expect(failed.error).toMatch(/^download: .*HTML/);
    const task = await call<Run>(`/api/v1/tasks/${first.body.task_id}`, { token: t.accessToken });
    expect(task.body).toMatchObject({ state: "FAILURE" });
    expect(task.body.stages[0]).toMatchObject({ status: "FAILED" });

    const retried = await post(`/api/v1/recordings/${recordingId}/retry`, t.accessToken);
    expectStatus(retried, 202);
    expect(retried.body.trigger).toBe("retry");
    expect((await waitForRun(retried.body.task_id)).status).toBe("COMPLETED");
    const row = await waitForStatus(recordingId, (s) => s === "DOWNLOADED");
    expect(row).toMatchObject({ failed: 0, failed_reason: null, retry_count: 1 });
    expect(await sha256(await (await env.MEDIA.get(row.source_object_key!))!.arrayBuffer())).toBe(await sha256(bytes));
    const runs = await call<{ items: Run[] }>(`/api/v1/recordings/${recordingId}/runs`, { token: t.accessToken });
    expect(runs.body.items.map((r) => r.status)).toEqual(["COMPLETED", "FAILED"]);
    // The retry took over the DOWNLOAD row; the failed run still says where it failed.
    expect(runs.body.items[1]?.stages[0]).toMatchObject({ stage: "DOWNLOAD", status: "FAILED" });
  });

  it("resets a downloaded Zoom recording (source deleted, it can be fetched again) but keeps a direct upload's only copy", async () => {
    const { t, recordingId } = await setupZoomRecording(zoom, "runreset", 6 * MiB);
    const run = await post(`/api/v1/recordings/${recordingId}/process`, t.accessToken);
    await waitForRun(run.body.task_id);
    expect((await quotaUsage(serviceContext(env), t.userId)).storageBytes).toBe(6 * MiB);
    const reset = await post<{ status: string; deleted_files: string[]; preserved: { is_mapped: boolean; source_file: boolean } }>(
      `/api/v1/recordings/${recordingId}/reset`,
      t.accessToken,
    );
    expectStatus(reset, 200);
    expect(reset.body).toMatchObject({ status: "INITIALIZED", deleted_files: ["source.mp4"], preserved: { is_mapped: true, source_file: false } });
    expect(await countRows("processing_stages", "recording_id = ?", recordingId)).toBe(0);
    // The stage rows went with the reset; the completed run still reads as completed, stage by stage.
    const history = await call<{ items: Run[] }>(`/api/v1/recordings/${recordingId}/runs`, { token: t.accessToken });
    expect(history.body.items[0]).toMatchObject({ status: "COMPLETED", progress: 100 });
    expect(history.body.items[0]?.stages.map((s) => s.status)).toEqual(["COMPLETED"]);
    expect((await quotaUsage(serviceContext(env), t.userId)).storageBytes).toBe(0);
    expect((await env.MEDIA.list({ prefix: `users/${t.userId}/recordings/${recordingId}/` })).objects).toHaveLength(0);

    const upload = await call<{ id: number }>("/api/v1/recordings?display_name=Uploaded%20lecture", {
      method: "POST",
      token: t.accessToken,
      rawBody: fakeMp4(50_000),
      headers: { "Content-Type": "video/mp4" },
    });
    const kept = await post<{ status: string; preserved: { source_file: boolean } }>(`/api/v1/recordings/${upload.body.id}/reset?delete_files=true`, t.accessToken);
    expect(kept.body).toMatchObject({ status: "DOWNLOADED", preserved: { source_file: true } });
    expect(await env.MEDIA.head(`users/${t.userId}/recordings/${upload.body.id}/source.mp4`)).not.toBeNull();

    zoom.downloadDelayMs = 1000;
    const active = await post(`/api/v1/recordings/${recordingId}/process`, t.accessToken);
    expectStatus(await post(`/api/v1/recordings/${recordingId}/reset`, t.accessToken), 409); // active run: cancel first
    // Deleting the recording cancels its run.
    expectStatus(await call(`/api/v1/recordings/${recordingId}`, { method: "DELETE", token: t.accessToken }), 200);
    expect(await waitForRun(active.body.task_id)).toMatchObject({ status: "CANCELLED" });
  });
});

describe("bulk process", () => {
  it("dry-runs by filters, then starts one run per recording: one RUNNING, the rest QUEUED until a slot frees", async () => {
    const { t, recordingId, sourceId } = await setupZoomRecording(zoom, "runbulk", 6 * MiB);
    zoom.addDownloadableMeeting("runbulk-second==", 5 * MiB + 3);
    await post(`/api/v1/sources/${sourceId}/sync?from_date=2026-09-01&to_date=2026-09-30`, t.accessToken);
    const ids = (await env.DB.prepare("SELECT id FROM recordings WHERE user_id = ? ORDER BY id").bind(t.userId).all<{ id: number }>()).results.map((r) => r.id);
    expect(ids).toHaveLength(2);

    const dry = await post<{ matched_count: number; recordings: Array<{ will_be_processed: boolean; steps?: string[] }> }>(
      "/api/v1/recordings/bulk/process?dry_run=true",
      t.accessToken,
      { filters: { status: ["INITIALIZED"] } },
    );
    expectStatus(dry, 200);
    expect(dry.body.matched_count).toBe(2);
    expect(dry.body.recordings[0]?.steps).toEqual(["DOWNLOAD"]);
    expect(await countRows("pipeline_runs", "user_id = ?", t.userId)).toBe(0);
    expectStatus(await post("/api/v1/recordings/bulk/process", t.accessToken, { recording_ids: ids, filters: {} }), 400);

    zoom.downloadDelayMs = 300;
    const bulk = await post<{ succeeded_count: number; error_count: number; details: Array<{ recording_id: number; status: string; task_id?: string; run_status?: string }> }>(
      "/api/v1/recordings/bulk/process",
      t.accessToken,
      { recording_ids: [...ids, 987654] },
    );
    expectStatus(bulk, 202);
    expect(bulk.body).toMatchObject({ succeeded_count: 2, error_count: 1 });
    expect(bulk.body.details.filter((d) => d.task_id).map((d) => d.run_status).sort()).toEqual(["QUEUED", "RUNNING"]);
    zoom.downloadDelayMs = 0;
    for (const d of bulk.body.details.filter((x) => x.task_id)) expect((await waitForRun(d.task_id!)).status).toBe("COMPLETED");
    expect(await countRows("recordings", "user_id = ? AND status = 'DOWNLOADED'", t.userId)).toBe(2);
    expect(recordingId).toBe(ids[0]);
  });
});

describe("M4A audio and webhook auto-start", () => {
  it("copies Zoom's M4A next to the video, byte-identical and counted in the stored bytes", async () => {
    const { t, recordingId } = await setupZoomRecording(zoom, "runaudio", 6 * MiB, { audioSize: 3 * MiB + 11 });
    const audio = zoom.contents.get("runaudio-meeting==-m4a")!;
    const run = await post(`/api/v1/recordings/${recordingId}/process`, t.accessToken);
    expect((await waitForRun(run.body.task_id)).status).toBe("COMPLETED");
    const row = await waitForStatus(recordingId, (s) => s === "DOWNLOADED");
    expect(row.audio_object_key).toMatch(/audio\.m4a$/);
    expect(await sha256(await (await env.MEDIA.get(row.audio_object_key!))!.arrayBuffer())).toBe(await sha256(audio));
    expect((await quotaUsage(serviceContext(env), t.userId)).storageBytes).toBe(6 * MiB + 3 * MiB + 11);
  });

  it("leaves a broken M4A out (the audio can be cut from the video) without failing the run", async () => {
    const other = await setupZoomRecording(zoom, "runbadaudio", 6 * MiB, { audioSize: 2 * MiB });
    zoom.downloadFailures.push("none", "none", "html"); // the video's two parts pass, the audio gets an HTML page
    const second = await post(`/api/v1/recordings/${other.recordingId}/process`, other.t.accessToken);
    expect((await waitForRun(second.body.task_id)).status).toBe("COMPLETED");
    const state = await waitForStatus(other.recordingId, (s) => s === "DOWNLOADED");
    expect(state).toMatchObject({ audio_object_key: null, failed: 0 });
    const detail = await call<{ processing_stages: Array<{ meta: { files: { audio: { skipped: string } } } }> }>(`/api/v1/recordings/${other.recordingId}`, {
      token: other.t.accessToken,
    });
    expect(detail.body.processing_stages[0]?.meta.files.audio.skipped).toMatch(/HTML/);
  });

  it("starts a run by itself when a webhook brings a recording whose template sets download.auto_download", async () => {
    const t = await createTenant("runwebhook");
    await call("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "Auto", matching_rules: { keywords: ["lecture"] }, processing_config: { download: { auto_download: true } } },
    });
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { ...ENGINE_ONLY_CONFIG, download: { blank_min_size_mb: 1 } } });
    const credential = await call<{ id: number }>("/api/v1/credentials", {
      token: t.accessToken,
      body: { platform: "zoom", credentials: { account_id: zoom.accountId, client_id: zoom.clientId, client_secret: zoom.clientSecret, webhook_secret_token: WEBHOOK_SECRET } },
    });
    const source = await call<{ id: number }>("/api/v1/sources", { token: t.accessToken, body: { name: "Zoom", platform: "ZOOM", credential_id: credential.body.id } });
    const bytes = zoom.addDownloadableMeeting("runwebhook==", 6 * MiB);
    const event = meetingEvent("recording.completed", { uuid: "runwebhook==", topic: "Lecture by webhook", files: [{ id: "runwebhook==-mp4", type: "MP4", size: bytes.length }] });
    event.payload.object.recording_files[0]!.download_url = "https://zoom.fake/rec/download/runwebhook==-mp4";
    zoom.downloadTokens.add(event.download_token);
    expectStatus(await deliver(source.body.id, event), 200);

    let runId: string | undefined;
    for (let i = 0; i < 200 && !runId; i++) {
      await new Promise((r) => setTimeout(r, 100));
      runId = (await env.DB.prepare("SELECT id FROM pipeline_runs WHERE user_id = ? AND trigger = 'webhook'").bind(t.userId).first<{ id: string }>())?.id;
    }
    expect(runId).toBeDefined();
    expect((await waitForRun(runId!)).status).toBe("COMPLETED");
    const row = await env.DB.prepare("SELECT id FROM recordings WHERE user_id = ?").bind(t.userId).first<{ id: number }>();
    const state = await waitForStatus(row!.id, (s) => s === "DOWNLOADED");
    expect(await sha256(await (await env.MEDIA.get(state.source_object_key!))!.arrayBuffer())).toBe(await sha256(bytes));
  });
});

describe("generic URL source", () => {
  interface Served {
    bytes: Uint8Array;
    ranges: boolean;
    contentType?: string;
    status?: number;
  }
  /** A plain https file server (media.example): Range → 206 when `ranges`, else the whole file with 200. */
  function serveMedia(files: Record<string, Served>) {
    const requests: string[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      if (url.hostname !== "media.example") return zoom.handle(input, init);
      requests.push(`${url.pathname} ${request.headers.get("Range") ?? ""}`);
      expect(request.headers.get("Authorization")).toBeNull();
      const file = files[url.pathname];
      if (!file) return new Response("no such file", { status: 404 });
      if (file.status) return new Response("<html>denied</html>", { status: file.status, headers: { "content-type": "text/html" } });
      const type = { "content-type": file.contentType ?? "video/mp4" };
      const range = /bytes=(\d+)-(\d*)/.exec(request.headers.get("Range") ?? "");
      if (!file.ranges || !range) return new Response(file.bytes, { status: 200, headers: { ...type, "content-length": String(file.bytes.length) } });
      const start = Number(range[1]);
      const end = Math.min(Number(range[2] || file.bytes.length - 1), file.bytes.length - 1);
      return new Response(file.bytes.slice(start, end + 1), {
        status: 206,
        headers: { ...type, "content-range": `bytes ${start}-${end}/${file.bytes.length}`, "content-length": String(end - start + 1) },
      });
    });
    return requests;
  }
  const mp4 = (size: number) => {
    const bytes = fakeMp4(size, 3);
    for (let i = 64; i < size; i += 4093) bytes[i] = i & 0xff;
    return bytes;
  };

  it("imports https URLs and copies them with ranges, or whole when the server ignores Range, byte-identical", async () => {
    const t = await createTenant("urlimport");
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: ENGINE_ONLY_CONFIG });
    await call("/api/v1/templates", { token: t.accessToken, body: { name: "Lectures", matching_rules: { keywords: ["lecture"] } } });
    const big = mp4(12 * MiB + 5);
    const small = mp4(3 * MiB);
    const requests = serveMedia({ "/big.mp4": { bytes: big, ranges: true }, "/plain.mp4": { bytes: small, ranges: false } });

    const created = await post<{ id: number; status: string; source: { type: string } }>("/api/v1/recordings/import", t.accessToken, {
      url: "https://media.example/big.mp4",
      display_name: "Lecture 7: graphs",
      start_time: "2026-10-01T09:00:00Z",
    });
    expectStatus(created, 201);
    expect(created.body.status).toBe("INITIALIZED");
    const run = await post(`/api/v1/recordings/${created.body.id}/process`, t.accessToken);
    expectStatus(run, 202);
    expect((await waitForRun(run.body.task_id)).status).toBe("COMPLETED");
    const row = await waitForStatus(created.body.id, (s) => s === "DOWNLOADED");
    expect(await sha256(await (await env.MEDIA.get(row.source_object_key!))!.arrayBuffer())).toBe(await sha256(big));
    expect(requests.filter((r) => r.startsWith("/big.mp4"))).toEqual([`/big.mp4 bytes=0-${5 * MiB - 1}`, `/big.mp4 bytes=${5 * MiB}-${10 * MiB - 1}`, `/big.mp4 bytes=${10 * MiB}-${12 * MiB + 4}`]);

    const plain = await post<{ id: number }>("/api/v1/recordings/import", t.accessToken, { url: "https://media.example/plain.mp4", display_name: "Lecture 8" });
    const second = await post(`/api/v1/recordings/${plain.body.id}/process`, t.accessToken);
    expect((await waitForRun(second.body.task_id)).status).toBe("COMPLETED");
    const plainRow = await waitForStatus(plain.body.id, (s) => s === "DOWNLOADED");
    expect(await sha256(await (await env.MEDIA.get(plainRow.source_object_key!))!.arrayBuffer())).toBe(await sha256(small));
    expect((await quotaUsage(serviceContext(env), t.userId)).storageBytes).toBe(big.length + small.length);

    // Reset may drop the copy: the URL can be fetched again.
    const reset = await post<{ status: string; preserved: { source_file: boolean } }>(`/api/v1/recordings/${plain.body.id}/reset`, t.accessToken);
    expect(reset.body).toMatchObject({ status: "INITIALIZED", preserved: { source_file: false } });
  });

  it("refuses bad URLs with 400 and duplicates with 409; a page that is not a recording fails the run clearly", async () => {
    const t = await createTenant("urlbad");
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: ENGINE_ONLY_CONFIG });
    await call("/api/v1/templates", { token: t.accessToken, body: { name: "Lectures", matching_rules: { keywords: ["lecture"] } } });
    serveMedia({
      "/page": { bytes: new TextEncoder().encode("x".repeat(5000)), ranges: true, contentType: "application/octet-stream" },
      "/private.mp4": { bytes: mp4(1000), ranges: true, status: 403 },
    });
    for (const url of ["http://media.example/a.mp4", "https://localhost/a.mp4", "https://10.1.2.3/a.mp4", "https://user:pw@media.example/a.mp4", "not a url"]) {
      expectStatus(await post("/api/v1/recordings/import", t.accessToken, { url, display_name: "Lecture" }), 400);
    }
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(0);
    const page = await post<{ id: number }>("/api/v1/recordings/import", t.accessToken, { url: "https://media.example/page", display_name: "Lecture page" });
    expectStatus(page, 201);
    expectStatus(await post("/api/v1/recordings/import", t.accessToken, { url: "https://media.example/page", display_name: "Again" }), 409);
    const run = await post(`/api/v1/recordings/${page.body.id}/process`, t.accessToken);
    const failed = await waitForRun(run.body.task_id);
    expect(failed).toMatchObject({ status: "FAILED" });
    expect(failed.error).toMatch(/not an MP4, M4A, MOV or WebM/);
    expect(await waitForStatus(page.body.id, (s) => s === "INITIALIZED")).toMatchObject({ failed: 1, failed_at_stage: "DOWNLOAD" });

    const denied = await post<{ id: number }>("/api/v1/recordings/import", t.accessToken, { url: "https://media.example/private.mp4", display_name: "Lecture private" });
    const refused = await post(`/api/v1/recordings/${denied.body.id}/process`, t.accessToken);
    expect((await waitForRun(refused.body.task_id)).error).toMatch(/refused access to the URL \(403\)/);
    expect((await env.MEDIA.list({ prefix: `users/${t.userId}/` })).objects).toHaveLength(0);
  });
});
