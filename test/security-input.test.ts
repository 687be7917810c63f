import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../src/lib/json-limits";
import { AppError } from "../src/lib/errors";
import { MAX_SUBJECT_LENGTH } from "../src/lib/tenant-regex";
import { parseSourceConfig } from "../src/services/sources/source-config";
import { call, expectStatus, type ApiResponse } from "./helpers/api";
import { seedCredential, seedRecordings } from "./helpers/fixtures";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";

type Err = { error: { message: string; details: Array<{ path: string; message: string }> } };

const mappedTo = async (id: number) =>
  (await env.DB.prepare("SELECT template_id FROM recordings WHERE id = ?").bind(id).first<{ template_id: number | null }>())?.template_id ?? null;

/** Raw JSON, so the nesting is exactly what is sent (no client-side stringify of a deep object). */
const nestedObject = (levels: number, leaf = "1") => `${'{"a":'.repeat(levels)}${leaf}${"}".repeat(levels)}`;
const nestedArray = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;

const send = <T = Err>(tenant: Tenant, method: string, path: string, raw: string): Promise<ApiResponse<T>> =>
  call<T>(path, { method, token: tenant.accessToken, rawBody: raw, headers: { "Content-Type": "application/json" } });

function expectFieldRefused(response: ApiResponse<unknown>, path: string, reason: RegExp): void {
  expectStatus(response, 400);
  const details = (response.body as Err).error.details;
  expect(details.map((d) => d.path), response.text).toContain(path);
  expect(details.find((d) => d.path === path)?.message, response.text).toMatch(reason);
}

describe("tenant regexes run in linear time", () => {
  // Evil regexes from public ReDoS lists (OWASP, Snyk): with a backtracking engine each of these
  // takes seconds to forever on the hostile names below, and the synchronous match would block the
  // isolate (the test would hang). RE2 answers at once. Hostile names are built from 50-character
  // units so the matcher's first MAX_SUBJECT_LENGTH characters end the same way as the whole name.
  const hostileUnit = `${"a".repeat(49)}!`;
  const cases: Array<{ pattern: string; hostile: string[]; positive: string }> = [
    { pattern: "^(a+)+$", hostile: [`${"a".repeat(29)}!`, hostileUnit.repeat(200)], positive: "aaaa" },
    { pattern: "(a|aa)+$", hostile: [`${"a".repeat(29)}!`, hostileUnit.repeat(200)], positive: "Lecture aa" },
    { pattern: "^(?:\\u0061|a)+$", hostile: [`${"a".repeat(29)}!`, hostileUnit.repeat(200)], positive: "AAAA" },
    { pattern: "(x+x+)+y", hostile: ["x".repeat(30), "x".repeat(10_000)], positive: "xxy" },
    { pattern: "^(([a-z])+.)+[A-Z]([a-z])+$", hostile: [`${"a".repeat(29)}!`, hostileUnit.repeat(200)], positive: "abc Def" },
    { pattern: "^(\\w+\\s?)*$", hostile: [`${"a".repeat(29)}!`, hostileUnit.repeat(200)], positive: "Week 12 lecture" },
    {
      pattern: "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
      hostile: [`${"a".repeat(29)}!`, hostileUnit.repeat(200)],
      positive: "john.doe@example.com",
    },
  ];

  it.each(cases)("saves $pattern and matches hostile names correctly", async ({ pattern, hostile, positive }) => {
    expect(hostile.every((name) => name.length >= 30 && name.length <= 10_000)).toBe(true);
    expect(hostile.at(-1)!.slice(0, MAX_SUBJECT_LENGTH).at(-1)).toBe(hostile.at(-1)!.at(-1));
    const t = await createTenant("redos");
    const ids = await seedRecordings(t.userId, [...hostile, positive].map((displayName) => ({ displayName })));
    // Creating the template matches every unmapped recording inline, through the real matcher.
    const created = await call<{ id: number }>("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "Evil pattern", matching_rules: { patterns: [pattern] } },
    });
    expectStatus(created, 201);
    const templateId = created.body.id;
    const mapped = await Promise.all(ids.map(mappedTo));
    expect(mapped).toEqual([...hostile.map(() => null), templateId]);
    // The preview (which recordings would match) runs the same patterns again.
    const preview = await call<{ total_checked: number; will_match_count: number }>(`/api/v1/templates/${templateId}/preview`, { method: "POST", token: t.accessToken });
    expectStatus(preview, 200);
    expect(preview.body).toMatchObject({ total_checked: hostile.length, will_match_count: 0 });
  });

  it("refuses what RE2 cannot express at save, naming the field, and stores nothing", async () => {
    const t = await createTenant("re2-refusals");
    const template = (matching_rules: Record<string, unknown>) => call<Err>("/api/v1/templates", { token: t.accessToken, body: { name: "Refused", matching_rules } });

    const backreference = await template({ patterns: ["^ok", "(a)\\1"] });
    expectFieldRefused(backreference, "matching_rules.patterns.1", /^backreference \\1 is not supported: .*linear time \(RE2\)/);
    expect(backreference.body.error.message).toContain("matching_rules.patterns.1");
    expectFieldRefused(await template({ keywords: ["x"], exclude_patterns: ["(?<=Group )\\d+"] }), "matching_rules.exclude_patterns.0", /^lookbehind/);
    expectFieldRefused(await template({ patterns: ["lecture(?!s)"] }), "matching_rules.patterns.0", /^negative lookahead/);
    expectFieldRefused(await template({ patterns: ["(?<w>x)\\k<w>"] }), "matching_rules.patterns.0", /^backreference \\k<…>/);
    expect(await countRows("recording_templates", "user_id = ?", t.userId)).toBe(0);

    // PATCH is checked the same way and leaves the stored rules alone.
    const ok = await template({ patterns: ["^Lecture \\d+"] });
    expectStatus(ok, 201);
    const id = (ok.body as unknown as { id: number }).id;
    const patched = await call<Err>(`/api/v1/templates/${id}`, { method: "PATCH", token: t.accessToken, body: { matching_rules: { patterns: ["(?=a)a"] } } });
    expectFieldRefused(patched, "matching_rules.patterns.0", /^lookahead/);
    const stored = await call<{ matching_rules: { patterns: string[] } }>(`/api/v1/templates/${id}`, { token: t.accessToken });
    expect(stored.body.matching_rules.patterns).toEqual(["^Lecture \\d+"]);

    // The pattern of POST /templates/from-recording was stored unchecked before.
    const [rec] = await seedRecordings(t.userId, [{ displayName: "Lecture 1" }]);
    const fromRecording = await call<Err>(`/api/v1/templates/from-recording/${rec}`, { token: t.accessToken, body: { name: "From rec", match_pattern: "(L)\\1" } });
    expectFieldRefused(fromRecording, "match_pattern", /^backreference/);
    expect(await countRows("recording_templates", "user_id = ?", t.userId)).toBe(1);

    // Source file filters use the same engine and the same refusals. Yandex Disk input sources
    // (the only ones with a file filter) are refused before their config is read, so the config
    // rules are checked where they live, and the API's refusal stores nothing.
    const refusal = (() => {
      try {
        parseSourceConfig("YANDEX_DISK", { folder_path: "/Lectures", file_pattern: "(?<!draft)\\.mp4$" });
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(AppError);
    const refused = (refusal as AppError).details as { path: string; message: string }[];
    expect(refused.find((d) => d.path === "config.file_pattern")?.message).toMatch(/^negative lookbehind/);
    expect(parseSourceConfig("YANDEX_DISK", { folder_path: "/Lectures", file_pattern: "^(a+)+\\.mp4$" })).toMatchObject({ file_pattern: "^(a+)+\\.mp4$" });
    const disk = await seedCredential(t.userId, "yandex_disk");
    const source = await call<Err>("/api/v1/sources", {
      token: t.accessToken,
      body: { name: "Disk", platform: "YANDEX_DISK", credential_id: disk, config: { folder_path: "/Lectures", file_pattern: "^(a+)+\\.mp4$" } },
    });
    expectFieldRefused(source, "platform", /input source/);
    expect(await countRows("input_sources", "user_id = ?", t.userId)).toBe(0);
  });
});

describe("stored JSON documents are depth- and size-capped", () => {
  const deepReason = new RegExp(`^is nested deeper than ${MAX_JSON_DEPTH} levels$`);

  it("recording config: a 10 000-level document is a 400 naming the field, not a 500, and nothing is stored", async () => {
    const t = await createTenant("deep-recording");
    const [id] = await seedRecordings(t.userId, [{ displayName: "Deep" }]);
    const path = `/api/v1/recordings/${id}/config`;
    expectFieldRefused(await send(t, "PUT", path, `{"processing_config":${nestedObject(10_000)}}`), "processing_config", deepReason);
    expectFieldRefused(await send(t, "PUT", path, `{"metadata_config":{"x":${nestedArray(10_000)}}}`), "metadata_config", deepReason);
    expectFieldRefused(await send(t, "PUT", path, `{"output_config":${nestedObject(MAX_JSON_DEPTH + 1)}}`), "output_config", deepReason);
    const view = await call<{ overrides: unknown; has_manual_override: boolean }>(path, { token: t.accessToken });
    expect(view.body.overrides).toBeNull();

    // Exactly at the limit, and an ordinary config, still save.
    expectStatus(await send(t, "PUT", path, `{"metadata_config":{"deep":${nestedObject(MAX_JSON_DEPTH - 1)}}}`), 200);
    const saved = await call<{ effective_config: { transcription: Record<string, unknown> } }>(path, {
      method: "PUT",
      token: t.accessToken,
      body: { processing_config: { transcription: { language: "de" } } },
    });
    expectStatus(saved, 200);
    expect(saved.body.effective_config.transcription).toMatchObject({ language: "de" });
  });

  it("recording config: oversize documents are refused, per patch and after merging patches", async () => {
    const t = await createTenant("big-recording");
    const [id] = await seedRecordings(t.userId, [{ displayName: "Big" }]);
    const path = `/api/v1/recordings/${id}/config`;
    const put = (body: unknown) => call<Err>(path, { method: "PUT", token: t.accessToken, body });
    expectFieldRefused(await put({ processing_config: { note: "x".repeat(70 * 1024) } }), "processing_config", /^is too large: \d+ bytes as JSON, at most 65536$/);
    // Two patches each under the cap must not add up to a stored document over it (metadata_config is
    // free-form; processing_config is strict and has no field that long).
    expectStatus(await put({ metadata_config: { a: "x".repeat(40 * 1024) } }), 200);
    expectFieldRefused(await put({ metadata_config: { b: "y".repeat(40 * 1024) } }), "metadata_config", /^is too large/);
    const view = await call<{ overrides: { metadata_config: Record<string, string> } }>(path, { token: t.accessToken });
    expect(Object.keys(view.body.overrides.metadata_config)).toEqual(["a"]);
  });

  it("user config: a 10 000-level document is a 400 naming the field, and nothing is stored", async () => {
    const t = await createTenant("deep-user");
    const before = await call<{ overrides: unknown }>("/api/v1/users/me/config", { token: t.accessToken });
    const deep = await send(t, "PATCH", "/api/v1/users/me/config", `{"processing":${nestedObject(10_000)}}`);
    expectStatus(deep, 400);
    expect(deep.body.error.details[0]?.path).toBe("processing");
    const typed = await send(t, "PATCH", "/api/v1/users/me/config", `{"metadata":{"title_template":${nestedObject(10_000)}}}`);
    expectStatus(typed, 400);
    expect(typed.body.error.details[0]?.path).toBe("metadata.title_template");
    const after = await call<{ overrides: unknown }>("/api/v1/users/me/config", { token: t.accessToken });
    expect(after.body.overrides).toEqual(before.body.overrides);
    expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { transcription: { language: "en" } } }), 200);
  });

  it("templates: deep or oversize configs are a 400 naming the field, and nothing is stored", async () => {
    const t = await createTenant("deep-template");
    const create = (fields: string) => send(t, "POST", "/api/v1/templates", `{"name":"Deep","matching_rules":{"keywords":["x"]},${fields}}`);
    expectFieldRefused(await create(`"processing_config":${nestedObject(10_000)}`), "processing_config", deepReason);
    // 5 000 nested arrays are only 10 000 characters: small enough for a size-only check.
    expectFieldRefused(await create(`"metadata_config":{"title_template":${nestedArray(5_000)}}`), "metadata_config", deepReason);
    expectFieldRefused(await create(`"metadata_config":{"description_template":"${"x".repeat(70 * 1024)}"}`), "metadata_config", /^is too large/);
    const manyRules = Array.from({ length: 100 }, (_, i) => `${"k".repeat(400)}${i}`);
    expectFieldRefused(
      await call("/api/v1/templates", { token: t.accessToken, body: { name: "Big rules", matching_rules: { keywords: manyRules } } }),
      "matching_rules",
      /^is too large: \d+ bytes as JSON, at most 32768$/,
    );
    expect(await countRows("recording_templates", "user_id = ?", t.userId)).toBe(0);
    expectStatus(await create(`"metadata_config":{"title_template":"{display_name}"}`), 201);
  });

  it("per-run overrides, sources and presets: deep documents are a 400 naming the field", async () => {
    const t = await createTenant("deep-misc");
    const [id] = await seedRecordings(t.userId, [{ displayName: "Run me" }]);
    // 9 000 nested arrays are 18 000 characters, under the old 20 000-character check.
    const run = await send(t, "POST", `/api/v1/recordings/${id}/process?dry_run=true`, `{"processing_config":{"x":${nestedArray(9_000)}}}`);
    expectFieldRefused(run, "processing_config", deepReason);

    const source = await send(t, "POST", "/api/v1/sources", `{"name":"Deep","platform":"LOCAL","config":{"a":${nestedArray(10_000)}}}`);
    expectFieldRefused(source, "config", deepReason);
    expect(await countRows("input_sources", "user_id = ?", t.userId)).toBe(0);

    const youtube = await seedCredential(t.userId, "youtube");
    const preset = await send(t, "POST", "/api/v1/presets", `{"name":"Deep","platform":"youtube","credential_id":${youtube},"preset_metadata":${nestedObject(10_000)}}`);
    expectFieldRefused(preset, "preset_metadata", deepReason);
    expect(await countRows("output_presets", "user_id = ?", t.userId)).toBe(0);
  });
});
