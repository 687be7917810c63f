import { and, asc, count, desc, eq, gt, gte, inArray, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../client";
import { containsLike } from "../like";
import { TemplatesRepository } from "./templates.repository";
import {
  inputSources,
  outputTargets,
  processingStages,
  recordings,
  recordingTemplates,
  sourceMetadata,
  type RecordingStatus,
} from "../schema";

export type RecordingRow = typeof recordings.$inferSelect;
export type NewRecording = Omit<typeof recordings.$inferInsert, "userId" | "searchName" | "id">;
export type RecordingPatch = Partial<Omit<NewRecording, "createdAt">>;

export const RECORDING_ORDER_COLUMNS = {
  created_at: recordings.createdAt,
  start_time: recordings.startTime,
  updated_at: recordings.updatedAt,
  display_name: recordings.searchName,
  duration: recordings.duration,
  status: recordings.status,
  id: recordings.id,
} as const;
export type RecordingOrderColumn = keyof typeof RECORDING_ORDER_COLUMNS;

export interface RecordingFilters {
  statuses?: Array<RecordingStatus | "FAILED">;
  templateId?: number;
  sourceId?: number;
  mapped?: boolean;
  failed?: boolean;
  includeBlank?: boolean;
  includeDeleted?: boolean;
  search?: string;
  fromDate?: Date;
  toDate?: Date;
  ids?: number[];
}

/** `id IN (…)` for any number of ids as one bound parameter (D1 allows 100 per statement). */
const inJsonArray = (ids: number[]): SQL => sql`${recordings.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

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

export interface RecordingListItem extends RecordingRow {
  templateName: string | null;
  sourceName: string | null;
  sourceType: string | null;
}

/**
 * `skip_reason` explains a SKIPPED status only: any move to another status (processed after all,
 * mapped by a rematch, re-ingested as ready) clears it, wherever the move is made.
 */
function withSkipReasonCleared<P extends RecordingPatch>(patch: P): P {
  return patch.status !== undefined && patch.status !== "SKIPPED" && patch.skipReason === undefined ? { ...patch, skipReason: null } : patch;
}

/** A tenant's recordings. Every query carries `user_id`. */
export class RecordingsRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  private where(filters: RecordingFilters): SQL {
    const conditions: Array<SQL | undefined> = [eq(recordings.userId, this.userId)];
    if (!filters.includeDeleted) conditions.push(eq(recordings.deleted, false));
    if (!filters.includeBlank) conditions.push(eq(recordings.blankRecord, false));
    if (filters.templateId !== undefined) conditions.push(eq(recordings.templateId, filters.templateId));
    if (filters.sourceId !== undefined) conditions.push(eq(recordings.inputSourceId, filters.sourceId));
    if (filters.mapped !== undefined) conditions.push(eq(recordings.isMapped, filters.mapped));
    if (filters.failed !== undefined) conditions.push(eq(recordings.failed, filters.failed));
    if (filters.fromDate) conditions.push(gte(recordings.startTime, filters.fromDate));
    if (filters.toDate) conditions.push(lte(recordings.startTime, filters.toDate));
    if (filters.ids) conditions.push(filters.ids.length <= 50 ? inArray(recordings.id, filters.ids) : inJsonArray(filters.ids));
    // Text search is answered by the tenant's search index: services resolve `search` into `ids`
    // first (services/search resolveSearchFilter). A caller that has not still gets a correct scan.
    if (filters.search) conditions.push(containsLike(recordings.searchName, filters.search.toLowerCase()));
    if (filters.statuses?.length) {
      const plain = filters.statuses.filter((s): s is RecordingStatus => s !== "FAILED");
      const wantsFailed = filters.statuses.includes("FAILED");
      const byStatus = plain.length ? inArray(recordings.status, plain) : undefined;
      conditions.push(wantsFailed ? or(byStatus, eq(recordings.failed, true)) : byStatus);
    }
    return and(...conditions) as SQL;
  }

  async list(
    filters: RecordingFilters,
    page: { offset: number; limit: number; orderBy: RecordingOrderColumn; order: "asc" | "desc" },
  ): Promise<{ total: number; items: RecordingListItem[] }> {
    const where = this.where(filters);
    const direction = page.order === "asc" ? asc : desc;
    const [totalRows, items] = await this.db.batch([
      this.db.select({ n: count() }).from(recordings).where(where),
      this.db
        .select({
          recording: recordings,
          templateName: recordingTemplates.name,
          sourceName: inputSources.name,
          sourceType: sourceMetadata.sourceType,
        })
        .from(recordings)
        .leftJoin(recordingTemplates, eq(recordingTemplates.id, recordings.templateId))
        .leftJoin(inputSources, eq(inputSources.id, recordings.inputSourceId))
        .leftJoin(sourceMetadata, eq(sourceMetadata.recordingId, recordings.id))
        .where(where)
        .orderBy(direction(RECORDING_ORDER_COLUMNS[page.orderBy]), direction(recordings.id))
        .limit(page.limit)
        .offset(page.offset),
    ]);
    return {
      total: totalRows[0]?.n ?? 0,
      items: items.map((r) => ({ ...r.recording, templateName: r.templateName, sourceName: r.sourceName, sourceType: r.sourceType })),
    };
  }

  /**
   * One keyset page of an export: the rows after `after` in (order column, id) order, with only
   * the columns an export shows. Keyset, not OFFSET, so every page costs the same however deep.
   */
  async exportPage(
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
      .where(and(this.where(filters), after))
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
  async exportOutputs(ids: number[]): Promise<Array<{ recordingId: number; platform: string; status: string; url: string | null }>> {
    if (ids.length === 0) return [];
    return this.db
      .select({
        recordingId: outputTargets.recordingId,
        platform: outputTargets.targetType,
        status: outputTargets.status,
        url: sql<string | null>`json_extract(${outputTargets.targetMeta}, '$.video_url')`,
      })
      .from(outputTargets)
      .where(and(eq(outputTargets.userId, this.userId), sql`${outputTargets.recordingId} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`))
      .orderBy(asc(outputTargets.id))
      .all();
  }

  /** Ids matching the filters, in a stable order, at most `limit` (bulk operations). */
  async selectIds(filters: RecordingFilters, limit: number): Promise<number[]> {
    const rows = await this.db
      .select({ id: recordings.id })
      .from(recordings)
      .where(this.where(filters))
      .orderBy(asc(recordings.id))
      .limit(limit)
      .all();
    return rows.map((r) => r.id);
  }

  /** A page of the tenant's recording ids (deleted ones included) after `afterId`, in id order. */
  async idsAfter(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .select({ id: recordings.id })
      .from(recordings)
      .where(and(eq(recordings.userId, this.userId), gt(recordings.id, afterId)))
      .orderBy(asc(recordings.id))
      .limit(limit)
      .all();
    return rows.map((r) => r.id);
  }

  async get(id: number): Promise<RecordingRow | undefined> {
    return this.db
      .select()
      .from(recordings)
      .where(and(eq(recordings.id, id), eq(recordings.userId, this.userId)))
      .get();
  }

  async getMany(ids: number[]): Promise<RecordingRow[]> {
    if (ids.length === 0) return [];
    return this.db
      .select()
      .from(recordings)
      .where(and(eq(recordings.userId, this.userId), inArray(recordings.id, ids)))
      .all();
  }

  async insert(values: NewRecording): Promise<RecordingRow> {
    const row = await this.db
      .insert(recordings)
      .values({ ...values, userId: this.userId, searchName: values.displayName.toLowerCase() })
      .returning()
      .get();
    return row;
  }

  async update(id: number, patch: RecordingPatch, guard?: SQL): Promise<RecordingRow | undefined> {
    const set = withSkipReasonCleared(patch.displayName === undefined ? patch : { ...patch, searchName: patch.displayName.toLowerCase() });
    return this.db
      .update(recordings)
      .set(set)
      .where(and(eq(recordings.id, id), eq(recordings.userId, this.userId), guard))
      .returning()
      .get();
  }

  /** Applies many small updates in D1 batches (one round trip per 50 instead of one each). */
  async updateMany(changes: Array<{ id: number; patch: RecordingPatch }>): Promise<void> {
    for (let i = 0; i < changes.length; i += 50) {
      const statements = changes
        .slice(i, i + 50)
        .map(({ id, patch }) =>
          this.db.update(recordings).set(withSkipReasonCleared(patch)).where(and(eq(recordings.id, id), eq(recordings.userId, this.userId))),
        );
      const [first, ...rest] = statements;
      if (first) await this.db.batch([first, ...rest]);
    }
  }

  /**
   * Claims the recording's one automatic start (compare-and-set): true for exactly one caller, and
   * only while it is INITIALIZED, not deleted, never claimed and has never had a run.
   */
  async claimAutoStart(id: number, now: Date): Promise<boolean> {
    const claimed = await this.db
      .update(recordings)
      .set({ autoStartedAt: now })
      .where(
        and(
          eq(recordings.id, id),
          eq(recordings.userId, this.userId),
          eq(recordings.status, "INITIALIZED"),
          eq(recordings.deleted, false),
          isNull(recordings.autoStartedAt),
          sql`NOT EXISTS (SELECT 1 FROM pipeline_runs WHERE pipeline_runs.recording_id = ${recordings.id} AND pipeline_runs.user_id = ${recordings.userId})`,
        ),
      )
      .returning({ id: recordings.id })
      .get();
    return claimed !== undefined;
  }

  /** Gives an automatic start back when its run was refused, so a later sighting may try again. */
  async releaseAutoStart(id: number): Promise<void> {
    await this.db
      .update(recordings)
      .set({ autoStartedAt: null })
      .where(and(eq(recordings.id, id), eq(recordings.userId, this.userId)))
      .run();
  }

  /** Removes a recording that never received its file (a failed or aborted upload). */
  async deletePlaceholder(id: number): Promise<void> {
    await this.db
      .delete(recordings)
      .where(and(eq(recordings.id, id), eq(recordings.userId, this.userId), eq(recordings.status, "PENDING_SOURCE")))
      .run();
  }

  async details(id: number) {
    const [stages, targets, source] = await this.db.batch([
      this.db
        .select()
        .from(processingStages)
        .where(and(eq(processingStages.recordingId, id), eq(processingStages.userId, this.userId)))
        .orderBy(asc(processingStages.id)),
      this.db
        .select()
        .from(outputTargets)
        .where(and(eq(outputTargets.recordingId, id), eq(outputTargets.userId, this.userId)))
        .orderBy(asc(outputTargets.id)),
      this.db
        .select()
        .from(sourceMetadata)
        .where(and(eq(sourceMetadata.recordingId, id), eq(sourceMetadata.userId, this.userId))),
    ]);
    return { stages, targets, source: source[0] };
  }

  /** Where the recording came from (type, key and metadata), if it was ingested from a source. */
  async source(id: number) {
    return this.db
      .select()
      .from(sourceMetadata)
      .where(and(eq(sourceMetadata.recordingId, id), eq(sourceMetadata.userId, this.userId)))
      .get();
  }

  /** Drops the recording's publications (a reset starts them over). */
  async deleteOutputs(id: number): Promise<void> {
    await this.db.delete(outputTargets).where(and(eq(outputTargets.recordingId, id), eq(outputTargets.userId, this.userId))).run();
  }

  /** The ids travel as one JSON parameter: a full list page (100 ids) plus the user id would pass D1's 100 bound parameters. */
  async targetsFor(ids: number[]) {
    if (ids.length === 0) return [];
    return this.db
      .select()
      .from(outputTargets)
      .where(and(eq(outputTargets.userId, this.userId), sql`${outputTargets.recordingId} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`))
      .all();
  }

  /** Recordings that template rematching may (re)assign: not deleted, not blank, not yet in the pipeline. */
  async rematchCandidates(onlyUnmapped: boolean, afterId: number, limit: number): Promise<RecordingRow[]> {
    const statuses: RecordingStatus[] = onlyUnmapped ? ["SKIPPED", "PENDING_SOURCE"] : ["SKIPPED", "PENDING_SOURCE", "INITIALIZED"];
    return this.db
      .select()
      .from(recordings)
      .where(
        and(
          eq(recordings.userId, this.userId),
          eq(recordings.deleted, false),
          eq(recordings.blankRecord, false),
          inArray(recordings.status, statuses),
          onlyUnmapped ? eq(recordings.isMapped, false) : undefined,
          sql`${recordings.id} > ${afterId}`,
        ),
      )
      .orderBy(asc(recordings.id))
      .limit(limit)
      .all();
  }

  async unmapTemplate(templateId: number, now: Date): Promise<void> {
    await this.db
      .update(recordings)
      .set({ templateId: null, isMapped: false, updatedAt: now })
      .where(and(eq(recordings.userId, this.userId), eq(recordings.templateId, templateId)))
      .run();
  }

  async countByStatusForTemplate(templateId: number) {
    return this.db
      .select({ status: recordings.status, n: count() })
      .from(recordings)
      .where(and(eq(recordings.userId, this.userId), eq(recordings.templateId, templateId), eq(recordings.deleted, false)))
      .groupBy(recordings.status)
      .all();
  }

  /**
   * Inserts a recording with its source metadata. D1 has no interactive transactions and the
   * metadata needs the new id, so a failed second insert is compensated by removing the first.
   */
  async insertWithSource(
    values: NewRecording,
    source: Omit<typeof sourceMetadata.$inferInsert, "userId" | "recordingId">,
  ): Promise<RecordingRow> {
    const recording = await this.insert(values);
    try {
      await this.db
        .insert(sourceMetadata)
        .values({ ...source, recordingId: recording.id, userId: this.userId })
        .run();
    } catch (error) {
      await this.db.delete(recordings).where(and(eq(recordings.id, recording.id), eq(recordings.userId, this.userId))).run();
      throw error;
    }
    // Every ingest path (Zoom, URL import, upload) creates through here: the template it matched was used.
    if (recording.templateId !== null) await new TemplatesRepository(this.db, this.userId).recordUse(recording.templateId, 1, values.createdAt);
    return recording;
  }
}
