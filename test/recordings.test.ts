import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, expectStatus } from "./helpers/api";
import { fakeMp4, PNG_HEADER, seedCredential, seedRecordings } from "./helpers/fixtures";
import { countRows, createTenant, createTwoTenants, expectTenantIsolation } from "./helpers/tenants";
import { serviceContext } from "../src/services/context";
import { indexRecording } from "../src/services/search/index-sync";

/** Rows seeded straight into D1 bypass the queue that keeps the search index in step; index them here. */
async function indexAll(userId: string, ids: readonly number[]): Promise<void> {
  for (const id of ids) await indexRecording(serviceContext(env), userId, id);
}

interface Rec {
  id: number;
  display_name: string;
  status: string;
  failed: boolean;
  deleted: boolean;
  delete_state: string;
  is_mapped: boolean;
  template_id: number | null;
  video_file_size: number | null;
  expire_at: string | null;
  hard_delete_at: string | null;
}
interface Page {
  total: number;
  total_pages: number;
  items: Rec[];
}

const list = (token: string, query: string) => call<Page>(`/api/v1/recordings?${query}`, { token });
const sha256 = async (data: ArrayBuffer | Uint8Array) =>
  Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", data)), (b) => b.toString(16).padStart(2, "0")).join("");
const names = (page: Page) => page.items.map((r) => r.display_name);

describe("direct upload", () => {
  it("streams a raw MP4 body into R2 as a new DOWNLOADED recording", async () => {
    const t = await createTenant("upload");
    const bytes = fakeMp4(70_000);
    const response = await call<Rec>("/api/v1/recordings?display_name=Lecture%201&filename=l1.mp4", {
      method: "POST",
      token: t.accessToken,
      rawBody: bytes,
      headers: { "Content-Type": "video/mp4" },
    });
    expectStatus(response, 201);
    expect(response.body).toMatchObject({ display_name: "Lecture 1", status: "DOWNLOADED", video_file_size: 70_000 });
    expect(response.body.expire_at).not.toBeNull();
    const object = await env.MEDIA.get(`users/${t.userId}/recordings/${response.body.id}/source.mp4`);
    expect(await sha256(await object!.arrayBuffer())).toBe(await sha256(bytes));
    const source = await env.DB.prepare("SELECT source_type, source_key FROM source_metadata WHERE recording_id = ?")
      .bind(response.body.id)
      .first<{ source_type: string; source_key: string }>();
    expect(source?.source_type).toBe("LOCAL");
    expect(source?.source_key).not.toContain("Lecture");
  });

  it("accepts LEAP's multipart form upload", async () => {
    const t = await createTenant("form");
    const form = new FormData();
    form.append("file", new File([fakeMp4(5000)], "lecture.mp4", { type: "video/mp4" }));
    const response = await call<Rec>("/api/v1/recordings?display_name=Form%20lecture", { method: "POST", token: t.accessToken, rawBody: form });
    expectStatus(response, 201);
    expect(response.body.video_file_size).toBe(5000);
  });

  it("rejects a file that is not a video by its magic bytes (415) and stores nothing", async () => {
    const t = await createTenant("notvideo");
    const png = new Uint8Array(5000);
    png.set(PNG_HEADER);
    const response = await call("/api/v1/recordings?display_name=Sneaky", {
      method: "POST",
      token: t.accessToken,
      rawBody: png,
      headers: { "Content-Type": "video/mp4" },
    });
    expectStatus(response, 415);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(0);
    expect((await env.MEDIA.list({ prefix: `users/${t.userId}/` })).objects).toHaveLength(0);
    const noName = await call("/api/v1/recordings", { method: "POST", token: t.accessToken, rawBody: fakeMp4(), headers: { "Content-Type": "video/mp4" } });
    expectStatus(noName, 400);
    const wrongType = await call("/api/v1/recordings?display_name=x", { method: "POST", token: t.accessToken, rawBody: "hello", headers: { "Content-Type": "text/plain" } });
    expectStatus(wrongType, 415);
  });
});

describe("interrupted uploads", () => {
  it("answers 400 and keeps nothing when the body is shorter than its Content-Length", async () => {
    const t = await createTenant("truncated");
    const bytes = fakeMp4(5000);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
    const response = await call("/api/v1/recordings?display_name=Cut%20short", {
      method: "POST",
      token: t.accessToken,
      rawBody: stream,
      headers: { "Content-Type": "video/mp4", "Content-Length": "8000" },
    });
    expect(response.status, response.text).toBe(400);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(0);
    expect((await env.MEDIA.list({ prefix: `users/${t.userId}/` })).objects).toHaveLength(0);
  });
});

describe("upload sessions (R2 multipart, resumable)", () => {
  const MiB = 1024 * 1024;

  it("accepts parts in any order, re-sent parts, reports progress and assembles the exact bytes", async () => {
    const t = await createTenant("multipart");
    const size = 12 * MiB + 123;
    const file = fakeMp4(size, 3);
    for (let i = 64; i < size; i += 4093) file[i] = i % 251;
    const created = await call<{ id: string; part_size: number; part_count: number; recording_id: number }>("/api/v1/recordings/uploads", {
      token: t.accessToken,
      body: { display_name: "Big lecture", size, content_type: "video/mp4", part_size: 5 * MiB },
    });
    expectStatus(created, 201);
    expect(created.body.part_count).toBe(3);
    const part = (n: number) => file.slice((n - 1) * 5 * MiB, Math.min(size, n * 5 * MiB));
    const put = (n: number, body: Uint8Array) =>
      call(`/api/v1/recordings/uploads/${created.body.id}/parts/${n}`, {
        method: "PUT",
        token: t.accessToken,
        rawBody: body,
        headers: { "Content-Type": "application/octet-stream" },
      });
    expectStatus(await put(3, part(3)), 200);
    expectStatus(await put(1, part(1)), 200);
    expectStatus(await put(1, part(1)), 200); // a retried part replaces the first copy
    expectStatus(await put(2, part(2).slice(0, 1000)), 400); // wrong size
    const progress = await call<{ uploaded_parts: number[]; missing_parts: number[] }>(`/api/v1/recordings/uploads/${created.body.id}`, { token: t.accessToken });
    expect(progress.body).toMatchObject({ uploaded_parts: [1, 3], missing_parts: [2] });
    expectStatus(await call(`/api/v1/recordings/uploads/${created.body.id}/complete`, { method: "POST", token: t.accessToken }), 400);
    const pending = await call<Rec>(`/api/v1/recordings/${created.body.recording_id}`, { token: t.accessToken });
    expect(pending.body.status).toBe("PENDING_SOURCE");

    expectStatus(await put(2, part(2)), 200);
    const done = await call<Rec>(`/api/v1/recordings/uploads/${created.body.id}/complete`, { method: "POST", token: t.accessToken });
    expectStatus(done, 200);
    expect(done.body).toMatchObject({ id: created.body.recording_id, status: "DOWNLOADED", video_file_size: size });
    const object = await env.MEDIA.get(`users/${t.userId}/recordings/${created.body.recording_id}/source.mp4`);
    expect(object?.size).toBe(size);
    // Compare digests: a deep equality over 12 MiB would exhaust the test isolate's heap.
    expect(await sha256(await object!.arrayBuffer())).toBe(await sha256(file));
    expectStatus(await call(`/api/v1/recordings/uploads/${created.body.id}/complete`, { method: "POST", token: t.accessToken }), 409);
  });

  it("aborts: parts discarded, placeholder recording gone; a non-video first part is 415", async () => {
    const tenants = await createTwoTenants();
    const { a } = tenants;
    const created = await call<{ id: string; recording_id: number }>("/api/v1/recordings/uploads", {
      token: a.accessToken,
      body: { display_name: "To cancel", size: 6 * MiB, content_type: "video/mp4", part_size: 5 * MiB },
    });
    const png = new Uint8Array(5 * MiB);
    png.set(PNG_HEADER);
    const bad = await call(`/api/v1/recordings/uploads/${created.body.id}/parts/1`, {
      method: "PUT",
      token: a.accessToken,
      rawBody: png,
      headers: { "Content-Type": "application/octet-stream" },
    });
    expectStatus(bad, 415);
    await expectTenantIsolation({ path: `/api/v1/recordings/uploads/${created.body.id}` }, tenants, 200);
    await expectTenantIsolation({ path: `/api/v1/recordings/uploads/${created.body.id}`, method: "DELETE" }, tenants, 200);
    expect(await countRows("recordings", "id = ?", created.body.recording_id)).toBe(0);
    expectStatus(await call(`/api/v1/recordings/uploads/${created.body.id}`, { method: "DELETE", token: a.accessToken }), 409);
  });

  it("validates the session request", async () => {
    const t = await createTenant("sessionbad");
    const create = (body: unknown) => call("/api/v1/recordings/uploads", { token: t.accessToken, body });
    expectStatus(await create({ display_name: "x", size: 10, content_type: "image/png" }), 400);
    expectStatus(await create({ display_name: "x", size: 10, content_type: "video/mp4", part_size: 1024 }), 400);
    expectStatus(await create({ display_name: "x", size: 60 * 1024 ** 3, content_type: "video/mp4" }), 413);
    expectStatus(await create({ size: 10, content_type: "video/mp4" }), 400);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(0);
  });
});

describe("listing", () => {
  it("filters by status (incl. FAILED), mapped, failed, blank, deleted, search and date range, with totals", async () => {
    const t = await createTenant("list");
    const day = (d: string) => Date.parse(`${d}T10:00:00Z`);
    const seeded = await seedRecordings(t.userId, [
      { displayName: "Лекция 1: Алгебра", status: "INITIALIZED", isMapped: true, startTime: day("2026-01-10") },
      { displayName: "лекция 2: ГЕОМЕТРИЯ", status: "SKIPPED", startTime: day("2026-01-20") },
      { displayName: "Seminar 100%_done", status: "DOWNLOADED", failed: true, startTime: day("2026-02-01") },
      { displayName: "Short blank", status: "SKIPPED", blank: true, startTime: day("2026-02-02") },
      { displayName: "Deleted one", status: "SKIPPED", deleted: true, startTime: day("2026-02-03") },
    ]);
    await indexAll(t.userId, seeded);
    const all = await list(t.accessToken, "per_page=2&order_by=start_time&order=asc");
    expectStatus(all, 200);
    expect(all.body).toMatchObject({ total: 3, total_pages: 2 });
    expect(names(all.body)).toEqual(["Лекция 1: Алгебра", "лекция 2: ГЕОМЕТРИЯ"]);
    expect((await list(t.accessToken, "search=%D0%9B%D0%95%D0%9A%D0%A6%D0%98%D0%AF")).body.total).toBe(2); // "ЛЕКЦИЯ"
    // The full-text index, not LIKE: words and word prefixes match, % and _ are no wildcards.
    expect(names((await list(t.accessToken, "search=100%25_")).body)).toEqual(["Seminar 100%_done"]);
    expect(names((await list(t.accessToken, "search=sem")).body)).toEqual(["Seminar 100%_done"]);
    expect((await list(t.accessToken, "search=eminar")).body.total).toBe(0);
    expectStatus(await list(t.accessToken, "search=%25"), 400); // no words to search for
    expect((await list(t.accessToken, "search=deleted")).body.total).toBe(0); // hidden with its recording
    expect(names((await list(t.accessToken, "status=FAILED")).body)).toEqual(["Seminar 100%_done"]);
    expect((await list(t.accessToken, "status=SKIPPED,FAILED")).body.total).toBe(2);
    // A failed recording whose status is also asked for counts once (the total adds two index ranges).
    expect((await list(t.accessToken, "status=DOWNLOADED,FAILED")).body).toMatchObject({ total: 1, items: [{ display_name: "Seminar 100%_done" }] });
    expect((await list(t.accessToken, "status=SKIPPED,DOWNLOADED,FAILED&failed=false")).body.total).toBe(1);
    expect((await list(t.accessToken, "status=SKIPPED,FAILED&include_deleted=true&include_blank=true")).body.total).toBe(4);
    expect(names((await list(t.accessToken, "mapped=true")).body)).toEqual(["Лекция 1: Алгебра"]);
    expect((await list(t.accessToken, "failed=false")).body.total).toBe(2);
    expect((await list(t.accessToken, "include_blank=true")).body.total).toBe(4);
    expect((await list(t.accessToken, "include_deleted=true&include_blank=true")).body.total).toBe(5);
    expect(names((await list(t.accessToken, "from_date=15-01-2026&to_date=01/02/26&order_by=start_time&order=asc")).body)).toEqual([
      "лекция 2: ГЕОМЕТРИЯ",
      "Seminar 100%_done",
    ]);
    expect((await list(t.accessToken, "to_date=2026-01-10")).body.total).toBe(1); // inclusive end of day
  });

  it("rejects unknown statuses, bad dates, unlisted order columns and oversized pages", async () => {
    const t = await createTenant("listbad");
    for (const q of ["status=DONE", "from_date=31-02-2026", "order_by=password_hash", "per_page=1000", "page=0", "mapped=yes"]) {
      expectStatus(await list(t.accessToken, q), 400);
    }
  });

  it("never shows another tenant's recordings", async () => {
    const { a, b } = await createTwoTenants();
    await seedRecordings(a.userId, [{ displayName: "A's secret lecture" }]);
    expect((await list(b.accessToken, "search=secret")).body.total).toBe(0);
    expectStatus(await call("/api/v1/recordings"), 401);
  });
});

describe("one recording", () => {
  it("shows details, renames, soft-deletes with the retention schedule and restores", async () => {
    const tenants = await createTwoTenants();
    const { a } = tenants;
    const [id] = await seedRecordings(a.userId, [{ displayName: "Original" }]);
    await expectTenantIsolation({ path: `/api/v1/recordings/${id}` }, tenants, 200);
    await expectTenantIsolation({ path: `/api/v1/recordings/${id}`, method: "PATCH", body: { display_name: "Hijacked" } }, tenants);
    await expectTenantIsolation({ path: `/api/v1/recordings/${id}/config` }, tenants, 200);
    const detail = await call<Rec & { processing_stages: unknown[]; outputs: unknown[] }>(`/api/v1/recordings/${id}`, { token: a.accessToken });
    expect(detail.body).toMatchObject({ display_name: "Original", processing_stages: [], outputs: [] });

    const renamed = await call<Rec>(`/api/v1/recordings/${id}`, { method: "PATCH", token: a.accessToken, body: { display_name: "Renamed" } });
    expect(renamed.body.display_name).toBe("Renamed");
    expectStatus(await call(`/api/v1/recordings/${id}`, { method: "PATCH", token: a.accessToken, body: { template_id: 999999 } }), 404);

    await expectTenantIsolation({ path: `/api/v1/recordings/${id}`, method: "DELETE" }, tenants);
    const deleted = await call<Rec>(`/api/v1/recordings/${id}`, { method: "DELETE", token: a.accessToken });
    expectStatus(deleted, 200);
    expect(deleted.body).toMatchObject({ deleted: true, delete_state: "soft", expire_at: null });
    const hardIn = Date.parse(deleted.body.hard_delete_at!) - Date.now();
    expect(Math.round(hardIn / 86_400_000)).toBe(33); // 3 days to file cleanup + 30 to hard delete
    expectStatus(await call(`/api/v1/recordings/${id}`, { method: "DELETE", token: a.accessToken }), 400);
    const restored = await call<Rec>(`/api/v1/recordings/${id}/restore`, { method: "POST", token: a.accessToken });
    expect(restored.body).toMatchObject({ deleted: false, delete_state: "active" });
    expect(restored.body.expire_at).not.toBeNull();
    await env.DB.prepare("UPDATE recordings SET deleted = 1, delete_state = 'hard' WHERE id = ?").bind(id).run();
    expectStatus(await call(`/api/v1/recordings/${id}/restore`, { method: "POST", token: a.accessToken }), 400);
  });

  it("resolves its configuration through template and overrides, and merge-patches overrides", async () => {
    const t = await createTenant("reccfg");
    const preset = await call<{ id: number }>("/api/v1/presets", { token: t.accessToken, body: { name: "Channel", platform: "youtube", credential_id: await seedCredential(t.userId, "youtube") } });
    const template = await call<{ id: number }>("/api/v1/templates", {
      token: t.accessToken,
      body: {
        name: "Physics",
        matching_rules: { keywords: ["physics"] },
        processing_config: { transcription: { language: "en", enable_topics: false } },
        output_config: { preset_ids: [preset.body.id], auto_upload: true },
      },
    });
    const [id] = await seedRecordings(t.userId, [{ displayName: "Physics 101", status: "INITIALIZED", isMapped: true, templateId: template.body.id }]);
    type Cfg = { has_manual_override: boolean; effective_config: { transcription: Record<string, unknown>; upload: Record<string, unknown> } };
    const before = await call<Cfg>(`/api/v1/recordings/${id}/config`, { token: t.accessToken });
    expect(before.body.effective_config.transcription).toMatchObject({ language: "en", enable_topics: false, enable_subtitles: true });
    expect(before.body.effective_config.upload).toMatchObject({ auto_upload: true, preset_ids: [preset.body.id] });
    const put = await call<Cfg>(`/api/v1/recordings/${id}/config`, {
      method: "PUT",
      token: t.accessToken,
      body: { processing_config: { transcription: { language: "de" } }, output_config: { auto_upload: false } },
    });
    expect(put.body.has_manual_override).toBe(true);
    expect(put.body.effective_config.transcription).toMatchObject({ language: "de", enable_topics: false });
    expect(put.body.effective_config.upload).toMatchObject({ auto_upload: false });
    expectStatus(await call(`/api/v1/recordings/${id}/config`, { method: "PUT", token: t.accessToken, body: { surprise: 1 } }), 400);
    const cleared = await call<Cfg>(`/api/v1/recordings/${id}/config`, { method: "DELETE", token: t.accessToken });
    expect(cleared.body.has_manual_override).toBe(false);
    expect(cleared.body.effective_config.transcription).toMatchObject({ language: "en" });
  });

  it("says where each value comes from: defaults, user settings, template, its own overrides", async () => {
    const tenants = await createTwoTenants();
    const { a: t } = tenants;
    expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { transcription: { prompt: "Fourier", language: "fr" } } }), 200);
    const template = await call<{ id: number }>("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "Signals", matching_rules: { keywords: ["signals"] }, processing_config: { transcription: { language: "en" } }, output_config: { auto_upload: true } },
    });
    const [id] = await seedRecordings(t.userId, [{ displayName: "Signals 3", status: "INITIALIZED", isMapped: true, templateId: template.body.id }]);
    const path = `/api/v1/recordings/${id}/config`;
    type Cfg = { overrides: Record<string, unknown> | null; effective_config: { transcription: Record<string, unknown> }; sources: Record<string, string> };
    const get = () => call<Cfg>(path, { token: t.accessToken });

    const before = await get();
    expectStatus(before, 200);
    expect(before.body.sources).toMatchObject({
      "transcription.prompt": "user",
      "transcription.language": "template",
      "upload.auto_upload": "template",
      "processing.enable_processing": "default",
      "transcription.subtitle_formats": "default",
    });
    expect(new Set(Object.values(before.body.sources))).toEqual(new Set(["default", "user", "template"]));

    const put = await call<Cfg>(path, { method: "PUT", token: t.accessToken, body: { processing_config: { transcription: { language: "de", prompt: "Laplace" }, enable_processing: false } } });
    expectStatus(put, 200);
    expect(put.body.effective_config.transcription).toMatchObject({ language: "de", prompt: "Laplace" });
    expect(put.body.sources).toMatchObject({ "transcription.language": "recording", "transcription.prompt": "recording", "processing.enable_processing": "recording" });

    // A null removes one override: that value inherits again, the others stay.
    const unset = await call<Cfg>(path, { method: "PUT", token: t.accessToken, body: { processing_config: { transcription: { prompt: null } } } });
    expect(unset.body.effective_config.transcription.prompt).toBe("Fourier");
    expect(unset.body.sources).toMatchObject({ "transcription.prompt": "user", "transcription.language": "recording" });

    // Bad input: a 400 naming the field, nothing stored.
    const stored = (await get()).body;
    for (const body of [{ processing_config: { transcription: { language: "x" } } }, { metadata_config: { title_template: "{% if %}" } }, { output_config: { default_platforms: ["vk"] } }]) {
      const bad = await call(path, { method: "PUT", token: t.accessToken, body });
      expectStatus(bad, 400);
      expectErrorEnvelope(bad);
    }
    expect((await get()).body).toEqual(stored);

    // Another tenant's id answers 404 to every method and changes nothing.
    await expectTenantIsolation({ path }, tenants);
    await expectTenantIsolation({ path, method: "PUT", body: { processing_config: { transcription: { language: "es" } } } }, tenants);
    await expectTenantIsolation({ path, method: "DELETE" }, tenants);
    expect((await get()).body).toEqual(stored);

    const cleared = await call<Cfg>(path, { method: "DELETE", token: t.accessToken });
    expect(cleared.body.overrides).toBeNull();
    expect(cleared.body.sources).toMatchObject({ "transcription.language": "template", "transcription.prompt": "user", "processing.enable_processing": "default" });
    expect(Object.values(cleared.body.sources)).not.toContain("recording");
  });
});

describe("bulk operations", () => {
  it("deletes by ids (other tenants' ids reported, untouched) and by filters; /bulk is not read as an id", async () => {
    const { a, b } = await createTwoTenants();
    const ids = await seedRecordings(a.userId, [{ displayName: "keep" }, { displayName: "drop 1" }, { displayName: "drop 2" }]);
    const [foreign] = await seedRecordings(b.userId, [{ displayName: "B's" }]);
    await indexAll(a.userId, ids);
    const byIds = await call<{ succeeded_count: number; error_count: number }>("/api/v1/recordings/bulk/delete", {
      token: a.accessToken,
      body: { recording_ids: [ids[1], foreign] },
    });
    expectStatus(byIds, 200);
    expect(byIds.body).toMatchObject({ succeeded_count: 1, error_count: 1 });
    expect(await countRows("recordings", "id = ? AND deleted = 0", foreign)).toBe(1);
    const byFilter = await call<{ succeeded_count: number }>("/api/v1/recordings/bulk/delete", {
      token: a.accessToken,
      body: { filters: { search: "drop" } },
    });
    expect(byFilter.body.succeeded_count).toBe(1);
    const restore = await call<{ succeeded_count: number }>("/api/v1/recordings/bulk/restore", {
      token: a.accessToken,
      body: { filters: { search: "drop" } },
    });
    expect(restore.body.succeeded_count).toBe(2);
    expectStatus(await call("/api/v1/recordings/bulk/delete", { token: a.accessToken, body: { recording_ids: [1], filters: {} } }), 400);
    expectStatus(await call("/api/v1/recordings/bulk/delete", { token: a.accessToken, body: {} }), 400);
    expectStatus(await call("/api/v1/recordings/bulk/delete", { token: a.accessToken, body: { filters: { status: ["NOPE"] } } }), 400);
  });
});
