import { z } from "@hono/zod-openapi";
import { ASR_PROVIDERS } from "../../integrations/asr/types";
import { LLM_PROVIDERS } from "../../integrations/llm/names";
import { LEAP_SILENCE_THRESHOLD_DB } from "./defaults";

/**
 * Body of PATCH /api/v1/users/me/config (spec §3.4, §11.3). Every key is optional; `null` resets a
 * key (or a whole section) to its default, because the patch is applied as a JSON Merge Patch.
 */

const reset = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const bool = () => reset(z.boolean());
const int = (min: number, max: number) => reset(z.number().int().min(min).max(max));
const num = (min: number, max: number) => reset(z.number().min(min).max(max));
const text = (min: number, max: number) => reset(z.string().min(min).max(max));
const language = () => text(2, 10);
const granularity = z.enum(["short", "medium", "long"]);
const vkPrivacy = z.enum(["0", "1", "2", "3"]);

const unique = <T>(items: readonly T[]): boolean => new Set(items).size === items.length;

/**
 * LEAP's `silence_threshold` is ffmpeg silencedetect's loudness floor in dB. Measuring loudness needs
 * decoded audio, and a Worker has no AAC decoder; the frame sizes we read instead do not follow
 * loudness (a -60 dBFS noise floor costs an encoder as many bytes as speech), so no value can be
 * honoured. LEAP's default is accepted as a no-op because LEAP clients and LEAP's config send it;
 * anything else is refused with the reason.
 */
export const silenceThresholdSchema = z
  .literal(LEAP_SILENCE_THRESHOLD_DB, {
    error:
      `only LEAP's default ${LEAP_SILENCE_THRESHOLD_DB} is accepted, and it changes nothing: a loudness threshold in dB needs decoded audio, which this service cannot do ` +
      "(speech edges come from the transcript's words, digital silence from AAC frame sizes). Shape the trim with min_silence_duration, padding_before and padding_after",
  })
  .openapi({ description: `Accepted for LEAP compatibility only as ${LEAP_SILENCE_THRESHOLD_DB} (no effect): loudness cannot be measured without decoding the audio` });

/** LEAP's silencedetect `d`: a leading or trailing stretch without speech shorter than this is kept. */
export const minSilenceDurationSchema = z
  .number()
  .min(0.1)
  .max(60)
  .openapi({ description: "Seconds: a silent start or end (no real word, or digital silence) shorter than this is not cut" });

const processing = z
  .object({
    enable_processing: bool(),
    audio_detection: bool(),
    silence_threshold: reset(silenceThresholdSchema),
    min_silence_duration: reset(minSilenceDurationSchema),
    padding_before: num(0, 60),
    padding_after: num(0, 60),
    allow_skipped: bool(),
  })
  .strict();

const transcription = z
  .object({
    enable_transcription: bool(),
    provider: reset(z.enum(ASR_PROVIDERS)),
    language: language(),
    prompt: text(0, 2000),
    temperature: num(0, 1),
    granularity: reset(granularity),
    enable_topics: bool(),
    topic_mode: reset(granularity),
    topics_providers: reset(z.array(z.enum(LLM_PROVIDERS)).min(1).max(4).refine(unique, "must not repeat a provider")),
    enable_subtitles: bool(),
    subtitle_formats: reset(z.array(z.enum(["srt", "vtt"])).max(2).refine(unique, "must not repeat a format")),
    enable_translation: bool(),
    translation_language: language(),
  })
  .strict();

const download = z
  .object({
    auto_download: bool(),
    max_file_size_mb: int(1, 100_000),
    quality: text(1, 20),
    retry_attempts: int(0, 10),
    retry_delay: num(0, 3600),
    blank_min_duration_minutes: num(0, 600),
    blank_min_size_mb: num(0, 100_000),
  })
  .strict();

const platformName = z.enum(["youtube", "vk"]);

const upload = z
  .object({
    auto_upload: bool(),
    upload_captions: bool(),
    default_platforms: reset(z.array(platformName).max(2).refine(unique, "must not repeat a platform")),
    default_preset_ids: reset(z.partialRecord(platformName, z.number().int().positive())),
  })
  .strict();

const topicsDisplay = z
  .object({
    enabled: bool(),
    max_count: int(1, 999),
    min_length: int(0, 500),
    max_length: int(10, 1000),
    display_location: text(1, 50),
    format: reset(z.enum(["numbered_list", "bullet_list", "dash_list", "comma_separated", "inline"])),
    separator: text(0, 10),
    prefix: text(0, 200),
    include_timestamps: bool(),
  })
  .strict();

const metadata = z
  .object({
    title_template: text(1, 500),
    description_template: text(0, 5000),
    date_format: text(1, 50),
    tags: reset(z.array(z.string().min(1).max(100)).max(50)),
    thumbnail_name: text(1, 255),
    category: text(1, 100),
    topics_display: reset(topicsDisplay),
  })
  .strict();

const retention = z
  .object({
    soft_delete_days: int(1, 90),
    hard_delete_days: int(1, 365),
    /** 0 = never expire. */
    auto_expire_days: int(0, 730),
  })
  .strict();

const platforms = z
  .object({
    youtube: reset(
      z
        .object({
          enabled: bool(),
          default_privacy: reset(z.enum(["public", "unlisted", "private"])),
          default_language: language(),
        })
        .strict(),
    ),
    vk_video: reset(
      z
        .object({
          enabled: bool(),
          default_privacy: reset(vkPrivacy),
          privacy_comment: reset(vkPrivacy),
          no_comments: bool(),
          repeat: bool(),
        })
        .strict(),
    ),
  })
  .strict();

/** Which e-mail notifications the user gets (batched: at most one message per window). */
const notifications = z
  .object({
    email: reset(
      z
        .object({
          run_failed: bool(),
          credential_needs_reauth: bool(),
          quota_nearly_used: bool(),
          webhook_endpoint_disabled: bool(),
        })
        .strict(),
    ),
  })
  .strict();

export const userConfigPatchSchema = z
  .object({
    processing: reset(processing),
    transcription: reset(transcription),
    download: reset(download),
    upload: reset(upload),
    metadata: reset(metadata),
    retention: reset(retention),
    platforms: reset(platforms),
    notifications: reset(notifications),
  })
  .strict()
  .openapi("UserConfigPatch");

export type UserConfigPatch = z.infer<typeof userConfigPatchSchema>;

/**
 * The sections a template's or a recording's `processing_config` may set (config-layer.schema.ts),
 * validated exactly as in the user config.
 */
export const PROCESSING_CONFIG_SECTIONS = { processing, transcription, download } as const;

