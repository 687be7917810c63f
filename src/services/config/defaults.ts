/** Per-user configuration defaults (LEAP DEFAULT_USER_CONFIG, spec §11.3) and their types. */

export type Granularity = "short" | "medium" | "long";
export type SubtitleFormat = "srt" | "vtt";
export type TopicsFormat = "numbered_list" | "bullet_list" | "dash_list" | "comma_separated" | "inline";

export interface ProcessingSettings {
  enable_processing: boolean;
  audio_detection: boolean;
  /** Always LEAP_SILENCE_THRESHOLD_DB when validated: not measurable here, refused otherwise. */
  silence_threshold: number;
  /** Seconds: an edge gap without speech shorter than this is not cut (LEAP's silencedetect d). */
  min_silence_duration: number;
  padding_before: number;
  padding_after: number;
  /** Not seeded; absent means false (spec §4.4 allow_skipped resolution). */
  allow_skipped?: boolean;
}

export interface TranscriptionSettings {
  enable_transcription: boolean;
  provider: string;
  language: string;
  prompt: string;
  temperature: number;
  granularity: Granularity;
  enable_topics: boolean;
  topic_mode: Granularity;
  /** LLMs for topics, tried in order (those the user has a credential for); each failure falls to the next. */
  topics_providers: string[];
  enable_subtitles: boolean;
  subtitle_formats: SubtitleFormat[];
  enable_translation: boolean;
  translation_language: string;
}

export interface DownloadSettings {
  auto_download: boolean;
  max_file_size_mb: number;
  quality: string;
  retry_attempts: number;
  retry_delay: number;
  /** Recordings shorter than this (minutes) are "blank" and skipped (LEAP: 20). */
  blank_min_duration_minutes: number;
  /** …or smaller than this (MiB) (LEAP: 25). */
  blank_min_size_mb: number;
}

export interface UploadSettings {
  auto_upload: boolean;
  upload_captions: boolean;
  default_platforms: string[];
  default_preset_ids: Record<string, number>;
  /** Only set by a template / recording / request `output_config`. */
  preset_ids?: number[];
}

export interface TopicsDisplaySettings {
  enabled: boolean;
  max_count: number;
  min_length: number;
  max_length: number;
  display_location: string;
  format: TopicsFormat;
  separator: string;
  prefix: string | null;
  include_timestamps: boolean;
}

export interface MetadataSettings {
  title_template: string;
  description_template: string;
  date_format: string;
  tags: string[];
  thumbnail_name: string | null;
  category: string | null;
  topics_display: TopicsDisplaySettings;
  /** Platform blocks only come from a template / recording / request `metadata_config`. */
  youtube?: Record<string, unknown>;
  vk?: Record<string, unknown>;
}

export interface RetentionSettings {
  soft_delete_days: number;
  hard_delete_days: number;
  /** 0 means recordings never expire. */
  auto_expire_days: number;
}

export interface PlatformSettings {
  youtube: { enabled: boolean; default_privacy: string; default_language: string };
  vk_video: { enabled: boolean; default_privacy: string; privacy_comment: string; no_comments: boolean; repeat: boolean };
}

export interface NotificationSettings {
  email: { run_failed: boolean; credential_needs_reauth: boolean; quota_nearly_used: boolean; webhook_endpoint_disabled: boolean };
}

export interface UserConfigData {
  processing: ProcessingSettings;
  transcription: TranscriptionSettings;
  download: DownloadSettings;
  upload: UploadSettings;
  metadata: MetadataSettings;
  retention: RetentionSettings;
  platforms: PlatformSettings;
  notifications: NotificationSettings;
}

export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * LEAP's silencedetect noise floor. A loudness threshold needs decoded audio, which a Worker cannot
 * produce, so this is the only value accepted anywhere (a no-op kept so LEAP clients and imports,
 * which send it, keep working); see user-config.schema.ts.
 */
export const LEAP_SILENCE_THRESHOLD_DB = -40;

function buildDefaults(): UserConfigData {
  return {
    processing: {
      enable_processing: true,
      audio_detection: true,
      silence_threshold: LEAP_SILENCE_THRESHOLD_DB,
      min_silence_duration: 2.0,
      padding_before: 5.0,
      padding_after: 5.0,
    },
    transcription: {
      enable_transcription: true,
      provider: "fireworks",
      language: "ru",
      prompt: "",
      temperature: 0.0,
      granularity: "long",
      enable_topics: true,
      topic_mode: "long",
      topics_providers: ["deepseek", "openai", "fireworks", "workers-ai"],
      enable_subtitles: true,
      subtitle_formats: ["srt", "vtt"],
      enable_translation: false,
      translation_language: "en",
    },
    download: {
      auto_download: false,
      max_file_size_mb: 5000,
      quality: "high",
      retry_attempts: 3,
      retry_delay: 5,
      blank_min_duration_minutes: 20,
      blank_min_size_mb: 25,
    },
    upload: { auto_upload: false, upload_captions: true, default_platforms: [], default_preset_ids: {} },
    metadata: {
      title_template: "{display_name} | {topic} ({date})",
      description_template: "Запись от {date}",
      date_format: "DD.MM.YYYY",
      tags: [],
      thumbnail_name: null,
      category: null,
      topics_display: {
        enabled: true,
        max_count: 999,
        min_length: 0,
        max_length: 999,
        display_location: "description",
        format: "numbered_list",
        separator: "\n",
        prefix: "Темы:",
        include_timestamps: false,
      },
    },
    retention: { soft_delete_days: 3, hard_delete_days: 30, auto_expire_days: 90 },
    platforms: {
      youtube: { enabled: false, default_privacy: "unlisted", default_language: "ru" },
      vk_video: { enabled: false, default_privacy: "0", privacy_comment: "1", no_comments: false, repeat: false },
    },
    notifications: { email: { run_failed: true, credential_needs_reauth: true, quota_nearly_used: true, webhook_endpoint_disabled: true } },
  };
}

function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value as DeepReadonly<T>;
}

/** Shared, frozen copy; use defaultUserConfig() when a mutable object is needed. */
export const DEFAULT_USER_CONFIG: DeepReadonly<UserConfigData> = deepFreeze(buildDefaults());

/** A fresh, mutable copy of the defaults. */
export function defaultUserConfig(): UserConfigData {
  return buildDefaults();
}
