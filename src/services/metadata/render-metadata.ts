import { isPlainObject, resolveLayers } from "../config/merge";
import { formatDate } from "./formats";
import { limitVk, limitYouTube, safeFileName, singleLine, type MetadataWarning } from "./platform-limits";
import { renderTemplate, type TemplateRefusal } from "./template-engine";
import type { TopicsDisplaySettings } from "./topics-display";
import { buildScope, type RecordingForMetadata } from "./variables";

export type MetadataPlatform = "youtube" | "vk" | "yandex_disk";
type Json = Record<string, unknown>;

/** Keys of a metadata layer that hold blocks for one platform (or all of them) rather than values. */
const BLOCK_KEYS = new Set(["youtube", "vk", "yandex_disk", "common"]);

export interface RenderMetadataInput {
  platform: MetadataPlatform;
  recording: RecordingForMetadata;
  /** The user's effective `metadata` config section (defaults + stored), the lowest layer. */
  userMetadata?: Json | null;
  presetMetadata?: Json | null;
  /** The recording template's `metadata_config`. */
  templateMetadata?: Json | null;
  /** `recordings.processing_preferences.metadata_config`. */
  recordingMetadata?: Json | null;
  /** A per-request `metadata_config` (highest). */
  overrideMetadata?: Json | null;
  /** The scheduled publication time, if any (`publish_time`); otherwise `now`. */
  publishAt?: Date | null;
  now: Date;
  /** IANA zone for dates (the owner's); UTC when absent or unknown. */
  timeZone?: string | null;
}

export interface RenderedMetadata {
  title: string;
  description: string;
  /** YouTube only (the other platforms take none). */
  tags: string[];
  thumbnail_name: string | null;
  /** Yandex Disk only: where the file goes (`/folder/Title.mp4`). */
  path: string | null;
  /** The merged metadata (privacy, playlist, album …) the platform request is built from. */
  settings: Json;
  warnings: MetadataWarning[];
  /** Fields whose template the sandbox refused (their fallback is in place, but they must not be published so). */
  refusals: TemplateRefusal[];
}

/**
 * §6.5's metadata resolution, lowest → highest: user → preset → template → recording → request.
 * Within each layer its plain keys, then its `common` block, then the block of this platform
 * (so a template's `youtube.thumbnail_name` beats its `thumbnail_name`, as §6.7 wants). `null`
 * inherits; objects (topics_display) merge per key.
 */
export function mergeMetadataLayers(platform: MetadataPlatform, layers: ReadonlyArray<Json | null | undefined>): Json {
  const parts: Json[] = [];
  for (const layer of layers) {
    if (!isPlainObject(layer)) continue;
    parts.push(Object.fromEntries(Object.entries(layer).filter(([key]) => !BLOCK_KEYS.has(key))));
    if (isPlainObject(layer.common)) parts.push(layer.common);
    if (isPlainObject(layer[platform])) parts.push(layer[platform]);
  }
  return resolveLayers({}, ...parts);
}

/**
 * The folders of a path template (`/Lectures/{record_time:YYYY}`): split at each "/" that is not
 * inside braces, so a Liquid expression such as `{{ record_time | date: "%Y/%m" }}` stays whole.
 */
export function splitPathTemplate(template: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of template.replace(/^disk:/, "")) {
    if (ch === "{") depth += 1;
    else if (ch === "}") depth = Math.max(0, depth - 1);
    if (ch === "/" && depth === 0) {
      segments.push(current);
      current = "";
    } else current += ch;
  }
  segments.push(current);
  return segments.filter((s) => s.trim() !== "");
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export function safeTimeZone(zone: string | null | undefined): string {
  if (!zone) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}

/**
 * Title, description, tags and thumbnail of one recording for one platform, exactly as they would
 * be sent: rendered from the merged templates (§6.6), with the upload fallbacks of §4.5 (an empty
 * title becomes the recording's name; an empty description "Uploaded on <date>" plus the main
 * topics) and the platform's limits applied. Pure: everything comes from the input.
 */
export function renderMetadata(input: RenderMetadataInput): RenderedMetadata {
  const { platform, recording } = input;
  const settings = mergeMetadataLayers(platform, [
    input.userMetadata,
    input.presetMetadata,
    input.templateMetadata,
    input.recordingMetadata,
    input.overrideMetadata,
  ]);
  const timeZone = safeTimeZone(input.timeZone);
  const warnings: MetadataWarning[] = [];
  const refusals: TemplateRefusal[] = [];
  const scope = buildScope(recording, {
    publishTime: input.publishAt ?? input.now,
    timeZone,
    dateFormat: str(settings.date_format),
    topicsDisplay: isPlainObject(settings.topics_display) ? (settings.topics_display as TopicsDisplaySettings) : undefined,
  });
  const render = (field: string, template: string): string => {
    const result = renderTemplate(template, scope, timeZone);
    for (const w of result.warnings) warnings.push({ code: "template_warning", message: `${field}: ${w}` });
    if (result.ok) return result.output;
    if (result.refused) refusals.push({ field, ...result.problem });
    warnings.push({ code: "template_failed", message: `${field} could not be rendered (${result.error}); the fallback is used` });
    return "";
  };

  let title = singleLine(render("title_template", str(settings.title_template) ?? "{display_name}"));
  if (!title) title = scope.display_name as string;

  const descriptionTemplate = str(settings.description_template);
  let description = descriptionTemplate === undefined ? "" : render("description_template", descriptionTemplate).trim();
  if (!description) {
    const topics = (scope.main_topics as string[]).join(", ");
    description = `Uploaded on ${formatDate(recording.startTime, "date", timeZone)}${topics ? `\n\n${topics}` : ""}`;
  }

  const rawTags = Array.isArray(settings.tags) ? settings.tags.filter((t): t is string => typeof t === "string") : [];
  const thumbnail = str(settings.thumbnail_name)?.trim() || null;

  if (platform === "youtube") {
    const limited = limitYouTube({ title, description, tags: rawTags });
    warnings.push(...limited.warnings);
    return { title: limited.title, description: limited.description, tags: limited.tags, thumbnail_name: thumbnail, path: null, settings, warnings, refusals };
  }
  if (platform === "vk") {
    const limited = limitVk({ title, description });
    warnings.push(...limited.warnings);
    return { title: limited.title, description: limited.description, tags: [], thumbnail_name: thumbnail, path: null, settings, warnings, refusals };
  }
  // Rendered folder by folder, so a "/" inside a value (a name like "Lecture 3/4") never nests.
  const folders = splitPathTemplate(str(settings.folder_path) ?? "/")
    .map((segment) => safeFileName(render("folder_path", segment), ""))
    .filter((segment) => segment !== "");
  const folder = `/${folders.join("/")}`;
  const fileName = `${safeFileName(title, `recording-${recording.id}`)}.mp4`;
  return {
    title,
    description,
    tags: [],
    thumbnail_name: null,
    path: `${folder === "/" ? "" : folder}/${fileName}`,
    settings,
    warnings,
    refusals,
  };
}
