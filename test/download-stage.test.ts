import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import worker from "../src/index";
import { serviceContext } from "../src/services/context";
import { quotaUsage } from "../src/services/quotas/run-slots";
import { runStageStep } from "../src/services/pipeline/engine";
import { call, expectStatus } from "./helpers/api";
import { endRunsWithinEachTest, MiB, setupZoomRecording, sha256, waitForStatus } from "./helpers/pipeline";
import { countRows } from "./helpers/tenants";
import { FakeZoom } from "./fakes/fake-zoom";

let zoom: FakeZoom;
beforeEach(() => {
  zoom = new FakeZoom();
  vi.spyOn(globalThis, "fetch").mockImplementation(zoom.handle);
});
afterEach(() => vi.restoreAllMocks());
endRunsWithinEachTest();

const setup = (label: string, size?: number) => setupZoomRecording(zoom, label, size);

async function insertRunningDownload(userId: string, recordingId: number): Promise<string> {
  const runId = "01JDRUN0000000000000000000".slice(0, 20) + String(recordingId).padStart(6, "0");
  const now = Date.now();
  await env.DB.prepare("UPDATE recordings SET status = 'DOWNLOADING' WHERE id = ?").bind(recordingId).run();
  await env.DB.prepare(
    `INSERT INTO pipeline_runs (id, user_id, recording_id, status, trigger, stages, plan, current_stage, started_at, created_at, updated_at)
     VALUES (?, ?, ?, 'RUNNING', 'download', '["DOWNLOAD"]', '[]', 'DOWNLOAD', ?, ?, ?)`,
  )
    .bind(runId, userId, recordingId, now, now, now)
    .run();
  return runId;
}

describe("download stage", () => {
  it("streams the Zoom file into R2 in ranged, resumable chunks and verifies the copy", async () => {
    const { t, recordingId, bytes } = await setup("dlhappy");
    const started = await call<{ status: string; stages: Array<{ stage: string }> }>(`/api/v1/recordings/${recordingId}/download`, { method: "POST", token: t.accessToken });
    expectStatus(started, 202);
    expect(started.body.status).toBe("RUNNING");
    expect(started.body.stages.map((s) => s.stage)).toEqual(["DOWNLOAD"]);
    const row = await waitForStatus(recordingId, (s) => s !== "DOWNLOADING");
    expect(row).toMatchObject({ status: "DOWNLOADED", failed: 0 });
    const object = await env.MEDIA.get(row.source_object_key!);
    expect(object?.size).toBe(bytes.length);
    expect(await sha256(await object!.arrayBuffer())).toBe(await sha256(bytes));
    // One ranged GET per 5 MiB part; two parts per queue message.
    expect(zoom.downloadRanges).toEqual([`bytes=0-${5 * MiB - 1}`, `bytes=${5 * MiB}-${10 * MiB - 1}`, `bytes=${10 * MiB}-${bytes.length - 1}`]);
    const detail = await call<{ processing_stages: Array<{ stage_type: string; status: string; meta: { files: { video: { parts: unknown[] } } } }> }>(
      `/api/v1/recordings/${recordingId}`,
      { token: t.accessToken },
    );
    expect(detail.body.processing_stages).toEqual([expect.objectContaining({ stage_type: "DOWNLOAD", status: "COMPLETED" })]);
    expect(detail.body.processing_stages[0]?.meta.files.video.parts).toHaveLength(3);
    expect(detail.text).not.toContain("fake-download-token");
    expect(detail.text).not.toContain(`users/${t.userId}/`); // no storage keys in responses
    expectStatus(await call(`/api/v1/recordings/${recordingId}/download`, { method: "POST", token: t.accessToken }), 409);
  });

  it("survives 5xx, 429 + Retry-After, a connection drop mid-body and an expired token with a byte-identical copy", async () => {
    const { t, recordingId, bytes } = await setup("dlfaults");
    zoom.downloadFailures.push("500", "drop", "429", "401");
    expectStatus(await call(`/api/v1/recordings/${recordingId}/download`, { method: "POST", token: t.accessToken }), 202);
    const row = await waitForStatus(recordingId, (s) => s !== "DOWNLOADING");
    expect(row.status).toBe("DOWNLOADED");
    const object = await env.MEDIA.get(row.source_object_key!);
    expect(await sha256(await object!.arrayBuffer())).toBe(await sha256(bytes));
    const stage = await env.DB.prepare("SELECT attempts FROM processing_stages WHERE recording_id = ?").bind(recordingId).first<{ attempts: number }>();
    expect(stage?.attempts).toBe(4);
  });

  it.each(["wrong-size", "html"] as const)("fails clearly on %s: stage FAILED, recording flagged and back to INITIALIZED, no object", async (fault) => {
    const { t, recordingId } = await setup(`dl${fault.replace("-", "")}`);
    zoom.downloadFailures.push(fault);
    await call(`/api/v1/recordings/${recordingId}/download`, { method: "POST", token: t.accessToken });
    const row = await waitForStatus(recordingId, (s) => s !== "DOWNLOADING");
    expect(row).toMatchObject({ status: "INITIALIZED", failed: 1, failed_at_stage: "DOWNLOAD", source_object_key: null });
    expect(row.failed_reason).toMatch(fault === "html" ? /HTML/ : /Size mismatch/);
    expect((await env.MEDIA.list({ prefix: `users/${t.userId}/recordings/` })).objects).toHaveLength(0);
  });

  it("starts once for two simultaneous requests and runs each chunk once for duplicate deliveries", async () => {
    const { t, recordingId } = await setup("dlonce", 6 * MiB);
    const [a, b] = await Promise.all([
      call<{ task_id: string }>(`/api/v1/recordings/${recordingId}/download`, { method: "POST", token: t.accessToken }),
      call<{ task_id: string }>(`/api/v1/recordings/${recordingId}/download`, { method: "POST", token: t.accessToken }),
    ]);
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    const runId = (a.status === 202 ? a : b).body.task_id;
    // The same message handled twice at once (a redelivery racing the original): one claim wins.
    const ctx = serviceContext(env);
    const message = { userId: t.userId, recordingId, runId, stage: "DOWNLOAD" as const };
    await Promise.all([runStageStep(ctx, message), runStageStep(ctx, message)]);
    const row = await waitForStatus(recordingId, (s) => s !== "DOWNLOADING");
    expect(row.status).toBe("DOWNLOADED");
    expect(zoom.downloadRanges).toHaveLength(2); // 6 MiB = 2 parts = one message, each part fetched once
    expect(await countRows("processing_stages", "recording_id = ? AND status = 'COMPLETED'", recordingId)).toBe(1);
  });
});

describe("pause and resume", () => {
  it("stops after the chunk in flight and resumes from the persisted offset without refetching finished parts", async () => {
    const { t, recordingId, bytes } = await setup("dlpause", 22 * MiB);
    zoom.downloadDelayMs = 800;
    expectStatus(await call(`/api/v1/recordings/${recordingId}/download`, { method: "POST", token: t.accessToken }), 202);
    // Wait until the first chunk is being fetched, then pause.
    for (let i = 0; i < 200 && zoom.downloadRanges.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const paused = await call<{ status: string; pause_requested: boolean }>(`/api/v1/recordings/${recordingId}/pause`, { method: "POST", token: t.accessToken });
    expectStatus(paused, 200);
    expect(paused.body.pause_requested).toBe(true);
    expect(["RUNNING", "PAUSED"]).toContain(paused.body.status); // RUNNING while the chunk in flight finishes
    let stage = { status: "", meta: { files: { video: { offset: 0 } } } };
    for (let i = 0; i < 200 && stage.status !== "PAUSED"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const detail = await call<{ processing_stages: Array<typeof stage> }>(`/api/v1/recordings/${recordingId}`, { token: t.accessToken });
      stage = detail.body.processing_stages[0]!;
    }
    expect(stage.status).toBe("PAUSED");
    expect(stage.meta.files.video.offset).toBe(10 * MiB); // exactly one chunk (2 parts) was copied
    const run = await call<{ status: string; progress: number }>(`/api/v1/recordings/${recordingId}/runs`, { token: t.accessToken });
    expect(run.text).toContain('"status":"PAUSED"');
    await new Promise((r) => setTimeout(r, 1500));
    expect(zoom.downloadRanges).toHaveLength(2); // the message's two parts, nothing more while paused

    zoom.downloadDelayMs = 0;
    const resumed = await call<{ status: string }>(`/api/v1/recordings/${recordingId}/resume`, { method: "POST", token: t.accessToken });
    expectStatus(resumed, 200);
    expect(resumed.body.status).toBe("RUNNING");
    const row = await waitForStatus(recordingId, (s) => s !== "DOWNLOADING");
    expect(row.status).toBe("DOWNLOADED");
    expect(zoom.downloadRanges[2]).toBe(`bytes=${10 * MiB}-${15 * MiB - 1}`);
    const object = await env.MEDIA.get(row.source_object_key!);
    expect(await sha256(await object!.arrayBuffer())).toBe(await sha256(bytes));
    expectStatus(await call(`/api/v1/recordings/${recordingId}/resume`, { method: "POST", token: t.accessToken }), 409);
    expectStatus(await call(`/api/v1/recordings/${recordingId}/pause`, { method: "POST", token: t.accessToken }), 409);
  });
});

describe("nothing stays stuck", () => {
  it("the cron sweep reclaims a download whose consumer died (expired lease) and finishes it", async () => {
    const { t, recordingId, bytes } = await setup("dlsweep", 6 * MiB);
    // A consumer claimed the stage and was killed: IN_PROGRESS with a lease in the past, no message.
    const now = Date.now();
    const runId = await insertRunningDownload(t.userId, recordingId);
    await env.DB.prepare(
      `INSERT INTO processing_stages (recording_id, user_id, run_id, stage_type, status, stage_meta, lease_until, created_at, updated_at)
       VALUES (?, ?, ?, 'DOWNLOAD', 'IN_PROGRESS', '{"status_before":"INITIALIZED"}', ?, ?, ?)`,
    )
      .bind(recordingId, t.userId, runId, now - 1000, now - 60_000, now - 60_000)
      .run();
    const ctx = createExecutionContext();
    await worker.scheduled?.(createScheduledController({ cron: "*/5 * * * *", scheduledTime: new Date() }), env, ctx);
    await waitOnExecutionContext(ctx);
    const row = await waitForStatus(recordingId, (s) => s !== "DOWNLOADING");
    expect(row.status).toBe("DOWNLOADED");
    const object = await env.MEDIA.get(row.source_object_key!);
    expect(await sha256(await object!.arrayBuffer())).toBe(await sha256(bytes));
    expect(await countRows("pipeline_runs", "id = ? AND status = 'COMPLETED'", runId)).toBe(1);
  });

  it("the cron sweep starts a queued run whose wake-up was lost", async () => {
    const { t, recordingId, bytes } = await setup("dlqueued", 6 * MiB);
    const past = Date.now() - 5 * 60_000;
    const runId = "01JDQUEUED0000000000000001";
    await env.DB.prepare(
      `INSERT INTO pipeline_runs (id, user_id, recording_id, status, trigger, stages, plan, created_at, updated_at)
       VALUES (?, ?, ?, 'QUEUED', 'bulk', '["DOWNLOAD"]', '[]', ?, ?)`,
    )
      .bind(runId, t.userId, recordingId, past, past)
      .run();
    const ctx = createExecutionContext();
    await worker.scheduled?.(createScheduledController({ cron: "*/5 * * * *", scheduledTime: new Date() }), env, ctx);
    await waitOnExecutionContext(ctx);
    const row = await waitForStatus(recordingId, (s) => s === "DOWNLOADED");
    expect(await sha256(await (await env.MEDIA.get(row.source_object_key!))!.arrayBuffer())).toBe(await sha256(bytes));
    expect(await countRows("pipeline_runs", "id = ? AND status = 'COMPLETED'", runId)).toBe(1);
  });

  it("a dead-lettered download fails the stage and rolls the recording back instead of leaving it in progress", async () => {
    const { t, recordingId } = await setup("dldlq", 6 * MiB);
    const runId = await insertRunningDownload(t.userId, recordingId);
    await env.DB.prepare(
      `INSERT INTO processing_stages (recording_id, user_id, run_id, stage_type, status, stage_meta, created_at, updated_at)
       VALUES (?, ?, ?, 'DOWNLOAD', 'PENDING', '{"status_before":"INITIALIZED"}', ?, ?)`,
    )
      .bind(recordingId, t.userId, runId, Date.now(), Date.now())
      .run();
    const batch = createMessageBatch("lecture-pipeline-dlq", [
      { id: "dlq-download", timestamp: new Date(), attempts: 6, body: { type: "pipeline.stage", userId: t.userId, recordingId, runId, stage: "DOWNLOAD" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue?.(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["dlq-download"]);
    const row = await waitForStatus(recordingId, (s) => s !== "DOWNLOADING");
    expect(row).toMatchObject({ status: "INITIALIZED", failed: 1, failed_at_stage: "DOWNLOAD" });
    expect(await countRows("processing_stages", "recording_id = ? AND status = 'FAILED'", recordingId)).toBe(1);
    const run = await env.DB.prepare("SELECT status, error FROM pipeline_runs WHERE id = ?").bind(runId).first<{ status: string; error: string }>();
    expect(run).toMatchObject({ status: "FAILED", error: expect.stringMatching(/dead-lettered/) });
  });
});

describe("per-user concurrency and storage accounting", () => {
  it("runs as many downloads at once as the plan allows (free: 1); the next waits QUEUED and starts on its own", async () => {
    const { t, recordingId, bytes } = await setup("dlconcurrent", 6 * MiB);
    zoom.addDownloadableMeeting("dlconcurrent-second==", 5 * MiB + 7);
    await call(`/api/v1/sources/${(await env.DB.prepare("SELECT id FROM input_sources WHERE user_id = ?").bind(t.userId).first<{ id: number }>())!.id}/sync?from_date=2026-09-01&to_date=2026-09-30`, {
      method: "POST",
      token: t.accessToken,
    });
    const other = await env.DB.prepare("SELECT id FROM recordings WHERE user_id = ? AND id != ?").bind(t.userId, recordingId).first<{ id: number }>();
    zoom.downloadDelayMs = 1000;
    expectStatus(await call(`/api/v1/recordings/${recordingId}/download`, { method: "POST", token: t.accessToken }), 202);
    const waiting = await call<{ status: string; task_id: string }>(`/api/v1/recordings/${other!.id}/download`, { method: "POST", token: t.accessToken });
    expectStatus(waiting, 202);
    expect(waiting.body.status).toBe("QUEUED");
    expect(await countRows("recordings", "id = ? AND status = 'INITIALIZED'", other!.id)).toBe(1);
    expect((await quotaUsage(serviceContext(env), t.userId)).activeRuns).toBe(1);

    zoom.downloadDelayMs = 0;
    await waitForStatus(recordingId, (s) => s !== "DOWNLOADING");
    // The first run's end admits the queued one: no request needed.
    expect((await waitForStatus(other!.id, (s) => s === "DOWNLOADED")).status).toBe("DOWNLOADED");
    // The slot is released just after the status flips, so give the consumer a moment.
    let usage = await quotaUsage(serviceContext(env), t.userId);
    for (let i = 0; i < 20 && usage.activeRuns > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      usage = await quotaUsage(serviceContext(env), t.userId);
    }
    expect(usage).toEqual({ activeRuns: 0, storageBytes: bytes.length + 5 * MiB + 7 });
  });

  it("serializes 200 simultaneous reservations: exactly the limit are admitted", async () => {
    const stub = env.USER_QUOTA.get(env.USER_QUOTA.idFromName("quota-race-user"));
    const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => stub.acquireSlot(`run-${i}`, 20)));
    expect(decisions.filter((d) => d.granted)).toHaveLength(20);
    // Arrival order is not call order: ask again with whichever run actually got a slot.
    const holder = `run-${decisions.findIndex((d) => d.granted)}`;
    const refused = `run-${decisions.findIndex((d) => !d.granted)}`;
    expect((await stub.acquireSlot(holder, 20)).granted).toBe(true); // a holder asking again keeps its slot
    expect((await stub.acquireSlot(refused, 20)).granted).toBe(false);
    expect(await stub.releaseSlot(holder)).toBe(19);
  });
});
