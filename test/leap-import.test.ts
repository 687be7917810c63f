import { env, exports } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  configChanges,
  formatReport,
  importFromLeap,
  protectLeapTemplate,
  type FetchLike,
  type ImportOptions,
  type Report,
} from "../scripts/leap-import/importer.mjs";
import { FakeLeap, PNG_RED, PNG_TRANSPARENT } from "./fakes/fake-leap";
import { call, expectStatus } from "./helpers/api";
import { createTenant, type Tenant } from "./helpers/tenants";

type Obj = Record<string, unknown> & { id: number; name: string };

beforeEach(() => {
  // The import talks to LEAP and to this server through the functions it is given, never the network.
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    throw new Error(`unexpected outbound request: ${input instanceof Request ? input.url : String(input)}`);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** This server's API as the importer sees it: the Worker's real fetch entry, with the tenant's token. */
const ours = (t: Tenant, token = t.accessToken): FetchLike => (path, init = {}) =>
  exports.default.fetch(
    new Request(`http://api.test${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}`, "CF-Connecting-IP": t.ip },
    }),
  );

const run = (t: Tenant, leap: FakeLeap, options: Partial<ImportOptions> = {}): Promise<Report> =>
  importFromLeap({ leap: leap.fetcher(), ours: ours(t), retryDelayMs: 0, ...options });

async function setPlan(t: Tenant, plan: string) {
  await env.DB.prepare("UPDATE user_subscriptions SET plan_id = (SELECT id FROM subscription_plans WHERE name = ?) WHERE user_id = ?").bind(plan, t.userId).run();
}

async function connect(t: Tenant, platform: string, credentials: Record<string, unknown>, accountName?: string): Promise<number> {
  const response = await call<{ id: number }>("/api/v1/credentials", { token: t.accessToken, ip: t.ip, body: { platform, credentials, account_name: accountName } });
  expectStatus(response, 201);
  return response.body.id;
}

/** The accounts the LEAP user had, connected here (two YouTube accounts: the LEAP one is picked by name). */
async function connectAll(t: Tenant) {
  const zoom = await connect(t, "zoom", { account_id: "acc-12345", client_id: "cli-12345", client_secret: "zoom-secret-0123456789" });
  await connect(t, "youtube", { refresh_token: "1//other-refresh-0123", account: "other@university.example" });
  const youtube = await connect(t, "youtube", { refresh_token: "1//refresh-0123456789", account: "lectures@university.example" });
  const vk = await connect(t, "vk", { access_token: "vk1.a.token-0123456789", group_id: 7100200 });
  const yandex = await connect(t, "yandex_disk", { oauth_token: "y0_token-0123456789", account: "archive@yandex.ru" });
  return { zoom, youtube, vk, yandex };
}

async function list(t: Tenant, path: string): Promise<Obj[]> {
  const response = await call<unknown>(path, { token: t.accessToken, ip: t.ip });
  expectStatus(response, 200);
  const body = response.body as Obj[] | { items: Obj[] };
  return Array.isArray(body) ? body : body.items;
}

/** Everything the import can create here, for before/after comparisons. */
async function state(t: Tenant) {
  const config = await call<{ config_data: Record<string, unknown>; overrides: Record<string, unknown> }>("/api/v1/users/me/config", { token: t.accessToken, ip: t.ip });
  const thumbnails = await call<{ thumbnails: Array<{ name: string; is_template: boolean; size_bytes: number }> }>("/api/v1/thumbnails", { token: t.accessToken, ip: t.ip });
  return {
    presets: await list(t, "/api/v1/presets"),
    sources: await list(t, "/api/v1/sources"),
    templates: await list(t, "/api/v1/templates?include_drafts=true"),
    jobs: await list(t, "/api/v1/automation/jobs"),
    config: config.body,
    thumbnails: thumbnails.body.thumbnails.filter((th) => !th.is_template),
  };
}

const byName = (items: Obj[], name: string): Obj => {
  const found = items.find((i) => i.name === name);
  expect(found, `no "${name}" among ${items.map((i) => i.name).join(", ")}`).toBeDefined();
  return found!;
};
const itemOf = (report: Report, kind: string, name: string) => {
  const found = report.items.find((i) => i.kind === kind && i.name === name);
  expect(found, `no ${kind} "${name}" in the report:\n${formatReport(report)}`).toBeDefined();
  return found!;
};
const actions = (report: Report) => [...new Set(report.items.map((i) => i.action))].sort();

describe("LEAP import: a full account", () => {
  it("recreates presets, sources, templates, settings, jobs and thumbnails here, with every reference mapped", async () => {
    const t = await createTenant("leap-import");
    await setPlan(t, "plus");
    const creds = await connectAll(t);
    const leap = new FakeLeap();

    const report = await run(t, leap);
    expect(report.ok, formatReport(report)).toBe(true);
    expect(report.accounts).toEqual({ leap: "lecturer@university.example", here: t.email });

    const here = await state(t);
    const yt = byName(here.presets, "YouTube — lectures");
    const vk = byName(here.presets, "VK — department group");
    const disk = byName(here.presets, "Yandex Disk archive");
    expect([yt.platform, vk.platform, disk.platform]).toEqual(["youtube", "vk", "yandex_disk"]);
    // The YouTube preset uses the account LEAP used (by name), not the other YouTube account here.
    expect([yt.credential_id, vk.credential_id, disk.credential_id]).toEqual([creds.youtube, creds.vk, creds.yandex]);
    expect(yt.preset_metadata).toMatchObject({
      title_template: "{display_name} | {record_time:DD.MM.YYYY}",
      description_template: "{topics}\n\nЗапись от {record_time:date}",
      playlist_id: "PLx8lecturesPython01",
      tags: ["лекции", "python"],
      thumbnail_name: "python_base.png",
      topics_display: { format: "numbered_list", max_count: 20, show_timestamps: true, prefix: "Темы:" },
    });
    expect(vk.preset_metadata).toMatchObject({ group_id: 7100200, album_id: "42", privacy_comment: 1, wallpost: true });
    expect(disk.preset_metadata).toMatchObject({ folder_path: "/Lectures/{record_time:YYYY}" });
    expect(disk.preset_metadata).not.toHaveProperty("sidecar_files");
    expect(itemOf(report, "preset", "Yandex Disk archive").notes.join("\n")).toContain('"sidecar_files"');

    const zoom = byName(here.sources, "University Zoom");
    const local = byName(here.sources, "Uploaded files");
    expect(zoom).toMatchObject({ source_type: "ZOOM", credential_id: creds.zoom, config: { include_trash: false, recording_type: "cloud" } });
    expect(local).toMatchObject({ source_type: "LOCAL", credential_id: null });
    expect(itemOf(report, "source", "University Zoom").notes.join("\n")).toContain(`/api/v1/webhooks/zoom/${zoom.id}`);

    const python = byName(here.templates, "Python course");
    const ml = byName(here.templates, "ML seminars");
    const archive = byName(here.templates, "Weekly sync archive");
    expect(python.output_config).toEqual({ preset_ids: [yt.id, vk.id], auto_upload: true, upload_captions: true });
    expect(python.matching_rules).toMatchObject({ keywords: ["Python", "Питон"], source_ids: [zoom.id], exclude_keywords: ["test"] });
    expect(python.matching_rules).not.toHaveProperty("patterns");
    const meta = python.metadata_config as Record<string, unknown>;
    expect(meta.title_template).toBe("{display_name} — {themes}");
    // LEAP printed the unknown {course} as written; wrapped in raw, it prints the same here.
    expect(meta.description_template).toBe("{topics}\n\nЗаписано {record_time:DD.MM.YYYY} ({duration} мин). Курс {% raw %}{course}{% endraw %}");
    expect(meta.youtube).toEqual({ playlist_id: "PLx8lecturesPython01" });
    expect(meta).not.toHaveProperty("vk");
    expect(python.processing_config).toEqual({ transcription: { enable_transcription: true, prompt: "Python, pandas, numpy", language: "ru", enable_topics: true, granularity: "long", enable_subtitles: true } });
    expect(ml.output_config).toEqual({ preset_ids: [vk.id, disk.id], auto_upload: false, upload_captions: false });
    expect(archive).toMatchObject({ is_draft: true, output_config: { preset_ids: [disk.id] } });
    expect(itemOf(report, "template", "Weekly sync archive").notes[0]).toContain("99");

    const nightly = byName(here.jobs, "Nightly Python sync");
    const weekday = byName(here.jobs, "Weekday ML seminars");
    expect(nightly).toMatchObject({ source_id: zoom.id, template_ids: [python.id], schedule: { type: "time_of_day", time: "03:00", timezone: "Europe/Moscow" }, is_active: false });
    expect(weekday).toMatchObject({ source_id: zoom.id, template_ids: [ml.id, python.id], sync_config: { sync_days: 1, allow_skipped: true }, processing_config: { auto_upload: false, max_parallel: 2 } });
    expect(itemOf(report, "automation job", "Nightly Python sync").notes.join("\n")).toContain("created paused");

    // Only what the user changed in LEAP is carried; LEAP's defaults (provider "fireworks"…) are not pinned here.
    const config = here.config;
    expect(config.overrides).toEqual({
      transcription: { language: "en", prompt: "Machine learning, Python, pandas" },
      download: { auto_download: true },
      upload: { auto_upload: true, default_preset_ids: { youtube: yt.id } },
      metadata: { title_template: "{display_name} ({record_time:DD.MM.YYYY}) {% raw %}{course_code}{% endraw %}", topics_display: { prefix: "Contents:" } },
      retention: { auto_expire_days: 60 },
      platforms: { youtube: { default_privacy: "private" } },
    });

    expect(here.thumbnails.map((th) => th.name).sort()).toEqual(["ml_seminar.png", "python_base.png"]);
    const image = await exports.default.fetch(new Request("http://api.test/api/v1/thumbnails/python_base.png", { headers: { Authorization: `Bearer ${t.accessToken}`, "CF-Connecting-IP": t.ip } }));
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG_TRANSPARENT);

    const credentialLines = Object.fromEntries(report.credentials.map((c) => [c.platform, c]));
    expect(credentialLines.youtube).toMatchObject({ status: "connected", id: creds.youtube, neededBy: ['preset "YouTube — lectures"'] });
    expect(credentialLines.vk_video).toMatchObject({ status: "connected", id: creds.vk });
    expect(credentialLines.google_drive?.status).toBe("unsupported");
    expect(credentialLines.fireworks?.status).toBe("unused");
    // LEAP was only read, and its secrets were never asked for.
    expect(leap.requests.every((r) => r.method === "GET")).toBe(true);
    expect(leap.requests.some((r) => r.query.includes("include_data"))).toBe(false);
  });

  it("is idempotent: a second run creates and changes nothing", async () => {
    const t = await createTenant("leap-twice");
    await setPlan(t, "plus");
    await connectAll(t);
    const leap = new FakeLeap();
    const first = await run(t, leap);
    expect(first.ok, formatReport(first)).toBe(true);
    const before = await state(t);

    const second = await run(t, leap);
    expect(second.ok, formatReport(second)).toBe(true);
    expect(actions(second), formatReport(second)).toEqual(["exists", "unchanged"]);
    expect(await state(t)).toEqual(before);
  });

  it("a dry run reads both sides, reports what it would do, and changes nothing", async () => {
    const t = await createTenant("leap-dry");
    await setPlan(t, "plus");
    await connectAll(t);
    const leap = new FakeLeap();
    const before = await state(t);

    const dry = await run(t, leap, { dryRun: true });
    expect(dry.ok, formatReport(dry)).toBe(true);
    expect(actions(dry)).toEqual(["would_create", "would_update"]);
    expect(dry.items.filter((i) => i.action === "would_create")).toHaveLength(2 + 3 + 2 + 3 + 2);
    expect(formatReport(dry)).toContain("dry run: nothing was changed");
    expect(itemOf(dry, "user config", "settings").notes.join("\n")).toContain("(the imported preset)");
    expect(await state(t)).toEqual(before);

    const real = await run(t, leap);
    const done: Record<string, string> = { would_create: "created", would_update: "updated" };
    expect(real.items.map((i) => [i.kind, i.name, i.action])).toEqual(dry.items.map((i) => [i.kind, i.name, done[i.action]]));
  });
});

describe("LEAP import: what cannot be carried over yet", () => {
  it("skips what needs an account not connected here, says which, and a re-run after connecting completes it", async () => {
    const t = await createTenant("leap-unconnected");
    await setPlan(t, "plus");
    const leap = new FakeLeap();

    const first = await run(t, leap);
    // Skips are not failures: they say what to do.
    expect(first.ok, formatReport(first)).toBe(true);
    expect(itemOf(first, "preset", "YouTube — lectures")).toMatchObject({
      action: "skipped",
      reason: 'connect YouTube ("lectures@university.example") here first, then run the import again',
    });
    expect(itemOf(first, "source", "University Zoom").reason).toContain('connect Zoom ("university-zoom") here first');
    expect(itemOf(first, "source", "Uploaded files").action).toBe("created");
    const python = itemOf(first, "template", "Python course");
    expect(python.action).toBe("skipped");
    expect(python.reason).toBe(
      'waits for preset "YouTube — lectures", preset "VK — department group" and source "University Zoom" (not here yet, see above), then run the import again',
    );
    expect(itemOf(first, "automation job", "Nightly Python sync").reason).toContain('waits for source "University Zoom" and template "Python course"');
    expect(itemOf(first, "user config", "settings").notes.join("\n")).toContain('upload.default_preset_ids: not set, waits for preset "YouTube — lectures"');
    const lines = Object.fromEntries(first.credentials.map((c) => [c.platform, c]));
    expect(lines.zoom).toMatchObject({ status: "not_connected", neededBy: ['source "University Zoom"'] });
    expect(lines.yandex_disk?.advice).toContain("GET /api/v1/oauth/yandex_disk/authorize");
    const partial = await state(t);
    expect(partial.presets).toEqual([]);
    expect(partial.templates).toEqual([]);
    expect(partial.jobs).toEqual([]);
    expect(partial.sources.map((s) => s.name)).toEqual(["Uploaded files"]);

    const creds = await connectAll(t);
    const second = await run(t, leap);
    expect(second.ok, formatReport(second)).toBe(true);
    const here = await state(t);
    expect(here.presets).toHaveLength(3);
    expect(here.templates).toHaveLength(3);
    expect(here.jobs).toHaveLength(2);
    expect(byName(here.sources, "University Zoom").credential_id).toBe(creds.zoom);
    expect((here.config.overrides.upload as Record<string, unknown>).default_preset_ids).toEqual({ youtube: byName(here.presets, "YouTube — lectures").id });
    expect(itemOf(second, "source", "Uploaded files").action).toBe("exists");
  });

  it("LEAP failing (500, a body that is not JSON) is reported; other kinds continue and nothing points at what is missing", async () => {
    const t = await createTenant("leap-500");
    await setPlan(t, "plus");
    await connectAll(t);
    const leap = new FakeLeap();
    leap.fail("/api/v1/presets", "500");
    leap.fail("/api/v1/automation/jobs", "not-json");

    const report = await run(t, leap);
    expect(report.ok).toBe(false);
    expect(report.errors.join("\n")).toContain("Could not read the presets from LEAP: LEAP: GET /api/v1/presets failed with HTTP 500: An error occurred");
    expect(report.errors.join("\n")).toContain("Could not read the automation jobs from LEAP: LEAP: GET /api/v1/automation/jobs answered a body that is not JSON");
    // Reads are retried before giving up.
    expect(leap.requests.filter((r) => r.path === "/api/v1/presets")).toHaveLength(3);
    expect(formatReport(report)).toContain("finished with errors");

    const here = await state(t);
    expect(here.sources).toHaveLength(2);
    expect(here.thumbnails).toHaveLength(2);
    // Every LEAP template uses a preset: none is created rather than one with a missing reference.
    expect(here.templates).toEqual([]);
    expect(itemOf(report, "template", "Python course").reason).toContain("LEAP's presets could not be read");
    expect(here.config.overrides).toMatchObject({ transcription: { language: "en" } });
    expect(here.config.overrides).not.toHaveProperty("upload.default_preset_ids");
    expect(here.jobs).toEqual([]);
  });

  it("a LEAP request that never answers, a list of the wrong shape and a malformed item are reported", async () => {
    const t = await createTenant("leap-timeout");
    await setPlan(t, "plus");
    await connectAll(t);
    const leap = new FakeLeap();
    leap.fail("/api/v1/sources", "timeout");
    leap.fail("/api/v1/templates", "wrong-shape");
    leap.data.presets.push({ id: 14, platform: "youtube", credential_id: 2 });

    // The deadline applies to this server too: generous enough for a loaded test machine.
    const report = await run(t, leap, { timeoutMs: 3000, retries: 0 });
    expect(report.ok).toBe(false);
    expect(report.errors, formatReport(report)).toEqual([
      "LEAP returned a malformed preset (position 4 of the list); it was left out",
      "Could not read the sources from LEAP: LEAP: GET /api/v1/sources: no answer within 3 s",
      "Could not read the templates from LEAP: LEAP: GET /api/v1/templates answered something that is not a list of templates",
    ]);
    const here = await state(t);
    expect(here.presets.map((p) => p.name).sort()).toEqual(["VK — department group", "Yandex Disk archive", "YouTube — lectures"]);
    expect(here.sources).toEqual([]);
    expect(here.templates).toEqual([]);
    expect(here.jobs).toEqual([]);
    expect(itemOf(report, "automation job", "Nightly Python sync").reason).toContain("LEAP's sources could not be read");
  });

  it("what this server refuses fails with its message, and what depends on it is skipped", async () => {
    const t = await createTenant("leap-refused");
    await connectAll(t); // the free plan: no automation jobs
    const leap = new FakeLeap();
    const ml = leap.data.templates.find((tpl) => tpl.id === 32)!;
    ml.matching_rules = { ...(ml.matching_rules as Record<string, unknown>), patterns: ["(\\w+) again \\1"] };

    const report = await run(t, leap);
    expect(report.ok).toBe(false);
    const refused = itemOf(report, "template", "ML seminars");
    expect(refused.action).toBe("failed");
    expect(refused.reason).toMatch(/^here: POST \/api\/v1\/templates failed with HTTP 400: /);
    expect(refused.reason).toContain("backreference");
    expect(itemOf(report, "template", "Python course").action).toBe("created");
    expect(itemOf(report, "automation job", "Weekday ML seminars")).toMatchObject({ action: "skipped" });
    expect(itemOf(report, "automation job", "Weekday ML seminars").reason).toContain('waits for template "ML seminars"');
    expect(itemOf(report, "automation job", "Nightly Python sync").reason).toContain("Automation job limit reached");
  });

  it("stops before reading anything when a token is refused", async () => {
    const t = await createTenant("leap-token");
    const leap = new FakeLeap();
    const badLeap = await importFromLeap({ leap: leap.fetcher("expired-token"), ours: ours(t) });
    expect(badLeap.ok).toBe(false);
    expect(badLeap.fatal).toBe("checking the LEAP account failed: LEAP: GET /api/v1/users/me failed with HTTP 401: Invalid or expired token");
    expect(badLeap.items).toEqual([]);
    expect(leap.requests).toHaveLength(1);

    const badHere = await importFromLeap({ leap: leap.fetcher(), ours: ours(t, "not-a-token") });
    expect(badHere.fatal).toMatch(/^checking the account here failed: here: GET \/api\/v1\/users\/me failed with HTTP 401/);
    expect(formatReport(badHere)).toContain("Stopped:");
    expect(await state(t)).toMatchObject({ presets: [], sources: [], templates: [], jobs: [], thumbnails: [] });
  });
});

describe("LEAP import: thumbnails and the shared defaults", () => {
  it("does not upload LEAP's copy of a shared default again, but uploads an image that only shares its name", async () => {
    const t = await createTenant("leap-shared");
    // LEAP copied its shared thumbnails into the user's folder; here the same defaults are shared.
    await env.MEDIA.put("shared/thumbnails/ml_seminar.png", PNG_RED);
    await env.MEDIA.put("shared/thumbnails/python_base.png", PNG_RED);
    try {
      const report = await run(t, new FakeLeap());
      expect(itemOf(report, "thumbnail", "ml_seminar.png")).toMatchObject({ action: "exists", notes: ["identical to the shared default here"] });
      expect(itemOf(report, "thumbnail", "python_base.png")).toMatchObject({ action: "created", notes: ["yours will be used instead of the shared default of the same name"] });
      expect((await state(t)).thumbnails.map((th) => th.name)).toEqual(["python_base.png"]);
    } finally {
      await env.MEDIA.delete(["shared/thumbnails/ml_seminar.png", "shared/thumbnails/python_base.png"]);
    }
  });
});

describe("LEAP import: conversions", () => {
  it("keeps LEAP placeholders, protects the ones LEAP printed verbatim, passes Liquid through", () => {
    expect(protectLeapTemplate("{display_name} — {record_time:DD.MM.YYYY} ({duration} мин)")).toEqual({ text: "{display_name} — {record_time:DD.MM.YYYY} ({duration} мин)", notes: [] });
    const unknown = protectLeapTemplate("Курс {course}, группа {group:A}");
    expect(unknown.text).toBe("Курс {% raw %}{course}{% endraw %}, группа {% raw %}{group:A}{% endraw %}");
    expect(unknown.notes).toHaveLength(2);
    expect(protectLeapTemplate("{topic} ({date})").notes[0]).toContain("printed as literal text in LEAP");
    expect(protectLeapTemplate("{{ display_name | upcase }} {% if topic %}{foo}{% endif %}").text).toBe("{{ display_name | upcase }} {% if topic %}{% raw %}{foo}{% endraw %}{% endif %}");
    expect(protectLeapTemplate("{% raw %}{x}{% endraw %} {part 1} {}").text).toBe("{% raw %}{x}{% endraw %} {part 1} {}");
  });

  it("carries only the settings the user changed in LEAP, and keeps the ones set here", () => {
    const effective = { transcription: { provider: "workers-ai", language: "ru" }, download: { auto_download: false }, upload: { default_preset_ids: {} } };
    const changes = configChanges(
      { transcription: { provider: "fireworks", language: "en", unknown_key: 1 }, download: { auto_download: true }, upload: { default_preset_ids: { vk: 12 } } },
      { effective, overrides: { download: { auto_download: false } } },
      (id) => (id === 12 ? { id: 500 } : { reason: "no" }),
    );
    expect(changes).toEqual([
      { path: "transcription.language", status: "set", value: "en", current: "ru", notes: [] },
      { path: "transcription.unknown_key", status: "not_supported" },
      { path: "download.auto_download", status: "kept_yours", value: true, current: false },
      { path: "upload.default_preset_ids", status: "set", value: { vk: 500 }, current: {}, notes: [] },
    ]);
  });
});
