import type { components } from "../../api/schema";

export type Template = components["schemas"]["Template"];
export type TemplateCreate = components["schemas"]["TemplateCreate"];
export type MatchingRules = NonNullable<TemplateCreate["matching_rules"]>;
type Json = Record<string, unknown>;

/** A setting a template may override or leave to the account's settings ("inherit"). */
export type Override = "inherit" | "on" | "off";

/**
 * The editor's values. Keys follow the API's body paths (`matching_rules.keywords`,
 * `processing_config.transcription.language` …), so a 400's `details[].path` lands beside its field.
 * Rule lists are edited one item per line; an empty number or select means "inherit".
 */
export interface TemplateFormValues {
  name: string;
  description: string;
  is_draft: boolean;
  matching_rules: {
    exact_matches: string;
    keywords: string;
    patterns: string;
    exclude_keywords: string;
    exclude_patterns: string;
    source_ids: string[];
    case_sensitive: boolean;
  };
  processing_config: {
    processing: { enable_processing: Override; min_silence_duration: number | ""; padding_before: number | ""; padding_after: number | "" };
    transcription: {
      enable_transcription: Override;
      language: string;
      prompt: string;
      enable_topics: Override;
      granularity: string;
      enable_subtitles: Override;
      subtitle_formats: string[];
      enable_translation: Override;
      translation_language: string;
    };
    download: { auto_download: Override };
  };
  metadata_config: {
    title_template: string;
    description_template: string;
    tags: string[];
    youtube: { privacy: string; playlist_id: string };
    vk: { album_id: string };
    yandex_disk: { folder_path: string };
  };
  output_config: { preset_ids: string[]; auto_upload: boolean; upload_captions: boolean };
}

export const RULE_LISTS = ["keywords", "exact_matches", "patterns", "exclude_keywords", "exclude_patterns"] as const;
export type RuleList = (typeof RULE_LISTS)[number];

const obj = (value: unknown): Json => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");
const num = (value: unknown): number | "" => (typeof value === "number" ? value : "");
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
const override = (value: unknown): Override => (value === true ? "on" : value === false ? "off" : "inherit");
const lines = (value: unknown): string => strings(value).join("\n");

/** Items of a one-per-line list: trimmed, blanks dropped (the API drops them too). */
export const splitLines = (text: string): string[] => text.split("\n").map((line) => line.trim()).filter((line) => line !== "");

export function toFormValues(template: Template | null): TemplateFormValues {
  const rules = obj(template?.matching_rules);
  const processingConfig = obj(template?.processing_config);
  // LEAP's flat processing keys are read as the `processing` section they apply to.
  const processing = { ...processingConfig, ...obj(processingConfig.processing) };
  const transcription = obj(processingConfig.transcription);
  const download = obj(processingConfig.download);
  const metadata = obj(template?.metadata_config);
  const output = obj(template?.output_config);
  return {
    name: template?.name ?? "",
    description: template?.description ?? "",
    is_draft: template?.is_draft ?? false,
    matching_rules: {
      exact_matches: lines(rules.exact_matches),
      keywords: lines(rules.keywords),
      patterns: lines(rules.patterns),
      exclude_keywords: lines(rules.exclude_keywords),
      exclude_patterns: lines(rules.exclude_patterns),
      source_ids: (Array.isArray(rules.source_ids) ? rules.source_ids : []).map(String),
      case_sensitive: rules.case_sensitive === true,
    },
    processing_config: {
      processing: {
        enable_processing: override(processing.enable_processing),
        min_silence_duration: num(processing.min_silence_duration),
        padding_before: num(processing.padding_before),
        padding_after: num(processing.padding_after),
      },
      transcription: {
        enable_transcription: override(transcription.enable_transcription),
        language: str(transcription.language),
        prompt: str(transcription.prompt),
        enable_topics: override(transcription.enable_topics),
        granularity: str(transcription.granularity),
        enable_subtitles: override(transcription.enable_subtitles),
        subtitle_formats: strings(transcription.subtitle_formats),
        enable_translation: override(transcription.enable_translation),
        translation_language: str(transcription.translation_language),
      },
      download: { auto_download: override(download.auto_download) },
    },
    metadata_config: {
      title_template: str(metadata.title_template),
      description_template: str(metadata.description_template),
      tags: strings(metadata.tags),
      youtube: { privacy: str(obj(metadata.youtube).privacy), playlist_id: str(obj(metadata.youtube).playlist_id) },
      vk: { album_id: str(obj(metadata.vk).album_id) },
      yandex_disk: { folder_path: str(obj(metadata.yandex_disk).folder_path) },
    },
    output_config: {
      preset_ids: strings((Array.isArray(output.preset_ids) ? output.preset_ids : []).map(String)),
      auto_upload: output.auto_upload === true,
      upload_captions: output.upload_captions !== false,
    },
  };
}

/** The rules as the API takes them (also what the live preview sends). */
export function toMatchingRules(values: TemplateFormValues["matching_rules"]): MatchingRules {
  const rules: MatchingRules = { case_sensitive: values.case_sensitive };
  for (const list of RULE_LISTS) {
    const items = splitLines(values[list]);
    if (items.length > 0) rules[list] = items;
  }
  const sources = values.source_ids.map(Number).filter((id) => Number.isInteger(id) && id > 0);
  if (sources.length > 0) rules.source_ids = sources;
  return rules;
}

export const hasAnyRule = (rules: MatchingRules): boolean =>
  RULE_LISTS.some((list) => (rules[list]?.length ?? 0) > 0) || (rules.source_ids?.length ?? 0) > 0;

/** Sets `key` of `target` to `value`, or removes it when the value means "inherit". */
function put(target: Json, key: string, value: unknown): void {
  if (value === "" || value === "inherit" || value === undefined || (Array.isArray(value) && value.length === 0)) delete target[key];
  else target[key] = value === "on" ? true : value === "off" ? false : value;
}

/** A section of an existing config with the editor's fields applied; keys the editor does not show are kept. */
function section(existing: unknown, fields: Json): Json | null {
  const out = { ...obj(existing) };
  for (const [key, value] of Object.entries(fields)) put(out, key, value);
  return Object.keys(out).length > 0 ? out : null;
}

function withSections(base: Json, sections: Record<string, Json | null>): Json | null {
  const out = { ...base };
  for (const [key, value] of Object.entries(sections)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** NumberInput hands over text while a number is typed ("1."): numbers go to the API as numbers. */
function numbers(fields: object): Json {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [key, typeof value === "string" && /^\s*-?\d+(\.\d*)?\s*$/.test(value) ? Number(value) : value]),
  );
}

function processingConfig(values: TemplateFormValues["processing_config"], existing: Json): Json | null {
  const base = { ...existing };
  // The flat LEAP keys this editor shows move into `processing`, where they apply.
  const flat: Json = {};
  for (const key of Object.keys(values.processing)) {
    if (key in base) flat[key] = base[key];
    delete base[key];
  }
  return withSections(base, {
    processing: section({ ...flat, ...obj(existing.processing) }, numbers(values.processing)),
    transcription: section(existing.transcription, values.transcription),
    download: section(existing.download, values.download),
  });
}

function metadataConfig(values: TemplateFormValues["metadata_config"], existing: Json): Json | null {
  const { youtube, vk, yandex_disk, ...top } = values;
  const base = section(existing, top) ?? {};
  return withSections(base, {
    youtube: section(existing.youtube, youtube),
    vk: section(existing.vk, vk),
    yandex_disk: section(existing.yandex_disk, yandex_disk),
  });
}

function outputConfig(values: TemplateFormValues["output_config"], existing: Json | null): TemplateCreate["output_config"] {
  const presetIds = values.preset_ids.map(Number);
  const isDefault = presetIds.length === 0 && !values.auto_upload && values.upload_captions;
  if (isDefault && existing === null) return null;
  return { preset_ids: presetIds, auto_upload: values.auto_upload, upload_captions: values.upload_captions };
}

/** The create/update body: every section of the editor, over the template's current configs. */
export function toRequestBody(values: TemplateFormValues, template: Template | null): TemplateCreate {
  return {
    name: values.name.trim(),
    description: values.description.trim() || null,
    is_draft: values.is_draft,
    matching_rules: toMatchingRules(values.matching_rules),
    processing_config: processingConfig(values.processing_config, obj(template?.processing_config)),
    metadata_config: metadataConfig(values.metadata_config, obj(template?.metadata_config)),
    output_config: outputConfig(values.output_config, template?.output_config ?? null),
  };
}

interface Issue {
  path: string;
  message: string;
}

function issues(details: unknown): Issue[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: unknown) => {
    const { path, message } = obj(d);
    const where = Array.isArray(path) ? path.join(".") : path;
    return typeof where === "string" && typeof message === "string" ? [{ path: where, message }] : [];
  });
}

/**
 * The API's `details` as form errors: each issue goes to the deepest editor field its path starts
 * with (`matching_rules.patterns.1` → `matching_rules.patterns`, with the line number); issues no
 * field shows are returned apart, to show as a message.
 */
export function detailsToFieldErrors(details: unknown, fieldPaths: readonly string[]): { fields: Record<string, string>; other: string[] } {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  const sorted = [...fieldPaths].sort((a, b) => b.length - a.length);
  for (const issue of issues(details)) {
    const path = issue.path.replace(/^(json|body)\./, "");
    const field = sorted.find((candidate) => path === candidate || path.startsWith(`${candidate}.`));
    if (!field) {
      other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
      continue;
    }
    const rest = path.slice(field.length + 1);
    const line = /^\d+$/.test(rest) && RULE_LISTS.some((list) => field === `matching_rules.${list}`) ? Number(rest) : null;
    const message = line === null ? issue.message : `#${line + 1}: ${issue.message}`;
    fields[field] ??= message;
  }
  return { fields, other };
}

/** Every leaf path of the form values (the fields an API issue can land on). */
export function fieldPaths(values: object, prefix = ""): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? [path, ...fieldPaths(value, path)] : [path];
  });
}
