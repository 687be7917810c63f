import { z } from "@hono/zod-openapi";
import type { TemplateRow } from "../../db/repositories/templates.repository";
import { metadataConfigSchema, processingConfigSchema } from "../../services/config/config-layer.schema";
import { matchingRulesSchema } from "../../services/templates/matching-rules";

export const OutputConfigSchema = z
  .object({
    preset_ids: z
      .array(z.number().int().positive())
      .max(10)
      .refine((ids) => new Set(ids).size === ids.length, "must not repeat a preset")
      .default([]),
    auto_upload: z.boolean().default(false),
    upload_captions: z.boolean().default(true),
  })
  .strict();

const fields = {
  name: z.string().trim().min(3).max(255),
  description: z.string().trim().max(1000).nullable().optional(),
  matching_rules: matchingRulesSchema.nullable().optional(),
  processing_config: processingConfigSchema.nullable().optional(),
  metadata_config: metadataConfigSchema.nullable().optional(),
  output_config: OutputConfigSchema.nullable().optional(),
  is_draft: z.boolean().optional(),
  is_active: z.boolean().optional(),
};

export const TemplateCreateSchema = z.object(fields).strict().openapi("TemplateCreate");
export const TemplateUpdateSchema = z
  .object(fields)
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, "at least one field is required")
  .openapi("TemplateUpdate");

export const TemplateSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    matching_rules: z.record(z.string(), z.unknown()).nullable(),
    processing_config: z.record(z.string(), z.unknown()).nullable(),
    metadata_config: z.record(z.string(), z.unknown()).nullable(),
    output_config: z.record(z.string(), z.unknown()).nullable(),
    is_draft: z.boolean(),
    is_active: z.boolean(),
    used_count: z.number().int(),
    last_used_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Template");

export const RematchSummarySchema = z
  .object({ checked: z.number().int(), changed: z.number().int(), continued: z.boolean() })
  .nullable()
  .openapi("RematchSummary");

/**
 * What create, update, activate and deactivate answer: the template itself (LEAP's shape, so a
 * LEAP client reads its fields where it expects them) with what rematching changed in `rematch`
 * (null when nothing was rematched).
 */
export const TemplateWithRematchSchema = TemplateSchema.extend({
  rematch: RematchSummarySchema.openapi({ description: "Recordings matched again by this change; null when no rematch ran" }),
}).openapi("TemplateWithRematch");

export function toTemplateResponse(t: TemplateRow): z.infer<typeof TemplateSchema> {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    matching_rules: t.matchingRules,
    processing_config: t.processingConfig,
    metadata_config: t.metadataConfig,
    output_config: t.outputConfig,
    is_draft: t.isDraft,
    is_active: t.isActive,
    used_count: t.usedCount,
    last_used_at: t.lastUsedAt?.toISOString() ?? null,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

export function toTemplateInput(body: Partial<z.infer<typeof TemplateCreateSchema>>) {
  return {
    name: body.name,
    description: body.description,
    matchingRules: body.matching_rules,
    processingConfig: body.processing_config,
    metadataConfig: body.metadata_config,
    outputConfig: body.output_config,
    isDraft: body.is_draft,
    isActive: body.is_active,
  };
}
