import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { serviceContext } from "../src/services/context";
import { autoStartRun } from "../src/services/pipeline/auto-start";
import { call, expectStatus } from "./helpers/api";
import { endRunsWithinEachTest, ENGINE_ONLY_CONFIG, MiB, sha256, waitForRun, waitForStatus } from "./helpers/pipeline";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";
import { deliver, WEBHOOK_SECRET } from "./helpers/zoom-webhooks";
import { FakeZoom, type FakeFile } from "./fakes/fake-zoom";

/**
 * Issue 14, defects 6–8 (Zoom ingestion): blank thresholds from the resolved config with a stated
 * skip reason; auto-download that starts exactly once whichever of sync and webhook comes first;
 * downloads that always pair a URL with the token issued for it.
 */
let zoom: FakeZoom;
beforeEach(() => {
  zoom = new FakeZoom();
  vi.spyOn(globalThis, "fetch").mockImplementation(zoom.handle);
});
afterEach(() => vi.restoreAllMocks());
endRunsWithinEachTest();

interface SyncRecording {
  meeting_uuid: string;
  recording_id: number | null;
  decision: "accepted" | "skipped";
  status: string | null;
  skip_reason: string | null;
}
interface SyncAnswer {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  decisions: { accepted: number; skipped: number };
  recordings: SyncRecording[];
  recordings_truncated: boolean;
}
interface RecordingBody {
  id: number;
  status: string;
  blank_record: boolean;
  skip_reason: string | null;
}

/** A tenant with a Zoom credential (S2S + webhook secret) and source, and an optional "lecture" template. */
async function zoomTenant(
  label: string,
  template: { processing_config?: Record<string, unknown> } | null = {},
  userDownload: Record<string, unknown> | null = null,
): Promise<{ t: Tenant; sourceId: number }> {
  const t = await createTenant(label);
  if (template) {
    const created = await call("/api/v1/templates", { token: t.accessToken, body: { name: "Lectures", matching_rules: { keywords: ["lecture"] }, ...template } });
    expectStatus(created, 201);
  }
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
  const config = userDownload ? { ...ENGINE_ONLY_CONFIG, download: userDownload } : ENGINE_ONLY_CONFIG;
  expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: config }), 200);
  return { t, sourceId: source.body.id };
}

function addMeeting(uuid: string, topic: string, minutes: number, bytes: number): void {
  const files: FakeFile[] = [{ id: `${uuid}-mp4`, file_type: "MP4", file_size: bytes, recording_type: "shared_screen_with_speaker_view", status: "completed" }];
  zoom.meetings.push({ uuid, topic, start_time: "2026-09-15T10:00:00Z", duration: minutes, recording_files: files });
}

const sync = (t: Tenant, sourceId: number) =>
  call<SyncAnswer>(`/api/v1/sources/${sourceId}/sync?from_date=2026-09-01&to_date=2026-09-30`, { method: "POST", token: t.accessToken });

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, tries = 150): Promise<T> {
  let value = await probe();
  for (let i = 0; i < tries && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

const recordingIdOf = async (userId: string, uuid: string) =>
  (
    await env.DB.prepare("SELECT r.id FROM recordings r JOIN source_metadata m ON m.recording_id = r.id WHERE r.user_id = ? AND m.source_key = ?")
      .bind(userId, uuid)
      .first<{ id: number }>()
  )?.id;

/** Delivers Zoom's webhook for a fake meeting and waits until the queue consumer has applied it. */
async function deliverAndApply(t: Tenant, sourceId: number, body: unknown): Promise<void> {
  const before = await countRows("zoom_webhook_events", "user_id = ? AND status = 'processed'", t.userId);
  const answer = await deliver(sourceId, body);
  expectStatus(answer, 200);
  const after = await waitFor(() => countRows("zoom_webhook_events", "user_id = ? AND status = 'processed'", t.userId), (n) => n > before);
  expect(after, "the webhook event was not processed").toBe(before + 1);
}

const getRecording = (t: Tenant, id: number) => call<RecordingBody>(`/api/v1/recordings/${id}`, { token: t.accessToken });
const runsOf = (recordingId: number) => countRows("pipeline_runs", "recording_id = ?", recordingId);

describe("defect 6: blank thresholds come from the resolved config, and a skip says why", () => {
  it("applies the matched template's thresholds at ingestion, by sync and by webhook", async () => {
    const { t, sourceId } = await zoomTenant("blanktpl", { processing_config: { download: { blank_min_duration_minutes: 10, blank_min_size_mb: 2 } } });
    addMeeting("tpl-sync==", "Lecture short sync", 12, 3 * MiB);
    addMeeting("tpl-hook==", "Lecture short hook", 12, 3 * MiB);
    addMeeting("tpl-tiny==", "Lecture tiny", 8, 3 * MiB);
    zoom.meetings.find((m) => m.uuid === "tpl-hook==")!.start_time = "2026-08-15T10:00:00Z"; // outside the sync window

    const answer = await sync(t, sourceId);
    expectStatus(answer, 200);
    const byUuid = new Map(answer.body.recordings.map((r) => [r.meeting_uuid, r]));
    expect(byUuid.get("tpl-sync=="), answer.text).toMatchObject({ decision: "accepted", status: "INITIALIZED", skip_reason: null });
    expect(byUuid.get("tpl-tiny=="), answer.text).toMatchObject({ decision: "skipped", status: "SKIPPED", skip_reason: "Shorter than the 10-minute minimum (8 min)" });
    expect(answer.body.decisions).toEqual({ accepted: 1, skipped: 1 });

    await deliverAndApply(t, sourceId, zoom.webhookEvent("tpl-hook=="));
    const hooked = await getRecording(t, (await recordingIdOf(t.userId, "tpl-hook=="))!);
    expect(hooked.body, hooked.text).toMatchObject({ status: "INITIALIZED", blank_record: false, skip_reason: null });
  });

  it("states the default thresholds' reasons in the sync answer and on the recording, and a recording override re-evaluates", async () => {
    const { t, sourceId } = await zoomTenant("blankdefault");
    addMeeting("short==", "Lecture short", 12, 400 * MiB);
    addMeeting("small==", "Lecture small", 90, 3 * MiB);
    addMeeting("unmapped==", "Staff meeting", 90, 400 * MiB);
    const answer = await sync(t, sourceId);
    expectStatus(answer, 200);
    const reasons = Object.fromEntries(answer.body.recordings.map((r) => [r.meeting_uuid, r.skip_reason]));
    expect(reasons).toEqual({
      "short==": "Shorter than the 20-minute minimum (12 min)",
      "small==": "Smaller than the 25 MB minimum (3 MB)",
      "unmapped==": "No template matches this recording",
    });
    expect(answer.body.recordings.every((r) => r.decision === "skipped")).toBe(true);
    expect(answer.body).toMatchObject({ created: 3, decisions: { accepted: 0, skipped: 3 }, recordings_truncated: false });

    const shortId = (await recordingIdOf(t.userId, "short=="))!;
    const shown = await getRecording(t, shortId);
    expect(shown.body, shown.text).toMatchObject({ status: "SKIPPED", blank_record: true, skip_reason: "Shorter than the 20-minute minimum (12 min)" });
    const listed = await call<{ items: Array<{ id: number; skip_reason: string | null }> }>("/api/v1/recordings?include_blank=true", { token: t.accessToken });
    expect(listed.body.items.find((i) => i.id === shortId)?.skip_reason).toBe("Shorter than the 20-minute minimum (12 min)");

    // This one recording may be short: the override is part of the resolved config at the next look.
    const override = await call(`/api/v1/recordings/${shortId}/config`, {
      method: "PUT",
      token: t.accessToken,
      body: { processing_config: { download: { blank_min_duration_minutes: 10 } } },
    });
    expectStatus(override, 200);
    const again = await sync(t, sourceId);
    expect(again.body.recordings.find((r) => r.meeting_uuid === "short=="), again.text).toMatchObject({ decision: "accepted", status: "INITIALIZED", skip_reason: null });
    expect((await getRecording(t, shortId)).body).toMatchObject({ status: "INITIALIZED", blank_record: false, skip_reason: null });
  });

  it("clears the reason when a skipped recording is processed after all", async () => {
    const { t, sourceId } = await zoomTenant("blankclear");
    zoom.addDownloadableMeeting("clear==", 6 * MiB);
    zoom.meetings.at(-1)!.topic = "Staff meeting"; // no template matches
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { download: { blank_min_size_mb: 1 } } });
    await sync(t, sourceId);
    const id = (await recordingIdOf(t.userId, "clear=="))!;
    expect((await getRecording(t, id)).body).toMatchObject({ status: "SKIPPED", skip_reason: "No template matches this recording" });
    const started = await call<{ task_id: string }>(`/api/v1/recordings/${id}/process?allow_skipped=true`, { method: "POST", token: t.accessToken, body: {} });
    expectStatus(started, 202);
    await waitForRun(started.body.task_id);
    const after = await getRecording(t, id);
    expect(after.body, after.text).toMatchObject({ status: "DOWNLOADED", skip_reason: null });
  });

  it("refuses bad thresholds with a 400 envelope and stores nothing; odd Zoom values still get a readable reason", async () => {
    const { t, sourceId } = await zoomTenant("blankbad");
    for (const download of [{ blank_min_duration_minutes: -1 }, { blank_min_size_mb: "25" }, { blank_min_duration_minutes: 1e9 }]) {
      const refused = await call<{ error: { code: string; message: string; requestId: string } }>("/api/v1/users/me/config", {
        method: "PATCH",
        token: t.accessToken,
        body: { download },
      });
      expectStatus(refused, 400);
      expect(refused.body.error.requestId, refused.text).toBeTruthy();
    }
    const badTemplate = await call("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "Bad", matching_rules: { keywords: ["x"] }, processing_config: { download: { blank_min_duration_minutes: "ten" } } },
    });
    expectStatus(badTemplate, 400);
    expect(await countRows("recording_templates", "user_id = ? AND name = 'Bad'", t.userId)).toBe(0);
    const config = await call<{ config_data: { download: { blank_min_duration_minutes: number; blank_min_size_mb: number } } }>("/api/v1/users/me/config", { token: t.accessToken });
    expect(config.body.config_data.download).toMatchObject({ blank_min_duration_minutes: 20, blank_min_size_mb: 25 });

    // Hostile or broken meeting data: no duration, a fractional one, a huge topic; the reason names
    // only numbers we computed, never the tenant's text.
    zoom.meetings.push({ uuid: "noduration==", topic: `Lecture <script>${"x".repeat(5000)}`, start_time: "2026-09-15T10:00:00Z", duration: 0, recording_files: [{ id: "nd-mp4", file_type: "MP4", status: "completed" }] });
    addMeeting("fraction==", "Lecture fraction", 19.6, 400 * MiB);
    const answer = await sync(t, sourceId);
    expectStatus(answer, 200);
    const reasons = Object.fromEntries(answer.body.recordings.map((r) => [r.meeting_uuid, r.skip_reason]));
    expect(reasons["noduration=="]).toBe("Shorter than the 20-minute minimum (0 min) and smaller than the 25 MB minimum (0 MB)");
    expect(reasons["fraction=="]).toBe("Shorter than the 20-minute minimum (19.6 min)");
    expect(answer.text).not.toContain("<script>");
  });

  it("never applies another tenant's template thresholds, and hides the reason from other tenants", async () => {
    const other = await zoomTenant("blankother", { processing_config: { download: { blank_min_duration_minutes: 1, blank_min_size_mb: 1 } } });
    const { t, sourceId } = await zoomTenant("blankmine");
    addMeeting("mine==", "Lecture mine", 12, 400 * MiB);
    const answer = await sync(t, sourceId);
    expect(answer.body.recordings[0], answer.text).toMatchObject({ decision: "skipped", skip_reason: "Shorter than the 20-minute minimum (12 min)" });
    const id = (await recordingIdOf(t.userId, "mine=="))!;
    const foreign = await getRecording(other.t, id);
    expectStatus(foreign, 404);
    expect(foreign.text).not.toContain("minimum");
    expectStatus(await call(`/api/v1/recordings/${id}/config`, { method: "PUT", token: other.t.accessToken, body: { processing_config: { download: { blank_min_duration_minutes: 1 } } } }), 404);
    expectStatus(await sync(other.t, sourceId), 404);
  });

  it("stores nothing on a Zoom outage or a malformed answer, and the retried sync states every decision", async () => {
    const { t, sourceId } = await zoomTenant("blankfail");
    addMeeting("first==", "Lecture first", 12, 400 * MiB);
    addMeeting("second==", "Lecture second", 90, 400 * MiB);
    for (let i = 0; i < 3; i++) zoom.failNext({ status: 500, match: /recordings$/, body: "<html>oops</html>" });
    expectStatus(await sync(t, sourceId), 502);
    zoom.failNext({ status: 200, match: /recordings$/, body: "{ truncated" });
    expectStatus(await sync(t, sourceId), 502);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(0);
    zoom.failNext({ status: 429, match: /recordings$/, headers: { "Retry-After": "1" } });
    const retried = await sync(t, sourceId);
    expectStatus(retried, 200);
    expect(Object.fromEntries(retried.body.recordings.map((r) => [r.meeting_uuid, r.decision]))).toEqual({ "first==": "skipped", "second==": "accepted" });
    expect((await getRecording(t, (await recordingIdOf(t.userId, "first=="))!)).body.skip_reason).toBe("Shorter than the 20-minute minimum (12 min)");
  });
});

describe("defect 7: auto-download starts exactly once, whichever of sync and webhook sees the meeting first", () => {
  const AUTO = { processing_config: { download: { auto_download: true } } };
  // The fake's files are a few MiB: the user's own threshold lets them count as lectures.
  const SMALL_FILES = { blank_min_size_mb: 1 };

  it("starts when the sync sees the meeting first, and the later webhook does not start it again", async () => {
    const { t, sourceId } = await zoomTenant("autosyncfirst", AUTO, SMALL_FILES);
    zoom.addDownloadableMeeting("syncfirst==", 6 * MiB);
    const answer = await sync(t, sourceId);
    expect(answer.body.recordings[0], answer.text).toMatchObject({ decision: "accepted" });
    const id = (await recordingIdOf(t.userId, "syncfirst=="))!;
    expect(await runsOf(id)).toBe(1);
    const run = await env.DB.prepare("SELECT id, trigger FROM pipeline_runs WHERE recording_id = ?").bind(id).first<{ id: string; trigger: string }>();
    expect(run?.trigger).toBe("sync");
    await waitForRun(run!.id);
    await deliverAndApply(t, sourceId, zoom.webhookEvent("syncfirst=="));
    await sync(t, sourceId);
    expect(await runsOf(id)).toBe(1);
  });

  it("starts when the webhook sees the meeting first, and the later sync does not start it again", async () => {
    const { t, sourceId } = await zoomTenant("autohookfirst", AUTO, SMALL_FILES);
    zoom.addDownloadableMeeting("hookfirst==", 6 * MiB);
    await deliverAndApply(t, sourceId, zoom.webhookEvent("hookfirst=="));
    const id = (await recordingIdOf(t.userId, "hookfirst=="))!;
    const run = await waitFor(
      () => env.DB.prepare("SELECT id, trigger FROM pipeline_runs WHERE recording_id = ?").bind(id).first<{ id: string; trigger: string }>(),
      (r) => r !== null,
    );
    expect(run?.trigger).toBe("webhook");
    await sync(t, sourceId);
    expect(await runsOf(id)).toBe(1);
  });

  it("never starts twice: concurrent sightings claim once, and a failed auto run is not restarted by a later sighting", async () => {
    const { t, sourceId } = await zoomTenant("autorace", AUTO, SMALL_FILES);
    zoom.addDownloadableMeeting("race==", 6 * MiB);
    zoom.downloadFailures.push("html"); // the auto-started run fails permanently
    await sync(t, sourceId);
    const id = (await recordingIdOf(t.userId, "race=="))!;
    const first = await env.DB.prepare("SELECT id FROM pipeline_runs WHERE recording_id = ?").bind(id).first<{ id: string }>();
    expect((await waitForRun(first!.id)).status).toBe("FAILED");
    expect((await waitForStatus(id, (s) => s === "INITIALIZED")).failed).toBe(1);
    await sync(t, sourceId);
    await deliverAndApply(t, sourceId, zoom.webhookEvent("race=="));
    expect(await runsOf(id)).toBe(1);

    // A fresh meeting: the webhook starts it, then five sightings at once start nothing more.
    zoom.addDownloadableMeeting("race2==", 6 * MiB);
    zoom.meetings.at(-1)!.start_time = "2026-08-15T10:00:00Z"; // only the explicit ingest below sees it
    await deliverAndApply(t, sourceId, zoom.webhookEvent("race2==")); // creates it and starts once
    const id2 = (await recordingIdOf(t.userId, "race2=="))!;
    const started = await Promise.all(Array.from({ length: 5 }, () => autoStartRun(serviceContext(env), t.userId, id2, "sync")));
    expect(started.filter((r) => r !== null)).toHaveLength(0);
    expect(await runsOf(id2)).toBe(1);
  });

  it("claims once under concurrency on a recording nobody started yet", async () => {
    const { t, sourceId } = await zoomTenant("autoclaim", {}, SMALL_FILES);
    zoom.addDownloadableMeeting("claim==", 6 * MiB);
    await sync(t, sourceId);
    const id = (await recordingIdOf(t.userId, "claim=="))!;
    expect(await runsOf(id)).toBe(0); // auto_download is off
    await call(`/api/v1/recordings/${id}/config`, { method: "PUT", token: t.accessToken, body: { processing_config: { download: { auto_download: true } } } });
    const ctx = serviceContext(env);
    const started = await Promise.all(Array.from({ length: 6 }, (_, i) => autoStartRun(ctx, t.userId, id, i % 2 ? "sync" : "webhook")));
    expect(started.filter((r) => r !== null)).toHaveLength(1);
    expect(await runsOf(id)).toBe(1);
    // Another tenant's id is not found in its scope: nothing is claimed or started.
    const other = await createTenant("autoclaimother");
    expect(await autoStartRun(ctx, other.userId, id, "sync")).toBeNull();
    expect(await runsOf(id)).toBe(1);
  });

  it("does not start without auto_download, nor for a skipped meeting", async () => {
    const { t, sourceId } = await zoomTenant("autooff", {}, SMALL_FILES);
    zoom.addDownloadableMeeting("off==", 6 * MiB);
    await sync(t, sourceId);
    await deliverAndApply(t, sourceId, zoom.webhookEvent("off=="));
    expect(await runsOf((await recordingIdOf(t.userId, "off=="))!)).toBe(0);

    const auto = await zoomTenant("autoblank", AUTO, SMALL_FILES);
    addMeeting("blank==", "Lecture blank", 5, 400 * MiB);
    await sync(auto.t, auto.sourceId);
    expect(await runsOf((await recordingIdOf(auto.t.userId, "blank=="))!)).toBe(0);
  });
});

describe("defect 8: each download URL goes with the token issued for it", () => {
  async function downloadAfter(label: string, order: "webhook-then-sync" | "sync-then-webhook") {
    const { t, sourceId } = await zoomTenant(label, {}, { blank_min_size_mb: 1 });
    const uuid = `${label}==`;
    const bytes = zoom.addDownloadableMeeting(uuid, 12 * MiB + 77);
    if (order === "webhook-then-sync") {
      await deliverAndApply(t, sourceId, zoom.webhookEvent(uuid));
      expectStatus(await sync(t, sourceId), 200);
    } else {
      expectStatus(await sync(t, sourceId), 200);
      await deliverAndApply(t, sourceId, zoom.webhookEvent(uuid));
    }
    const id = (await recordingIdOf(t.userId, uuid))!;
    return { t, sourceId, id, bytes };
  }

  for (const order of ["webhook-then-sync", "sync-then-webhook"] as const) {
    it(`downloads with the webhook's URL and token, and no 401, after ${order}`, async () => {
      const { t, id, bytes } = await downloadAfter(`pair${order.replaceAll("-", "")}`, order);
      expectStatus(await call(`/api/v1/recordings/${id}/download`, { method: "POST", token: t.accessToken }), 202);
      const row = await waitForStatus(id, (s) => s !== "DOWNLOADING");
      expect(row, JSON.stringify(zoom.downloadLog)).toMatchObject({ status: "DOWNLOADED", failed: 0 });
      expect(zoom.downloadLog.filter((r) => r.status === 401)).toEqual([]);
      expect(new Set(zoom.downloadLog.map((r) => r.kind))).toEqual(new Set(["webhook"]));
      const object = await env.MEDIA.get(row.source_object_key!);
      expect(await sha256(await object!.arrayBuffer())).toBe(await sha256(bytes));
    });
  }

  it("uses the API's URL with the API's token once the webhook token has expired, with no 401", async () => {
    const { t, id } = await downloadAfter("pairexpired", "webhook-then-sync");
    await env.DB.prepare("UPDATE zoom_webhook_events SET received_at = ? WHERE user_id = ?").bind(Date.now() - 25 * 3600_000, t.userId).run();
    expectStatus(await call(`/api/v1/recordings/${id}/download`, { method: "POST", token: t.accessToken }), 202);
    expect(await waitForStatus(id, (s) => s !== "DOWNLOADING")).toMatchObject({ status: "DOWNLOADED" });
    expect(zoom.downloadLog.filter((r) => r.status === 401)).toEqual([]);
    expect(new Set(zoom.downloadLog.map((r) => r.kind))).toEqual(new Set(["api"]));
  });

  it("falls back to the API pair when Zoom revokes the webhook token, and survives 5xx and 429 on the way", async () => {
    const { t, id, bytes } = await downloadAfter("pairrevoked", "sync-then-webhook");
    zoom.webhookTokens.clear();
    zoom.downloadFailures.push("none", "500", "429");
    expectStatus(await call(`/api/v1/recordings/${id}/download`, { method: "POST", token: t.accessToken }), 202);
    const row = await waitForStatus(id, (s) => s !== "DOWNLOADING");
    expect(row, JSON.stringify(zoom.downloadLog)).toMatchObject({ status: "DOWNLOADED" });
    // One refusal of the revoked webhook token, then only the API's URL with the API's token.
    expect(zoom.downloadLog.filter((r) => r.status === 401)).toEqual([{ kind: "webhook", fileId: `pairrevoked==-mp4`, status: 401 }]);
    expect(zoom.downloadLog.filter((r) => r.status === 401 && r.kind === "api")).toEqual([]);
    const object = await env.MEDIA.get(row.source_object_key!);
    expect(await sha256(await object!.arrayBuffer())).toBe(await sha256(bytes));
  });

  it("never sends a webhook token to a host outside Zoom's: such a URL is dropped and the API pair is used", async () => {
    const { t, sourceId } = await zoomTenant("pairhostile", {}, { blank_min_size_mb: 1 });
    zoom.addDownloadableMeeting("pairhostile==", 6 * MiB);
    await deliverAndApply(t, sourceId, zoom.webhookEvent("pairhostile==", { host: "zoom.us.evil.example" }));
    await sync(t, sourceId);
    const id = (await recordingIdOf(t.userId, "pairhostile=="))!;
    expectStatus(await call(`/api/v1/recordings/${id}/download`, { method: "POST", token: t.accessToken }), 202);
    expect(await waitForStatus(id, (s) => s !== "DOWNLOADING")).toMatchObject({ status: "DOWNLOADED" });
    expect(zoom.requests.some((r) => r.path.includes("webhook_download"))).toBe(false);
    expect(zoom.downloadLog.map((r) => r.kind)).toEqual(["api", "api"]);
  });
});
