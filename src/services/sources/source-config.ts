import { z } from "zod";
import type { SourceType } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { MAX_PATTERN_LENGTH, tenantPatternProblem } from "../../lib/tenant-regex";

const filePattern = z
  .string()
  .max(MAX_PATTERN_LENGTH)
  .superRefine((p, ctx) => {
    const problem = tenantPatternProblem(p);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** §6.1: each source type has its own config shape; unknown keys are mistakes, not extensions. */
const CONFIG_BY_TYPE = {
  ZOOM: z
    .object({
      user_id: z.string().max(200).optional(),
      include_trash: z.boolean().default(false),
      recording_type: z.enum(["cloud", "all"]).default("cloud"),
      delete_from_zoom_after_copy: z.boolean().default(false),
    })
    .strict(),
  YANDEX_DISK: z
    .object({ folder_path: z.string().min(1).max(1000), recursive: z.boolean().default(true), file_pattern: filePattern.optional() })
    .strict(),
  LOCAL: z.object({}).strict(),
} satisfies Record<SourceType, z.ZodType>;

export function parseSourceConfig(sourceType: SourceType, config: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const parsed = CONFIG_BY_TYPE[sourceType].safeParse(config ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: ["config", ...i.path].join("."), message: i.message, code: i.code, location: "json" }));
    throw new AppError("VALIDATION_FAILED", `Invalid ${issues[0]?.path ?? "config"} for a ${sourceType} source: ${issues[0]?.message ?? ""}`, {
      details: issues,
    });
  }
  return parsed.data;
}
