import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { checkTemplate, renderMetadata, renderTemplate, type RecordingForMetadata } from "../src/services/metadata";
import { call, expectStatus } from "./helpers/api";
import { seedCredential, seedRecordings } from "./helpers/fixtures";
import { ENGINE_ONLY_CONFIG, waitForRun } from "./helpers/pipeline";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";
import { FakeYouTube } from "./fakes/fake-youtube";

/**
 * Metadata templates are tenant input (guarantee 7): only the listed tags and filters, and hard
 * budgets on everything a render produces (captures and assigns included), on loop iterations,
 * on work and on nesting. A refusal is a 400 at save and at preview, and a readable failure at
 * publish — never a 100-million-character string or a stuck isolate.
 */

type Err = { error: { code: string; message: string; details?: Array<Record<string, unknown>> } };

/** Ten nested captures, each ten times the one before: 10^11 characters if nothing counted them. */
const CAPTURE_BOMB = (() => {
  let t = "{% capture a0 %}xxxxxxxxxx{% endcapture %}";
  for (let i = 1; i <= 10; i++) t += `{% capture a${i} %}${`{{ a${i - 1} }}`.repeat(10)}{% endcapture %}`;
  return `${t}{{ a10 | size }}`;
})();

const BOMBS: Record<string, string> = {
  "nested captures": CAPTURE_BOMB,
  "a capture doubling itself in a loop": '{% assign a = "xxxxxxxxxx" %}{% for i in (1..40) %}{% capture a %}{{ a }}{{ a }}{% endcapture %}{% endfor %}{{ a | size }}',
  "assign + append doubling in a loop": '{% assign a = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign a = a | append: a %}{% endfor %}{{ a | size }}',
  "a list doubling itself, then printed": '{% assign a = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" | split: "," %}{% for i in (1..30) %}{% assign a = a | concat: a %}{% endfor %}{{ a }}',
  "a loop over a huge range": "{% for i in (1..100000000) %}{{ i }}{% endfor %}",
  "nested loops": "{% for i in (1..1000) %}{% for j in (1..1000) %}.{% endfor %}{% endfor %}",
  "work without output": `{% for i in (1..10000) %}${"{% if i == 0 %}{% endif %}".repeat(300)}{% endfor %}`,
  "a padded date (repeat-style)": '{{ "now" | date: "%100000000Y" }}',
  "tags nested 200 deep": `${"{% if true %}".repeat(200)}x${"{% endif %}".repeat(200)}`,
};

const RECORDING: RecordingForMetadata = {
  id: 7,
  displayName: "ML lecture 4",
  startTime: new Date(Date.UTC(2026, 2, 5, 22, 7, 9)),
  duration: 5432,
  mainTopics: ["Neural networks", "Optimisation"],
  topicTimestamps: [
    { topic: "Introduction", start: 0, end: 300 },
    { topic: "Gradient descent", start: 305, end: 2400 },
    { topic: "Backpropagation", start: 3725, end: 5400 },
  ],
  topicsSummary: "How networks learn.",
};
const describeWith = (template: string) =>
  renderMetadata({ platform: "vk", recording: RECORDING, presetMetadata: { description_template: template }, now: new Date(Date.UTC(2026, 3, 1)) });

describe("template budgets: nothing a template makes escapes the count", () => {
  it("refuses every bomb at save time, with where it ran out", () => {
    for (const [name, template] of Object.entries(BOMBS)) {
      const problems = checkTemplate(template);
      expect(problems, name).toHaveLength(1);
      expect(problems[0], name).toMatchObject({ code: "template_too_complex", line: 1 });
      expect(problems[0]!.column, name).toBeGreaterThanOrEqual(1);
    }
    // The messages say which budget, in the user's terms.
    expect(checkTemplate(CAPTURE_BOMB)[0]!.message).toMatch(/produces more than 1000000 characters/);
    expect(checkTemplate(CAPTURE_BOMB)[0]!.column).toBeGreaterThan(400); // the capture that ran out, not the start
    expect(checkTemplate(BOMBS["nested loops"]!)[0]!.message).toBe("more than 10000 loop iterations");
    expect(checkTemplate(BOMBS["work without output"]!)[0]!.message).toMatch(/more than 100000 steps/);
    expect(checkTemplate(BOMBS["tags nested 200 deep"]!)[0]).toMatchObject({ message: "tags are nested more than 32 deep", column: 1 + 13 * 32 });
  });

  it("refuses every bomb when it renders (a template stored before these limits): the render fails as refused, the fallback stays", () => {
    for (const [name, template] of Object.entries(BOMBS)) {
      const result = renderTemplate(template, {}, "UTC");
      expect(result.ok, name).toBe(false);
      if (result.ok) continue;
      expect(result, name).toMatchObject({ refused: true, problem: { code: "template_too_complex" } });
      const rendered = describeWith(template);
      expect(rendered.refusals, name).toEqual([expect.objectContaining({ field: "description_template", code: "template_too_complex" })]);
      expect(rendered.description.length, name).toBeLessThan(200); // the fallback, not a giant value
    }
  });

  it("allows only the listed tags and filters, refused at parse time with line and column", () => {
    for (const tag of ["include 'x'", "render 'x'", "layout 'x'", "tablerow c in chapters", "cycle 'a', 'b'", "increment n", "decrement n", "liquid assign x = 1", "echo topic", "block b"]) {
      const [problem] = checkTemplate(`Title\n  {% ${tag} %}`);
      expect(problem, tag).toMatchObject({ code: "template_tag_not_allowed", line: 2, column: 3 });
      expect(problem!.message, tag).toMatch(/is not available in metadata templates/);
    }
    for (const filter of ["base64_decode", "sha256", "hmac_sha256: 'k'", "inspect", "json", "jsonify", "where_exp: 'c', 'c.topic'", "sample", "group_by: 'topic'", "push: 1", "shout"]) {
      const [problem] = checkTemplate(`{{ chapters | ${filter} }}`);
      expect(problem, filter).toMatchObject({ code: "template_unknown_filter", line: 1, column: 1 });
      expect(problem!.message, filter).toMatch(/^filter ".+" is not available in metadata templates$/);
    }
  });

  it("renders ordinary templates as before, with the allowed tags and filters", () => {
    const cases: Array<[string, string]> = [
      ["{display_name} — {record_time:DD.MM.YYYY}", "ML lecture 4 — 05.03.2026"],
      ["{{ chapters | map: 'topic' | join: ', ' | upcase }}", "INTRODUCTION, GRADIENT DESCENT, BACKPROPAGATION"],
      ["{% for c in chapters limit: 2 %}{{ forloop.index }}. {{ c.topic | truncate: 8 }} {% endfor %}", "1. Intro... 2. Gradi..."],
      ["{% capture t %}{{ topic | downcase }}{% endcapture %}{% assign n = chapters | size %}{{ t | append: '/' | append: n }}", "neural networks/3"],
      ["{% case duration.seconds %}{% when 5432 %}long{% else %}short{% endcase %}{% unless summary == '' %}: {{ summary | remove: '.' }}{% endunless %}", "long: How networks learn"],
      ["{{ record_time | date: '%Y' }} {{ duration | format: 'HH:MM:SS' }} {{ main_topics | first | slice: 0, 6 }} {{ 7 | times: 6 | plus: 0 }}", "2026 01:30:32 Neural 42"],
      ["{% raw %}{{ literally }}{% endraw %}{% comment %}{% include 'x' %}{% endcomment %}{% # note %}", "{{ literally }}"],
    ];
    for (const [template, expected] of cases) {
      expect(checkTemplate(template), template).toEqual([]);
      const rendered = describeWith(template);
      expect(rendered.refusals, template).toEqual([]);
      expect(rendered.description, template).toBe(expected);
    }
  });
});

let youtube: FakeYouTube;
beforeEach(() => {
  youtube = new FakeYouTube();
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const host = new URL(input instanceof Request ? input.url : String(input)).hostname;
    if (host.startsWith("youtube")) return youtube.handle(input, init);
    return new Response("unexpected host", { status: 599 });
  });
});
afterEach(() => vi.restoreAllMocks());

async function presetBody(t: Tenant, metadata: Record<string, unknown>) {
  return { name: `P ${crypto.randomUUID()}`, platform: "youtube", credential_id: await seedCredential(t.userId, "youtube"), preset_metadata: metadata };
}

describe("template budgets over the API", () => {
  it("answers 400 at preset create and update, naming the field, the line and the column; nothing is stored", async () => {
    const t = await createTenant("tpl-save");
    const bomb = await call<Err>("/api/v1/presets", { token: t.accessToken, body: await presetBody(t, { description_template: `Intro\n${CAPTURE_BOMB}` }) });
    expectStatus(bomb, 400);
    expect(bomb.body.error.code).toBe("VALIDATION_FAILED");
    expect(bomb.body.error.message).toMatch(/^Invalid preset_metadata\.description_template: the template produces more than 1000000 characters .* at line 2, column \d+$/);
    expect(bomb.body.error.details?.[0]).toMatchObject({ path: "preset_metadata.description_template", code: "template_too_complex", line: 2 });

    for (const template of ["{% include 'secrets' %}", "{% render 'x' %}", "{% layout 'x' %}", "{{ display_name | base64_decode }}", BOMBS["a loop over a huge range"]!]) {
      const refused = await call<Err>("/api/v1/presets", { token: t.accessToken, body: await presetBody(t, { title_template: template }) });
      expectStatus(refused, 400);
      expect(refused.body.error.details?.[0], template).toMatchObject({ path: "preset_metadata.title_template", line: 1, column: expect.any(Number) });
    }
    expect(await countRows("output_presets", "user_id = ?", t.userId)).toBe(0);

    const created = await call<{ id: number }>("/api/v1/presets", { token: t.accessToken, body: await presetBody(t, { description_template: "{summary}" }) });
    expectStatus(created, 201);
    const patched = await call<Err>(`/api/v1/presets/${created.body.id}`, {
      method: "PATCH",
      token: t.accessToken,
      body: { preset_metadata: { description_template: BOMBS["nested loops"] } },
    });
    expectStatus(patched, 400);
    expect(patched.body.error.details?.[0]).toMatchObject({ code: "template_too_complex", message: "more than 10000 loop iterations" });
    const stored = await call<{ preset_metadata: Record<string, unknown> }>(`/api/v1/presets/${created.body.id}`, { token: t.accessToken });
    expect(stored.body.preset_metadata.description_template).toBe("{summary}");
  });

  it("answers 400 at preview for a bomb in the request's override and for one smuggled into a stored preset", async () => {
    const t = await createTenant("tpl-preview");
    const [rec] = await seedRecordings(t.userId, [{ displayName: "Lecture" }]);
    const created = await call<{ id: number }>("/api/v1/presets", { token: t.accessToken, body: await presetBody(t, { title_template: "{display_name}" }) });
    expectStatus(created, 201);
    const preview = (body: Record<string, unknown>) => call<Err>(`/api/v1/presets/${created.body.id}/preview`, { token: t.accessToken, body: { recording_id: rec, ...body } });

    const override = await preview({ metadata_config: { description_template: CAPTURE_BOMB } });
    expectStatus(override, 400);
    expect(override.body.error.message).toMatch(/^The description_template cannot be rendered: the template produces more than 1000000 characters .* at line 1, column \d+$/);

    // Written straight to D1, as data stored before these limits (or by anything that skipped the check).
    await env.DB.prepare("UPDATE output_presets SET preset_metadata = ? WHERE id = ?")
      .bind(JSON.stringify({ title_template: "Lecture\n{% tablerow c in chapters %}{{ c }}{% endtablerow %}", privacy: "unlisted" }), created.body.id)
      .run();
    const smuggled = await preview({});
    expectStatus(smuggled, 400);
    expect(smuggled.body.error.message).toBe('The title_template cannot be rendered: tag "tablerow" is not available in metadata templates at line 2, column 1');
    expect(smuggled.body.error.details?.[0]).toMatchObject({ path: "title_template", code: "template_tag_not_allowed", line: 2, column: 1 });
  });

  it("fails the publish of a smuggled template with a readable reason; nothing reaches YouTube", async () => {
    const t = await createTenant("tpl-publish");
    const upload = await call<{ id: number }>("/api/v1/recordings?display_name=Lecture%207", {
      method: "POST",
      token: t.accessToken,
      rawBody: new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, ...new Array(4096).fill(7)]),
      headers: { "Content-Type": "video/mp4" },
    });
    expectStatus(upload, 201);
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: ENGINE_ONLY_CONFIG });
    const credential = await call<{ id: number }>("/api/v1/credentials", {
      token: t.accessToken,
      body: { platform: "youtube", credentials: { client_id: "google-client-1", client_secret: "google-secret-123", access_token: "ya29.valid", refresh_token: "1//refresh-token", expiry: "2099-01-01T00:00:00Z" } },
    });
    expectStatus(credential, 201);
    const preset = await call<{ id: number }>("/api/v1/presets", {
      token: t.accessToken,
      body: { name: "YT", platform: "youtube", credential_id: credential.body.id, preset_metadata: { description_template: "{summary}" } },
    });
    expectStatus(preset, 201);
    await env.DB.prepare("UPDATE output_presets SET preset_metadata = json_set(preset_metadata, '$.description_template', ?) WHERE id = ?").bind(CAPTURE_BOMB, preset.body.id).run();

    const run = await call<{ task_id: string }>(`/api/v1/recordings/${upload.body.id}/upload/youtube?preset_id=${preset.body.id}`, { method: "POST", token: t.accessToken });
    expectStatus(run, 202);
    const ended = await waitForRun(run.body.task_id);
    expect(ended.status, JSON.stringify(ended)).toBe("FAILED");
    expect(ended.error).toMatch(/YOUTUBE: The description_template cannot be rendered: the template produces more than 1000000 characters .* at line 1, column \d+/);
    const detail = await call<{ outputs: Array<{ status: string; failed_reason: string | null }> }>(`/api/v1/recordings/${upload.body.id}`, { token: t.accessToken });
    expect(detail.body.outputs).toEqual([expect.objectContaining({ status: "FAILED", failed_reason: expect.stringMatching(/^The description_template cannot be rendered: /) })]);
    expect(youtube.sessions.size).toBe(0);
    expect(youtube.videosCreated).toBe(0);
  });
});
