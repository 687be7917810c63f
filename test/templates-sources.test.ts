import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectStatus } from "./helpers/api";
import { formatReport, importFromLeap } from "../scripts/leap-import/importer.mjs";
import { FakeLeap } from "./fakes/fake-leap";
import { seedCredential, seedRecordings } from "./helpers/fixtures";
import { countRows, createTenant, createTwoTenants, expectTenantIsolation } from "./helpers/tenants";

interface Template {
  id: number;
  name: string;
  is_active: boolean;
  used_count: number;
}
/** Create, update, activate and deactivate answer with the template itself (LEAP's shape) plus `rematch`. */
interface WithRematch extends Template {
  rematch: { checked: number; changed: number; continued: boolean } | null;
}
type Err = { error: { details: Array<{ path: string; message: string }> } };

const recordingState = (id: number) =>
  env.DB.prepare("SELECT status, is_mapped, template_id FROM recordings WHERE id = ?")
    .bind(id)
    .first<{ status: string; is_mapped: number; template_id: number | null }>();

describe("templates", () => {
  it("maps unmapped recordings on create: first active non-draft template by creation order wins", async () => {
    const t = await createTenant("tpl");
    const [algebra, blank, pending, other] = await seedRecordings(t.userId, [
      { displayName: "Algebra lecture 3" },
      { displayName: "Algebra blank", blank: true },
      { displayName: "Algebra pending", status: "PENDING_SOURCE" },
      { displayName: "Chemistry" },
    ]);
    const first = await call<WithRematch>("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "Algebra", matching_rules: { keywords: ["algebra"] } },
    });
    expectStatus(first, 201);
    expect(first.body.rematch).toMatchObject({ changed: 2 });
    expect(await recordingState(algebra!)).toMatchObject({ status: "INITIALIZED", is_mapped: 1, template_id: first.body.id });
    expect(await recordingState(blank!)).toMatchObject({ status: "SKIPPED", is_mapped: 0 }); // blank never matched
    expect(await recordingState(pending!)).toMatchObject({ status: "PENDING_SOURCE", is_mapped: 1 }); // keeps waiting for Zoom
    expect(await recordingState(other!)).toMatchObject({ status: "SKIPPED", is_mapped: 0 });

    // A later template that also matches does not steal recordings: creation order decides.
    const second = await call<WithRematch>("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "Everything", matching_rules: { patterns: [".*"] } },
    });
    expect(await recordingState(algebra!)).toMatchObject({ template_id: first.body.id });
    expect(await recordingState(other!)).toMatchObject({ template_id: second.body.id, status: "INITIALIZED" });
    const stats = await call<{ total_recordings: number; by_status: Record<string, number> }>(`/api/v1/templates/${first.body.id}/stats`, { token: t.accessToken });
    expect(stats.body.total_recordings).toBe(2);
    const listed = await call<Template[]>("/api/v1/templates", { token: t.accessToken });
    expect(listed.body.map((i) => i.name)).toEqual(["Algebra", "Everything"]);
    expect(listed.body[0]?.used_count).toBe(2);
  });

  it("drafts and inactive templates never match; activation rematches; deletion unmaps", async () => {
    const t = await createTenant("tpl2");
    const [rec] = await seedRecordings(t.userId, [{ displayName: "Physics seminar" }]);
    const draft = await call<WithRematch>("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "Physics draft", is_draft: true, matching_rules: { keywords: ["physics"] } },
    });
    expect(draft.body.rematch).toBeNull();
    expect(await recordingState(rec!)).toMatchObject({ is_mapped: 0 });
    const inactive = await call<WithRematch>("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "Physics", is_active: false, matching_rules: { keywords: ["PHYSICS"], case_sensitive: true } },
    });
    expect(await recordingState(rec!)).toMatchObject({ is_mapped: 0 });
    const id = inactive.body.id;
    const activated = await call<WithRematch>(`/api/v1/templates/${id}/activate`, { method: "POST", token: t.accessToken });
    expect(activated.body.rematch?.changed).toBe(0); // case-sensitive "PHYSICS" does not match "Physics"
    await call(`/api/v1/templates/${id}`, { method: "PATCH", token: t.accessToken, body: { matching_rules: { keywords: ["Physics"], case_sensitive: true } } });
    expect(await recordingState(rec!)).toMatchObject({ is_mapped: 1, template_id: id, status: "INITIALIZED" });
    const deleted = await call(`/api/v1/templates/${id}`, { method: "DELETE", token: t.accessToken });
    expectStatus(deleted, 204);
    expect(await recordingState(rec!)).toMatchObject({ is_mapped: 0, template_id: null, status: "INITIALIZED" });
  });

  it("rejects regexes RE2 cannot run or that are invalid with a 400 that points at the pattern, and stores nothing", async () => {
    const t = await createTenant("regex");
    const create = (patterns: string[]) =>
      call<Err>("/api/v1/templates", { token: t.accessToken, body: { name: "Regex", matching_rules: { patterns } } });
    const backreference = await create(["^lecture", "(a)\\1"]);
    expectStatus(backreference, 400);
    expect(backreference.body.error.details[0]?.path).toBe("matching_rules.patterns.1");
    expect(backreference.body.error.details[0]?.message).toMatch(/backreference \\1 is not supported/);
    expectStatus(await create(["lecture(?=\\d)"]), 400);
    expectStatus(await create(["(unclosed"]), 400);
    expectStatus(await create(["x".repeat(300)]), 400);
    const noRules = await call<Err>("/api/v1/templates", { token: t.accessToken, body: { name: "No rules" } });
    expectStatus(noRules, 400);
    expectStatus(await call("/api/v1/templates", { token: t.accessToken, body: { name: "ab", matching_rules: { keywords: ["x"] } } }), 400);
    expectStatus(await call("/api/v1/templates", { token: t.accessToken, body: { name: "Bad output", matching_rules: { keywords: ["x"] }, output_config: { preset_ids: [1, 1] } } }), 400);
    expect(await countRows("recording_templates", "user_id = ?", t.userId)).toBe(0);
    expectStatus(await create(["^Лекция \\d+", "(intro|outro)+"]), 201);
  });

  it("previews matches without changing anything, and creates a template from a recording", async () => {
    const t = await createTenant("preview");
    const [a, b] = await seedRecordings(t.userId, [{ displayName: "Week 1 — History" }, { displayName: "Week 2 — History" }]);
    const draft = await call<WithRematch>("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "History", is_draft: true, matching_rules: { patterns: ["^Week \\d+ — History$"] } },
    });
    const preview = await call<{ will_match_count: number }>(`/api/v1/templates/${draft.body.id}/preview`, { method: "POST", token: t.accessToken });
    expect(preview.body.will_match_count).toBe(2);
    expect(await recordingState(a!)).toMatchObject({ is_mapped: 0 });
    expectStatus(await call(`/api/v1/templates/${draft.body.id}/rematch`, { method: "POST", token: t.accessToken }), 400);

    const fromRec = await call<WithRematch>(`/api/v1/templates/from-recording/${b}`, {
      token: t.accessToken,
      body: { name: "Week 2 only" },
    });
    expectStatus(fromRec, 201);
    expect(await recordingState(b!)).toMatchObject({ is_mapped: 1, template_id: fromRec.body.id });
    expect(await recordingState(a!)).toMatchObject({ is_mapped: 0 });
  });

  it("keeps templates tenant-private", async () => {
    const tenants = await createTwoTenants();
    const created = await call<WithRematch>("/api/v1/templates", {
      token: tenants.a.accessToken,
      body: { name: "Private", matching_rules: { keywords: ["x"] } },
    });
    const id = created.body.id;
    await expectTenantIsolation({ path: `/api/v1/templates/${id}` }, tenants, 200);
    await expectTenantIsolation({ path: `/api/v1/templates/${id}`, method: "PATCH", body: { name: "Stolen" } }, tenants);
    await expectTenantIsolation({ path: `/api/v1/templates/${id}/stats` }, tenants, 200);
    await expectTenantIsolation({ path: `/api/v1/templates/${id}/preview`, method: "POST" }, tenants, 200);
    await expectTenantIsolation({ path: `/api/v1/templates/${id}/rematch`, method: "POST" }, tenants, 200);
    const [bRec] = await seedRecordings(tenants.b.userId, [{ displayName: "x marks" }]);
    // B cannot bind its recording to A's template, nor make a template from A's recording.
    expectStatus(await call(`/api/v1/recordings/${bRec}`, { method: "PATCH", token: tenants.b.accessToken, body: { template_id: id } }), 404);
    const [aRec] = await seedRecordings(tenants.a.userId, [{ displayName: "A's" }]);
    expectStatus(await call(`/api/v1/templates/from-recording/${aRec}`, { token: tenants.b.accessToken, body: { name: "Copy" } }), 404);
    await expectTenantIsolation({ path: `/api/v1/templates/${id}`, method: "DELETE" }, tenants, 204);
  });
});

describe("input sources", () => {
  it("creates LOCAL without and ZOOM with the user's own zoom credential; validates everything else", async () => {
    const { a, b } = await createTwoTenants();
    const zoomCred = await seedCredential(a.userId, "zoom");
    const yandexCred = await seedCredential(a.userId, "yandex_disk");
    const foreignCred = await seedCredential(b.userId, "zoom");
    const create = (body: unknown) => call<{ id: number; config: Record<string, unknown> }>("/api/v1/sources", { token: a.accessToken, body });
    expectStatus(await create({ name: "Uploads", platform: "LOCAL" }), 201);
    const zoom = await create({ name: "Dept Zoom", platform: "ZOOM", credential_id: zoomCred, config: { include_trash: false } });
    expectStatus(zoom, 201);
    expect(zoom.body.config).toMatchObject({ include_trash: false, recording_type: "cloud" });
    expectStatus(await create({ name: "Dept Zoom", platform: "ZOOM", credential_id: zoomCred }), 409);
    expectStatus(await create({ name: "Uploads", platform: "LOCAL" }), 409);
    expectStatus(await create({ name: "No cred", platform: "ZOOM" }), 400);
    expectStatus(await create({ name: "Local cred", platform: "LOCAL", credential_id: zoomCred }), 400);
    expectStatus(await create({ name: "Wrong kind", platform: "ZOOM", credential_id: yandexCred }), 400);
    expectStatus(await create({ name: "Foreign", platform: "ZOOM", credential_id: foreignCred }), 404);
    expectStatus(await create({ name: "Bad config", platform: "ZOOM", credential_id: zoomCred, config: { tras: true } }), 400);
    expectStatus(await create({ name: "GD", platform: "GOOGLE_DRIVE" }), 400);
    expect(await countRows("input_sources", "user_id = ?", a.userId)).toBe(2);
  });

  it("updates, lists and deletes; other tenants get 404", async () => {
    const tenants = await createTwoTenants();
    const { a } = tenants;
    const created = await call<{ id: number }>("/api/v1/sources", { token: a.accessToken, body: { name: "Local files", platform: "LOCAL" } });
    const id = created.body.id;
    const patched = await call<{ name: string; is_active: boolean }>(`/api/v1/sources/${id}`, {
      method: "PATCH",
      token: a.accessToken,
      body: { name: "Renamed files", is_active: false },
    });
    expect(patched.body).toMatchObject({ name: "Renamed files", is_active: false });
    const active = await call<unknown[]>("/api/v1/sources?active_only=true", { token: a.accessToken });
    expect(active.body).toHaveLength(0);
    await expectTenantIsolation({ path: `/api/v1/sources/${id}` }, tenants, 200);
    await expectTenantIsolation({ path: `/api/v1/sources/${id}`, method: "PATCH", body: { name: "Hijack" } }, tenants);
    await expectTenantIsolation({ path: `/api/v1/sources/${id}`, method: "DELETE" }, tenants, 204);
  });
});

describe("Yandex Disk input sources (an output here, not yet an input)", () => {
  type Err = { error: { code: string; message: string; details?: Array<{ path: string; code: string }> } };
  type Source = { id: number; name: string; is_active: boolean; source_type: string; config: Record<string, unknown> };

  /** A YANDEX_DISK source as one created before they were refused (or by an old import) looks. */
  async function seedDiskSource(userId: string, credentialId: number | null, name = "Disk inbox"): Promise<number> {
    const now = Date.now();
    const row = await env.DB.prepare(
      `INSERT INTO input_sources (user_id, name, source_type, credential_id, config, is_active, created_at, updated_at)
       VALUES (?, ?, 'YANDEX_DISK', ?, '{"folder_path":"/Lectures","recursive":true}', 1, ?, ?) RETURNING id`,
    )
      .bind(userId, name, credentialId, now, now)
      .first<{ id: number }>();
    return row!.id;
  }

  it("refuses to create one with a 400 that says why, whatever else the body holds, and stores nothing", async () => {
    const { a, b } = await createTwoTenants();
    const own = await seedCredential(a.userId, "yandex_disk");
    const foreign = await seedCredential(b.userId, "yandex_disk");
    const create = (body: unknown) => call<Err>("/api/v1/sources", { token: a.accessToken, body });
    const refused = await create({ name: "Disk inbox", platform: "YANDEX_DISK", credential_id: own, config: { folder_path: "/Lectures" } });
    expectStatus(refused, 400);
    expect(refused.body.error.code).toBe("BAD_REQUEST");
    expect(refused.body.error.message).toMatch(/Yandex Disk is supported as an output.*not yet as an input source/);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: "platform", code: "unsupported_source_type" })]);
    // The same answer without a credential, with another tenant's (its existence does not leak), with hostile config.
    for (const body of [
      { name: "No credential", platform: "YANDEX_DISK" },
      { name: "Foreign", platform: "YANDEX_DISK", credential_id: foreign, config: { folder_path: "/x" } },
      { name: "Hostile", platform: "YANDEX_DISK", credential_id: own, config: { folder_path: "../../etc", file_pattern: "(a+)+$", __proto__: { admin: true } } },
    ]) {
      const response = await create(body);
      expectStatus(response, 400);
      expect(response.body.error.message, response.text).toContain("not yet as an input source");
    }
    expect(await countRows("input_sources", "user_id IN (?, ?)", a.userId, b.userId)).toBe(0);
    // Type is fixed after creation: a PATCH cannot turn a source into one either.
    const local = await call<Source>("/api/v1/sources", { token: a.accessToken, body: { name: "Uploads", platform: "LOCAL" } });
    expectStatus(local, 201);
    expectStatus(await call(`/api/v1/sources/${local.body.id}`, { method: "PATCH", token: a.accessToken, body: { platform: "YANDEX_DISK" } }), 400);
    const after = await env.DB.prepare("SELECT source_type FROM input_sources WHERE id = ?").bind(local.body.id).first<{ source_type: string }>();
    expect(after?.source_type).toBe("LOCAL");
  });

  it("answers a sync of one that already exists with a 400 (alone and in a bulk sync), and still lets its owner read, edit and delete it", async () => {
    const tenants = await createTwoTenants();
    const { a } = tenants;
    const id = await seedDiskSource(a.userId, await seedCredential(a.userId, "yandex_disk"));
    const sync = await call<Err>(`/api/v1/sources/${id}/sync`, { method: "POST", token: a.accessToken });
    expectStatus(sync, 400);
    expect(sync.body.error.message).toMatch(/YANDEX_DISK source cannot sync: Yandex Disk is supported as an output.*not yet as an input source/);
    await expectTenantIsolation({ path: `/api/v1/sources/${id}/sync`, method: "POST" }, tenants);
    const bulk = await call<{ results: Array<{ source_id: number; error?: { code: string; message: string } }> }>("/api/v1/sources/bulk/sync", {
      token: a.accessToken,
      body: { source_ids: [id] },
    });
    expectStatus(bulk, 200);
    expect(bulk.body.results).toEqual([{ source_id: id, error: { code: "BAD_REQUEST", message: expect.stringContaining("not yet as an input source") } }]);
    expect(await countRows("recordings", "user_id = ?", a.userId)).toBe(0);
    const row = await env.DB.prepare("SELECT last_sync_at FROM input_sources WHERE id = ?").bind(id).first<{ last_sync_at: number | null }>();
    expect(row?.last_sync_at).toBeNull();

    const read = await call<Source>(`/api/v1/sources/${id}`, { token: a.accessToken });
    expectStatus(read, 200);
    expect(read.body).toMatchObject({ source_type: "YANDEX_DISK", name: "Disk inbox" });
    // Its config is still validated for its type (tenant regexes included) when edited.
    expectStatus(await call(`/api/v1/sources/${id}`, { method: "PATCH", token: a.accessToken, body: { config: { folder_path: "/L", file_pattern: "(a)\\1" } } }), 400);
    const paused = await call<Source>(`/api/v1/sources/${id}`, { method: "PATCH", token: a.accessToken, body: { is_active: false } });
    expectStatus(paused, 200);
    expect(paused.body).toMatchObject({ is_active: false, config: { folder_path: "/Lectures", recursive: true } });
    expectStatus(await call(`/api/v1/sources/${id}`, { method: "DELETE", token: a.accessToken }), 204);
  });

  it("is reported as not carried over by the LEAP import, and jobs that pull from it wait for it instead of failing", async () => {
    const t = await createTenant("leap-disk-source");
    const leap = new FakeLeap();
    leap.data.presets = [];
    leap.data.templates = [];
    leap.data.sources = [
      { ...leap.data.sources[1]!, id: 22, name: "Uploaded files" },
      { id: 23, user_id: leap.data.user.id, name: "Disk inbox", description: null, source_type: "yandex_disk", credential_id: 4, config: { folder_path: "/Inbox" }, is_active: true, last_sync_at: null, created_at: "2025-09-01T08:00:00", updated_at: "2025-09-01T08:00:00" },
    ];
    leap.data.jobs = [{ ...leap.data.jobs[0]!, source_id: 23, template_ids: [] }];
    const ours = (path: string, init: RequestInit = {}) =>
      exports.default.fetch(
        new Request(`http://api.test${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${t.accessToken}`, "CF-Connecting-IP": t.ip } }),
      );
    const report = await importFromLeap({ leap: leap.fetcher(), ours, retryDelayMs: 0 });
    const item = (kind: string, name: string) => report.items.find((i) => i.kind === kind && i.name === name);
    expect(item("source", "Disk inbox"), formatReport(report)).toMatchObject({
      action: "skipped",
      reason: expect.stringContaining("Yandex Disk is supported here as an output (its presets are carried over), not yet as an input source"),
    });
    expect(item("source", "Uploaded files")?.action, formatReport(report)).toBe("created");
    expect(item("automation job", "Nightly Python sync")?.action, formatReport(report)).toBe("skipped");
    expect(await countRows("input_sources", "user_id = ? AND source_type = 'YANDEX_DISK'", t.userId)).toBe(0);
    expect(await countRows("automation_jobs", "user_id = ?", t.userId)).toBe(0);
  });
});

describe("user config", () => {
  type Config = { config_data: Record<string, Record<string, unknown>>; overrides: Record<string, unknown> };

  it("returns the defaults merged with overrides; PATCH deep-merges, null resets a key, reset drops all", async () => {
    const t = await createTenant("config");
    const initial = await call<Config>("/api/v1/users/me/config", { token: t.accessToken });
    expectStatus(initial, 200);
    expect(initial.body.config_data.retention).toEqual({ soft_delete_days: 3, hard_delete_days: 30, auto_expire_days: 90 });
    expect(initial.body.overrides).toEqual({});
    const patch = (body: unknown) => call<Config>("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body });
    const patched = await patch({ transcription: { language: "en" }, retention: { auto_expire_days: 30 } });
    expect(patched.body.config_data.transcription).toMatchObject({ language: "en", enable_topics: true });
    expect(patched.body.overrides).toEqual({ transcription: { language: "en" }, retention: { auto_expire_days: 30 } });
    const reset = await patch({ transcription: { language: null } });
    expect(reset.body.config_data.transcription).toMatchObject({ language: "ru" });
    expect(reset.body.config_data.retention).toMatchObject({ auto_expire_days: 30 });
    expectStatus(await patch({ retention: { soft_delete_days: 0 } }), 400);
    expectStatus(await patch({ unknown_section: {} }), 400);
    expectStatus(await patch({ transcription: { language: 5 } }), 400);
    const still = await call<Config>("/api/v1/users/me/config", { token: t.accessToken });
    expect(still.body.overrides).toEqual({ retention: { auto_expire_days: 30 }, transcription: {} });
    const cleared = await call<Config>("/api/v1/users/me/config/reset", { method: "POST", token: t.accessToken });
    expect(cleared.body.overrides).toEqual({});
    expectStatus(await call("/api/v1/users/me/config"), 401);
  });

  it("uses the user's retention setting for new uploads", async () => {
    const t = await createTenant("retention");
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { retention: { auto_expire_days: 7 } } });
    const bytes = new Uint8Array(2048);
    bytes.set([0, 0, 0, 0x18, ...new TextEncoder().encode("ftypmp42")]);
    const up = await call<{ expire_at: string }>("/api/v1/recordings?display_name=Short%20lived", {
      method: "POST",
      token: t.accessToken,
      rawBody: bytes,
      headers: { "Content-Type": "video/mp4" },
    });
    expectStatus(up, 201);
    expect(Math.round((Date.parse(up.body.expire_at) - Date.now()) / 86_400_000)).toBe(7);
  });
});

describe("rematch at scale", () => {
  it("matches the first page inline and finishes the rest through the queue", async () => {
    const t = await createTenant("bigrematch");
    const now = Date.now();
    for (let chunk = 0; chunk < 6; chunk++) {
      const values = Array.from({ length: 100 }, (_, i) => {
        const n = chunk * 100 + i;
        return `('${t.userId}', 'Course lecture ${n}', 'course lecture ${n}', ${now}, 3600, 'SKIPPED', ${now + n}, ${now + n})`;
      });
      await env.DB.prepare(
        `INSERT INTO recordings (user_id, display_name, search_name, start_time, duration, status, created_at, updated_at) VALUES ${values.join(",")}`,
      ).run();
    }
    const created = await call<WithRematch>("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "Course", matching_rules: { keywords: ["course lecture"] } },
    });
    expectStatus(created, 201);
    expect(created.body.rematch).toEqual({ checked: 500, changed: 500, continued: true });
    const mapped = () => countRows("recordings", "user_id = ? AND is_mapped = 1 AND status = 'INITIALIZED'", t.userId);
    for (let i = 0; i < 100 && (await mapped()) < 600; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await mapped()).toBe(600);
  });
});
