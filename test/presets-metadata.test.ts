import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { serviceContext } from "../src/services/context";
import { checkTemplate, renderMetadata, renderTemplate, validateTemplate, type RecordingForMetadata } from "../src/services/metadata";
import { formatTopicsList } from "../src/services/metadata/topics-display";
import { resolveThumbnail } from "../src/services/thumbnails/thumbnails.service";
import { call, expectStatus } from "./helpers/api";
import { PNG_HEADER, seedCredential, seedRecordings } from "./helpers/fixtures";
import { countRows, createTenant, createTwoTenants, expectTenantIsolation } from "./helpers/tenants";

type Err = { error: { code: string; message: string; details?: Array<Record<string, unknown>> } };
interface Preset {
  id: number;
  name: string;
  platform: string;
  credential_id: number | null;
  preset_metadata: Record<string, unknown>;
  is_active: boolean;
}
interface Preview {
  title: string;
  description: string;
  tags: string[];
  privacy: string | null;
  playlist_id: string | null;
  album_id: string | null;
  group_id: number | null;
  path: string | null;
  thumbnail: { name: string; source: string; url: string } | null;
  publish_at: string | null;
  request: Record<string, unknown>;
  warnings: Array<{ code: string; message: string }>;
}
interface Thumb {
  name: string;
  url: string;
  is_template: boolean;
  size_bytes: number;
  content_type: string;
}

const RECORDED = new Date(Date.UTC(2026, 2, 5, 22, 7, 9)); // 2026-03-05 22:07:09 UTC
const CHAPTERS = [
  { topic: "Introduction", start: 0, end: 300 },
  { topic: "Gradient descent", start: 305, end: 2400 },
  { topic: "Backpropagation", start: 3725, end: 5400 },
];

function recording(over: Partial<RecordingForMetadata> = {}): RecordingForMetadata {
  return {
    id: 7,
    displayName: "ML lecture 4",
    startTime: RECORDED,
    duration: 5432, // 1 h 30 min 32 s
    mainTopics: ["Neural networks", "Optimisation", "Calculus", "Extra"],
    topicTimestamps: CHAPTERS,
    topicsSummary: "How networks learn.",
    ...over,
  };
}

/** Renders one title template for a platform, everything else at its default. */
function title(template: string, over: Partial<Parameters<typeof renderMetadata>[0]> = {}) {
  return renderMetadata({ platform: "vk", recording: recording(), presetMetadata: { title_template: template }, now: new Date(Date.UTC(2026, 3, 1, 9, 30)), ...over });
}

const png = (size = 256, fill = 1) => {
  const bytes = new Uint8Array(size).fill(fill);
  bytes.set(PNG_HEADER);
  return bytes;
};
const jpeg = (size = 256) => {
  const bytes = new Uint8Array(size).fill(2);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  return bytes;
};
function form(bytes: Uint8Array, filename: string, fields: Record<string, string> = {}): FormData {
  const data = new FormData();
  data.append("file", new File([bytes], filename));
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

async function seedTopics(recordingId: number, values: { mainTopics?: string[]; chapters?: unknown; summary?: string | null; preferences?: unknown; templateId?: number }) {
  await env.DB.prepare(
    "UPDATE recordings SET main_topics = ?, topic_timestamps = ?, topics_summary = ?, processing_preferences = ?, template_id = ?, start_time = ? WHERE id = ?",
  )
    .bind(
      JSON.stringify(values.mainTopics ?? []),
      JSON.stringify(values.chapters ?? []),
      values.summary ?? null,
      values.preferences === undefined ? null : JSON.stringify(values.preferences),
      values.templateId ?? null,
      RECORDED.getTime(),
      recordingId,
    )
    .run();
}

describe("metadata templates: variables and formats", () => {
  it("renders every variable in LEAP's {name:format} syntax", () => {
    const r = title(
      "{display_name}|{duration}|{duration:seconds}|{duration:HH:MM:SS}|{duration:HH:MM}|{duration:MM:SS}|{duration:timecode}|" +
        "{record_time}|{record_time:date}|{record_time:time}|{record_time:datetime}|{record_time:iso}|{record_time:DD.MM.YY hh-mm-ss}|" +
        "{publish_time:DD.MM.YYYY HH:mm}|{date}|{topic}|{themes}|{main_topics}|{summary}",
      { platform: "yandex_disk" },
    );
    expect(r.title.split("|")).toEqual([
      "ML lecture 4",
      "91",
      "5432",
      "01:30:32",
      "01:30",
      "90:32",
      "01:30:32",
      "2026-03-05 22:07",
      "2026-03-05",
      "22:07",
      "2026-03-05 22:07",
      "2026-03-05T22:07:09Z",
      "05.03.26 22-07-09",
      "01.04.2026 09:30",
      "05.03.2026",
      "Neural networks",
      "Neural networks, Optimisation, Calculus",
      "Neural networks, Optimisation, Calculus, Extra",
      "How networks learn.",
    ]);
    expect(r.warnings).toEqual([]);
  });

  it("renders the same variables in Liquid, with loops, filters and the owner's time zone", () => {
    const r = renderMetadata({
      platform: "youtube",
      recording: recording({ duration: 1800, topicTimestamps: CHAPTERS.slice(0, 2), topicsSummary: null }),
      presetMetadata: {
        title_template: "{{ display_name | upcase }} ({{ record_time | format: 'DD.MM.YYYY HH:mm' }}, {{ duration }} min)",
        description_template:
          "{% for c in chapters %}{{ c.timecode }} {{ c.topic }}\n{% endfor %}{% if summary != blank %}Summary: {{ summary }}{% else %}no summary{% endif %}\n" +
          "{{ record_time | date: '%d.%m.%Y' }} / {{ duration | format: 'timecode' }} / {{ publish_time }}",
      },
      publishAt: new Date(Date.UTC(2026, 5, 1, 12, 0)),
      now: new Date(Date.UTC(2026, 3, 1)),
      timeZone: "Europe/Moscow",
    });
    expect(r.title).toBe("ML LECTURE 4 (06.03.2026 01:07, 30 min)");
    expect(r.description).toBe("00:00 Introduction\n05:05 Gradient descent\nno summary\n06.03.2026 / 30:00 / 2026-06-01 15:00");
  });

  it("lays the topics out in every display format of §6.2", () => {
    const items = CHAPTERS.map((c) => ({ topic: c.topic, start: c.start }));
    const fmt = (config: Record<string, unknown>, long = false) => formatTopicsList(items, config, long);
    expect(fmt({ format: "numbered_list" })).toBe("1. Introduction\n2. Gradient descent\n3. Backpropagation");
    expect(fmt({ format: "bullet_list" })).toBe("• Introduction\n• Gradient descent\n• Backpropagation");
    expect(fmt({ format: "dash_list", separator: " ; " })).toBe("- Introduction ; - Gradient descent ; - Backpropagation");
    expect(fmt({ format: "comma_separated" })).toBe("Introduction, Gradient descent, Backpropagation");
    expect(fmt({ format: "inline" })).toBe("Introduction | Gradient descent | Backpropagation");
    expect(fmt({ format: "numbered_list", prefix: "Topics:", max_count: 2 })).toBe("Topics:\n1. Introduction\n2. Gradient descent");
    expect(fmt({ format: "bullet_list", min_length: 13, max_length: 15 })).toBe("• Backpropagation");
    expect(fmt({ format: "dash_list", show_timestamps: true })).toBe("- 00:00 — Introduction\n- 05:05 — Gradient descent\n- 62:05 — Backpropagation");
    expect(fmt({ format: "dash_list", show_timestamps: true }, true)).toBe("- 00:00:00 — Introduction\n- 00:05:05 — Gradient descent\n- 01:02:05 — Backpropagation");
    expect(fmt({ include_timestamps: true, format: "inline" }, true)).toBe("00:00:00 — Introduction | 00:05:05 — Gradient descent | 01:02:05 — Backpropagation");
    expect(fmt({ enabled: false })).toBe("");
    // No configuration at all: LEAP's numbered lines, first 10.
    const many = Array.from({ length: 12 }, (_, i) => ({ topic: `T${i + 1}`, start: null }));
    expect(formatTopicsList(many, undefined, false).split("\n")).toHaveLength(10);

    // Through a template: the recording is over an hour, so timecodes are HH:MM:SS; without
    // chapters the main topics are listed (no timecodes).
    const withChapters = title("x", {
      presetMetadata: { description_template: "{topics}", topics_display: { format: "numbered_list", show_timestamps: true, prefix: "Plan" } },
    });
    expect(withChapters.description).toBe("Plan\n1. 00:00:00 — Introduction\n2. 00:05:05 — Gradient descent\n3. 01:02:05 — Backpropagation");
    const shortOne = title("x", {
      recording: recording({ duration: 1200, topicTimestamps: [{ topic: "Only", start: 65, end: 100 }] }),
      presetMetadata: { description_template: "{topics}", topics_display: { format: "bullet_list", show_timestamps: true } },
    });
    expect(shortOne.description).toBe("• 01:05 — Only");
    const mainOnly = title("x", {
      recording: recording({ topicTimestamps: null }),
      presetMetadata: { description_template: "{topics}", topics_display: { format: "comma_separated", show_timestamps: true } },
    });
    expect(mainOnly.description).toBe("Neural networks, Optimisation, Calculus, Extra");
  });

  it("falls back: an empty title is the recording's name, an empty description 'Uploaded on <date>' plus the main topics", () => {
    const r = title("{summary}", { recording: recording({ topicsSummary: "" }), presetMetadata: { title_template: "{summary}", description_template: "{summary}" } });
    expect(r.title).toBe("ML lecture 4");
    expect(r.description).toBe("Uploaded on 2026-03-05\n\nNeural networks, Optimisation, Calculus, Extra");
    const bare = renderMetadata({ platform: "youtube", recording: recording({ mainTopics: [], topicsSummary: null }), now: new Date() });
    expect(bare.title).toBe("ML lecture 4");
    expect(bare.description).toBe("Uploaded on 2026-03-05");
  });

  it("merges metadata layers: user < preset < template < template common < template platform block < recording < request", () => {
    const base = { platform: "youtube" as const, recording: recording(), now: new Date() };
    const userMetadata = { title_template: "user", description_template: "user", tags: ["u"], thumbnail_name: "user_thumb" };
    const presetMetadata = { title_template: "preset {display_name}", tags: ["p"], thumbnail_name: "preset_thumb" };
    let r = renderMetadata({ ...base, userMetadata, presetMetadata });
    expect([r.title, r.description, r.tags, r.thumbnail_name]).toEqual(["preset ML lecture 4", "user", ["p"], "preset_thumb"]);
    const templateMetadata = { title_template: "template", common: { thumbnail_name: "common_thumb" }, youtube: { title_template: "yt {topic}" }, vk: { title_template: "vk" } };
    r = renderMetadata({ ...base, userMetadata, presetMetadata, templateMetadata });
    expect([r.title, r.thumbnail_name]).toEqual(["yt Neural networks", "common_thumb"]);
    r = renderMetadata({ ...base, userMetadata, presetMetadata, templateMetadata, recordingMetadata: { youtube: { thumbnail_name: "rec_thumb" } }, overrideMetadata: { title_template: "override" } });
    expect([r.title, r.thumbnail_name]).toEqual(["override", "rec_thumb"]);
  });
});

describe("metadata templates: checked at save time", () => {
  const problem = (text: string) => {
    try {
      validateTemplate(text, "preset_metadata.description_template");
    } catch (error) {
      return error as { status: number; code: string; message: string; details: Array<Record<string, unknown>> };
    }
    throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
  };

  it("rejects syntax errors, unknown variables, bad formats, unknown filters and file tags with line and column", () => {
    const syntax = problem("Lecture {display_name}\nTopics: {{ topics ");
    expect(syntax.status).toBe(400);
    expect(syntax.code).toBe("VALIDATION_FAILED");
    expect(syntax.message).toMatch(/^Invalid preset_metadata\.description_template: output "\{\{ topics " not closed at line 2, column 9$/);
    expect(syntax.details[0]).toMatchObject({ path: "preset_metadata.description_template", code: "template_syntax", line: 2, column: 9 });

    // The position is in what the user wrote, even after a LEAP placeholder earlier on the line.
    const unknown = problem("{display_name:} ok\n{record_time:DD.MM} {{ speaker | upcase }}");
    expect(unknown.message).toContain('unknown variable "speaker" at line 2, column 24');
    expect(unknown.message).toContain("known variables: display_name");
    expect(unknown.details[0]).toMatchObject({ code: "template_unknown_variable", variable: "speaker", line: 2, column: 24 });

    expect(problem("Hi {lecturer}!").details[0]).toMatchObject({ code: "template_unknown_variable", variable: "lecturer", line: 1, column: 4 });
    expect(problem("{record_time:tomorrow}").details[0]).toMatchObject({ code: "template_bad_format", variable: "record_time" });
    expect(problem("{duration:weeks}").details[0]).toMatchObject({ code: "template_bad_format", variable: "duration" });
    expect(problem("{display_name:upper}").details[0]).toMatchObject({ code: "template_bad_format" });
    expect(problem("{{ display_name | shout }}").details[0]).toMatchObject({ code: "template_unknown_filter" });
    expect(problem("x {% include 'secrets' %}").details[0]).toMatchObject({ code: "template_tag_not_allowed", line: 1, column: 3 });
    expect(problem("{% if topic %}open").details[0]).toMatchObject({ code: "template_syntax", line: 1, column: 1 });
    // Every problem is listed, in text order.
    expect(problem("{a} {b}\n{c}").details.map((d) => d.variable)).toEqual(["a", "b", "c"]);
  });

  it("accepts valid templates, literal braces and raw blocks", () => {
    for (const ok of [
      "{display_name} — {record_time:DD.MM.YYYY}",
      "Part {part 1} and JSON {\"a\": 1}",
      "{% raw %}{not_a_variable} {{ neither }}{% endraw %}",
      "{% assign n = chapters | size %}{{ n }} chapters{% for c in chapters %} {{ forloop.index }}{% endfor %}",
      "{% comment %}{draft}{% endcomment %}{{ summary | default: 'none' }}",
    ]) {
      expect(checkTemplate(ok), ok).toEqual([]);
    }
  });

  it("renders a stored template that was never checked: bad placeholders stay as written, with warnings; runaway loops fall back", () => {
    const r = renderTemplate("{speaker}: {{ nobody }}{display_name}", { display_name: "X" }, "UTC");
    expect(r).toMatchObject({ ok: true, output: "{speaker}: X" });
    expect(r.warnings).toHaveLength(2);
    // Only the documented fields of a value are reachable, never its prototype or constructor.
    const probe = title("x", {
      presetMetadata: {
        description_template:
          "[{{ duration.constructor }}{{ duration.__proto__ }}{{ chapters.first.constructor }}{{ record_time.getTime }}{{ main_topics.constructor }}]" +
          "{{ duration.seconds }} {{ chapters.first.topic }} {{ chapters | size }}",
      },
    });
    expect(probe.description).toBe("[]5432 Introduction 3");
    const loop = title("{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}");
    expect(loop.title).toBe("ML lecture 4");
    expect(loop.warnings.map((w) => w.code)).toContain("template_failed");
  });
});

describe("platform limits", () => {
  it("YouTube: title ≤ 100 characters cut at a word, no < or >, description ≤ 5000 UTF-8 bytes, tags ≤ 500 characters", () => {
    const longTitle = `${"Нейронные сети и ".repeat(8)}итог`; // > 100 characters, Cyrillic
    const r = renderMetadata({
      platform: "youtube",
      recording: recording({ displayName: longTitle }),
      presetMetadata: {
        title_template: "<b>{display_name}</b>",
        description_template: `a < b > c\n${"слово ".repeat(600)}`, // 3600 characters, 6600 bytes
        tags: ["python", "machine learning", "Python", "<ml>", ...Array.from({ length: 60 }, (_, i) => `tag number ${i}`)],
      },
      now: new Date(),
    });
    expect(Array.from(r.title).length).toBeLessThanOrEqual(100);
    expect(r.title.startsWith("‹b›Нейронные сети")).toBe(true);
    expect(r.title.endsWith("…")).toBe(true);
    expect(r.title).not.toMatch(/\s…$/);
    expect(r.title).not.toMatch(/[<>]/);
    const bytes = new TextEncoder().encode(r.description).length;
    expect(bytes).toBeLessThanOrEqual(5000);
    expect(bytes).toBeGreaterThan(4900);
    expect(r.description.startsWith("a ‹ b › c\n")).toBe(true);
    expect(r.description.endsWith("слово…")).toBe(true);
    const tagChars = r.tags.reduce((n, t) => n + Array.from(t).length + (t.includes(" ") ? 2 : 0), 0) + r.tags.length - 1;
    expect(tagChars).toBeLessThanOrEqual(500);
    expect(r.tags.slice(0, 3)).toEqual(["python", "machine learning", "ml"]);
    expect(r.warnings.map((w) => w.code).sort()).toEqual(["description_truncated", "tags_dropped", "title_truncated", "youtube_angle_brackets"]);
  });

  it("VK: title ≤ 128, description ≤ 5000 characters; Yandex Disk: a safe file name", () => {
    const vk = renderMetadata({
      platform: "vk",
      recording: recording({ displayName: "word ".repeat(40) }),
      presetMetadata: { description_template: "ё".repeat(6000) },
      now: new Date(),
    });
    expect(Array.from(vk.title).length).toBeLessThanOrEqual(128);
    expect(vk.title.endsWith("word…")).toBe(true);
    expect(Array.from(vk.description).length).toBe(5000);
    const disk = renderMetadata({
      platform: "yandex_disk",
      recording: recording({ displayName: 'A/B: "intro" <draft>?*|.. ' }),
      presetMetadata: { folder_path: "/Lectures/{record_time:YYYY}/{display_name}" },
      now: new Date(),
    });
    expect(disk.path).toBe("/Lectures/2026/A B intro draft/A B intro draft.mp4");
  });
});

describe("output presets API", () => {
  it("creates, lists, reads, updates and deletes a preset; metadata defaults are stored", async () => {
    const t = await createTenant("preset");
    const youtube = await seedCredential(t.userId, "youtube");
    const vk = await seedCredential(t.userId, "vk");
    const created = await call<Preset>("/api/v1/presets", {
      token: t.accessToken,
      body: {
        name: "Main channel",
        platform: "youtube",
        credential_id: youtube,
        preset_metadata: { title_template: "{display_name} ({record_time:DD.MM.YYYY})", playlist_id: "PL1234567890abc", category_id: 28, tags: ["ml"] },
      },
    });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({ name: "Main channel", platform: "youtube", credential_id: youtube, is_active: true });
    expect(created.body.preset_metadata).toMatchObject({ privacy: "unlisted", category_id: "28", license: "youtube", made_for_kids: false, notify_subscribers: true });
    const second = await call<Preset>("/api/v1/presets", {
      token: t.accessToken,
      body: { name: "VK group", platform: "vk", credential_id: vk, preset_metadata: { group_id: 42, album_id: 7, privacy_view: "1" }, is_active: false },
    });
    expectStatus(second, 201);
    expect(second.body.preset_metadata).toMatchObject({ group_id: 42, album_id: "7", privacy_view: 1, privacy_comment: 0, wallpost: false });

    const all = await call<Preset[]>("/api/v1/presets", { token: t.accessToken });
    expect(all.body.map((p) => p.name)).toEqual(["Main channel", "VK group"]);
    const vkOnly = await call<Preset[]>("/api/v1/presets?platform=vk", { token: t.accessToken });
    expect(vkOnly.body.map((p) => p.name)).toEqual(["VK group"]);
    const active = await call<Preset[]>("/api/v1/presets?active_only=true", { token: t.accessToken });
    expect(active.body.map((p) => p.name)).toEqual(["Main channel"]);

    const patched = await call<Preset>(`/api/v1/presets/${created.body.id}`, {
      method: "PATCH",
      token: t.accessToken,
      body: { name: "Main", preset_metadata: { privacy: "public", description_template: "{topics}" } },
    });
    expectStatus(patched, 200);
    expect(patched.body.name).toBe("Main");
    expect(patched.body.preset_metadata).toMatchObject({ privacy: "public", description_template: "{topics}" });
    expect(patched.body.preset_metadata.playlist_id).toBeUndefined(); // replaced as a whole
    expectStatus(await call(`/api/v1/presets/${created.body.id}`, { token: t.accessToken }), 200);

    // Switching platform needs metadata and a credential of the new platform.
    expectStatus(await call(`/api/v1/presets/${created.body.id}`, { method: "PATCH", token: t.accessToken, body: { platform: "vk" } }), 400);
    const moved = await call<Preset>(`/api/v1/presets/${created.body.id}`, {
      method: "PATCH",
      token: t.accessToken,
      body: { platform: "vk", credential_id: vk, preset_metadata: {} },
    });
    expectStatus(moved, 200);
    expect(moved.body).toMatchObject({ platform: "vk", credential_id: vk });

    expectStatus(await call(`/api/v1/presets/${created.body.id}`, { method: "DELETE", token: t.accessToken }), 204);
    expectStatus(await call(`/api/v1/presets/${created.body.id}`, { token: t.accessToken }), 404);
    expect(await countRows("output_presets", "user_id = ?", t.userId)).toBe(1);

    // Deleting a credential keeps its presets (LEAP deleted them): they wait for a new credential.
    expectStatus(await call(`/api/v1/credentials/${vk}`, { method: "DELETE", token: t.accessToken }), 204);
    const orphan = await call<Preset>(`/api/v1/presets/${second.body.id}`, { token: t.accessToken });
    expect(orphan.body.credential_id).toBeNull();
    expectStatus(await call(`/api/v1/presets/${second.body.id}`, { method: "PATCH", token: t.accessToken, body: { name: "VK renamed" } }), 200);
    const [rec] = await seedRecordings(t.userId, [{ displayName: "Any" }]);
    const preview = await call<Preview>(`/api/v1/presets/${second.body.id}/preview`, { token: t.accessToken, body: { recording_id: rec } });
    expectStatus(preview, 200);
    expect(preview.body.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["preset_inactive", "credential_missing"]));
  });

  it("refuses bad input with a 400 that points at the problem, and stores nothing", async () => {
    const t = await createTenant("preset-bad");
    const youtube = await seedCredential(t.userId, "youtube");
    const zoom = await seedCredential(t.userId, "zoom");
    const post = (body: unknown) => call<Err>("/api/v1/presets", { token: t.accessToken, body });
    const base = { name: "P", platform: "youtube", credential_id: youtube };

    const syntax = await post({ ...base, preset_metadata: { description_template: "Intro\n{% for c in chapters %}{{ c.topic }}" } });
    expectStatus(syntax, 400);
    expect(syntax.body.error.message).toMatch(/^Invalid preset_metadata\.description_template: tag .* not closed at line 2, column 1$/);
    expect(syntax.body.error.details?.[0]).toMatchObject({ path: "preset_metadata.description_template", line: 2, column: 1 });

    const unknown = await post({ ...base, preset_metadata: { title_template: "{display_name} by {lecturer}" } });
    expectStatus(unknown, 400);
    expect(unknown.body.error.message).toContain('preset_metadata.title_template: unknown variable "lecturer" at line 1, column 19');
    expect(unknown.body.error.details?.[0]).toMatchObject({ variable: "lecturer", code: "template_unknown_variable" });

    // Cross-checked against the platform: a VK setting in a YouTube preset.
    const wrongShape = await post({ ...base, preset_metadata: { privacy_view: 1 } });
    expectStatus(wrongShape, 400);
    expect(wrongShape.body.error.message).toContain("not a youtube setting");
    expectStatus(await post({ ...base, preset_metadata: { privacy: "secret" } }), 400);
    expectStatus(await post({ ...base, preset_metadata: { thumbnail_name: "../etc/passwd" } }), 400);
    expectStatus(await post({ ...base, preset_metadata: { topics_display: { format: "table" } } }), 400);
    expectStatus(await post({ ...base, preset_metadata: { publish_at: "tomorrow" } }), 400);
    expectStatus(await post({ ...base, platform: "vimeo" }), 400);
    expectStatus(await post({ name: "P", platform: "youtube" }), 400); // no credential

    const mismatch = await post({ ...base, credential_id: zoom });
    expectStatus(mismatch, 400);
    expect(mismatch.body.error.message).toContain("a youtube preset needs a youtube credential");
    expectStatus(await post({ ...base, credential_id: 999_999 }), 404);
    expect(await countRows("output_presets", "user_id = ?", t.userId)).toBe(0);

    expectStatus(await post(base), 201);
    const duplicate = await post(base);
    expectStatus(duplicate, 409);
    expect(await countRows("output_presets", "user_id = ?", t.userId)).toBe(1);
    expectStatus(await call("/api/v1/presets", { ip: "198.18.0.9" }), 401);
  });

  it("keeps presets per tenant: another tenant's preset or credential is a 404", async () => {
    const { a, b } = await createTwoTenants();
    const credential = await seedCredential(a.userId, "youtube");
    const created = await call<Preset>("/api/v1/presets", { token: a.accessToken, body: { name: "A", platform: "youtube", credential_id: credential } });
    expectStatus(created, 201);
    const path = `/api/v1/presets/${created.body.id}`;
    const [recordingB] = await seedRecordings(b.userId, [{ displayName: "B's lecture" }]);
    await expectTenantIsolation({ path }, { a, b }, 200);
    await expectTenantIsolation({ path, method: "PATCH", body: { name: "taken over" } }, { a, b }, 200);
    await expectTenantIsolation({ path: `${path}/preview`, method: "POST", body: { recording_id: recordingB } }, { a, b }, 404);
    await expectTenantIsolation({ path, method: "DELETE" }, { a, b }, 204);
    // B cannot bind A's credential, on create or update.
    expectStatus(await call("/api/v1/presets", { token: b.accessToken, body: { name: "B", platform: "youtube", credential_id: credential } }), 404);
    const own = await call<Preset>("/api/v1/presets", { token: b.accessToken, body: { name: "B", platform: "youtube", credential_id: await seedCredential(b.userId, "youtube") } });
    expectStatus(own, 201);
    expectStatus(await call(`/api/v1/presets/${own.body.id}`, { method: "PATCH", token: b.accessToken, body: { credential_id: credential } }), 404);
    expect(await countRows("output_presets", "user_id = ?", b.userId)).toBe(1);
    const listed = await call<Preset[]>("/api/v1/presets", { token: b.accessToken });
    expect(listed.body.map((p) => p.name)).toEqual(["B"]);
  });
});

describe("preset preview", () => {
  it("shows exactly what a YouTube upload sends, with template, user config, thumbnail and schedule", async () => {
    const t = await createTenant("preview");
    const credential = await seedCredential(t.userId, "youtube");
    await env.MEDIA.put("shared/thumbnails/python_base.png", png(300));
    const template = await call<{ id: number }>("/api/v1/templates", {
      token: t.accessToken,
      body: { name: "ML course", matching_rules: { keywords: ["nothing-matches-this"] }, metadata_config: { youtube: { thumbnail_name: "python_base" } } },
    });
    expectStatus(template, 201);
    const [rec] = await seedRecordings(t.userId, [{ displayName: "ML <4>", duration: 5432 }]);
    await seedTopics(rec!, { mainTopics: ["Neural networks"], chapters: CHAPTERS, summary: "How networks learn.", templateId: template.body.id });
    const publishAt = new Date(Date.now() + 86_400_000).toISOString();
    const preset = await call<Preset>("/api/v1/presets", {
      token: t.accessToken,
      body: {
        name: "YT",
        platform: "youtube",
        credential_id: credential,
        preset_metadata: {
          title_template: "{display_name}: {topic} ({date})",
          description_template: "{summary}\n\n{topics}",
          topics_display: { format: "numbered_list", show_timestamps: true, prefix: "" },
          playlist_id: "PLabcdef123456",
          tags: ["ml", "lecture"],
          default_language: "en",
          publish_at: publishAt,
          privacy: "public",
        },
      },
    });
    expectStatus(preset, 201);
    const preview = await call<Preview>(`/api/v1/presets/${preset.body.id}/preview`, { token: t.accessToken, body: { recording_id: rec } });
    expectStatus(preview, 200);
    const p = preview.body;
    expect(p.title).toBe("ML ‹4›: Neural networks (05.03.2026)");
    expect(p.description).toBe("How networks learn.\n\n1. 00:00:00 — Introduction\n2. 00:05:05 — Gradient descent\n3. 01:02:05 — Backpropagation");
    expect(p).toMatchObject({ tags: ["ml", "lecture"], privacy: "private", playlist_id: "PLabcdef123456", publish_at: new Date(publishAt).toISOString() });
    expect(p.thumbnail).toEqual({ name: "python_base.png", source: "shared", size_bytes: 300, content_type: "image/png", url: "/api/v1/thumbnails/python_base.png" });
    expect(p.request).toEqual({
      part: "snippet,status",
      notifySubscribers: true,
      snippet: { title: p.title, description: p.description, tags: ["ml", "lecture"], categoryId: "27", defaultLanguage: "en", defaultAudioLanguage: "en" },
      status: { privacyStatus: "private", selfDeclaredMadeForKids: false, embeddable: true, license: "youtube", publishAt: new Date(publishAt).toISOString() },
    });
    expect(p.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["youtube_angle_brackets", "privacy_scheduled"]));

    // The user's own thumbnail of that name wins over the shared one; a request override beats the template.
    const own = await call<Thumb>("/api/v1/thumbnails", { token: t.accessToken, rawBody: form(jpeg(), "x.jpg", { custom_filename: "python_base" }) });
    expectStatus(own, 201);
    const again = await call<Preview>(`/api/v1/presets/${preset.body.id}/preview`, {
      token: t.accessToken,
      body: { recording_id: rec, metadata_config: { youtube: { thumbnail_name: "python_base.jpg" }, title_template: "{display_name:}" } },
    });
    expectStatus(again, 200);
    expect(again.body.thumbnail).toMatchObject({ name: "python_base.jpg", source: "user" });
    expect(again.body.title).toBe("ML ‹4›");
  });

  it("builds VK and Yandex Disk requests, and applies the user's metadata config and time zone", async () => {
    const t = await createTenant("preview-vk");
    expectStatus(await call("/api/v1/users/me", { method: "PATCH", token: t.accessToken, body: { timezone: "Asia/Tokyo" } }), 200);
    expectStatus(await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { metadata: { date_format: "YYYY/MM/DD" } } }), 200);
    const [rec] = await seedRecordings(t.userId, [{ displayName: "Algebra", duration: 1800 }]);
    await seedTopics(rec!, { mainTopics: ["Groups"], chapters: [{ topic: "Groups", start: 0, end: 1800 }] });
    const vk = await call<Preset>("/api/v1/presets", {
      token: t.accessToken,
      body: { name: "VK", platform: "vk", credential_id: await seedCredential(t.userId, "vk"), preset_metadata: { title_template: "{display_name} {date}", group_id: 5, album_id: "12", privacy_view: 3, disable_comments: true, thumbnail_name: "missing" } },
    });
    expectStatus(vk, 201);
    const p = await call<Preview>(`/api/v1/presets/${vk.body.id}/preview`, { token: t.accessToken, body: { recording_id: rec } });
    expectStatus(p, 200);
    expect(p.body.title).toBe("Algebra 2026/03/06"); // 22:07 UTC is the next day in Tokyo
    expect(p.body.description).toBe("Запись от 2026/03/06"); // the user config's default description template
    expect(p.body).toMatchObject({ privacy: "only_me", group_id: 5, album_id: "12", thumbnail: null, tags: [] });
    expect(p.body.request).toEqual({
      name: "Algebra 2026/03/06",
      description: "Запись от 2026/03/06",
      privacy_view: "only_me",
      privacy_comment: "all",
      no_comments: 1,
      repeat: 0,
      wallpost: 0,
      compression: 0,
      group_id: 5,
      album_id: "12",
    });
    expect(p.body.warnings.map((w) => w.code)).toContain("thumbnail_missing");

    const disk = await call<Preset>("/api/v1/presets", {
      token: t.accessToken,
      body: { name: "Disk", platform: "yandex_disk", credential_id: await seedCredential(t.userId, "yandex_disk"), preset_metadata: { folder_path: "/Курсы/{record_time:YYYY}", overwrite: true } },
    });
    expectStatus(disk, 201);
    const d = await call<Preview>(`/api/v1/presets/${disk.body.id}/preview`, { token: t.accessToken, body: { recording_id: rec } });
    expectStatus(d, 200);
    // The user's default title "{display_name} | {topic} ({date})", made a safe file name.
    expect(d.body.request).toEqual({ path: "/Курсы/2026/Algebra Groups (2026 03 06).mp4", overwrite: true, publish: false });
  });

  it("never uses another tenant's preset, recording or thumbnail", async () => {
    const { a, b } = await createTwoTenants();
    const presetA = await call<Preset>("/api/v1/presets", { token: a.accessToken, body: { name: "A", platform: "youtube", credential_id: await seedCredential(a.userId, "youtube") } });
    const presetB = await call<Preset>("/api/v1/presets", {
      token: b.accessToken,
      body: { name: "B", platform: "youtube", credential_id: await seedCredential(b.userId, "youtube"), preset_metadata: { thumbnail_name: "a_private.png" } },
    });
    expectStatus(presetA, 201);
    expectStatus(presetB, 201);
    const [recA] = await seedRecordings(a.userId, [{ displayName: "A's" }]);
    const [recB] = await seedRecordings(b.userId, [{ displayName: "B's" }]);
    expectStatus(await call("/api/v1/thumbnails", { token: a.accessToken, rawBody: form(png(), "a_private.png") }), 201);

    // A's preset with B's recording, B's preset with A's recording, A's preset from B: all 404.
    expectStatus(await call(`/api/v1/presets/${presetA.body.id}/preview`, { token: a.accessToken, body: { recording_id: recB } }), 404);
    expectStatus(await call(`/api/v1/presets/${presetB.body.id}/preview`, { token: b.accessToken, body: { recording_id: recA } }), 404);
    expectStatus(await call(`/api/v1/presets/${presetA.body.id}/preview`, { token: b.accessToken, body: { recording_id: recB } }), 404);

    // B's own preset naming A's thumbnail: B's recording is published without it.
    const preview = await call<Preview>(`/api/v1/presets/${presetB.body.id}/preview`, { token: b.accessToken, body: { recording_id: recB } });
    expectStatus(preview, 200);
    expect(preview.body.thumbnail).toBeNull();
    expect(preview.body.warnings.map((w) => w.code)).toContain("thumbnail_missing");
    const ctx = serviceContext(env);
    expect(await resolveThumbnail(ctx, b.userId, "a_private.png")).toBeNull();
    expect(await resolveThumbnail(ctx, a.userId, "a_private")).toMatchObject({ name: "a_private.png", source: "user" });
  });
});

describe("thumbnails API", () => {
  it("uploads, lists (own + shared defaults), serves, replaces and deletes thumbnails in R2", async () => {
    const t = await createTenant("thumbs");
    await env.MEDIA.put("shared/thumbnails/hse_ai.png", png(500, 9), { httpMetadata: { contentType: "image/png" } });
    await env.MEDIA.put("shared/thumbnails/ml_extra.png", png(400, 8), { httpMetadata: { contentType: "image/png" } });
    const before = await env.MEDIA.list({ prefix: "shared/thumbnails/" });

    const created = await call<Thumb>("/api/v1/thumbnails", { token: t.accessToken, rawBody: form(png(1000), "My Cover (final).PNG") });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({ name: "My_Cover_final.png", is_template: false, size_bytes: 1000, content_type: "image/png", url: "/api/v1/thumbnails/My_Cover_final.png" });
    const custom = await call<Thumb>("/api/v1/thumbnails", { token: t.accessToken, rawBody: form(jpeg(600), "photo.jpeg", { custom_filename: "ml_extra" }) });
    expectStatus(custom, 201);
    expect(custom.body.name).toBe("ml_extra.jpeg");
    expect(await env.MEDIA.head(`users/${t.userId}/thumbnails/ml_extra.jpeg`)).not.toBeNull();

    const listed = await call<{ thumbnails: Thumb[] }>("/api/v1/thumbnails", { token: t.accessToken });
    expectStatus(listed, 200);
    const names = listed.body.thumbnails.map((x) => `${x.name}:${x.is_template}`);
    expect(names.slice(0, 2)).toEqual(["My_Cover_final.png:false", "ml_extra.jpeg:false"]);
    expect(names).toContain("hse_ai.png:true");
    expect(names).toContain("ml_extra.png:true");

    const served = await call(`/api/v1/thumbnails/My_Cover_final.png`, { token: t.accessToken });
    expectStatus(served, 200);
    expect(served.headers.get("Content-Type")).toBe("image/png");
    expect(served.headers.get("X-Thumbnail-Source")).toBe("user");
    expect(served.headers.get("Content-Length")).toBe("1000");
    const shared = await call(`/api/v1/thumbnails/hse_ai.png`, { token: t.accessToken });
    expectStatus(shared, 200);
    expect(shared.headers.get("X-Thumbnail-Source")).toBe("shared");
    expectStatus(await call(`/api/v1/thumbnails/hse_ai.png?use_template=false`, { token: t.accessToken }), 404);

    // POST never overwrites; PUT replaces or creates.
    expectStatus(await call("/api/v1/thumbnails", { token: t.accessToken, rawBody: form(png(), "x.png", { custom_filename: "My_Cover_final" }) }), 409);
    const replaced = await call<Thumb>("/api/v1/thumbnails/My_Cover_final.png", { method: "PUT", token: t.accessToken, rawBody: form(png(2000), "any.png") });
    expectStatus(replaced, 200);
    expect(replaced.body.size_bytes).toBe(2000);
    expectStatus(await call("/api/v1/thumbnails/new_one.jpg", { method: "PUT", token: t.accessToken, rawBody: form(jpeg(), "any.jpg") }), 201);

    expectStatus(await call("/api/v1/thumbnails/My_Cover_final.png", { method: "DELETE", token: t.accessToken }), 204);
    expectStatus(await call("/api/v1/thumbnails/My_Cover_final.png", { token: t.accessToken }), 404);
    // Shared defaults are read-only and never copied into the user's folder.
    expectStatus(await call("/api/v1/thumbnails/hse_ai.png", { method: "DELETE", token: t.accessToken }), 404);
    expect((await env.MEDIA.list({ prefix: "shared/thumbnails/" })).objects.length).toBe(before.objects.length);
    const own = await env.MEDIA.list({ prefix: `users/${t.userId}/thumbnails/` });
    expect(own.objects.map((o) => o.key.split("/").pop()).sort()).toEqual(["ml_extra.jpeg", "new_one.jpg"]);
  });

  it("refuses files that are too large, not PNG/JPEG, or badly named, and stores nothing", async () => {
    const t = await createTenant("thumbs-bad");
    const post = (data: FormData) => call<Err>("/api/v1/thumbnails", { token: t.accessToken, rawBody: data });
    const big = await post(form(png(2 * 1024 * 1024 + 1), "big.png"));
    expectStatus(big, 413);
    expect(big.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    const gif = new Uint8Array(64).fill(0);
    gif.set(new TextEncoder().encode("GIF89a"));
    expectStatus(await post(form(gif, "fake.png")), 415);
    expectStatus(await post(form(new Uint8Array(0), "empty.png")), 400);
    expectStatus(await post(form(png(), "x.png", { custom_filename: "../../escape" })), 400);
    expectStatus(await post(form(png(), "x.png", { custom_filename: "a".repeat(101) })), 400);
    const noFile = new FormData();
    noFile.append("custom_filename", "x");
    expectStatus(await post(noFile), 400);
    const mismatch = await call<Err>("/api/v1/thumbnails/cover.png", { method: "PUT", token: t.accessToken, rawBody: form(jpeg(), "cover.jpg") });
    expectStatus(mismatch, 400);
    expect(mismatch.body.error.message).toContain("JPEG");
    expectStatus(await call("/api/v1/thumbnails/cover.gif", { method: "PUT", token: t.accessToken, rawBody: form(png(), "c.png") }), 400);
    expectStatus(await call("/api/v1/thumbnails/.hidden.png", { token: t.accessToken }), 400);
    expect((await env.MEDIA.list({ prefix: `users/${t.userId}/thumbnails/` })).objects).toHaveLength(0);
  });

  it("keeps thumbnails per tenant", async () => {
    const { a, b } = await createTwoTenants();
    expectStatus(await call("/api/v1/thumbnails", { token: a.accessToken, rawBody: form(png(), "secret.png") }), 201);
    await expectTenantIsolation({ path: "/api/v1/thumbnails/secret.png" }, { a, b }, 200);
    await expectTenantIsolation({ path: "/api/v1/thumbnails/secret.png", method: "DELETE" }, { a, b }, 204);
    expectStatus(await call("/api/v1/thumbnails", { token: a.accessToken, rawBody: form(png(), "secret.png") }), 201);
    const listedB = await call<{ thumbnails: Thumb[] }>("/api/v1/thumbnails", { token: b.accessToken });
    expect(listedB.body.thumbnails.map((x) => x.name)).not.toContain("secret.png");
    // B's PUT of the same name creates B's own file; A's is untouched.
    expectStatus(await call("/api/v1/thumbnails/secret.png", { method: "PUT", token: b.accessToken, rawBody: form(png(999), "s.png") }), 201);
    expect((await env.MEDIA.head(`users/${a.userId}/thumbnails/secret.png`))?.size).toBe(256);
    expectStatus(await call("/api/v1/thumbnails", { ip: "198.18.0.10" }), 401);
  });
});

describe("API contract of the new routes", () => {
  it("documents every route in OpenAPI with bearer security, and each answers 401 without a token", async () => {
    const spec = await call<{ paths: Record<string, Record<string, { security?: unknown[] }>> }>("/openapi.json");
    expectStatus(spec, 200);
    const routes = [
      ["get", "/api/v1/presets"],
      ["post", "/api/v1/presets"],
      ["get", "/api/v1/presets/{id}"],
      ["patch", "/api/v1/presets/{id}"],
      ["delete", "/api/v1/presets/{id}"],
      ["post", "/api/v1/presets/{id}/preview"],
      ["get", "/api/v1/thumbnails"],
      ["post", "/api/v1/thumbnails"],
      ["get", "/api/v1/thumbnails/{name}"],
      ["put", "/api/v1/thumbnails/{name}"],
      ["delete", "/api/v1/thumbnails/{name}"],
    ] as const;
    for (const [method, path] of routes) {
      expect(spec.body.paths[path]?.[method]?.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      const concrete = path.replace("{id}", "1").replace("{name}", "a.png");
      expectStatus(await call(concrete, { method: method.toUpperCase(), ip: "198.18.0.11" }), 401);
    }
    // Malformed JSON is a 400 envelope, never a 500.
    const t = await createTenant("contract");
    const malformed = await call("/api/v1/presets", { token: t.accessToken, rawBody: "{not json", headers: { "Content-Type": "application/json" } });
    expectStatus(malformed, 400);
  });
});

