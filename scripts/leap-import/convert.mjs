// @ts-check
/**
 * LEAP objects → this server's request bodies. Pure functions: every reference to another LEAP
 * object arrives already mapped to an id here (see refs.mjs), so nothing in this file talks to
 * either server.
 */
import { protectLeapTemplate, protectMetadataTemplates } from "./metadata-text.mjs";

/** @typedef {Record<string, unknown>} Obj */

export const isObject = (/** @type {unknown} */ v) => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * LEAP stores unset fields as null and ignores them when merging (§6.5): here, absent is unset.
 * @param {unknown} value
 * @returns {unknown}
 */
export function dropNulls(value) {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(dropNulls);
  if (!isObject(value)) return value;
  /** @type {Obj} */
  const out = {};
  for (const [k, v] of Object.entries(/** @type {Obj} */ (value))) if (v !== null && v !== undefined) out[k] = dropNulls(v);
  return out;
}

/** LEAP credential platforms (a free string, §2.1) → here; null = no such platform here. */
const CREDENTIAL_PLATFORM = /** @type {Record<string, string>} */ ({
  zoom: "zoom",
  youtube: "youtube",
  vk: "vk",
  vk_video: "vk",
  yandex_disk: "yandex_disk",
  fireworks: "fireworks",
  deepseek: "deepseek",
  openai: "openai",
  assemblyai: "assemblyai",
});
export const credentialPlatformHere = (/** @type {string} */ leap) => CREDENTIAL_PLATFORM[leap.toLowerCase()] ?? null;

/** Preset platforms: LEAP 0.9 has youtube and vk; later versions add Yandex Disk. */
const PRESET_PLATFORM = /** @type {Record<string, string>} */ ({ youtube: "youtube", vk: "vk", vk_video: "vk", yandex_disk: "yandex_disk" });
export const presetPlatformHere = (/** @type {string} */ leap) => PRESET_PLATFORM[leap.toLowerCase()] ?? null;

/** Input source types (§6.1) → here, with the credential platform each one needs (null: none). */
const SOURCE_TYPE = /** @type {Record<string, { type: string, credential: string | null }>} */ ({
  ZOOM: { type: "ZOOM", credential: "zoom" },
  LOCAL: { type: "LOCAL", credential: null },
  LOCAL_FILE: { type: "LOCAL", credential: null },
});
export const sourceTypeHere = (/** @type {string} */ leap) => SOURCE_TYPE[leap.toUpperCase()] ?? null;

/** LEAP source types this server knows but does not take as input yet, with the reason the report gives. */
const NOT_YET_INPUT = /** @type {Record<string, string>} */ ({
  YANDEX_DISK: "Yandex Disk is supported here as an output (its presets are carried over), not yet as an input source; not carried over",
});
/** Why a LEAP source of this type is not carried over. @param {string} leap */
export const unsupportedSourceReason = (leap) => NOT_YET_INPUT[leap.toUpperCase()] ?? `${leap} sources are not supported here`;

export const PLATFORM_LABEL = /** @type {Record<string, string>} */ ({
  zoom: "Zoom",
  youtube: "YouTube",
  vk: "VK",
  yandex_disk: "Yandex Disk",
  fireworks: "Fireworks",
  deepseek: "DeepSeek",
  openai: "OpenAI",
  assemblyai: "AssemblyAI",
});

/** The preset settings this server knows per platform (its preset_metadata is strict). */
const PRESET_KEYS = /** @type {Record<string, string[]>} */ ({
  youtube: [
    "title_template", "description_template", "privacy", "made_for_kids", "embeddable", "category_id", "license", "default_language",
    "public_stats_viewable", "playlist_id", "tags", "thumbnail_name", "publish_at", "topics_display", "disable_comments",
    "rating_disabled", "notify_subscribers",
  ],
  vk: [
    "title_template", "description_template", "privacy_view", "privacy_comment", "group_id", "album_id", "album_title", "thumbnail_name",
    "topics_display", "disable_comments", "repeat", "compression", "wallpost",
  ],
  yandex_disk: ["title_template", "description_template", "folder_path", "overwrite", "publish", "topics_display"],
});

/**
 * @param {Obj} leap a LEAP OutputPresetResponse
 * @param {string} platform this server's platform
 * @param {number} credentialId
 */
export function presetBody(leap, platform, credentialId) {
  /** @type {string[]} */
  const notes = [];
  const raw = /** @type {Obj} */ (dropNulls(isObject(leap.preset_metadata) ? leap.preset_metadata : {}));
  /** @type {Obj} */
  const metadata = {};
  const known = PRESET_KEYS[platform] ?? [];
  for (const [key, value] of Object.entries(raw)) {
    if (known.includes(key)) metadata[key] = value;
    else notes.push(`setting "${key}" has no ${platform} equivalent here; not carried over`);
  }
  // Tags were a comma-separated string in some LEAP versions; here they are a list.
  if (typeof metadata.tags === "string") {
    metadata.tags = metadata.tags.split(",").map((t) => t.trim()).filter((t) => t !== "");
  }
  const protectedMeta = protectMetadataTemplates(metadata);
  notes.push(...protectedMeta.notes);
  return {
    body: {
      name: String(leap.name).trim(),
      description: typeof leap.description === "string" ? leap.description : null,
      platform,
      credential_id: credentialId,
      preset_metadata: protectedMeta.value,
      is_active: leap.is_active !== false,
    },
    notes,
  };
}

/**
 * @param {Obj} leap a LEAP InputSourceResponse
 * @param {string} sourceType
 * @param {number | null} credentialId
 */
export function sourceBody(leap, sourceType, credentialId) {
  return {
    name: String(leap.name).trim(),
    description: typeof leap.description === "string" ? leap.description : null,
    platform: sourceType,
    credential_id: credentialId,
    config: sourceType === "LOCAL" ? {} : dropNulls(isObject(leap.config) ? leap.config : {}),
    is_active: leap.is_active !== false,
  };
}

const OUTPUT_KEYS = ["preset_ids", "auto_upload", "upload_captions"];

/**
 * @param {Obj} leap a LEAP RecordingTemplateResponse
 * @param {{ presetIds: number[], sourceIds: number[] | null }} mapped ids here, stale ones already dropped
 */
export function templateBody(leap, mapped) {
  /** @type {string[]} */
  const notes = [];
  const rules = isObject(leap.matching_rules) ? /** @type {Obj} */ (dropNulls(leap.matching_rules)) : null;
  if (rules) {
    if (mapped.sourceIds && mapped.sourceIds.length > 0) rules.source_ids = mapped.sourceIds;
    else delete rules.source_ids;
  }
  const metadata = isObject(leap.metadata_config) ? protectMetadataTemplates(/** @type {Obj} */ (dropNulls(leap.metadata_config))) : null;
  if (metadata) notes.push(...metadata.notes.map((n) => `metadata_config.${n}`));
  /** @type {Obj | null} */
  let output = null;
  if (isObject(leap.output_config)) {
    const raw = /** @type {Obj} */ (dropNulls(leap.output_config));
    output = { preset_ids: mapped.presetIds };
    for (const [key, value] of Object.entries(raw)) {
      if (key === "preset_ids") continue;
      if (OUTPUT_KEYS.includes(key)) output[key] = value;
      else notes.push(`output_config.${key} has no equivalent here; not carried over`);
    }
  }
  return {
    body: {
      name: String(leap.name).trim(),
      description: typeof leap.description === "string" ? leap.description : null,
      matching_rules: rules,
      processing_config: isObject(leap.processing_config) ? dropNulls(leap.processing_config) : null,
      metadata_config: metadata ? metadata.value : null,
      output_config: output,
      is_draft: leap.is_draft === true,
      is_active: leap.is_active !== false,
    },
    notes,
  };
}

/** @param {unknown} value @param {string[]} keys */
const pick = (value, keys) => Object.fromEntries(Object.entries(isObject(value) ? /** @type {Obj} */ (dropNulls(value)) : {}).filter(([k]) => keys.includes(k)));

/**
 * @param {Obj} leap a LEAP AutomationJobResponse
 * @param {{ sourceId: number, templateIds: number[], activate: boolean }} mapped
 */
export function jobBody(leap, mapped) {
  return {
    name: String(leap.name).trim(),
    description: typeof leap.description === "string" ? leap.description : null,
    source_id: mapped.sourceId,
    template_ids: mapped.templateIds,
    schedule: dropNulls(leap.schedule),
    sync_config: pick(leap.sync_config, ["sync_days", "allow_skipped"]),
    processing_config: pick(leap.processing_config, ["auto_process", "auto_upload", "max_parallel"]),
    is_active: mapped.activate && leap.is_active !== false,
  };
}

/** The text fields of the user config that are metadata templates. */
export const CONFIG_TEMPLATE_PATHS = ["metadata.title_template", "metadata.description_template"];
export { protectLeapTemplate };
