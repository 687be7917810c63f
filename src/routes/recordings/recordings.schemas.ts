import type { BulkSelection } from "../../services/recordings/bulk";
import { z } from "@hono/zod-openapi";
import type { RecordingFilters } from "../../db/repositories/recording-filters";
import type { RecordingListItem, RecordingRow } from "../../db/repositories/recordings.repository";
import { RECORDING_STATUSES, type outputTargets } from "../../db/schema";
import { leapDate } from "../common/dates";

type TargetRow = typeof outputTargets.$inferSelect;

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
const booleanQuery = z.enum(["true", "false"]).transform((v) => v === "true");
export const StatusFilterSchema = z.enum([...RECORDING_STATUSES, "FAILED"]);

export const ORDER_BY = ["created_at", "start_time", "updated_at", "display_name", "duration", "status", "id"] as const;

const statusListQuery = z
  .string()
  .max(400)
  .transform((v, ctx) => {
    const parsed = z.array(StatusFilterSchema).safeParse(v.split(",").map((s) => s.trim().toUpperCase()));
    if (!parsed.success) ctx.addIssue({ code: "custom", message: `statuses are ${StatusFilterSchema.options.join(", ")}` });
    return parsed.data ?? [];
  });

/** The list's filters and order (the export takes exactly these; the list adds its page). */
export const ListFilterFields = z.object({
  search: z.string().trim().min(1).max(200).optional(),
  status: statusListQuery
    .optional()
    .openapi({ description: "Comma-separated statuses; FAILED selects recordings whose last run failed", example: "SKIPPED,FAILED" }),
  status_filter: statusListQuery.optional().openapi({ description: "LEAP's name for `status` (give one of the two)" }),
  template_id: z.coerce.number().int().positive().optional(),
  source_id: z.coerce.number().int().positive().optional(),
  mapped: booleanQuery.optional(),
  failed: booleanQuery.optional(),
  include_blank: booleanQuery.optional(),
  include_deleted: booleanQuery.optional(),
  from_date: leapDate(false).optional(),
  to_date: leapDate(true).optional().openapi({ description: "Inclusive: the whole day (UTC) counts" }),
  order_by: z.enum(ORDER_BY).default("start_time"),
  order: z.enum(["asc", "desc"]).default("desc"),
});

export const oneStatusParameter: [(q: { status?: unknown; status_filter?: unknown }) => boolean, { message: string; path: string[] }] = [
  (q) => q.status === undefined || q.status_filter === undefined,
  { message: "give status or status_filter (LEAP's name for it), not both", path: ["status_filter"] },
];

export const ListQuerySchema = ListFilterFields.extend({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(20),
}).refine(...oneStatusParameter);

/** The list query's filters as repository filters (search still to be resolved by the service). */
export function toListFilters(q: z.infer<typeof ListFilterFields>): RecordingFilters {
  return {
    search: q.search,
    statuses: q.status ?? q.status_filter,
    templateId: q.template_id,
    sourceId: q.source_id,
    mapped: q.mapped,
    failed: q.failed,
    includeBlank: q.include_blank,
    includeDeleted: q.include_deleted,
    fromDate: q.from_date,
    toDate: q.to_date,
  };
}

/** §3.0 RecordingFilters in a bulk body. */
export const BulkFiltersSchema = z
  .object({
    template_id: z.number().int().positive().optional(),
    source_id: z.number().int().positive().optional(),
    status: z.array(StatusFilterSchema).max(20).optional(),
    is_mapped: z.boolean().optional(),
    failed: z.boolean().optional(),
    exclude_blank: z.boolean().default(true),
    include_deleted: z.boolean().default(false),
    search: z.string().trim().min(1).max(200).optional(),
    from_date: leapDate(false).optional(),
    to_date: leapDate(true).optional(),
  })
  .strict()
  .openapi("RecordingFilters");

/** A validated bulk body's selection: its ids, or its filters as repository filters. */
export function toBulkSelection(body: { recording_ids?: number[]; filters?: z.infer<typeof BulkFiltersSchema> }): BulkSelection {
  return body.recording_ids ? { recordingIds: body.recording_ids } : { filters: toRepositoryFilters(body.filters!) };
}

export function toRepositoryFilters(f: z.infer<typeof BulkFiltersSchema>): RecordingFilters {
  return {
    templateId: f.template_id,
    sourceId: f.source_id,
    statuses: f.status,
    mapped: f.is_mapped,
    failed: f.failed,
    includeBlank: !f.exclude_blank,
    includeDeleted: f.include_deleted,
    search: f.search,
    fromDate: f.from_date,
    toDate: f.to_date,
  };
}

/** §3.0: a bulk request names its recordings by ids or by filters; other bulk bodies extend these fields. */
export const bulkSelectionFields = {
  recording_ids: z.array(z.number().int().positive()).min(1).max(200).optional(),
  filters: BulkFiltersSchema.optional(),
  limit: z.number().int().min(1).max(200).default(50),
};

export const exactlyOneSelection: [(b: { recording_ids?: unknown; filters?: unknown }) => boolean, { message: string; path: string[] }] = [
  (b) => (b.recording_ids === undefined) !== (b.filters === undefined),
  { message: "give exactly one of recording_ids or filters", path: ["recording_ids"] },
];

export const BulkRequestSchema = z
  .object(bulkSelectionFields)
  .strict()
  .refine(...exactlyOneSelection)
  .openapi("BulkRequest");

export const BulkResultSchema = z
  .object({
    total: z.number().int(),
    succeeded_count: z.number().int(),
    skipped_count: z.number().int(),
    error_count: z.number().int(),
    details: z.array(
      z.object({
        recording_id: z.number().int(),
        status: z.enum(["done", "skipped", "error"]),
        reason: z.string().optional(),
        task_id: z.string().optional().openapi({ description: "The run started for this recording (bulk process)" }),
        run_status: z.string().optional(),
      }),
    ),
  })
  .openapi("BulkResult");

const UploadSummarySchema = z.object({
  status: z.string(),
  url: z.string().nullable(),
  uploaded_at: z.string().nullable(),
  error: z.string().nullable(),
  preset_id: z.number().int().nullable(),
});

export const RecordingSchema = z
  .object({
    id: z.number().int(),
    display_name: z.string(),
    start_time: z.string(),
    duration: z.number().openapi({ description: "Seconds" }),
    status: z.enum(RECORDING_STATUSES),
    failed: z.boolean(),
    failed_reason: z.string().nullable(),
    failed_at_stage: z.string().nullable(),
    is_mapped: z.boolean(),
    blank_record: z.boolean(),
    skip_reason: z
      .string()
      .nullable()
      .openapi({ description: "Why the recording is SKIPPED (below the resolved blank thresholds, no template matched, gone at Zoom); null in any other status" }),
    template_id: z.number().int().nullable(),
    template_name: z.string().nullable(),
    source: z.object({ type: z.string().nullable(), input_source_id: z.number().int().nullable(), name: z.string().nullable() }),
    uploads: z.record(z.string(), z.array(UploadSummarySchema)),
    video_file_size: z.number().nullable(),
    deleted: z.boolean(),
    deleted_at: z.string().nullable(),
    delete_state: z.enum(["active", "soft", "hard"]),
    deletion_reason: z.string().nullable(),
    soft_deleted_at: z.string().nullable(),
    hard_delete_at: z.string().nullable(),
    expire_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Recording");

export function uploadsSummary(targets: TargetRow[]) {
  const out: Record<string, z.infer<typeof UploadSummarySchema>[]> = {};
  for (const t of targets) {
    const url = typeof t.targetMeta?.video_url === "string" ? t.targetMeta.video_url : null;
    const platform = t.targetType.toLowerCase();
    out[platform] ??= [];
    out[platform].push({
      status: t.status.toLowerCase(),
      url,
      uploaded_at: iso(t.uploadedAt),
      error: t.failedReason,
      preset_id: t.presetId,
    });
  }
  return out;
}

export function toRecordingResponse(
  r: RecordingRow & Partial<Pick<RecordingListItem, "templateName" | "sourceName" | "sourceType">>,
  targets: TargetRow[],
): z.infer<typeof RecordingSchema> {
  return {
    id: r.id,
    display_name: r.displayName,
    start_time: r.startTime.toISOString(),
    duration: r.duration,
    status: r.status,
    failed: r.failed,
    failed_reason: r.failedReason,
    failed_at_stage: r.failedAtStage,
    is_mapped: r.isMapped,
    blank_record: r.blankRecord,
    skip_reason: r.skipReason,
    template_id: r.templateId,
    template_name: r.templateName ?? null,
    source: { type: r.sourceType ?? null, input_source_id: r.inputSourceId, name: r.sourceName ?? null },
    uploads: uploadsSummary(targets.filter((t) => t.recordingId === r.id)),
    video_file_size: r.videoFileSize,
    deleted: r.deleted,
    deleted_at: iso(r.deletedAt),
    delete_state: r.deleteState,
    deletion_reason: r.deletionReason,
    soft_deleted_at: iso(r.softDeletedAt),
    hard_delete_at: iso(r.hardDeleteAt),
    expire_at: iso(r.expireAt),
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
