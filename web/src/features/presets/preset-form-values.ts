import type { Preset, PresetPlatform } from "./api/presets-queries";

/** The editor's state: one block of fields per platform, so switching platform while creating keeps what was typed. */
export interface PresetFormValues {
  name: string;
  description: string;
  platform: PresetPlatform;
  credentialId: string | null;
  isActive: boolean;
  titleTemplate: string;
  descriptionTemplate: string;
  youtube: {
    privacy: string;
    categoryId: string;
    playlistId: string;
    tags: string[];
    defaultLanguage: string;
    license: string;
    madeForKids: boolean;
    embeddable: boolean;
    notifySubscribers: boolean;
    disableComments: boolean;
    thumbnailName: string | null;
  };
  vk: {
    privacyView: string;
    privacyComment: string;
    groupId: string;
    albumId: string;
    albumTitle: string;
    thumbnailName: string | null;
    disableComments: boolean;
    repeat: boolean;
    compression: boolean;
    wallpost: boolean;
  };
  yandexDisk: { folderPath: string; overwrite: boolean; publish: boolean };
}

export const PLATFORMS: readonly PresetPlatform[] = ["youtube", "vk", "yandex_disk"];

type Json = Record<string, unknown>;
const str = (m: Json, key: string, fallback = ""): string => (typeof m[key] === "string" ? (m[key] as string) : typeof m[key] === "number" ? String(m[key]) : fallback);
const bool = (m: Json, key: string, fallback: boolean): boolean => (typeof m[key] === "boolean" ? (m[key] as boolean) : fallback);
const strings = (m: Json, key: string): string[] => (Array.isArray(m[key]) ? (m[key] as unknown[]).filter((v): v is string => typeof v === "string") : []);

/** The form of a stored preset (or, without one, of a new preset with the API's defaults). */
export function toFormValues(preset?: Preset, platform: PresetPlatform = "youtube"): PresetFormValues {
  const m: Json = preset?.preset_metadata ?? {};
  return {
    name: preset?.name ?? "",
    description: preset?.description ?? "",
    platform: preset?.platform ?? platform,
    credentialId: preset?.credential_id == null ? null : String(preset.credential_id),
    isActive: preset?.is_active ?? true,
    titleTemplate: str(m, "title_template"),
    descriptionTemplate: str(m, "description_template"),
    youtube: {
      privacy: str(m, "privacy", "unlisted"),
      categoryId: str(m, "category_id", "27"),
      playlistId: str(m, "playlist_id"),
      tags: strings(m, "tags"),
      defaultLanguage: str(m, "default_language"),
      license: str(m, "license", "youtube"),
      madeForKids: bool(m, "made_for_kids", false),
      embeddable: bool(m, "embeddable", true),
      notifySubscribers: bool(m, "notify_subscribers", true),
      disableComments: bool(m, "disable_comments", false),
      thumbnailName: str(m, "thumbnail_name") || null,
    },
    vk: {
      privacyView: str(m, "privacy_view", "0"),
      privacyComment: str(m, "privacy_comment", "0"),
      groupId: str(m, "group_id"),
      albumId: str(m, "album_id"),
      albumTitle: str(m, "album_title"),
      thumbnailName: str(m, "thumbnail_name") || null,
      disableComments: bool(m, "disable_comments", false),
      repeat: bool(m, "repeat", false),
      compression: bool(m, "compression", false),
      wallpost: bool(m, "wallpost", false),
    },
    yandexDisk: {
      folderPath: str(m, "folder_path", "/Lectures"),
      overwrite: bool(m, "overwrite", false),
      publish: bool(m, "publish", false),
    },
  };
}

/** Sets a key, or removes it when the field is empty (the API then applies its default). */
function put(target: Json, key: string, value: string | number | boolean | string[] | null): void {
  if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) delete target[key];
  else target[key] = typeof value === "string" ? value.trim() : value;
}

/**
 * The `preset_metadata` the API takes: the fields of the form's platform over what the preset
 * already stores for it (settings this form does not show, e.g. topics_display, are kept).
 */
export function toMetadata(values: PresetFormValues, stored?: Preset): Json {
  const m: Json = stored && stored.platform === values.platform ? { ...stored.preset_metadata } : {};
  put(m, "title_template", values.titleTemplate);
  put(m, "description_template", values.descriptionTemplate);
  if (values.platform === "youtube") {
    const y = values.youtube;
    put(m, "privacy", y.privacy);
    put(m, "category_id", y.categoryId);
    put(m, "playlist_id", y.playlistId);
    put(m, "tags", y.tags);
    put(m, "default_language", y.defaultLanguage);
    put(m, "license", y.license);
    put(m, "made_for_kids", y.madeForKids);
    put(m, "embeddable", y.embeddable);
    put(m, "notify_subscribers", y.notifySubscribers);
    put(m, "disable_comments", y.disableComments);
    put(m, "thumbnail_name", y.thumbnailName);
  } else if (values.platform === "vk") {
    const v = values.vk;
    put(m, "privacy_view", Number(v.privacyView));
    put(m, "privacy_comment", Number(v.privacyComment));
    const group = v.groupId.trim();
    put(m, "group_id", group === "" ? null : /^\d+$/.test(group) ? Number(group) : group);
    put(m, "album_id", v.albumId);
    put(m, "album_title", v.albumTitle);
    put(m, "thumbnail_name", v.thumbnailName);
    put(m, "disable_comments", v.disableComments);
    put(m, "repeat", v.repeat);
    put(m, "compression", v.compression);
    put(m, "wallpost", v.wallpost);
  } else {
    const d = values.yandexDisk;
    put(m, "folder_path", d.folderPath);
    put(m, "overwrite", d.overwrite);
    put(m, "publish", d.publish);
  }
  return m;
}

/** One problem the API reported: `field` is the metadata key (or the top-level field), with a position inside a template. */
export interface FieldIssue {
  field: string;
  message: string;
  line?: number;
  column?: number;
}

/** The validation details of an API error, keyed by form field (`preset_metadata.title_template` → `title_template`). */
export function issuesOf(details: unknown): FieldIssue[] {
  if (!Array.isArray(details)) return [];
  const out: FieldIssue[] = [];
  for (const raw of details as unknown[]) {
    if (typeof raw !== "object" || raw === null) continue;
    const d = raw as Record<string, unknown>;
    if (typeof d.path !== "string" || typeof d.message !== "string") continue;
    out.push({
      field: d.path.replace(/^preset_metadata\./, ""),
      message: d.message,
      ...(typeof d.line === "number" && typeof d.column === "number" ? { line: d.line, column: d.column } : {}),
    });
  }
  return out;
}
