// @ts-check
/**
 * The user config. LEAP's GET returns its defaults merged with what the user changed (§3.4), so
 * copying it whole would pin LEAP's defaults here (its transcription provider, say) as if the user
 * had chosen them. Only what differs from LEAP's DEFAULT_USER_CONFIG (§11.3) is carried over, key
 * by key, and only where this server has the same key and the user has not set it here already.
 */
import { CONFIG_TEMPLATE_PATHS, isObject, protectLeapTemplate } from "./convert.mjs";

/** §11.3, as LEAP's GET returns it. */
export const LEAP_DEFAULT_USER_CONFIG = {
  processing: { enable_processing: true, audio_detection: true, silence_threshold: -40.0, min_silence_duration: 2.0, padding_before: 5.0, padding_after: 5.0 },
  transcription: {
    enable_transcription: true, provider: "fireworks", language: "ru", prompt: "", temperature: 0.0, granularity: "long",
    enable_topics: true, topic_mode: "long", enable_subtitles: true, subtitle_formats: ["srt", "vtt"], enable_translation: false,
    translation_language: "en",
  },
  download: { auto_download: false, max_file_size_mb: 5000, quality: "high", retry_attempts: 3, retry_delay: 5 },
  upload: { auto_upload: false, upload_captions: true, default_platforms: [], default_preset_ids: {} },
  metadata: {
    title_template: "{display_name} | {topic} ({date})", description_template: "Запись от {date}", date_format: "DD.MM.YYYY", tags: [],
    thumbnail_name: null, category: null,
    topics_display: {
      enabled: true, max_count: 999, min_length: 0, max_length: 999, display_location: "description", format: "numbered_list",
      separator: "\n", prefix: "Темы:", include_timestamps: false,
    },
  },
  retention: { soft_delete_days: 3, hard_delete_days: 30, auto_expire_days: 90 },
  platforms: {
    youtube: { enabled: false, default_privacy: "unlisted", default_language: "ru" },
    vk_video: { enabled: false, default_privacy: "0", privacy_comment: "1", no_comments: false, repeat: false },
  },
};

/** Keys whose value is a map, compared and carried as one value. */
const WHOLE_VALUES = new Set(["upload.default_preset_ids"]);

/** @param {unknown} a @param {unknown} b @returns {boolean} */
export function sameValue(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(/** @type {object} */ (a));
    const kb = Object.keys(/** @type {object} */ (b));
    return ka.length === kb.length && ka.every((k) => sameValue(/** @type {Record<string, unknown>} */ (a)[k], /** @type {Record<string, unknown>} */ (b)[k]));
  }
  return a === b;
}

/** @param {unknown} obj @param {string[]} path */
function at(obj, path) {
  let cur = obj;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = /** @type {Record<string, unknown>} */ (cur)[key];
  }
  return cur;
}

/**
 * @typedef {object} ConfigChange
 * @property {string} path dotted
 * @property {"set" | "unchanged" | "kept_yours" | "not_supported" | "blocked"} status
 * @property {unknown} [value] what is sent (set)
 * @property {unknown} [current] the value here
 * @property {string} [reason] blocked: why
 * @property {string[]} [notes]
 */

/**
 * @param {unknown} leapConfig LEAP's effective config_data
 * @param {{ effective: unknown, overrides: unknown }} here this server's effective config and the user's own overrides
 * @param {(leapPresetId: number) => { id: number } | { reason: string }} mapPreset
 * @returns {ConfigChange[]}
 */
export function configChanges(leapConfig, here, mapPreset) {
  /** @type {ConfigChange[]} */
  const changes = [];
  /** @param {unknown} value @param {string[]} path */
  const walk = (value, path) => {
    const dotted = path.join(".");
    const current = at(here.effective, path);
    const recurse = isObject(value) && isObject(current) && Object.keys(/** @type {object} */ (current)).length > 0 && !WHOLE_VALUES.has(dotted);
    if (recurse) {
      for (const [key, inner] of Object.entries(/** @type {Record<string, unknown>} */ (value))) walk(inner, [...path, key]);
      return;
    }
    const leapDefault = at(LEAP_DEFAULT_USER_CONFIG, path);
    // null is LEAP's "not set"; the default is what the user never changed.
    if (value === null || value === undefined || sameValue(value, leapDefault)) return;
    if (current === undefined) {
      changes.push({ path: dotted, status: "not_supported" });
      return;
    }
    /** @type {unknown} */
    let mapped = value;
    /** @type {string[]} */
    const notes = [];
    if (dotted.startsWith("upload.default_preset_ids")) {
      const single = typeof value === "number";
      /** @type {Record<string, unknown>} */
      const out = {};
      for (const [platform, id] of Object.entries(single ? { [path[path.length - 1] ?? ""]: value } : /** @type {Record<string, unknown>} */ (value))) {
        const result = mapPreset(Number(id));
        if ("reason" in result) {
          changes.push({ path: dotted, status: "blocked", reason: result.reason });
          return;
        }
        out[platform] = result.id;
      }
      mapped = single ? Object.values(out)[0] : out;
    } else if (CONFIG_TEMPLATE_PATHS.includes(dotted) && typeof value === "string") {
      const protectedText = protectLeapTemplate(value);
      mapped = protectedText.text;
      notes.push(...protectedText.notes);
    }
    if (sameValue(mapped, current)) changes.push({ path: dotted, status: "unchanged", current });
    else if (at(here.overrides, path) !== undefined) changes.push({ path: dotted, status: "kept_yours", value: mapped, current });
    else changes.push({ path: dotted, status: "set", value: mapped, current, notes });
  };
  if (isObject(leapConfig)) walk(leapConfig, []);
  return changes;
}

/** `a.b.c` = v → `{a: {b: {c: v}}}`: a JSON Merge Patch touching one key. */
export function patchFor(/** @type {string} */ dotted, /** @type {unknown} */ value) {
  return dotted
    .split(".")
    .reverse()
    .reduce((inner, key) => ({ [key]: inner }), /** @type {unknown} */ (value));
}
