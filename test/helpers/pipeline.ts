import { env } from "cloudflare:workers";
import { afterEach, beforeEach, expect } from "vitest";
import type { FakeZoom } from "../fakes/fake-zoom";
import { call } from "./api";
import { createTenant, type Tenant } from "./tenants";

export const MiB = 1024 * 1024;

/** User config for tests of the engine alone: later stages are switched off. */
export const ENGINE_ONLY_CONFIG = { transcription: { enable_transcription: false }, processing: { enable_processing: false } } as const;

export const sha256 = async (data: ArrayBuffer | Uint8Array) =>
  Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", data)), (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * A tenant with a matching template, a Zoom credential and source, and one synced Zoom recording
 * (INITIALIZED) whose video (and optional M4A) the fake serves.
 */
export async function setupZoomRecording(
  zoom: FakeZoom,
  label: string,
  size = 12 * MiB + 123,
  options: { audioSize?: number; templateProcessing?: Record<string, unknown> } = {},
): Promise<{ t: Tenant; recordingId: number; sourceId: number; bytes: Uint8Array }> {
  const t = await createTenant(label);
  await call("/api/v1/templates", {
    token: t.accessToken,
    body: { name: "Lectures", matching_rules: { keywords: ["lecture"] }, ...(options.templateProcessing ? { processing_config: options.templateProcessing } : {}) },
  });
  const credential = await call<{ id: number }>("/api/v1/credentials", {
    token: t.accessToken,
    body: { platform: "zoom", credentials: { account_id: zoom.accountId, client_id: zoom.clientId, client_secret: zoom.clientSecret } },
  });
  const source = await call<{ id: number }>("/api/v1/sources", { token: t.accessToken, body: { name: "Zoom", platform: "ZOOM", credential_id: credential.body.id } });
  const bytes = zoom.addDownloadableMeeting(`${label}-meeting==`, size, { audioSize: options.audioSize });
  // The blank threshold would skip a file of a few MiB; these lectures are "long enough" for the tests.
  // Transcription is off: these tests are about the engine and the download (transcription.test.ts covers the rest).
  await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { ...ENGINE_ONLY_CONFIG, download: { blank_min_size_mb: 1 } } });
  const synced = await call<{ created: number }>(`/api/v1/sources/${source.body.id}/sync?from_date=2026-09-01&to_date=2026-09-30`, { method: "POST", token: t.accessToken });
  expect(synced.body.created).toBe(1);
  const rec = await env.DB.prepare("SELECT id, status FROM recordings WHERE user_id = ?").bind(t.userId).first<{ id: number; status: string }>();
  expect(rec?.status).toBe("INITIALIZED");
  return { t, recordingId: rec!.id, sourceId: source.body.id, bytes };
}

export interface RecordingState {
  status: string;
  failed: number;
  failed_reason: string | null;
  failed_at_stage: string | null;
  source_object_key: string | null;
  audio_object_key: string | null;
  retry_count: number;
}

/** Polls the recording row until `done(status)` (the real queue runs in the background). */
export async function waitForStatus(recordingId: number, done: (status: string) => boolean): Promise<RecordingState> {
  const read = () =>
    env.DB.prepare("SELECT status, failed, failed_reason, failed_at_stage, source_object_key, audio_object_key, retry_count FROM recordings WHERE id = ?")
      .bind(recordingId)
      .first<RecordingState>();
  let row = await read();
  for (let i = 0; i < 400 && !done(row!.status); i++) {
    await new Promise((r) => setTimeout(r, 100));
    row = await read();
  }
  return row!;
}

/** Polls a run until it has ended (or `done` says so). */
export async function waitForRun(runId: string, done: (status: string) => boolean = (s) => ["COMPLETED", "FAILED", "CANCELLED"].includes(s)) {
  const read = () => env.DB.prepare("SELECT status, error, current_stage FROM pipeline_runs WHERE id = ?").bind(runId).first<{ status: string; error: string | null; current_stage: string | null }>();
  let row = await read();
  for (let i = 0; i < 400 && !done(row!.status); i++) {
    await new Promise((r) => setTimeout(r, 100));
    row = await read();
  }
  return row!;
}

const runIds = async () => new Set((await env.DB.prepare("SELECT id FROM pipeline_runs").all<{ id: string }>()).results.map((r) => r.id));
const ENDED = "status IN ('COMPLETED', 'FAILED', 'CANCELLED')";

/**
 * Lets every pipeline run a test started end before the next test begins (at most `capMs` in all).
 * Tests swap the global fetch for a new fake each time: a run left going would otherwise download or
 * publish through the next test's fake, spending its injected faults and writing to its logs.
 * Register after the hook that restores the fetch mock: vitest runs `afterEach` hooks last-first.
 */
export function endRunsWithinEachTest(capMs = 20_000): void {
  let before = new Set<string>();
  beforeEach(async () => {
    before = await runIds();
  });
  afterEach(async () => {
    const deadline = Date.now() + capMs;
    for (;;) {
      const { results } = await env.DB.prepare(`SELECT id FROM pipeline_runs WHERE NOT ${ENDED}`).all<{ id: string }>();
      const going = results.filter((r) => !before.has(r.id));
      if (going.length === 0 || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
}
