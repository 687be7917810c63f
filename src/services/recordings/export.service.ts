import type { RecordingCursor, RecordingExportRow, RecordingExportsRepository } from "../../db/repositories/recording-exports.repository";
import type { RecordingFilters, RecordingOrderColumn } from "../../db/repositories/recording-filters";
import { forTenant } from "../../db/repositories/tenant";
import { csvRow, UTF8_BOM } from "../../lib/csv";
import { utf8 } from "../../lib/encoding";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { resolveSearchFilter } from "../search/search.service";

export const EXPORT_FORMATS = ["csv", "json", "ndjson"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type OutputRow = Awaited<ReturnType<RecordingExportsRepository["outputs"]>>[number];

export interface ExportQuery {
  filters: RecordingFilters;
  orderBy: RecordingOrderColumn;
  order: "asc" | "desc";
}

/** One exported recording, as the JSON formats write it (the CSV flattens the outputs). */
export interface ExportedRecording {
  id: number;
  display_name: string;
  status: string;
  failed: boolean;
  start_time: string;
  duration_seconds: number;
  processed_duration_seconds: number | null;
  template_name: string | null;
  outputs: Array<{ platform: string; status: string; url: string | null }>;
}

export const CSV_HEADER = [
  "id",
  "display_name",
  "status",
  "failed",
  "start_time",
  "duration_seconds",
  "processed_duration_seconds",
  "template_name",
  "outputs",
  "output_urls",
] as const;

function toExported(row: RecordingExportRow, outputs: OutputRow[]): ExportedRecording {
  return {
    id: row.id,
    display_name: row.displayName,
    status: row.status,
    failed: row.failed,
    start_time: row.startTime.toISOString(),
    duration_seconds: row.duration,
    processed_duration_seconds: row.processedDuration,
    template_name: row.templateName,
    outputs: outputs.map((o) => ({ platform: o.platform.toLowerCase(), status: o.status.toLowerCase(), url: typeof o.url === "string" ? o.url : null })),
  };
}

/** The text of one record in each format (`index` is its position: the JSON array needs commas between). */
const ENCODERS: Record<ExportFormat, { head: string; record: (r: ExportedRecording, index: number) => string; tail: string }> = {
  csv: {
    head: UTF8_BOM + csvRow(CSV_HEADER),
    record: (r) =>
      csvRow([
        r.id,
        r.display_name,
        r.status,
        r.failed,
        r.start_time,
        r.duration_seconds,
        r.processed_duration_seconds,
        r.template_name,
        r.outputs.map((o) => `${o.platform}:${o.status}`).join("; "),
        r.outputs.flatMap((o) => (o.url ? [o.url] : [])).join(" "),
      ]),
    tail: "",
  },
  json: { head: "[", record: (r, i) => `${i === 0 ? "" : ","}\n${JSON.stringify(r)}`, tail: "\n]\n" },
  ndjson: { head: "", record: (r) => `${JSON.stringify(r)}\n`, tail: "" },
};

/**
 * Streams every recording that matches the list's filters, in the list's order: one keyset page
 * of EXPORT_BATCH_SIZE rows (and their outputs) per pull, so memory stays flat however many
 * recordings a tenant has, and a slow reader slows the reads down (backpressure). The search
 * filter is resolved before the first byte, so its errors are still a proper HTTP answer; a
 * failure mid-stream aborts the body (a truncated download, never a silently short one).
 */
export async function exportRecordings(ctx: ServiceContext, userId: string, query: ExportQuery, format: ExportFormat): Promise<ReadableStream<Uint8Array>> {
  const repo = forTenant(ctx.db, userId).recordingExports;
  const filters = await resolveSearchFilter(ctx, userId, query.filters);
  const encoder = ENCODERS[format];
  const batch = ctx.config.EXPORT_BATCH_SIZE;
  let cursor: RecordingCursor | null = null;
  let written = 0;
  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          if (!started) {
            started = true;
            if (encoder.head) controller.enqueue(utf8.encode(encoder.head));
          }
          const rows = await repo.page(filters, { orderBy: query.orderBy, order: query.order, after: cursor, limit: batch });
          const outputs = await repo.outputs(rows.map((r) => r.id));
          const outputsOf = new Map<number, OutputRow[]>();
          for (const o of outputs) {
            const list = outputsOf.get(o.recordingId);
            if (list) list.push(o);
            else outputsOf.set(o.recordingId, [o]);
          }
          let chunk = "";
          for (const row of rows) chunk += encoder.record(toExported(row, outputsOf.get(row.id) ?? []), written++);
          if (chunk) controller.enqueue(utf8.encode(chunk));
          if (rows.length < batch) {
            if (encoder.tail) controller.enqueue(utf8.encode(encoder.tail));
            controller.close();
            log.info("recordings exported", { userId, format, rows: written });
            return;
          }
          cursor = rows[rows.length - 1]!.cursor;
        } catch (error) {
          log.error("recordings export failed mid-stream", { userId, format, rows: written, error });
          controller.error(error);
        }
      },
    },
    // One page at a time: the next read waits until the client took the previous one.
    { highWaterMark: 0 },
  );
}
