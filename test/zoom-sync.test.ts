import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { encodeMeetingUuid, monthWindows } from "../src/integrations/zoom/client";
import { parseRetryAfter } from "../src/integrations/zoom/errors";
import { serviceContext } from "../src/services/context";
import { deleteFromZoomAfterCopy } from "../src/services/zoom/delete-after-copy";
import { call, expectStatus } from "./helpers/api";
import { countRows, createTenant, createTwoTenants, type Tenant } from "./helpers/tenants";
import { FakeZoom } from "./fakes/fake-zoom";

let zoom: FakeZoom;

beforeEach(() => {
  zoom = new FakeZoom();
  vi.spyOn(globalThis, "fetch").mockImplementation(zoom.handle);
});
afterEach(() => vi.restoreAllMocks());

async function zoomSource(t: Tenant, secret = zoom.clientSecret): Promise<number> {
  const credential = await call<{ id: number }>("/api/v1/credentials", {
    token: t.accessToken,
    body: { platform: "zoom", credentials: { account_id: zoom.accountId, client_id: zoom.clientId, client_secret: secret } },
  });
  expectStatus(credential, 201);
  const source = await call<{ id: number }>("/api/v1/sources", {
    token: t.accessToken,
    body: { name: `Zoom ${secret.slice(-4)}`, platform: "ZOOM", credential_id: credential.body.id },
  });
  expectStatus(source, 201);
  return source.body.id;
}

type Result = { recordings_found: number; created: number; updated: number; unchanged: number; skipped: number; new_files: number };
const sync = (t: Tenant, sourceId: number, query = "from_date=2026-09-01&to_date=2026-10-31") =>
  call<Result>(`/api/v1/sources/${sourceId}/sync?${query}`, { method: "POST", token: t.accessToken });

describe("Zoom client helpers", () => {
  it("splits ranges into ≤ 30-day windows, double-encodes risky UUIDs, and reads both Retry-After forms", () => {
    const windows = monthWindows(new Date("2026-01-01"), new Date("2026-03-15"));
    expect(windows).toEqual([
      { from: "2026-01-01", to: "2026-01-30" },
      { from: "2026-01-31", to: "2026-03-01" },
      { from: "2026-03-02", to: "2026-03-15" },
    ]);
    expect(encodeMeetingUuid("abc==")).toBe("abc%3D%3D");
    expect(encodeMeetingUuid("/ajc//Qw==")).toBe("%252Fajc%252F%252FQw%253D%253D");
    expect(encodeMeetingUuid("a//b")).toBe("a%252F%252Fb");
    expect(parseRetryAfter("7")).toBe(7);
    expect(parseRetryAfter("2026-01-02T00:00:00Z", Date.parse("2026-01-01T23:59:00Z"))).toBe(60);
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe("Zoom sync", () => {
  it("ingests 3 pages × 2 months exactly once, and a second sync changes nothing", async () => {
    const t = await createTenant("sync");
    await call("/api/v1/templates", { token: t.accessToken, body: { name: "Lectures", matching_rules: { keywords: ["lecture"] } } });
    const sourceId = await zoomSource(t);
    zoom.pageSize = 4;
    zoom.addMeetings(12, "2026-09");
    zoom.addMeetings(12, "2026-10");
    const first = await sync(t, sourceId);
    expectStatus(first, 200);
    expect(first.body).toMatchObject({ recordings_found: 24, created: 24, updated: 0 });
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(24);
    expect(await countRows("recordings", "user_id = ? AND status = 'INITIALIZED' AND is_mapped = 1", t.userId)).toBe(24);
    expect(await countRows("recording_files", "user_id = ?", t.userId)).toBe(48); // TIMELINE has no id
    const lists = zoom.requests.filter((r) => r.path === "/v2/users/me/recordings");
    expect(lists.filter((r) => r.query.includes("next_page_token"))).toHaveLength(4);
    for (const r of lists) {
      const q = new URLSearchParams(r.query);
      expect((Date.parse(q.get("to")!) - Date.parse(q.get("from")!)) / 86_400_000).toBeLessThanOrEqual(30);
    }

    const second = await sync(t, sourceId);
    expect(second.body).toMatchObject({ recordings_found: 24, created: 0, updated: 0, unchanged: 24, new_files: 0 });
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(24);
    expect(zoom.tokenGrants).toBe(1); // the S2S token was cached
  });

  it("attaches a late transcript once and never brings back deleted or tombstoned recordings", async () => {
    const t = await createTenant("synclate");
    const sourceId = await zoomSource(t);
    zoom.addMeetings(3, "2026-09");
    await sync(t, sourceId);
    zoom.meetings[0]!.recording_files.push({ id: "late-vtt", file_type: "TRANSCRIPT", file_size: 5000, status: "completed" });
    const ids = await env.DB.prepare("SELECT r.id, m.source_key FROM recordings r JOIN source_metadata m ON m.recording_id = r.id WHERE r.user_id = ? ORDER BY r.id")
      .bind(t.userId)
      .all<{ id: number; source_key: string }>();
    const [firstRec, secondRec, thirdRec] = ids.results;
    expectStatus(await call(`/api/v1/recordings/${secondRec!.id}`, { method: "DELETE", token: t.accessToken }), 200);
    // The third is hard-deleted: only its tombstone remains.
    await env.DB.prepare("INSERT INTO recording_tombstones (user_id, source_type, source_key, deleted_at) VALUES (?, 'ZOOM', ?, ?)")
      .bind(t.userId, thirdRec!.source_key, Date.now())
      .run();
    await env.DB.prepare("DELETE FROM recordings WHERE id = ?").bind(thirdRec!.id).run();

    const again = await sync(t, sourceId);
    expect(again.body).toMatchObject({ created: 0, new_files: 1, skipped: 2 });
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(2);
    expect(await countRows("recordings", "id = ? AND deleted = 1", secondRec!.id)).toBe(1);
    expect(await countRows("recording_files", "recording_id = ? AND zoom_file_id = 'late-vtt'", firstRec!.id)).toBe(1);
  });

  it("retries a 429 with Retry-After and an expired token, and survives to the end", async () => {
    const t = await createTenant("syncretry");
    const sourceId = await zoomSource(t);
    zoom.addMeetings(2, "2026-09");
    zoom.failNext({ status: 429, headers: { "Retry-After": "1", "X-RateLimit-Type": "QPS" }, match: /recordings$/, body: { code: 429, message: "You have reached the maximum per-second rate limit for this API. Try again later." } });
    expect((await sync(t, sourceId)).body).toMatchObject({ created: 2 });
    zoom.expireTokens();
    const afterExpiry = await sync(t, sourceId);
    expectStatus(afterExpiry, 200);
    expect(zoom.tokenGrants).toBe(2);
  });

  it("reports Zoom outages as 502 and a rejected credential as 412 (marked for re-auth), losing nothing", async () => {
    const t = await createTenant("syncfail");
    const sourceId = await zoomSource(t);
    zoom.addMeetings(3, "2026-09");
    await sync(t, sourceId);
    for (let i = 0; i < 3; i++) zoom.failNext({ status: 503, match: /recordings$/, body: "<html>Service Unavailable</html>" });
    const outage = await sync(t, sourceId);
    expectStatus(outage, 502);
    zoom.failNext({ status: 200, match: /recordings$/, body: "{ truncated" });
    expectStatus(await sync(t, sourceId), 502);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(3);

    const other = await createTenant("syncbadcred");
    const badSource = await zoomSource(other, "wrong-secret-99999");
    const rejected = await sync(other, badSource);
    expectStatus(rejected, 412);
    expect(await countRows("user_credentials", "user_id = ? AND needs_reauth = 1", other.userId)).toBe(1);
    const grants = zoom.tokenGrants;
    expectStatus(await sync(other, badSource), 412);
    expect(zoom.tokenGrants).toBe(grants);
  });

  it("syncs in bulk with per-source results, and keeps sources tenant-private", async () => {
    const { a, b } = await createTwoTenants();
    const sourceId = await zoomSource(a);
    const local = await call<{ id: number }>("/api/v1/sources", { token: a.accessToken, body: { name: "Local", platform: "LOCAL" } });
    zoom.addMeetings(1, "2026-09");
    const bulk = await call<{ results: Array<{ source_id: number; created?: number; error?: { code: string } }> }>("/api/v1/sources/bulk/sync", {
      token: a.accessToken,
      body: { source_ids: [sourceId, local.body.id, 987654], from_date: "2026-09-01", to_date: "2026-09-30" },
    });
    expectStatus(bulk, 200);
    expect(bulk.body.results.map((r) => r.error?.code ?? r.created)).toEqual([1, "BAD_REQUEST", "NOT_FOUND"]);
    expectStatus(await sync(b, sourceId), 404);
    expectStatus(await sync(a, sourceId, "from_date=2026-10-01&to_date=2026-09-01"), 400);
    expectStatus(await sync(a, sourceId, "from_date=2024-01-01&to_date=2026-09-01"), 400);
  });
});

describe("delete from Zoom after a verified copy", () => {
  it("trashes Zoom's copy only when enabled and our copy's size matches Zoom's", async () => {
    const t = await createTenant("zoomdelete");
    const sourceId = await zoomSource(t);
    zoom.addMeetings(1, "2026-09");
    await sync(t, sourceId);
    const rec = await env.DB.prepare("SELECT id FROM recordings WHERE user_id = ?").bind(t.userId).first<{ id: number }>();
    const fileId = `${zoom.meetings[0]!.uuid}-mp4`;
    const ctx = serviceContext(env);
    expect(await deleteFromZoomAfterCopy(ctx, t.userId, rec!.id, { zoomFileId: fileId, bytes: 400_000_000 })).toBe("not_enabled");
    await call(`/api/v1/sources/${sourceId}`, { method: "PATCH", token: t.accessToken, body: { config: { delete_from_zoom_after_copy: true } } });
    expect(await deleteFromZoomAfterCopy(ctx, t.userId, rec!.id, { zoomFileId: fileId, bytes: 399_999_999 })).toBe("size_mismatch");
    expect(zoom.trashed).toEqual([]);
    expect(await deleteFromZoomAfterCopy(ctx, t.userId, rec!.id, { zoomFileId: fileId, bytes: 400_000_000 })).toBe("trashed");
    expect(zoom.trashed).toEqual([zoom.meetings[0]!.uuid]);
    expect(zoom.requests.at(-1)?.query).toBe("?action=trash");
  });
});

describe("credential connection test", () => {
  it("passes for a working Zoom credential and marks a rejected one for re-authorisation", async () => {
    const t = await createTenant("credtest");
    const good = await call<{ id: number }>("/api/v1/credentials", {
      token: t.accessToken,
      body: { platform: "zoom", credentials: { account_id: zoom.accountId, client_id: zoom.clientId, client_secret: zoom.clientSecret } },
    });
    const ok = await call<{ ok: boolean; account: string }>(`/api/v1/credentials/${good.body.id}/test`, { method: "POST", token: t.accessToken });
    expect(ok.body).toMatchObject({ ok: true, account: "lecturer@example.edu" });
    const bad = await call<{ id: number }>("/api/v1/credentials", {
      token: t.accessToken,
      body: { platform: "zoom", credentials: { account_id: zoom.accountId, client_id: "other-client", client_secret: "other-secret-123" } },
    });
    const failed = await call<{ ok: boolean; reason: string }>(`/api/v1/credentials/${bad.body.id}/test`, { method: "POST", token: t.accessToken });
    expect(failed.body.ok).toBe(false);
    const shown = await call<{ needs_reauth: boolean; status_reason: string }>(`/api/v1/credentials/${bad.body.id}`, { token: t.accessToken });
    expect(shown.body.needs_reauth).toBe(true);
    expect(shown.body.status_reason).toMatch(/Invalid client_id or client_secret/);
    zoom.failNext({ status: 500, match: /users\/me/ });
    zoom.failNext({ status: 500, match: /users\/me/ });
    zoom.failNext({ status: 500, match: /users\/me/ });
    expectStatus(await call(`/api/v1/credentials/${good.body.id}/test`, { method: "POST", token: t.accessToken }), 502);
    const openai = await call<{ id: number }>("/api/v1/credentials", { token: t.accessToken, body: { platform: "openai", credentials: { api_key: "sk-0123456789abcdef" } } });
    expectStatus(await call(`/api/v1/credentials/${openai.body.id}/test`, { method: "POST", token: t.accessToken }), 400);
  });
});
