import { z } from "@hono/zod-openapi";
import { boundedJson, JSON_SIZE_LIMITS } from "../../lib/json-limits";
import { withKeyedUnknowns } from "./unknown-keys";
import { PROCESSING_CONFIG_SECTIONS } from "./user-config.schema";

/**
 * The config layers a template or a recording stores over the user config (resolve.ts): as strict
 * as the user config itself, because a misspelt key saved silently is a run that never starts
 * (`download.auto_dowload: true` used to be a 201). `null` inherits in a template and removes the
 * key in a recording's merge patch, as in the user config.
 */

const { processing, transcription, download } = PROCESSING_CONFIG_SECTIONS;
const limits = { maxBytes: JSON_SIZE_LIMITS.configDocument };
const unique = <T>(items: readonly T[]): boolean => new Set(items).size === items.length;

/**
 * `{processing, transcription, download}` sections, plus LEAP's flat processing keys
 * (`{enable_processing, silence_threshold, allow_skipped, …}`) that resolve.ts folds into
 * `processing`. LEAP's templates nest `transcription`; its clients also send the flat keys.
 */
const processingConfigObject = z.strictObject({
  ...processing.shape,
  processing: processing.nullable().optional(),
  transcription: transcription.nullable().optional(),
  download: download.nullable().optional(),
});

/** The output keys a template or a recording may set (resolve.ts maps them into `upload`). */
const outputConfigObject = z.strictObject({
  preset_ids: z.array(z.number().int().positive()).max(10).refine(unique, "must not repeat a preset").nullable().optional(),
  auto_upload: z.boolean().nullable().optional(),
  upload_captions: z.boolean().nullable().optional(),
});

const PROCESSING_DOC =
  "Strict (an unknown key is a 400 naming it). Sections `processing`, `transcription`, `download` as in PATCH /users/me/config, " +
  "and LEAP's flat processing keys (`enable_processing`, `audio_detection`, `silence_threshold`, `min_silence_duration`, " +
  "`padding_before`, `padding_after`, `allow_skipped`), which apply to `processing`.";

/** Depth and size are checked first (json-limits), so the strict parse never walks a hostile document. */
export const processingConfigSchema = boundedJson(limits)
  .pipe(withKeyedUnknowns(processingConfigObject))
  .openapi({ description: PROCESSING_DOC, example: { transcription: { language: "en", enable_topics: true }, download: { auto_download: true } } });

export const outputConfigOverrideSchema = boundedJson(limits)
  .pipe(withKeyedUnknowns(outputConfigObject))
  .openapi({ description: "Strict: `preset_ids` (your presets, at most 10), `auto_upload`, `upload_captions`", example: { preset_ids: [1], auto_upload: true } });

/** Free-form (platform blocks `common`, `youtube`, `vk`, `yandex_disk`); its templates are checked when saved (metadata-templates.ts). */
export const metadataConfigSchema = boundedJson(limits).openapi({
  description:
    "title_template, description_template (LEAP `{variable}` or Liquid), tags, thumbnail_name, topics_display …, and per-platform blocks " +
    "`common`, `youtube`, `vk`, `yandex_disk` (folder_path). Every template is checked when saved: a 400 gives the field, line and column.",
});

export type ProcessingConfigLayer = z.output<typeof processingConfigObject>;
export type OutputConfigLayer = z.output<typeof outputConfigObject>;
