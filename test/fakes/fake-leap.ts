/**
 * A fake of LEAP's REST API (spec LEAP-SPEC.md §3), read side, for the import tool: the routes a
 * LEAP client reads, with LEAP's shapes — bare arrays for templates, presets, sources, credentials
 * and automation jobs, `{thumbnails: [...]}`, the user config as `{id, user_id, config_data,
 * created_at, updated_at}` with DEFAULT_USER_CONFIG merged under the stored overrides (§3.4,
 * §11.3), the credentials collection at its literal `/api/v1/credentials/`, FastAPI's 307 for a
 * collection path with the other trailing slash, `{detail}` error bodies, and 401 "Not
 * authenticated" / "Invalid or expired token" (§3.0). Writes answer 405: the import only reads.
 *
 * Seeded with a realistic user (`leapSeed()`); tests may edit `fake.data` before a run. Faults are
 * set per path: a 500 with LEAP's unhandled-error body, a request that never answers, a body that
 * is not JSON, or JSON of the wrong shape.
 */
import type { FetchLike } from "../../scripts/leap-import/importer.mjs";

type Json = Record<string, unknown>;
export type LeapFault = "500" | "timeout" | "not-json" | "wrong-shape";

const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
/** Two real 1×1 PNGs (a transparent one and a red one). */
export const PNG_TRANSPARENT = decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");
export const PNG_RED = decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

const USER_ID = "01JH8Z3Q4V5W6X7Y8Z9A0B1C2D";
const CREATED = "2025-09-01T08:00:00";
const UPDATED = "2026-01-20T10:15:00";

/** §11.3, merged under the stored config on every read. */
const DEFAULT_USER_CONFIG: Json = {
  processing: { enable_processing: true, audio_detection: true, silence_threshold: -40.0, min_silence_duration: 2.0, padding_before: 5.0, padding_after: 5.0 },
  transcription: { enable_transcription: true, provider: "fireworks", language: "ru", prompt: "", temperature: 0.0, granularity: "long", enable_topics: true, enable_subtitles: true, enable_translation: false, translation_language: "en" },
  download: { auto_download: false, max_file_size_mb: 5000, quality: "high", retry_attempts: 3, retry_delay: 5 },
  upload: { auto_upload: false, upload_captions: true, default_platforms: [], default_preset_ids: {} },
  metadata: {
    title_template: "{display_name} | {topic} ({date})",
    description_template: "Запись от {date}",
    date_format: "DD.MM.YYYY",
    tags: [],
    thumbnail_name: null,
    category: null,
    topics_display: { enabled: true, max_count: 999, min_length: 0, max_length: 999, display_location: "description", format: "numbered_list", separator: "\n", prefix: "Темы:", include_timestamps: false },
  },
  retention: { soft_delete_days: 3, hard_delete_days: 30, auto_expire_days: 90 },
  platforms: {
    youtube: { enabled: false, default_privacy: "unlisted", default_language: "ru" },
    vk_video: { enabled: false, default_privacy: "0", privacy_comment: "1", no_comments: false, repeat: false },
  },
};

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

const template = (t: Json): Json => ({ user_id: USER_ID, description: null, is_draft: false, is_active: true, used_count: 0, last_used_at: null, created_at: CREATED, updated_at: UPDATED, ...t });
const rules = (r: Json): Json => ({ exact_matches: null, keywords: null, patterns: null, source_ids: null, exclude_keywords: null, exclude_patterns: null, case_sensitive: false, ...r });
const transcription = (t: Json = {}): Json => ({ transcription: { enable_transcription: true, prompt: null, language: "ru", enable_topics: true, granularity: "long", enable_subtitles: true, ...t } });

export function leapSeed() {
  return {
    user: { id: USER_ID, email: "lecturer@university.example", full_name: "Анна Лекторова", timezone: "UTC", role: "user", is_active: true, is_verified: false, created_at: CREATED, last_login_at: "2026-01-22T09:30:00" },
    /** What the user changed; LEAP answers it merged over DEFAULT_USER_CONFIG. */
    configOverrides: {
      transcription: { language: "en", prompt: "Machine learning, Python, pandas" },
      download: { auto_download: true },
      upload: { auto_upload: true, default_preset_ids: { youtube: 11 } },
      metadata: { title_template: "{display_name} ({record_time:DD.MM.YYYY}) {course_code}", topics_display: { prefix: "Contents:" } },
      retention: { auto_expire_days: 60 },
      platforms: { youtube: { default_privacy: "private" } },
    } as Json,
    credentials: [
      { id: 1, platform: "zoom", account_name: "university-zoom", is_active: true, last_used_at: "2026-01-22T03:00:05", secrets: { account_id: "zAcc123", client_id: "zCli456", client_secret: "zoom-secret-value" } },
      { id: 2, platform: "youtube", account_name: "lectures@university.example", is_active: true, last_used_at: "2026-01-21T18:40:00", secrets: { refresh_token: "1//leap-refresh" } },
      { id: 3, platform: "vk_video", account_name: "vk_7100200", is_active: true, last_used_at: null, secrets: { access_token: "vk1.a.leap-token" } },
      { id: 4, platform: "yandex_disk", account_name: "archive@yandex.ru", is_active: true, last_used_at: null, secrets: { oauth_token: "y0_leap" } },
      { id: 5, platform: "fireworks", account_name: "default", is_active: true, last_used_at: "2026-01-21T18:20:00", secrets: { api_key: "fw_leap" } },
      { id: 6, platform: "google_drive", account_name: "drive@university.example", is_active: false, last_used_at: null, secrets: { token: "g-leap" } },
    ],
    presets: [
      {
        id: 11, user_id: USER_ID, name: "YouTube — lectures", description: "Main channel", platform: "youtube", credential_id: 2, is_active: true, created_at: CREATED, updated_at: UPDATED,
        preset_metadata: {
          title_template: "{display_name} | {record_time:DD.MM.YYYY}",
          description_template: "{topics}\n\nЗапись от {record_time:date}",
          privacy: "unlisted", made_for_kids: false, embeddable: true, category_id: "27", license: "youtube", default_language: "ru",
          playlist_id: "PLx8lecturesPython01", tags: ["лекции", "python"], thumbnail_name: "python_base.png",
          topics_display: { enabled: true, format: "numbered_list", max_count: 20, separator: "\n", show_timestamps: true, prefix: "Темы:" },
          disable_comments: false, rating_disabled: false, notify_subscribers: true,
        },
      },
      {
        id: 12, user_id: USER_ID, name: "VK — department group", description: null, platform: "vk", credential_id: 3, is_active: true, created_at: CREATED, updated_at: UPDATED,
        preset_metadata: { title_template: "{display_name}", description_template: "{themes}", privacy_view: 0, privacy_comment: 1, group_id: 7100200, album_id: "42", thumbnail_name: "ml_seminar.png", disable_comments: false, repeat: false, compression: false, wallpost: true },
      },
      {
        // Yandex Disk presets arrived after 0.9 (§12); `sidecar_files` stands for a setting this server does not have.
        id: 13, user_id: USER_ID, name: "Yandex Disk archive", description: "Everything, by year", platform: "yandex_disk", credential_id: 4, is_active: true, created_at: CREATED, updated_at: UPDATED,
        preset_metadata: { folder_path: "/Lectures/{record_time:YYYY}", title_template: "{record_time:YYYY-MM-DD} {display_name}", overwrite: false, sidecar_files: true },
      },
    ] as Json[],
    sources: [
      { id: 21, user_id: USER_ID, name: "University Zoom", description: "All cloud recordings", source_type: "ZOOM", credential_id: 1, config: { user_id: null, include_trash: false, recording_type: "cloud" }, is_active: true, last_sync_at: "2026-01-22T03:00:12", created_at: CREATED, updated_at: UPDATED },
      { id: 22, user_id: USER_ID, name: "Uploaded files", description: null, source_type: "LOCAL", credential_id: null, config: {}, is_active: true, last_sync_at: null, created_at: CREATED, updated_at: UPDATED },
    ] as Json[],
    templates: [
      template({
        id: 31, name: "Python course", description: "Лекции курса Python",
        matching_rules: rules({ keywords: ["Python", "Питон"], source_ids: [21], exclude_keywords: ["test"] }),
        processing_config: transcription({ prompt: "Python, pandas, numpy" }),
        metadata_config: {
          title_template: "{display_name} — {themes}",
          description_template: "{topics}\n\nЗаписано {record_time:DD.MM.YYYY} ({duration} мин). Курс {course}",
          topics_display: null, thumbnail_name: "python_base.png",
          youtube: { privacy: null, playlist_id: "PLx8lecturesPython01", thumbnail_name: null, title_template: null, description_template: null },
          vk: null,
        },
        output_config: { preset_ids: [11, 12], auto_upload: true, upload_captions: true },
      }),
      template({
        id: 32, name: "ML seminars",
        matching_rules: rules({ patterns: ["^ML\\s+(семинар|seminar)"] }),
        processing_config: transcription({ granularity: "short" }),
        metadata_config: { title_template: "{display_name}: {topic}", vk: { album_id: "43", group_id: null, thumbnail_name: "ml_seminar.png", title_template: null, description_template: null } },
        output_config: { preset_ids: [12, 13], auto_upload: false, upload_captions: false },
      }),
      template({
        // A draft; 99 is a preset deleted in LEAP, whose id LEAP keeps in the template (§2.3).
        id: 33, name: "Weekly sync archive", is_draft: true,
        matching_rules: rules({ exact_matches: ["Weekly sync"] }),
        processing_config: null, metadata_config: null,
        output_config: { preset_ids: [13, 99], auto_upload: false, upload_captions: true },
      }),
    ],
    jobs: [
      { id: 41, user_id: USER_ID, name: "Nightly Python sync", description: null, source_id: 21, template_ids: [31], schedule: { type: "time_of_day", time: "03:00", timezone: "Europe/Moscow" }, sync_config: { sync_days: 2, allow_skipped: false }, processing_config: { auto_process: true, auto_upload: true, max_parallel: 3 }, is_active: true, last_run_at: "2026-01-22T00:00:04.512000+00:00", next_run_at: "2026-01-23T00:00:00+00:00", run_count: 37, created_at: CREATED, updated_at: UPDATED },
      { id: 42, user_id: USER_ID, name: "Weekday ML seminars", description: "Mon, Wed, Fri evenings", source_id: 21, template_ids: [32, 31], schedule: { type: "weekdays", days: [0, 2, 4], time: "20:30", timezone: "Europe/Moscow" }, sync_config: { sync_days: 1, allow_skipped: true }, processing_config: { auto_process: true, auto_upload: false, max_parallel: 2 }, is_active: false, last_run_at: null, next_run_at: null, run_count: 0, created_at: CREATED, updated_at: UPDATED },
    ] as Json[],
    thumbnails: new Map<string, { bytes: Uint8Array; modified_at: string }>([
      ["python_base.png", { bytes: PNG_TRANSPARENT, modified_at: "2025-09-01T08:00:00" }],
      ["ml_seminar.png", { bytes: PNG_RED, modified_at: "2025-11-12T14:03:27" }],
    ]),
  };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const detail = (status: number, message: string, headers: Record<string, string> = {}) => json({ detail: message }, status, headers);

export class FakeLeap {
  readonly origin = "https://leap.fake";
  readonly token = "leap-access-token-0123456789";
  data = leapSeed();
  readonly requests: Array<{ method: string; path: string; query: string }> = [];
  private readonly faults = new Map<string, LeapFault>();

  /** Every later request to `path` (without its query) fails this way. */
  fail(path: string, fault: LeapFault): void {
    this.faults.set(path, fault);
  }

  /** The fetch-like function the importer takes: LEAP paths, this token (or another). */
  fetcher(token: string = this.token): FetchLike {
    return (path, init = {}) => this.handle(new Request(`${this.origin}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` } }));
  }

  handle = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    this.requests.push({ method: request.method, path: url.pathname, query: url.search });
    const fault = this.faults.get(url.pathname);
    if (fault === "timeout") {
      return new Promise((_, reject) => request.signal.addEventListener("abort", () => reject(new DOMException("The operation was aborted", "AbortError"))));
    }
    if (fault === "500") return json({ error: "Internal server error", detail: "An error occurred" }, 500);
    if (fault === "not-json") return new Response("<html><body><h1>502 Bad Gateway</h1></body></html>", { status: 200, headers: { "content-type": "text/html" } });
    if (fault === "wrong-shape") return json({ detail: "ok", data: "unexpected" });
    if (url.pathname === "/api/v1/health") return json({ status: "ok", service: "LEAP API - Lecture Enhancement & Automation Platform" });
    const auth = request.headers.get("Authorization");
    if (!auth?.startsWith("Bearer ")) return detail(401, "Not authenticated");
    if (auth.slice(7) !== this.token) return detail(401, "Invalid or expired token", { "WWW-Authenticate": "Bearer" });
    if (request.method !== "GET") return detail(405, "Method Not Allowed");
    return this.route(url);
  };

  private route(url: URL): Response {
    const path = url.pathname;
    const q = url.searchParams;
    const d = this.data;
    const collections: Record<string, () => Response> = {
      "/api/v1/users/me": () => json(d.user),
      "/api/v1/users/me/config": () => json({ id: 7, user_id: USER_ID, config_data: deepMerge(DEFAULT_USER_CONFIG, d.configOverrides), created_at: CREATED, updated_at: UPDATED }),
      "/api/v1/credentials/": () =>
        json(
          d.credentials
            .filter((c) => !q.get("platform") || c.platform === q.get("platform"))
            .map(({ secrets, ...c }) => (q.get("include_data") === "true" ? { ...c, credentials: secrets } : c)),
        ),
      "/api/v1/templates": () => json(d.templates.filter((t) => q.get("include_drafts") === "true" || t.is_draft !== true)),
      "/api/v1/presets": () => json(d.presets.filter((p) => (q.get("platform") ? p.platform === q.get("platform") && p.is_active : q.get("active_only") !== "true" || p.is_active))),
      "/api/v1/sources": () => json(d.sources.filter((s) => q.get("active_only") !== "true" || s.is_active)),
      "/api/v1/automation/jobs": () => json(d.jobs.filter((j) => q.get("active_only") !== "true" || j.is_active)),
      "/api/v1/thumbnails": () =>
        json({
          thumbnails: [...d.thumbnails].map(([name, t]) => ({ name, url: `/api/v1/thumbnails/${name}`, is_template: false, size_bytes: t.bytes.length, size_kb: Math.round((t.bytes.length / 1024) * 100) / 100, modified_at: t.modified_at })),
        }),
    };
    const collection = collections[path];
    if (collection) return collection();
    // FastAPI's redirect_slashes: the same collection with the other trailing slash answers 307.
    const other = path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
    if (collections[other]) return new Response(null, { status: 307, headers: { location: `${this.origin}${other}${url.search}` } });

    const item = /^\/api\/v1\/(templates|presets|sources|automation\/jobs|credentials)\/(\d+)$/.exec(path);
    if (item) {
      const [kind, id] = [item[1]!, Number(item[2])];
      const list: Json[] = { templates: d.templates, presets: d.presets, sources: d.sources, "automation/jobs": d.jobs, credentials: d.credentials }[kind] ?? [];
      const found = list.find((o) => o.id === id);
      const noun = { templates: "Template", presets: "Preset", sources: "Input source", "automation/jobs": "Automation job", credentials: "Credential" }[kind];
      if (!found) return detail(404, `${noun} not found`);
      const { secrets, ...rest } = found;
      return json(kind === "credentials" && q.get("include_data") === "true" ? { ...rest, credentials: secrets } : rest);
    }
    const thumbnail = /^\/api\/v1\/thumbnails\/([^/]+)$/.exec(path);
    if (thumbnail) {
      const t = d.thumbnails.get(decodeURIComponent(thumbnail[1]!));
      if (!t) return detail(404, "Thumbnail not found");
      return new Response(t.bytes, { headers: { "content-type": thumbnail[1]!.endsWith(".png") ? "image/png" : "image/jpeg" } });
    }
    return detail(404, "Not Found");
  }
}
