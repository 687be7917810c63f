import { z } from "@hono/zod-openapi";
import { sanitizeProviderMessage } from "../../lib/sanitize-provider-message";
import { extrasView } from "../../services/publishing/youtube-extras";
import type { getRecordingDetail } from "../../services/recordings/recordings.service";
import { RunSchema, toRunResponse } from "../pipeline/pipeline.schemas";
import { RecordingSchema, toRecordingResponse } from "./recordings.schemas";

type Detail = Awaited<ReturnType<typeof getRecordingDetail>>;
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** Stage progress without internals: storage keys and multipart ids stay server-side (⚠ LEAP leaked paths). */
const INTERNAL_META_KEYS = new Set(["key", "upload_id", "avoid_webhook_token"]);
function publicValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(publicValue);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !INTERNAL_META_KEYS.has(k)).map(([k, v]) => [k, publicValue(v)]));
}
const publicMeta = (meta: Record<string, unknown> | null) => (meta ? (publicValue(meta) as Record<string, unknown>) : null);

/**
 * What an output's stored state shows, by allow-list: the resumable-session URL (a bearer
 * capability at YouTube), VK's upload_url and anything added later stay server-side.
 */
const PUBLIC_TARGET_META_KEYS = [
  "platform",
  "video_id",
  "video_url",
  "public_url",
  "path",
  "album_id",
  "owner_id",
  "uploaded",
  "uploaded_by_run",
  "offset",
  "size",
  "parked_until",
  "extras",
  "extras_done",
  "warnings",
] as const;
function publicTargetMeta(meta: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!meta) return null;
  const out: Record<string, unknown> = {};
  for (const key of PUBLIC_TARGET_META_KEYS) {
    if (meta[key] === undefined) continue;
    const value = meta[key];
    // Warnings quote providers' messages.
    out[key] = key === "warnings" && Array.isArray(value) ? value.map((w) => (typeof w === "string" ? sanitizeProviderMessage(w) : w)) : value;
  }
  return out;
}

export const RecordingDetailSchema = RecordingSchema.extend({
  processing_preferences: z.record(z.string(), z.unknown()).nullable(),
  source_metadata: z
    .object({ source_type: z.string(), source_key: z.string(), metadata: z.record(z.string(), z.unknown()).nullable() })
    .nullable(),
  latest_run: RunSchema.nullable().openapi({ description: "The newest pipeline run (active or ended); all runs at /recordings/{id}/runs" }),
  processing_stages: z.array(
    z.object({
      stage_type: z.string(),
      status: z.string(),
      attempts: z.number().int(),
      failed: z.boolean(),
      failed_reason: z.string().nullable(),
      started_at: z.string().nullable(),
      completed_at: z.string().nullable(),
      meta: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  outputs: z.array(
    z.object({
      id: z.number().int(),
      target_type: z.string(),
      preset_id: z.number().int().nullable(),
      status: z.string(),
      target_meta: z
        .record(z.string(), z.unknown())
        .nullable()
        .openapi({ description: "The output's public state (video id and URL, upload progress, extras); upload sessions and URLs are never shown" }),
      uploaded_at: z.string().nullable(),
      failed: z.boolean(),
      failed_reason: z.string().nullable(),
      retry_count: z.number().int(),
      extras: z
        .record(z.string(), z.object({ status: z.enum(["pending", "done", "failed"]), attempts: z.number().int(), error: z.string().nullable() }))
        .openapi({ description: "YouTube: playlist, thumbnail and captions of the published video, each pending, done or failed (with the reason)" }),
      extras_failed: z
        .array(z.string())
        .openapi({ description: "Extras that failed for good (e.g. [\"thumbnail\"]); POST /recordings/{id}/outputs/{output_id}/retry-extras redoes them" }),
    }),
  ),
}).openapi("RecordingDetail");

export function toRecordingDetail(detail: Detail): z.infer<typeof RecordingDetailSchema> {
  const { recording, template, stages, targets, source, latestRun } = detail;
  return {
    ...toRecordingResponse(
      { ...recording, templateName: template?.name ?? null, sourceType: source?.sourceType ?? null, sourceName: null },
      targets,
    ),
    processing_preferences: recording.processingPreferences,
    source_metadata: source ? { source_type: source.sourceType, source_key: source.sourceKey, metadata: source.metadata } : null,
    latest_run: latestRun ? toRunResponse(latestRun, stages) : null,
    processing_stages: stages.map((s) => ({
      stage_type: s.stageType,
      status: s.status,
      attempts: s.attempts,
      failed: s.failed,
      failed_reason: s.failedReason,
      started_at: iso(s.startedAt),
      completed_at: iso(s.completedAt),
      meta: publicMeta(s.stageMeta),
    })),
    outputs: targets.map((t) => ({
      id: t.id,
      target_type: t.targetType,
      preset_id: t.presetId,
      status: t.status,
      target_meta: publicTargetMeta(t.targetMeta),
      uploaded_at: iso(t.uploadedAt),
      failed: t.failed,
      failed_reason: t.failedReason,
      retry_count: t.retryCount,
      ...extrasView(t.targetMeta),
    })),
  };
}
