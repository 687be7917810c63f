import { z } from "@hono/zod-openapi";
import type { PresetRow } from "../../db/repositories/presets.repository";
import { PRESET_PLATFORMS } from "../../db/schema";
import { boundedJson, JSON_SIZE_LIMITS } from "../../lib/json-limits";
import { TEMPLATE_VARIABLES } from "../../services/metadata";
import type { DraftPublication, Publication } from "../../services/presets/publication";

const variables = Object.entries(TEMPLATE_VARIABLES)
  .map(([name, v]) => `\`${name}\` (${v.description})`)
  .join("; ");

const PresetMetadata = boundedJson({ maxBytes: JSON_SIZE_LIMITS.configDocument }).openapi({
  description:
    "Per platform (strict: keys of another platform are refused). youtube: {title_template, description_template, privacy, " +
    "made_for_kids, embeddable, category_id, license, default_language, public_stats_viewable, playlist_id, tags, thumbnail_name, " +
    "publish_at, topics_display, disable_comments, rating_disabled, notify_subscribers}; vk: {title_template, description_template, " +
    "privacy_view, privacy_comment, group_id, album_id, thumbnail_name, topics_display, disable_comments, repeat, compression, wallpost}; " +
    "yandex_disk: {title_template, description_template, folder_path, overwrite, publish, topics_display}. Templates use LEAP's " +
    "`{variable}` / `{variable:format}` or Liquid (`{{ variable | format: \"DD.MM.YYYY\" }}`, tags, filters) and are checked " +
    `when saved. Variables: ${variables}.`,
  example: { title_template: "{display_name} — {record_time:DD.MM.YYYY}", privacy: "unlisted", topics_display: { format: "numbered_list", show_timestamps: true } },
});

const fields = {
  name: z.string().trim().min(1).max(255),
  description: z.string().trim().max(1000).nullable().optional(),
  platform: z.enum(PRESET_PLATFORMS),
  credential_id: z.number().int().positive().openapi({ description: "A credential of the caller for the same platform" }),
  preset_metadata: PresetMetadata.optional(),
  is_active: z.boolean().optional(),
};

export const PresetCreateSchema = z.object(fields).strict().openapi("PresetCreate");
export const PresetUpdateSchema = z
  .object(fields)
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, "at least one field is required")
  .openapi("PresetUpdate");

export const PresetSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    platform: z.enum(PRESET_PLATFORMS),
    credential_id: z.number().int().nullable().openapi({ description: "null once the credential was deleted" }),
    preset_metadata: z.record(z.string(), z.unknown()),
    is_active: z.boolean(),
    last_used_at: z.string().nullable().openapi({ description: "When an upload last published with this preset" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Preset");

export function toPresetResponse(p: PresetRow): z.infer<typeof PresetSchema> {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    platform: p.platform,
    credential_id: p.credentialId,
    preset_metadata: p.presetMetadata,
    is_active: p.isActive,
    last_used_at: p.lastUsedAt?.toISOString() ?? null,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

export function toPresetInput(body: Partial<z.infer<typeof PresetCreateSchema>>) {
  return {
    name: body.name,
    description: body.description,
    platform: body.platform,
    credentialId: body.credential_id,
    presetMetadata: body.preset_metadata,
    isActive: body.is_active,
  };
}

export const PreviewRequestSchema = z
  .object({
    recording_id: z.number().int().positive(),
    metadata_config: boundedJson({ maxBytes: JSON_SIZE_LIMITS.configDocument })
      .nullable()
      .optional()
      .openapi({ description: "A one-off metadata override (as in POST /recordings/{id}/process)" }),
  })
  .strict()
  .openapi("PresetPreviewRequest");

const Warning = z.object({ code: z.string(), message: z.string() });

export const PreviewSchema = z
  .object({
    preset_id: z.number().int(),
    recording_id: z.number().int(),
    platform: z.enum(PRESET_PLATFORMS),
    credential_id: z.number().int().nullable(),
    title: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    privacy: z.string().nullable(),
    playlist_id: z.string().nullable(),
    album_id: z.string().nullable(),
    group_id: z.number().int().nullable(),
    path: z.string().nullable(),
    thumbnail: z
      .object({ name: z.string(), source: z.enum(["user", "shared"]), size_bytes: z.number().int(), content_type: z.string(), url: z.string() })
      .nullable(),
    publish_at: z.string().nullable(),
    request: z.record(z.string(), z.unknown()).openapi({ description: "The platform request as it would be sent" }),
    warnings: z.array(Warning),
  })
  .openapi("PresetPreview");

export const DraftPreviewRequestSchema = z
  .object({
    recording_id: z.number().int().positive(),
    platform: z.enum(PRESET_PLATFORMS),
    credential_id: z.number().int().positive().nullable().optional().openapi({ description: "The credential picked so far (a credential of the caller for the platform)" }),
    preset_metadata: PresetMetadata.optional(),
    is_active: z.boolean().optional(),
  })
  .strict()
  .openapi("PresetDraftPreviewRequest");

export const DraftPreviewSchema = PreviewSchema.omit({ preset_id: true }).openapi("PresetDraftPreview");

export function toPreviewResponse(p: Publication): z.infer<typeof PreviewSchema> {
  return { preset_id: p.preset_id, ...toDraftPreviewResponse(p) };
}

export function toDraftPreviewResponse(p: DraftPublication): z.infer<typeof DraftPreviewSchema> {
  return {
    recording_id: p.recording_id,
    platform: p.platform,
    credential_id: p.credential_id,
    title: p.title,
    description: p.description,
    tags: p.tags,
    privacy: p.privacy,
    playlist_id: p.playlist_id,
    album_id: p.album_id,
    group_id: p.group_id,
    path: p.path,
    thumbnail: p.thumbnail && {
      name: p.thumbnail.name,
      source: p.thumbnail.source,
      size_bytes: p.thumbnail.size,
      content_type: p.thumbnail.contentType,
      url: `/api/v1/thumbnails/${p.thumbnail.name}`,
    },
    publish_at: p.publish_at?.toISOString() ?? null,
    request: p.request,
    warnings: p.warnings,
  };
}
