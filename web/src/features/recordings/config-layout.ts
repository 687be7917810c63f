import { type FieldSpec, processingSections } from "../../components/config/config-sections";
import type { Dictionary } from "../../i18n/en";
import type { ConfigOverrides, ConfigSource, RecordingConfig } from "./api/config-queries";

/** The parts of the effective config a recording can override, as the card groups them (by top-level section). */
export const CONFIG_GROUPS = {
  processing: ["processing", "transcription", "download"],
  metadata: ["metadata"],
  output: ["upload"],
} as const satisfies Record<string, readonly string[]>;
export type ConfigGroup = keyof typeof CONFIG_GROUPS;

export interface ConfigLeaf {
  path: string;
  source: ConfigSource;
  value: unknown;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

export function valueAt(document: unknown, path: readonly string[]): unknown {
  let node = document;
  for (const key of path) node = isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  return node;
}

/** Each group's leaves (the paths `sources` names), in the order of the effective config. */
export function groupLeaves(config: RecordingConfig): Record<ConfigGroup, ConfigLeaf[]> {
  const groups: Record<ConfigGroup, ConfigLeaf[]> = { processing: [], metadata: [], output: [] };
  for (const [path, source] of Object.entries(config.sources)) {
    const section = path.split(".")[0] ?? "";
    const group = (Object.keys(CONFIG_GROUPS) as ConfigGroup[]).find((id) => (CONFIG_GROUPS[id] as readonly string[]).includes(section));
    if (group) groups[group].push({ path, source, value: valueAt(config.effective_config, path.split(".")) });
  }
  return groups;
}

/**
 * Where a leaf of the effective config lives in a recording's overrides (the server's resolve.ts in
 * reverse). The first place is where this card writes; `processing.*` may also be stored as one of
 * LEAP's flat `processing_config` keys.
 */
export function overridePaths(path: string): string[][] {
  const [section = "", ...rest] = path.split(".");
  switch (section) {
    case "processing":
      return [["processing_config", "processing", ...rest], ["processing_config", ...rest]];
    case "transcription":
    case "download":
      return [["processing_config", section, ...rest]];
    case "metadata":
      return [["metadata_config", ...rest]];
    case "upload":
      return [["output_config", ...rest]];
    default:
      return [];
  }
}

function put(document: Json, path: readonly string[], value: unknown): void {
  let node = document;
  for (const key of path.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  const last = path.at(-1);
  if (last !== undefined) node[last] = value;
}

/**
 * The merge patch that sets leaves (`value`) or lets them inherit again (`null`). A value is written
 * in one place and its other stored place cleared; nulls go only where something is stored, so the
 * overrides never gain empty sections.
 */
export function overridesPatch(overrides: RecordingConfig["overrides"], changes: { path: string; value: unknown }[]): ConfigOverrides {
  const patch: Json = {};
  for (const { path, value } of changes) {
    const [primary = [], ...others] = overridePaths(path);
    if (value !== null) put(patch, primary, value);
    for (const place of value === null ? [primary, ...others] : others) if (valueAt(overrides, place) !== undefined) put(patch, place, null);
  }
  return patch as ConfigOverrides;
}

/** The settings page's fields by their path in the effective config: their labels and option names. */
export function knownFields(t: Dictionary): Map<string, FieldSpec> {
  const fields = new Map<string, FieldSpec>();
  for (const section of processingSections(t)) for (const field of section.fields) fields.set(`${section.path.join(".")}.${field.key}`, field);
  for (const { path, spec } of metadataFields(t)) fields.set(path, spec);
  return fields;
}

/** Title and description templates, which the settings page does not edit (same bounds as the API's). */
function metadataFields(t: Dictionary): { path: string; spec: FieldSpec }[] {
  const f = t.recordingConfig.fields;
  return [
    { path: "metadata.title_template", spec: { key: "title_template", label: f.titleTemplate, kind: "text", minLength: 1, maxLength: 500 } },
    { path: "metadata.description_template", spec: { key: "description_template", label: f.descriptionTemplate, kind: "text", minLength: 0, maxLength: 5000, multiline: true } },
  ];
}

/** The values a recording most often needs its own of: the editor's fields. */
export const EDITABLE_PATHS = [
  "processing.enable_processing",
  "processing.min_silence_duration",
  "transcription.language",
  "upload.auto_upload",
  "metadata.title_template",
  "metadata.description_template",
] as const;

/** A value as the card shows it: on/off, option names, lists joined, "—" for nothing. */
export function formatValue(value: unknown, field: FieldSpec | undefined, t: Dictionary, number: (n: number) => string): string {
  const r = t.recordingConfig;
  const option = (v: unknown) => (field && "options" in field ? field.options.find((o) => o.value === v)?.label : undefined) ?? String(v);
  if (typeof value === "boolean") return value ? r.on : r.off;
  if (typeof value === "number") return number(value);
  if (typeof value === "string") return value === "" ? r.empty : value.trim() === "" ? JSON.stringify(value) : option(value);
  if (Array.isArray(value)) return value.length === 0 ? r.empty : value.map(option).join(", ");
  if (isObject(value)) return Object.keys(value).length === 0 ? r.empty : JSON.stringify(value);
  return r.empty;
}
