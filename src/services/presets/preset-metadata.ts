import { z } from "zod";
import type { PresetPlatform } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { splitPathTemplate, topicsDisplaySchema, validateTemplate } from "../metadata";
import { THUMBNAIL_REFERENCE_PATTERN } from "../thumbnails/thumbnails.service";

/**
 * §6.2's platform metadata, one strict schema per platform: a VK key in a YouTube preset is a
 * 400, not silently stored (LEAP's untagged union accepted either shape for either platform).
 * Defaults are applied and stored, so a preset shows what it will do.
 */
const titleTemplate = z.string().max(500);
const descriptionTemplate = z.string().max(5000);
const thumbnailName = z
  .string()
  .trim()
  .regex(THUMBNAIL_REFERENCE_PATTERN, "must be a thumbnail name: letters, digits, _ or - (at most 100), optionally .png, .jpg or .jpeg");

const youtube = z
  .object({
    title_template: titleTemplate.optional(),
    description_template: descriptionTemplate.optional(),
    privacy: z.enum(["public", "private", "unlisted"]).default("unlisted"),
    made_for_kids: z.boolean().default(false),
    embeddable: z.boolean().default(true),
    category_id: z
      .union([z.string().regex(/^[1-9]\d{0,3}$/, "must be a numeric YouTube category id"), z.number().int().min(1).max(9999)])
      .transform(String)
      .default("27"),
    license: z.enum(["youtube", "creativeCommon"]).default("youtube"),
    default_language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a language code such as ru or en-US")
      .optional(),
    public_stats_viewable: z.boolean().optional(),
    playlist_id: z.string().regex(/^[A-Za-z0-9_-]{2,128}$/, "must be a YouTube playlist id").optional(),
    tags: z.array(z.string().trim().min(1).max(100)).max(500).optional(),
    thumbnail_name: thumbnailName.optional(),
    publish_at: z.iso.datetime({ offset: true }).optional(),
    topics_display: topicsDisplaySchema.optional(),
    disable_comments: z.boolean().default(false),
    rating_disabled: z.boolean().default(false),
    notify_subscribers: z.boolean().default(true),
  })
  .strict();

/** VK privacy: 0 all, 1 friends, 2 friends of friends, 3 only me (a digit string is accepted too). */
const vkPrivacy = z.union([z.number().int().min(0).max(3), z.enum(["0", "1", "2", "3"]).transform(Number)]);

const vk = z
  .object({
    title_template: titleTemplate.optional(),
    description_template: descriptionTemplate.optional(),
    privacy_view: vkPrivacy.default(0),
    privacy_comment: vkPrivacy.default(0),
    group_id: z.number().int().positive().optional(),
    album_id: z
      .union([z.string().regex(/^\d{1,20}$/, "must be a numeric VK album id"), z.number().int().positive()])
      .transform(String)
      .optional(),
    /** An album found by its title (created when missing) — used when no album_id is given. */
    album_title: z.string().trim().min(1).max(128).optional(),
    thumbnail_name: thumbnailName.optional(),
    topics_display: topicsDisplaySchema.optional(),
    disable_comments: z.boolean().default(false),
    repeat: z.boolean().default(false),
    compression: z.boolean().default(false),
    wallpost: z.boolean().default(false),
  })
  .strict();

/** Yandex Disk: the file goes to `folder_path` (itself a template) as `<title>.mp4`. */
const yandexDisk = z
  .object({
    title_template: titleTemplate.optional(),
    description_template: descriptionTemplate.optional(),
    folder_path: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .regex(/^(disk:)?\//, "must start with / (or disk:/)")
      .default("/Lectures"),
    overwrite: z.boolean().default(false),
    /** Make the file public after the upload (the publication's URL is then its public link). */
    publish: z.boolean().default(false),
    topics_display: topicsDisplaySchema.optional(),
  })
  .strict();

export const PRESET_METADATA_SCHEMAS = { youtube, vk, yandex_disk: yandexDisk } satisfies Record<PresetPlatform, z.ZodType>;

/** Fields that are templates, checked at save time (unknown variables, syntax) with their position. */
const TEMPLATE_FIELDS = ["title_template", "description_template", "folder_path"] as const;

/**
 * Validates metadata for a platform and returns what is stored. `null` values mean "not set" and
 * are dropped (LEAP stored with exclude_none). Failures are the standard 400 with
 * `preset_metadata.<field>` paths; template failures also carry line, column and variable.
 */
export function parsePresetMetadata(platform: PresetPlatform, raw: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const input = Object.fromEntries(Object.entries(raw ?? {}).filter(([, v]) => v !== null));
  const parsed = PRESET_METADATA_SCHEMAS[platform].safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: ["preset_metadata", ...i.path.map(String)].join("."),
      message: i.code === "unrecognized_keys" ? `${i.message} (not a ${platform} setting)` : i.message,
      code: i.code,
      location: "json",
    }));
    const first = issues[0]!;
    throw new AppError("VALIDATION_FAILED", `Invalid ${first.path} for a ${platform} preset: ${first.message}`, { details: issues });
  }
  const metadata = parsed.data as Record<string, unknown>;
  for (const field of TEMPLATE_FIELDS) {
    const value = metadata[field];
    if (typeof value === "string") validateTemplate(value, `preset_metadata.${field}`);
  }
  // The folder path is rendered folder by folder: a tag may not span a "/".
  if (typeof metadata.folder_path === "string") {
    for (const segment of splitPathTemplate(metadata.folder_path)) validateTemplate(segment, "preset_metadata.folder_path");
  }
  return metadata;
}
