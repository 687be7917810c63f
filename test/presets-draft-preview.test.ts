import { describe, expect, it } from "vitest";
import { call, expectStatus } from "./helpers/api";
import { PNG_HEADER, seedCredential, seedRecordings } from "./helpers/fixtures";
import { countRows, createTenant, createTwoTenants } from "./helpers/tenants";

// POST /api/v1/presets/preview: the preset editor's live preview of metadata that is not saved.
type Err = { error: { code: string; message: string; details?: Array<Record<string, unknown>> } };
interface DraftPreview {
  recording_id: number;
  platform: string;
  credential_id: number | null;
  title: string;
  description: string;
  tags: string[];
  privacy: string | null;
  path: string | null;
  thumbnail: { name: string; source: string } | null;
  warnings: Array<{ code: string; message: string }>;
  preset_id?: unknown;
}

const PATH = "/api/v1/presets/preview";

function pngForm(name: string): FormData {
  const bytes = new Uint8Array(128).fill(1);
  bytes.set(PNG_HEADER);
  const data = new FormData();
  data.append("file", new File([bytes], name));
  return data;
}

describe("draft preset preview", () => {
  it("renders unsaved YouTube metadata for one of the caller's recordings and stores nothing", async () => {
    const t = await createTenant("draft");
    const credential = await seedCredential(t.userId, "youtube");
    const [rec] = await seedRecordings(t.userId, [{ displayName: "Linear algebra 2" }]);
    expectStatus(await call("/api/v1/thumbnails", { token: t.accessToken, rawBody: pngForm("cover.png") }), 201);
    const response = await call<DraftPreview>(PATH, {
      token: t.accessToken,
      body: {
        recording_id: rec,
        platform: "youtube",
        credential_id: credential,
        preset_metadata: {
          title_template: "{{ display_name | upcase }}",
          description_template: "Recorded {{ record_time | date: '%Y' }}\nBy the chair",
          privacy: "public",
          tags: ["math"],
          thumbnail_name: "cover",
        },
      },
    });
    expectStatus(response, 200);
    expect(response.body).toMatchObject({ recording_id: rec, platform: "youtube", credential_id: credential, title: "LINEAR ALGEBRA 2", privacy: "public", tags: ["math"] });
    expect(response.body.description).toMatch(/^Recorded \d{4}\nBy the chair$/);
    expect(response.body.thumbnail).toMatchObject({ name: "cover.png", source: "user" });
    expect(response.body.preset_id).toBeUndefined();
    expect(await countRows("output_presets", "user_id = ?", t.userId)).toBe(0);
  });

  it("without a credential yet: previews Yandex Disk with a warning that one is needed", async () => {
    const t = await createTenant("draft-disk");
    const [rec] = await seedRecordings(t.userId, [{ displayName: "Physics" }]);
    const response = await call<DraftPreview>(PATH, {
      token: t.accessToken,
      body: { recording_id: rec, platform: "yandex_disk", preset_metadata: { title_template: "{display_name}", folder_path: "/Lectures/{display_name}" } },
    });
    expectStatus(response, 200);
    expect(response.body.path).toBe("/Lectures/Physics/Physics.mp4");
    expect(response.body.warnings.map((w) => w.code)).toContain("credential_missing");
  });

  it("answers a Liquid syntax error with its line and column, as a save does", async () => {
    const t = await createTenant("draft-syntax");
    const [rec] = await seedRecordings(t.userId, [{ displayName: "Chemistry" }]);
    const description = "First line\n  {% if display_name %}{{ display_name }}";
    const response = await call<Err>(PATH, {
      token: t.accessToken,
      body: { recording_id: rec, platform: "youtube", preset_metadata: { description_template: description } },
    });
    expectStatus(response, 400);
    expect(response.body.error.code).toBe("VALIDATION_FAILED");
    expect(response.body.error.details?.[0]).toMatchObject({ path: "preset_metadata.description_template", code: "template_syntax", line: 2, column: 3 });
    expect(response.body.error.message).toContain("line 2, column 3");

    const unknown = await call<Err>(PATH, {
      token: t.accessToken,
      body: { recording_id: rec, platform: "vk", preset_metadata: { title_template: "Lecture:\n\n{{ lecturer }}" } },
    });
    expectStatus(unknown, 400);
    expect(unknown.body.error.details?.[0]).toMatchObject({ path: "preset_metadata.title_template", code: "template_unknown_variable", variable: "lecturer", line: 3, column: 4 });
  });

  it("refuses bad input with a 400: unknown platform keys, wrong types, extra fields, no recording", async () => {
    const t = await createTenant("draft-bad");
    const [rec] = await seedRecordings(t.userId, [{ displayName: "Biology" }]);
    const bad = [
      { recording_id: rec, platform: "youtube", preset_metadata: { album_id: "12" } },
      { recording_id: rec, platform: "youtube", preset_metadata: { privacy: "secret" } },
      { recording_id: rec, platform: "tiktok" },
      { recording_id: rec, platform: "vk", name: "not a draft field" },
      { platform: "vk" },
      { recording_id: "1", platform: "vk" },
    ];
    for (const body of bad) {
      const response = await call<Err>(PATH, { token: t.accessToken, body });
      expectStatus(response, 400);
      expect(response.body.error.code).toBe("VALIDATION_FAILED");
    }
    const album = await call<Err>(PATH, { token: t.accessToken, body: bad[0] });
    expect(album.body.error.details?.[0]).toMatchObject({ path: "preset_metadata" });
    // A credential of another platform is refused beside its field.
    const vk = await seedCredential(t.userId, "vk");
    const wrong = await call<Err>(PATH, { token: t.accessToken, body: { recording_id: rec, platform: "youtube", credential_id: vk } });
    expectStatus(wrong, 400);
    expect(wrong.body.error.details?.[0]).toMatchObject({ path: "credential_id" });
    expectStatus(await call(PATH, { body: { recording_id: rec, platform: "vk" }, ip: "198.18.0.10" }), 401);
    expect(await countRows("output_presets", "user_id = ?", t.userId)).toBe(0);
  });

  it("keeps tenants apart: another tenant's recording or credential is a 404", async () => {
    const { a, b } = await createTwoTenants();
    const [recA] = await seedRecordings(a.userId, [{ displayName: "A's lecture" }]);
    const [recB] = await seedRecordings(b.userId, [{ displayName: "B's lecture" }]);
    const credentialA = await seedCredential(a.userId, "youtube");
    const byB = await call<Err>(PATH, { token: b.accessToken, body: { recording_id: recA, platform: "youtube", preset_metadata: { title_template: "{display_name}" } } });
    expectStatus(byB, 404);
    expect(JSON.stringify(byB.body)).not.toContain("A's lecture");
    expectStatus(await call(PATH, { token: b.accessToken, body: { recording_id: recB, platform: "youtube", credential_id: credentialA } }), 404);
    const own = await call<DraftPreview>(PATH, { token: b.accessToken, body: { recording_id: recB, platform: "youtube", preset_metadata: { title_template: "{display_name}" } } });
    expectStatus(own, 200);
    expect(own.body.title).toBe("B's lecture");
  });

  it("treats templates as hostile: refused tags, runaway loops and huge bodies are 4xx, never a render", async () => {
    const t = await createTenant("draft-hostile");
    const [rec] = await seedRecordings(t.userId, [{ displayName: "Security" }]);
    const hostile = [
      "{% include 'secrets' %}",
      "{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}",
      `${"{% if true %}".repeat(200)}x${"{% endif %}".repeat(200)}`,
    ];
    for (const description_template of hostile) {
      const response = await call<Err>(PATH, { token: t.accessToken, body: { recording_id: rec, platform: "vk", preset_metadata: { description_template } } });
      expectStatus(response, 400);
      const problem = response.body.error.details?.[0];
      expect(problem).toMatchObject({ path: "preset_metadata.description_template" });
      expect(typeof problem?.line, JSON.stringify(response.body)).toBe("number");
      expect(typeof problem?.column).toBe("number");
    }
    // Prototype walking finds nothing: the render is empty, so the title falls back to the recording's name.
    const walk = await call<DraftPreview>(PATH, { token: t.accessToken, body: { recording_id: rec, platform: "vk", preset_metadata: { title_template: "{{ display_name.constructor.constructor }}" } } });
    expectStatus(walk, 200);
    expect(walk.body.title).toBe("Security");
    expect(JSON.stringify(walk.body)).not.toMatch(/function|native code/);
    const huge = await call<Err>(PATH, { token: t.accessToken, body: { recording_id: rec, platform: "vk", preset_metadata: { description_template: "x".repeat(300_000) } } });
    expect([400, 413]).toContain(huge.status);
    expect(await countRows("output_presets", "user_id = ?", t.userId)).toBe(0);
  });
});
