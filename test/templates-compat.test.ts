import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, expectStatus, type ApiResponse } from "./helpers/api";
import { seedCredential, seedRecordings } from "./helpers/fixtures";
import { ENGINE_ONLY_CONFIG, waitForRun } from "./helpers/pipeline";
import { countRows, createTenant, createTwoTenants, type Tenant } from "./helpers/tenants";
import { FakeYandexDisk } from "./fakes/fake-yandex";

/**
 * Issue 14: template and recording configs are as strict as the user config (defect 5), metadata
 * templates are checked wherever they are saved, templates answer in LEAP's shape, the small
 * per-user collections are bare arrays (LEAP's shape), preset ids are checked for ownership, and
 * last_used_at follows use.
 */

interface Detail {
  path: string;
  message: string;
  line?: number;
  column?: number;
  variable?: string;
}
type Err = { error: { code: string; message: string; details: Detail[] } };

afterEach(() => vi.restoreAllMocks());

function expectRefused(response: ApiResponse<unknown>, path: string, message: RegExp): Detail {
  expectStatus(response, 400);
  const details = (response.body as Err).error.details;
  const detail = details.find((d) => d.path === path);
  expect(detail, `no detail at ${path}: ${response.text}`).toBeDefined();
  expect(detail!.message, response.text).toMatch(message);
  return detail!;
}

const rules = { keywords: ["lecture"] };
const createTemplate = (t: Tenant, body: Record<string, unknown>) =>
  call<Err>("/api/v1/templates", { token: t.accessToken, body: { name: "Lectures", matching_rules: rules, ...body } });
const stored = (t: Tenant) =>
  env.DB.prepare("SELECT processing_config, metadata_config, output_config FROM recording_templates WHERE user_id = ?")
    .bind(t.userId)
    .all<{ processing_config: string | null; metadata_config: string | null; output_config: string | null }>();

async function ownPreset(t: Tenant, platform: "youtube" | "yandex_disk" = "youtube", metadata: Record<string, unknown> = {}): Promise<number> {
  const created = await call<{ id: number }>("/api/v1/presets", {
    token: t.accessToken,
    body: { name: `${platform} ${crypto.randomUUID().slice(0, 8)}`, platform, credential_id: await seedCredential(t.userId, platform), preset_metadata: metadata },
  });
  expectStatus(created, 201);
  return created.body.id;
}

describe("template processing_config is as strict as the user config", () => {
  it("refuses a misspelt key with a 400 naming it (nothing stored), on create and on PATCH", async () => {
    const t = await createTenant("strict-tpl");
    const typo = await createTemplate(t, { processing_config: { download: { auto_dowload: true } } });
    expectRefused(typo, "processing_config.download.auto_dowload", /^unknown key \(did you mean auto_download\?\)$/);
    expect(typo.body.error.message).toContain("processing_config.download.auto_dowload: unknown key");
    expectRefused(await createTemplate(t, { processing_config: { transcripton: { language: "en" } } }), "processing_config.transcripton", /^unknown key \(did you mean transcription\?\)/);
    // A wrong value type is refused as in the user config.
    expectRefused(await createTemplate(t, { processing_config: { transcription: { enable_topics: "yes" } } }), "processing_config.transcription.enable_topics", /boolean/);
    expect(await countRows("recording_templates", "user_id = ?", t.userId)).toBe(0);

    const ok = await createTemplate(t, { processing_config: { download: { auto_download: true } } });
    expectStatus(ok, 201);
    const id = (ok.body as unknown as { id: number }).id;
    const patched = await call<Err>(`/api/v1/templates/${id}`, { method: "PATCH", token: t.accessToken, body: { processing_config: { download: { auto_downlod: false } } } });
    expectRefused(patched, "processing_config.download.auto_downlod", /^unknown key/);
    expect(JSON.parse((await stored(t)).results[0]!.processing_config!)).toEqual({ download: { auto_download: true } });
  });

  it("accepts every LEAP processing_config field (flat processing keys and the transcription section)", async () => {
    const t = await createTenant("strict-leap");
    const leap = {
      enable_processing: true,
      audio_detection: true,
      silence_threshold: -40,
      min_silence_duration: 2,
      padding_before: 5,
      padding_after: 5,
      allow_skipped: false,
      transcription: { enable_transcription: true, prompt: "Физика", language: "ru", enable_topics: true, granularity: "long", enable_subtitles: true },
    };
    const created = await createTemplate(t, { processing_config: leap });
    expectStatus(created, 201);
    expect((created.body as unknown as { processing_config: unknown }).processing_config).toEqual(leap);
    // Our own nested sections and null (inherit) are accepted too.
    expectStatus(await createTemplate(t, { name: "Nested", processing_config: { processing: { padding_after: 1 }, download: null, transcription: { language: null } } }), 201);
  });
});

describe("recording config overrides use the same strict schemas", () => {
  it("refuses unknown keys in processing_config and output_config, accepts LEAP's keys", async () => {
    const t = await createTenant("strict-rec");
    const [id] = await seedRecordings(t.userId, [{ displayName: "Lecture 1" }]);
    const path = `/api/v1/recordings/${id}/config`;
    const put = (body: unknown) => call<Err>(path, { method: "PUT", token: t.accessToken, body });
    expectRefused(await put({ processing_config: { download: { auto_dowload: true } } }), "processing_config.download.auto_dowload", /^unknown key \(did you mean auto_download\?\)$/);
    expectRefused(await put({ output_config: { auto_uplaod: true } }), "output_config.auto_uplaod", /^unknown key \(did you mean auto_upload\?\)$/);
    const view = await call<{ overrides: unknown }>(path, { token: t.accessToken });
    expect(view.body.overrides).toBeNull();
    const ok = await put({ processing_config: { enable_processing: false, transcription: { language: "en" } }, output_config: { auto_upload: false } });
    expectStatus(ok, 200);
  });
});

describe("metadata templates are checked wherever they are saved, with line and column", () => {
  it("templates: top-level and per-platform templates, on create and PATCH", async () => {
    const t = await createTenant("meta-tpl");
    const unknown = await createTemplate(t, { metadata_config: { title_template: "Lecture\n{{ dispay_name }}" } });
    const detail = expectRefused(unknown, "metadata_config.title_template", /unknown variable "dispay_name"/);
    expect(detail).toMatchObject({ line: 2, column: 4, variable: "dispay_name" });
    expect(unknown.body.error.message).toMatch(/^Invalid metadata_config\.title_template: unknown variable "dispay_name" at line 2, column 4/);
    const syntax = await createTemplate(t, { metadata_config: { youtube: { description_template: "Intro\n  {% if topic %}x" } } });
    expect(expectRefused(syntax, "metadata_config.youtube.description_template", /not closed/)).toMatchObject({ line: 2, column: 3 });
    expectRefused(await createTemplate(t, { metadata_config: { yandex_disk: { folder_path: "/Lectures/{main_topic}" } } }), "metadata_config.yandex_disk.folder_path", /unknown variable "main_topic"/);
    expectRefused(await createTemplate(t, { metadata_config: { common: { title_template: 42 } } }), "metadata_config.common.title_template", /must be a string/);
    expect(await countRows("recording_templates", "user_id = ?", t.userId)).toBe(0);

    const ok = await createTemplate(t, { metadata_config: { title_template: "{display_name} ({record_time:DD.MM.YYYY})", vk: { title_template: "{{ topic }}" } } });
    expectStatus(ok, 201);
    const id = (ok.body as unknown as { id: number }).id;
    const patched = await call<Err>(`/api/v1/templates/${id}`, { method: "PATCH", token: t.accessToken, body: { metadata_config: { title_template: "{display_name:XYZ}" } } });
    expectRefused(patched, "metadata_config.title_template", /.+/);
  });

  it("user config metadata and recording overrides", async () => {
    const t = await createTenant("meta-user");
    const user = await call<Err>("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { metadata: { title_template: "{display_name} | {main_topic}" } } });
    expect(expectRefused(user, "metadata.title_template", /unknown variable "main_topic"/)).toMatchObject({ line: 1, column: 18 });
    expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { metadata: { title_template: "{display_name} | {topic}" } } }), 200);

    const [id] = await seedRecordings(t.userId, [{ displayName: "Lecture 2" }]);
    const put = await call<Err>(`/api/v1/recordings/${id}/config`, { method: "PUT", token: t.accessToken, body: { metadata_config: { vk: { title_template: "{% for x in chapters %}" } } } });
    expectRefused(put, "metadata_config.vk.title_template", /not closed/);
    expectStatus(await call(`/api/v1/recordings/${id}/config`, { method: "PUT", token: t.accessToken, body: { metadata_config: { vk: { title_template: "{{ topic }}" } } } }), 200);
  });

  it("a template made from a recording refuses overrides saved before they were checked", async () => {
    const t = await createTenant("meta-from-rec");
    const [id] = await seedRecordings(t.userId, [{ displayName: "Lecture 3" }]);
    await env.DB.prepare("UPDATE recordings SET processing_preferences = ? WHERE id = ?")
      .bind(JSON.stringify({ processing_config: { download: { auto_dowload: true } } }), id)
      .run();
    const made = await call<Err>(`/api/v1/templates/from-recording/${id}`, { token: t.accessToken, body: { name: "From it" } });
    expectRefused(made, "download.auto_dowload", /^unknown key/);
    expect(made.body.error.message).toContain("overrides.processing_config.download.auto_dowload");
    expect(await countRows("recording_templates", "user_id = ?", t.userId)).toBe(0);
  });
});

describe("LEAP response shapes", () => {
  it("template create, patch and activation answer with the template itself, rematch info inside", async () => {
    const t = await createTenant("shape-tpl");
    await seedRecordings(t.userId, [{ displayName: "Lecture 4" }]);
    const created = await createTemplate(t, { description: "LEAP reads the fields at the top" });
    expectStatus(created, 201);
    const body = created.body as unknown as Record<string, unknown>;
    expect(body).toMatchObject({ name: "Lectures", description: "LEAP reads the fields at the top", is_active: true, is_draft: false, rematch: { checked: 1, changed: 1, continued: false } });
    expect(typeof body.id).toBe("number");
    expect(body).not.toHaveProperty("template");
    const patched = await call<Record<string, unknown>>(`/api/v1/templates/${body.id}`, { method: "PATCH", token: t.accessToken, body: { name: "Renamed" } });
    expectStatus(patched, 200);
    expect(patched.body).toMatchObject({ id: body.id, name: "Renamed", rematch: null });
    const deactivated = await call<Record<string, unknown>>(`/api/v1/templates/${body.id}/deactivate`, { method: "POST", token: t.accessToken });
    expect(deactivated.body).toMatchObject({ id: body.id, is_active: false });
    const activated = await call<Record<string, unknown>>(`/api/v1/templates/${body.id}/activate`, { method: "POST", token: t.accessToken });
    expect(activated.body).toMatchObject({ id: body.id, is_active: true, rematch: { changed: 0 } });
    const rematch = await call<Record<string, unknown>>(`/api/v1/templates/${body.id}/rematch`, { method: "POST", token: t.accessToken });
    expect(rematch.body).toMatchObject({ template_id: body.id, template_name: "Renamed", only_unmapped: true, rematch: { changed: 0 } });
    expect(typeof rematch.body.message).toBe("string");
  });

  it("from-recording takes LEAP's query parameters (name, match_pattern, match_source_id) as well as a body", async () => {
    const t = await createTenant("shape-from-rec");
    const [a, b] = await seedRecordings(t.userId, [{ displayName: "Week 1 — Optics" }, { displayName: "Week 2 — Optics" }]);
    const leap = await call<Record<string, unknown>>(`/api/v1/templates/from-recording/${a}?name=Optics&match_pattern=${encodeURIComponent("^Week \\d+ — Optics$")}&match_source_id=false`, {
      method: "POST",
      token: t.accessToken,
    });
    expectStatus(leap, 201);
    expect(leap.body).toMatchObject({ name: "Optics", matching_rules: { patterns: ["^Week \\d+ — Optics$"] }, rematch: { changed: 2 } });
    expect(await countRows("recordings", "user_id = ? AND template_id = ?", t.userId, leap.body.id)).toBe(2);
    // The query form is checked like the body: a pattern RE2 cannot run, a missing name.
    expectRefused(await call(`/api/v1/templates/from-recording/${b}?name=Bad&match_pattern=${encodeURIComponent("(a)\\1")}`, { method: "POST", token: t.accessToken }), "match_pattern", /backreference/);
    expectRefused(await call(`/api/v1/templates/from-recording/${b}`, { method: "POST", token: t.accessToken }), "name", /Required/);
  });

  it("templates, presets, sources, credentials and automation jobs are listed as bare arrays", async () => {
    const t = await createTenant("shape-lists");
    expectStatus(await createTemplate(t, {}), 201);
    await ownPreset(t);
    expectStatus(await call("/api/v1/sources", { token: t.accessToken, body: { name: "Uploads", platform: "LOCAL" } }), 201);
    for (const path of ["/api/v1/templates", "/api/v1/presets", "/api/v1/sources", "/api/v1/credentials", "/api/v1/credentials/", "/api/v1/automation/jobs"]) {
      const listed = await call<unknown>(path, { token: t.accessToken });
      expectStatus(listed, 200);
      expect(Array.isArray(listed.body), `${path}: ${listed.text}`).toBe(true);
    }
    const spec = await call<{ paths: Record<string, { get: { responses: { 200: { content: { "application/json": { schema: { type?: string } } } } } } }> }>("/openapi.json");
    for (const path of ["/api/v1/templates", "/api/v1/presets", "/api/v1/sources", "/api/v1/credentials", "/api/v1/automation/jobs"]) {
      expect(spec.body.paths[path]?.get.responses[200].content["application/json"].schema.type, path).toBe("array");
    }
  });
});

describe("output preset ids are the caller's", () => {
  it("refuses another tenant's preset and a missing one with the same 400, in templates and recording overrides", async () => {
    const { a, b } = await createTwoTenants();
    const mine = await ownPreset(a);
    const theirs = await ownPreset(b);
    const missing = theirs + 10_000;
    const foreign = await createTemplate(a, { output_config: { preset_ids: [mine, theirs] } });
    const foreignDetail = expectRefused(foreign, "output_config.preset_ids.1", new RegExp(`^preset ${theirs} is not one of your presets$`));
    const gone = await createTemplate(a, { output_config: { preset_ids: [missing] } });
    const goneDetail = expectRefused(gone, "output_config.preset_ids.0", new RegExp(`^preset ${missing} is not one of your presets$`));
    expect(foreignDetail.message.replace(String(theirs), "N")).toBe(goneDetail.message.replace(String(missing), "N"));
    expect(await countRows("recording_templates", "user_id = ?", a.userId)).toBe(0);

    const ok = await createTemplate(a, { output_config: { preset_ids: [mine], auto_upload: true } });
    expectStatus(ok, 201);
    const id = (ok.body as unknown as { id: number }).id;
    expectRefused(
      await call(`/api/v1/templates/${id}`, { method: "PATCH", token: a.accessToken, body: { output_config: { preset_ids: [theirs] } } }),
      "output_config.preset_ids.0",
      /is not one of your presets/,
    );
    expect(JSON.parse((await stored(a)).results[0]!.output_config!)).toMatchObject({ preset_ids: [mine] });

    const [rec] = await seedRecordings(a.userId, [{ displayName: "Lecture 5" }]);
    const put = (ids: number[]) => call<Err>(`/api/v1/recordings/${rec}/config`, { method: "PUT", token: a.accessToken, body: { output_config: { preset_ids: ids } } });
    expectRefused(await put([theirs]), "output_config.preset_ids.0", /is not one of your presets/);
    expectStatus(await put([mine]), 200);
  });
});

describe("last_used_at follows use", () => {
  it("a template when an ingested recording matches it; a preset when a publication goes out with it", async () => {
    const yandex = new FakeYandexDisk();
    yandex.validTokens.add("y0_valid_token_0123");
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const host = new URL(input instanceof Request ? input.url : String(input)).hostname;
      return host.endsWith("yandex.fake") ? yandex.handle(input, init) : new Response("unexpected host", { status: 599 });
    });
    const t = await createTenant("last-used");
    const created = await createTemplate(t, {});
    const templateId = (created.body as unknown as { id: number }).id;
    const template = () => call<{ used_count: number; last_used_at: string | null }>(`/api/v1/templates/${templateId}`, { token: t.accessToken });
    expect((await template()).body).toMatchObject({ used_count: 0, last_used_at: null });

    // An upload is ingested and matched to the template.
    const before = Date.now();
    const upload = await call<{ id: number }>("/api/v1/recordings?display_name=Lecture%207", {
      method: "POST",
      token: t.accessToken,
      rawBody: new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, ...new Array(4000).fill(7)]),
      headers: { "Content-Type": "video/mp4" },
    });
    expectStatus(upload, 201);
    const used = (await template()).body;
    expect(used.used_count).toBe(1);
    expect(Date.parse(used.last_used_at!)).toBeGreaterThanOrEqual(before - 1000);

    // Publishing with a Yandex Disk preset.
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: ENGINE_ONLY_CONFIG });
    const credential = await call<{ id: number }>("/api/v1/credentials", { token: t.accessToken, body: { platform: "yandex_disk", credentials: { oauth_token: "y0_valid_token_0123" } } });
    const preset = await call<{ id: number; last_used_at: string | null }>("/api/v1/presets", {
      token: t.accessToken,
      body: { name: "Disk", platform: "yandex_disk", credential_id: credential.body.id, preset_metadata: { folder_path: "/Lectures" } },
    });
    expectStatus(preset, 201);
    expect(preset.body.last_used_at).toBeNull();
    const run = await call<{ task_id: string }>(`/api/v1/recordings/${upload.body.id}/upload/yandex_disk?preset_id=${preset.body.id}`, { method: "POST", token: t.accessToken });
    expectStatus(run, 202);
    const ended = await waitForRun(run.body.task_id);
    expect(ended, ended.error ?? "").toMatchObject({ status: "COMPLETED" });
    const after = await call<{ last_used_at: string | null }>(`/api/v1/presets/${preset.body.id}`, { token: t.accessToken });
    expect(Date.parse(after.body.last_used_at!)).toBeGreaterThanOrEqual(before - 1000);
  });
});
