import type { components } from "../../api/schema";
import type { Dictionary } from "../../i18n/en";

type Patch = components["schemas"]["UserConfigPatch"];
type Option = { value: string; label: string };

export type FieldValue = boolean | number | string | string[];

/** One input of a config form, with the API's own bounds (user-config.schema.ts). */
export type FieldSpec = { key: string; label: string } & (
  | { kind: "switch" }
  | { kind: "number"; min: number; max: number; step?: number; integer?: boolean }
  | { kind: "select"; options: Option[] }
  | { kind: "text"; minLength: number; maxLength: number; multiline?: boolean }
  | { kind: "multi"; options: Option[]; minCount?: number }
);

/** A form over one object of the config: a top-level section, or one object inside it. */
export interface SectionSpec {
  id: string;
  title: string;
  path: readonly [keyof Patch] | readonly [keyof Patch, string];
  fields: FieldSpec[];
}

const PROVIDERS = ["fireworks", "fireworks-batch", "assemblyai", "openai", "workers-ai"] as const satisfies readonly NonNullable<NonNullable<Patch["transcription"]>["provider"]>[];

/** The processing defaults, grouped as a lecturer thinks of them; several forms may share one API section. */
export function processingSections(t: Dictionary): SectionSpec[] {
  const c = t.settings.config;
  const f = c.fields;
  const o = c.options;
  const granularity = (["short", "medium", "long"] as const).map((value) => ({ value, label: o[value] }));
  return [
    {
      id: "transcription",
      title: c.sections.transcription,
      path: ["transcription"],
      fields: [
        { key: "enable_transcription", label: f.enableTranscription, kind: "switch" },
        { key: "provider", label: f.provider, kind: "select", options: PROVIDERS.map((value) => ({ value, label: value })) },
        { key: "language", label: f.language, kind: "text", minLength: 2, maxLength: 10 },
        { key: "granularity", label: f.granularity, kind: "select", options: granularity },
        { key: "prompt", label: f.prompt, kind: "text", minLength: 0, maxLength: 2000, multiline: true },
      ],
    },
    {
      id: "trimming",
      title: c.sections.trimming,
      path: ["processing"],
      fields: [
        { key: "enable_processing", label: f.enableProcessing, kind: "switch" },
        { key: "audio_detection", label: f.audioDetection, kind: "switch" },
        { key: "min_silence_duration", label: f.minSilence, kind: "number", min: 0.1, max: 60, step: 0.5 },
        { key: "padding_before", label: f.paddingBefore, kind: "number", min: 0, max: 60, step: 0.5 },
        { key: "padding_after", label: f.paddingAfter, kind: "number", min: 0, max: 60, step: 0.5 },
        { key: "allow_skipped", label: f.allowSkipped, kind: "switch" },
      ],
    },
    {
      id: "topics",
      title: c.sections.topics,
      path: ["transcription"],
      fields: [
        { key: "enable_topics", label: f.enableTopics, kind: "switch" },
        { key: "topic_mode", label: f.topicMode, kind: "select", options: granularity },
      ],
    },
    {
      id: "topics-display",
      title: f.topicsShown,
      path: ["metadata", "topics_display"],
      fields: [
        { key: "enabled", label: f.topicsShown, kind: "switch" },
        { key: "max_count", label: f.topicsMax, kind: "number", min: 1, max: 999, integer: true },
        {
          key: "format",
          label: f.topicsFormat,
          kind: "select",
          options: (["numbered_list", "bullet_list", "dash_list", "comma_separated", "inline"] as const).map((value) => ({ value, label: o[value] })),
        },
        { key: "include_timestamps", label: f.topicsTimestamps, kind: "switch" },
      ],
    },
    {
      id: "subtitles",
      title: c.sections.subtitles,
      path: ["transcription"],
      fields: [
        { key: "enable_subtitles", label: f.enableSubtitles, kind: "switch" },
        { key: "subtitle_formats", label: f.subtitleFormats, kind: "multi", options: ["srt", "vtt"].map((value) => ({ value, label: value.toUpperCase() })) },
        { key: "enable_translation", label: f.enableTranslation, kind: "switch" },
        { key: "translation_language", label: f.translationLanguage, kind: "text", minLength: 2, maxLength: 10 },
      ],
    },
    {
      id: "download",
      title: c.sections.download,
      path: ["download"],
      fields: [
        { key: "auto_download", label: f.autoDownload, kind: "switch" },
        { key: "max_file_size_mb", label: f.maxFileSize, kind: "number", min: 1, max: 100_000, integer: true },
        { key: "blank_min_duration_minutes", label: f.blankMinutes, kind: "number", min: 0, max: 600 },
        { key: "blank_min_size_mb", label: f.blankSize, kind: "number", min: 0, max: 100_000 },
      ],
    },
    {
      id: "output",
      title: c.sections.output,
      path: ["upload"],
      fields: [
        { key: "auto_upload", label: f.autoUpload, kind: "switch" },
        { key: "upload_captions", label: f.uploadCaptions, kind: "switch" },
        { key: "default_platforms", label: f.defaultPlatforms, kind: "multi", options: (["youtube", "vk"] as const).map((value) => ({ value, label: o[value] })) },
      ],
    },
    {
      id: "youtube",
      title: c.sections.youtube,
      path: ["platforms", "youtube"],
      fields: [
        { key: "default_privacy", label: f.youtubePrivacy, kind: "select", options: (["public", "unlisted", "private"] as const).map((value) => ({ value, label: o[value] })) },
        { key: "default_language", label: f.youtubeLanguage, kind: "text", minLength: 2, maxLength: 10 },
      ],
    },
    {
      id: "retention",
      title: c.sections.retention,
      path: ["retention"],
      fields: [
        { key: "soft_delete_days", label: f.softDeleteDays, kind: "number", min: 1, max: 90, integer: true },
        { key: "hard_delete_days", label: f.hardDeleteDays, kind: "number", min: 1, max: 365, integer: true },
        { key: "auto_expire_days", label: f.autoExpireDays, kind: "number", min: 0, max: 730, integer: true },
      ],
    },
  ];
}

/** The e-mail notification switches (config `notifications.email`). */
export function notificationSection(t: Dictionary): SectionSpec {
  const n = t.settings.notifications;
  return {
    id: "notifications",
    title: n.title,
    path: ["notifications", "email"],
    fields: [
      { key: "run_failed", label: n.runFailed, kind: "switch" },
      { key: "credential_needs_reauth", label: n.credentialNeedsReauth, kind: "switch" },
      { key: "quota_nearly_used", label: n.quotaNearlyUsed, kind: "switch" },
      { key: "webhook_endpoint_disabled", label: n.webhookEndpointDisabled, kind: "switch" },
    ],
  };
}

/** The object of the effective config a section edits (`config_data` is free-form in the schema). */
export function sectionValues(config: Record<string, unknown>, spec: SectionSpec): Record<string, FieldValue> {
  let node: unknown = config;
  for (const key of spec.path) node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  const source = typeof node === "object" && node !== null ? (node as Record<string, unknown>) : {};
  return Object.fromEntries(spec.fields.map((field) => [field.key, fieldValue(field, source[field.key])]));
}

/** A stored value as its input holds it (a missing or mistyped value as the input's empty state). */
export function fieldValue(field: FieldSpec, raw: unknown): FieldValue {
  if (field.kind === "switch") return raw === true;
  if (field.kind === "number") return typeof raw === "number" ? raw : field.min;
  if (field.kind === "multi") return Array.isArray(raw) ? raw.filter((v): v is string => typeof v === "string") : [];
  return typeof raw === "string" ? raw : "";
}

/** The merge patch that sets these values at the section's place (the values passed the same bounds as the API's). */
export function sectionPatch(spec: SectionSpec, values: Record<string, FieldValue>): Patch {
  const [top, inner] = spec.path;
  return { [top]: inner === undefined ? values : { [inner]: values } } as Patch;
}

/** The API names a bad field by its dotted path; this is the field's key inside the section, if it is one. */
export function fieldOfPath(spec: SectionSpec, path: string): string | null {
  const prefix = `${spec.path.join(".")}.`;
  if (!path.startsWith(prefix)) return null;
  const key = path.slice(prefix.length).split(".")[0] ?? "";
  return spec.fields.some((f) => f.key === key) ? key : null;
}
