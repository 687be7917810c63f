import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { urlValidationResponse, verifyZoomSignature, zoomSignature } from "../src/integrations/zoom/webhook-signature";
import { call, expectStatus } from "./helpers/api";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";
import { deliver, meetingEvent, WEBHOOK_SECRET } from "./helpers/zoom-webhooks";

const VECTOR_C_BODY =
  '{"event":"recording.completed","event_ts":1701461127000,"payload":{"account_id":"AbCdEfGhIjKlMnOp","object":{"uuid":"WEz4RT2lSyKx2MD9Z+lYfA==","id":87565330005,"account_id":"AbCdEfGhIjKlMnOp","host_id":"z8yBXksaAAjdhfsfdfkjgg","topic":"Lecture 7: Transformers","type":2,"start_time":"2023-12-01T20:01:56Z","timezone":"Europe/Moscow","host_email":"lecturer@example.com","duration":1,"total_size":3500663,"recording_count":2,"share_url":"https://us06web.zoom.us/rec/share/abc","recording_files":[{"id":"a1b2c3d4-0000-4000-8000-000000000001","meeting_id":"WEz4RT2lSyKx2MD9Z+lYfA==","recording_start":"2023-12-01T20:02:10Z","recording_end":"2023-12-01T20:03:40Z","file_type":"MP4","file_extension":"MP4","file_size":3412550,"play_url":"https://us06web.zoom.us/rec/play/xyz","download_url":"https://us06web.zoom.us/rec/webhook_download/xyz","status":"completed","recording_type":"shared_screen_with_speaker_view"},{"id":"a1b2c3d4-0000-4000-8000-000000000002","meeting_id":"WEz4RT2lSyKx2MD9Z+lYfA==","recording_start":"2023-12-01T20:02:10Z","recording_end":"2023-12-01T20:03:40Z","file_type":"M4A","file_extension":"M4A","file_size":88113,"play_url":"https://us06web.zoom.us/rec/play/uvw","download_url":"https://us06web.zoom.us/rec/webhook_download/uvw","status":"completed","recording_type":"audio_only"}]}},"download_token":"eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIiwidiI6IjIuMCIsImtpZCI6ImV4YW1wbGUifQ.e30.sig"}';

describe("Zoom signature (EXTERNAL-APIS §1.8 test vectors)", () => {
  it("reproduces the published and computed vectors", async () => {
    expect(await zoomSignature("secret", "1697204592920", '{"foo": "bar"}')).toBe("v0=4fbb75111d585a4c58bc193aba49b007ddd7170f9191b0286d9413c1a07a44e8");
    expect(await zoomSignature("secret", "1697204592920", '{"foo":"bar"}')).toBe("v0=f46042d159828f787589618793a3f535b54de02da06ea660545e46c8960b70bf");
    expect(await zoomSignature("secret", "", "")).toBe("v0=48313323faaa3e2551387fedc6a9dbf72f93a6293033e7339e57c844dc1b107d");
    expect(VECTOR_C_BODY.length).toBe(1406);
    expect(await zoomSignature("secretValueTest", "1701461127", VECTOR_C_BODY)).toBe("v0=f431369ba8e056772f27c3c38647656f3203682cfe8a087fb841677e63062696");
    expect(await urlValidationResponse("secretValueTest", "qgg8vlvZRS6UYooatFL8Aw")).toEqual({
      plainToken: "qgg8vlvZRS6UYooatFL8Aw",
      encryptedToken: "70c1f2e2e6ca2d39297490d1f9142c7d701415ea8e6151f6562a08fa657a40ff",
    });
    expect((await urlValidationResponse("secret", "qgg8vlvZRS6UYooatFL8Aw")).encryptedToken).toBe(
      "72cef096bfd47c0b8664df30d07721641e4abd7e885ba432204260db477a9a3e",
    );
  });

  it("accepts vector C at its own time and rejects it five minutes and a second later, or altered", async () => {
    const base = { secret: "secretValueTest", timestamp: "1701461127", rawBody: VECTOR_C_BODY };
    const signature = "v0=f431369ba8e056772f27c3c38647656f3203682cfe8a087fb841677e63062696";
    expect(await verifyZoomSignature({ ...base, signature, nowSeconds: 1701461127 + 300 })).toEqual({ ok: true });
    expect(await verifyZoomSignature({ ...base, signature, nowSeconds: 1701461127 + 301 })).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(await verifyZoomSignature({ ...base, rawBody: VECTOR_C_BODY.replace("Lecture 7", "Lecture 8"), signature, nowSeconds: 1701461127 })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(await verifyZoomSignature({ ...base, signature: undefined, nowSeconds: 1701461127 })).toEqual({ ok: false, reason: "missing_headers" });
  });
});

async function zoomSource(t: Tenant): Promise<{ id: number; webhook_url: string }> {
  const credential = await call<{ id: number }>("/api/v1/credentials", {
    token: t.accessToken,
    body: {
      platform: "zoom",
      credentials: { account_id: `acc-${t.userId}`, client_id: "client-12345", client_secret: "client-secret-12345", webhook_secret_token: WEBHOOK_SECRET },
    },
  });
  expectStatus(credential, 201);
  const source = await call<{ id: number; webhook_url: string }>("/api/v1/sources", {
    token: t.accessToken,
    body: { name: "Faculty Zoom", platform: "ZOOM", credential_id: credential.body.id },
  });
  expectStatus(source, 201);
  return source.body;
}

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await probe();
  for (let i = 0; i < 100 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

const recordingOf = (userId: string, uuid: string) =>
  env.DB.prepare(
    `SELECT r.id, r.status, r.deleted, r.is_mapped, r.duration, r.display_name, m.metadata FROM recordings r
     JOIN source_metadata m ON m.recording_id = r.id WHERE r.user_id = ? AND m.source_key = ?`,
  )
    .bind(userId, uuid)
    .first<{ id: number; status: string; deleted: number; is_mapped: number; duration: number; display_name: string; metadata: string }>();

afterEach(() => vi.restoreAllMocks());

describe("Zoom webhook receiver", () => {
  it("shows each ZOOM source's webhook URL and answers the URL validation challenge", async () => {
    const t = await createTenant("zoomcrc");
    const source = await zoomSource(t);
    expect(source.webhook_url).toMatch(new RegExp(`/api/v1/webhooks/zoom/${source.id}$`));
    const crc = await deliver(source.id, { payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" }, event_ts: 1654503849680, event: "endpoint.url_validation" });
    expectStatus(crc, 200);
    expect(crc.body).toEqual({ plainToken: "qgg8vlvZRS6UYooatFL8Aw", encryptedToken: "70c1f2e2e6ca2d39297490d1f9142c7d701415ea8e6151f6562a08fa657a40ff" });
  });

  it("rejects wrong, stale, altered and unsigned deliveries with 401, stores nothing and never logs the secret", async () => {
    const t = await createTenant("zoomreject");
    const source = await zoomSource(t);
    const lines: string[] = [];
    for (const level of ["log", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    const body = JSON.stringify(meetingEvent("recording.completed", { uuid: "rejected==", topic: "Lecture", files: [{ id: "f1", type: "MP4" }] }));
    expectStatus(await deliver(source.id, body, {}, "wrong-secret"), 401);
    expectStatus(await deliver(source.id, body, { "x-zm-request-timestamp": String(Math.floor(Date.now() / 1000) - 301) }), 401);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const valid = await zoomSignature(WEBHOOK_SECRET, timestamp, body);
    const altered = body.replace('"Lecture"', '"Lectura"');
    const tamper = await call(`/api/v1/webhooks/zoom/${source.id}`, {
      method: "POST",
      rawBody: altered,
      headers: { "content-type": "application/json", "x-zm-request-timestamp": timestamp, "x-zm-signature": valid },
    });
    expectStatus(tamper, 401);
    const unsigned = await call(`/api/v1/webhooks/zoom/${source.id}`, { method: "POST", rawBody: body, headers: { "content-type": "application/json" } });
    expectStatus(unsigned, 401);
    expect(await countRows("zoom_webhook_events", "user_id = ?", t.userId)).toBe(0);
    expect(lines.join("\n")).toContain("zoom webhook rejected");
    expect(lines.join("\n")).not.toContain(WEBHOOK_SECRET);
    expectStatus(await deliver(999_999, body), 404);
  });

  it("turns five concurrent deliveries of one recording.completed into one event and one recording", async () => {
    const t = await createTenant("zoomdup");
    const source = await zoomSource(t);
    await call("/api/v1/templates", { token: t.accessToken, body: { name: "Lectures", matching_rules: { keywords: ["lecture"] } } });
    const uuid = "WEz4RT2lSyKx2MD9Z+lYfA==";
    const files = [
      { id: "file-mp4", type: "MP4" },
      { id: "file-m4a", type: "M4A", size: 90_000_000 },
    ];
    const deliveries = await Promise.all(
      Array.from({ length: 5 }, () => deliver(source.id, meetingEvent("recording.completed", { uuid, topic: "Lecture 7: Transformers", files }))),
    );
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
    // The ack only enqueues: every delivery is accepted, and the consumer collapses them into one event.
    expect(deliveries.filter((d) => d.body.status === "accepted")).toHaveLength(5);
    const events = await waitFor(() => countRows("zoom_webhook_events", "user_id = ?", t.userId), (n) => n >= 1);
    expect(events).toBe(1);
    const recording = await waitFor(() => recordingOf(t.userId, uuid), (r) => r !== null);
    expect(recording).toMatchObject({ status: "INITIALIZED", is_mapped: 1, duration: 95 * 60, display_name: "Lecture 7: Transformers" });
    expect(JSON.parse(recording!.metadata)).toMatchObject({ video_file_id: "file-mp4", audio_file_id: "file-m4a" });
    expect(JSON.stringify(recording)).not.toContain("dl-token");
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(1);
    expect(await countRows("recording_files", "recording_id = ?", recording!.id)).toBe(2);
    const processed = await waitFor(
      () => countRows("zoom_webhook_events", "user_id = ? AND status = 'processed'", t.userId),
      (n) => n === 1,
    );
    expect(processed).toBe(1);

    // A transcript that arrives later is attached to the same recording, once.
    const withTranscript = [...files, { id: "file-vtt", type: "TRANSCRIPT", size: 20_000 }];
    for (let i = 0; i < 2; i++) {
      expectStatus(await deliver(source.id, meetingEvent("recording.transcript_completed", { uuid, topic: "Lecture 7: Transformers", files: withTranscript })), 200);
    }
    const fileCount = await waitFor(() => countRows("recording_files", "recording_id = ?", recording!.id), (n) => n === 3);
    expect(fileCount).toBe(3);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(1);
  });

  it("never resurrects a recording the user deleted, and reflects Zoom's trash", async () => {
    const t = await createTenant("zoomdeleted");
    const source = await zoomSource(t);
    const uuid = "deleted-meeting==";
    expectStatus(await deliver(source.id, meetingEvent("recording.completed", { uuid, topic: "Short chat", duration: 5, files: [{ id: "m1", type: "MP4", size: 1000 }] })), 200);
    const created = await waitFor(() => recordingOf(t.userId, uuid), (r) => r !== null);
    expect(created?.status).toBe("SKIPPED"); // 5 minutes: blank
    expectStatus(await call(`/api/v1/recordings/${created!.id}`, { method: "DELETE", token: t.accessToken }), 200);
    expectStatus(await deliver(source.id, meetingEvent("recording.completed", { uuid, topic: "Short chat", files: [{ id: "m1", type: "MP4" }, { id: "m2", type: "M4A" }] })), 200);
    await waitFor(() => countRows("zoom_webhook_events", "user_id = ? AND status = 'received'", t.userId), (n) => n === 0);
    const after = await recordingOf(t.userId, uuid);
    expect(after?.deleted).toBe(1);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(1);
    expect(await countRows("recording_files", "recording_id = ?", created!.id)).toBe(1);

    const other = "trashed-meeting==";
    await deliver(source.id, meetingEvent("recording.completed", { uuid: other, topic: "Talk", files: [{ id: "t1", type: "MP4" }] }));
    await waitFor(() => recordingOf(t.userId, other), (r) => r !== null);
    await deliver(source.id, meetingEvent("recording.trashed", { uuid: other, topic: "Talk", files: [] }));
    const trashed = await waitFor(() => recordingOf(t.userId, other), (r) => JSON.parse(r?.metadata ?? "{}").zoom_state === "trashed");
    expect(JSON.parse(trashed!.metadata).zoom_state).toBe("trashed");
  });

  it("takes no new recordings through an inactive source, but still applies Zoom's trash to the ones it has", async () => {
    const t = await createTenant("zoominactive");
    const source = await zoomSource(t);
    const completed = (uuid: string) => meetingEvent("recording.completed", { uuid, topic: "Lecture", files: [{ id: `${uuid}-mp4`, type: "MP4" }] });
    expectStatus(await deliver(source.id, completed("kept==")), 200);
    const kept = await waitFor(() => recordingOf(t.userId, "kept=="), (r) => r !== null);
    expect(kept).not.toBeNull();

    const paused = await call(`/api/v1/sources/${source.id}`, { method: "PATCH", token: t.accessToken, body: { is_active: false } });
    expectStatus(paused, 200);
    for (const event of ["recording.completed", "recording.transcript_completed"]) {
      const answer = await deliver(source.id, meetingEvent(event, { uuid: "paused==", topic: "Lecture", files: [{ id: "p1", type: "MP4" }] }));
      expectStatus(answer, 200);
      expect(answer.body).toEqual({ status: "ignored" });
    }
    // The URL validation is still answered (Zoom checks it while the source is being set up), and trash applies.
    expect((await deliver(source.id, { payload: { plainToken: "still-valid" }, event_ts: Date.now(), event: "endpoint.url_validation" })).body).toMatchObject({ plainToken: "still-valid" });
    expectStatus(await deliver(source.id, meetingEvent("recording.trashed", { uuid: "kept==", topic: "Lecture", files: [] })), 200);
    const trashed = await waitFor(() => recordingOf(t.userId, "kept=="), (r) => JSON.parse(r?.metadata ?? "{}").zoom_state === "trashed");
    expect(JSON.parse(trashed!.metadata).zoom_state).toBe("trashed");
    expect(await recordingOf(t.userId, "paused==")).toBeNull();
    expect(await countRows("zoom_webhook_events", "user_id = ?", t.userId)).toBe(2);

    // Deactivated through another isolate: this one answers from its memory of the source for up to
    // 30 s and queues the delivery; the consumer reads the source again and drops it.
    expectStatus(await call(`/api/v1/sources/${source.id}`, { method: "PATCH", token: t.accessToken, body: { is_active: true } }), 200);
    expectStatus(await deliver(source.id, completed("again==")), 200);
    await waitFor(() => recordingOf(t.userId, "again=="), (r) => r !== null);
    await env.DB.prepare("UPDATE input_sources SET is_active = 0 WHERE id = ?").bind(source.id).run();
    const lines: string[] = [];
    vi.spyOn(console, "warn").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    const late = await deliver(source.id, completed("late=="));
    expectStatus(late, 200);
    expect(late.body).toMatchObject({ status: "accepted" });
    await waitFor(async () => lines.join("\n"), (text) => text.includes("the source is inactive"));
    expect(lines.join("\n")).toContain("zoom delivery dropped: the source is inactive");
    expect(await recordingOf(t.userId, "late==")).toBeNull();
    expect(await countRows("zoom_webhook_events", "user_id = ?", t.userId)).toBe(3);
  });
});
