import { and, asc, desc, eq, gt, lt, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { outputTargets, recordings, recordingTemplates, type RecordingStatus } from "../schema";
import { idInJsonArray, RECORDING_ORDER_COLUMNS, recordingFiltersWhere, type RecordingFilters, type RecordingOrderColumn } from "./recording-filters";

/** Where a keyset page ends: the order column's value and the id of its last row. */
export interface RecordingCursor {
  value: Date | string | number;
  id: number;
}

export interface RecordingExportRow {
  id: number;
  displayName: string;
  status: RecordingStatus;
  failed: boolean;
  startTime: Date;
  duration: number;
  processedDuration: number | null;
  templateName: string | null;
  cursor: RecordingCursor;
}

/** A tenant's recordings as an export reads them: keyset pages and their outputs. Every query carries `user_id`. */
export class RecordingExportsRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  /**
   * One keyset page of an export: the rows after `after` in (order column, id) order, with only
   * the columns an export shows. Keyset, not OFFSET, so every page costs the same however deep.
   */
  async page(
    filters: RecordingFilters,
    page: { orderBy: RecordingOrderColumn; order: "asc" | "desc"; after: RecordingCursor | null; limit: number },
  ): Promise<RecordingExportRow[]> {
    const column = RECORDING_ORDER_COLUMNS[page.orderBy];
    const direction = page.order === "asc" ? asc : desc;
    const beyond = page.order === "asc" ? gt : lt;
    const after = page.after
      ? or(beyond(column, page.after.value as never), and(eq(column, page.after.value as never), beyond(recordings.id, page.after.id)))
      : undefined;
    const rows = await this.db
      .select({
        id: recordings.id,
        displayName: recordings.displayName,
        status: recordings.status,
        failed: recordings.failed,
        startTime: recordings.startTime,
        duration: recordings.duration,
        processedDuration: sql<number | null>`json_extract(${recordings.trimInfo}, '$.duration')`,
        templateName: recordingTemplates.name,
        orderValue: column,
      })
      .from(recordings)
      .leftJoin(recordingTemplates, eq(recordingTemplates.id, recordings.templateId))
      .where(and(recordingFiltersWhere(this.userId, filters), after))
      .orderBy(direction(column), direction(recordings.id))
      .limit(page.limit)
      .all();
    return rows.map(({ orderValue, ...row }) => ({
      ...row,
      processedDuration: typeof row.processedDuration === "number" ? row.processedDuration : null,
      cursor: { value: orderValue, id: row.id },
    }));
  }

  /** The outputs of an export page's recordings (ids as one JSON parameter: a page may pass D1's 100 bound parameters). */
  async outputs(ids: number[]): Promise<Array<{ recordingId: number; platform: string; status: string; url: string | null }>> {
    if (ids.length === 0) return [];
    return this.db
      .select({
        recordingId: outputTargets.recordingId,
        platform: outputTargets.targetType,
        status: outputTargets.status,
        url: sql<string | null>`json_extract(${outputTargets.targetMeta}, '$.video_url')`,
      })
      .from(outputTargets)
      .where(and(eq(outputTargets.userId, this.userId), idInJsonArray(outputTargets.recordingId, ids)))
      .orderBy(asc(outputTargets.id))
      .all();
  }
}
