import { describe, expect, it } from "vitest";
import { call, expectStatus } from "./helpers/api";
import { seedRecordings } from "./helpers/fixtures";
import { countRows, createTenant, createTwoTenants, expectTenantIsolation } from "./helpers/tenants";

// POST /api/v1/templates/preview: the editor's live preview of rules that are not saved yet.
interface Preview {
  total_checked: number;
  will_match_count: number;
  will_match: Array<{ id: number; display_name: string }>;
}
type Err = { error: { code: string; details: Array<{ path: string; message: string }> } };

const preview = (token: string, body: unknown) => call<Preview>("/api/v1/templates/preview", { token, body });

/** Everything the preview must leave as it was: recordings' mapping and the templates table. */
const snapshot = async (userId: string) => ({
  mapped: await countRows("recordings", "user_id = ? AND is_mapped = 1", userId),
  skipped: await countRows("recordings", "user_id = ? AND status = 'SKIPPED'", userId),
  templates: await countRows("recording_templates", "user_id = ?", userId),
});

describe("template rules preview (unsaved rules)", () => {
  it("lists the unmapped recordings the rules would match, newest first, and changes nothing", async () => {
    const t = await createTenant("rules-preview");
    const [algebra1, , algebra2] = await seedRecordings(t.userId, [
      { displayName: "Algebra lecture 1" },
      { displayName: "Chemistry lab" },
      { displayName: "ALGEBRA lecture 2" },
      { displayName: "Algebra blank", blank: true },
      { displayName: "Algebra deleted", deleted: true },
    ]);
    const before = await snapshot(t.userId);

    const keyword = await preview(t.accessToken, { matching_rules: { keywords: ["algebra"] } });
    expectStatus(keyword, 200);
    expect(keyword.body.total_checked).toBe(3); // blank and deleted recordings are never candidates
    expect(keyword.body.will_match.map((r) => r.id)).toEqual([algebra2, algebra1]);
    expect(keyword.body.will_match_count).toBe(2);

    // The matcher's own semantics: case sensitivity, patterns, exclusions, exact titles.
    const sensitive = await preview(t.accessToken, { matching_rules: { keywords: ["Algebra"], case_sensitive: true } });
    expect(sensitive.body.will_match.map((r) => r.id)).toEqual([algebra1]);
    const pattern = await preview(t.accessToken, { matching_rules: { patterns: ["lecture \\d$"], exclude_keywords: ["2"] } });
    expect(pattern.body.will_match.map((r) => r.id)).toEqual([algebra1]);
    const exact = await preview(t.accessToken, { matching_rules: { exact_matches: ["chemistry LAB"] } });
    expect(exact.body.will_match.map((r) => r.display_name)).toEqual(["Chemistry lab"]);
    // Rules that select nothing are a valid preview (an empty list), not an error.
    const none = await preview(t.accessToken, { matching_rules: {} });
    expectStatus(none, 200);
    expect(none.body.will_match).toEqual([]);

    // `limit` bounds the recordings checked (newest first).
    const limited = await preview(t.accessToken, { matching_rules: { keywords: ["algebra"] }, limit: 1 });
    expect(limited.body).toMatchObject({ total_checked: 1, will_match_count: 1 });
    expect(limited.body.will_match[0]?.id).toBe(algebra2);

    expect(await snapshot(t.userId)).toEqual(before);
  });

  it("with template_id, also checks the recordings that template already holds", async () => {
    const t = await createTenant("rules-preview-edit");
    const created = await call<{ id: number }>("/api/v1/templates", { token: t.accessToken, body: { name: "Physics", matching_rules: { keywords: ["physics"] } } });
    expectStatus(created, 201);
    const [own, loose] = await seedRecordings(t.userId, [
      { displayName: "Physics 101", isMapped: true, templateId: created.body.id, status: "INITIALIZED" },
      { displayName: "Physics lab" },
    ]);
    const without = await preview(t.accessToken, { matching_rules: { keywords: ["physics"] } });
    expect(without.body.will_match.map((r) => r.id)).toEqual([loose]);
    const editing = await preview(t.accessToken, { matching_rules: { keywords: ["physics"] }, template_id: created.body.id });
    expect(editing.body.will_match.map((r) => r.id)).toEqual([loose, own]);
  });

  it("refuses bad rules with field details, and hostile input, storing nothing", async () => {
    const t = await createTenant("rules-preview-bad");
    await seedRecordings(t.userId, [{ displayName: "Anything" }]);
    const before = await snapshot(t.userId);

    const badPattern = await call<Err>("/api/v1/templates/preview", { token: t.accessToken, body: { matching_rules: { patterns: ["ok", "(unclosed"] } } });
    expectStatus(badPattern, 400);
    expect(badPattern.body.error.details.some((d) => d.path === "matching_rules.patterns.1")).toBe(true);

    const cases: unknown[] = [
      {},
      { matching_rules: null },
      { matching_rules: { keywords: "algebra" } },
      { matching_rules: { keyword: ["typo"] } },
      { matching_rules: { keywords: ["x"] }, limit: 0 },
      { matching_rules: { keywords: ["x"] }, limit: 501 },
      { matching_rules: { keywords: ["x"] }, template_id: -1 },
      { matching_rules: { keywords: ["x"] }, extra: true },
      { matching_rules: { keywords: Array.from({ length: 101 }, (_, i) => `k${i}`) } },
      { matching_rules: { patterns: ["(a+)+$".repeat(200)] } },
    ];
    for (const body of cases) expectStatus(await preview(t.accessToken, body), 400);
    expectStatus(await call("/api/v1/templates/preview", { token: t.accessToken, rawBody: "{not json", headers: { "Content-Type": "application/json" } }), 400);
    expect(await snapshot(t.userId)).toEqual(before);
  });

  it("is tenant-scoped: another tenant's recordings are never checked, another tenant's template_id is 404", async () => {
    const tenants = await createTwoTenants();
    await seedRecordings(tenants.a.userId, [{ displayName: "Secret algebra" }]);
    const created = await call<{ id: number }>("/api/v1/templates", { token: tenants.a.accessToken, body: { name: "A's", matching_rules: { keywords: ["algebra"] } } });
    expectStatus(created, 201);

    const fromB = await preview(tenants.b.accessToken, { matching_rules: { keywords: ["algebra"] } });
    expectStatus(fromB, 200);
    expect(fromB.body).toMatchObject({ total_checked: 0, will_match_count: 0 });
    await expectTenantIsolation(
      { path: "/api/v1/templates/preview", method: "POST", body: { matching_rules: { keywords: ["algebra"] }, template_id: created.body.id } },
      tenants,
      200,
    );
  });
});
