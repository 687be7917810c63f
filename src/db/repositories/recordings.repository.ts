import { and, asc, count, desc, eq, gt, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Database } from "../client";
import { recordingsCount } from "./recording-count";
import { RECORDING_ORDER_COLUMNS, recordingFiltersWhere, type RecordingFilters, type RecordingOrderColumn } from "./recording-filters";
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
export type OutputTargetRow = typeof outputTargets.$inferSelect;
export type NewRecording = Omit<typeof recordings.$inferInsert, "userId" | "searchName" | "id">;
export type RecordingPatch = Partial<Omit<NewRecording, "createdAt">>;

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

  /**
   * A page of the list, its total and the page's output targets, in one D1 round trip: the targets
   * are selected by the page's own query as a subquery instead of by the ids it returned.
   */
  async list(
    filters: RecordingFilters,
    page: { offset: number; limit: number; orderBy: RecordingOrderColumn; order: "asc" | "desc" },
  ): Promise<{ total: number; items: RecordingListItem[]; targets: OutputTargetRow[] }> {
    const where = recordingFiltersWhere(this.userId, filters);
    const direction = page.order === "asc" ? asc : desc;
    const order = [direction(RECORDING_ORDER_COLUMNS[page.orderBy]), direction(recordings.id)];
    const pageIds = this.db.select({ id: recordings.id }).from(recordings).where(where).orderBy(...order).limit(page.limit).offset(page.offset);
    const [totalRows, items, targets] = await this.db.batch([
      // One row holding the count expression (its subqueries carry the filters).
      this.db.select({ n: recordingsCount(this.userId, filters) }).from(sql`(SELECT 1)`),
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
        .orderBy(...order)
        .limit(page.limit)
        .offset(page.offset),
      this.db
        .select()
        .from(outputTargets)
        // `+user_id`: still the tenant's rows only, but no index on it, so SQLite seeks the page's
        // recordings in (recording_id, …) instead of walking every output of the tenant.
        .where(and(sql`+${outputTargets.userId} = ${this.userId}`, inArray(outputTargets.recordingId, pageIds))),
    ]);
    return {
      total: Number(totalRows[0]?.n ?? 0),
      items: items.map((r) => ({ ...r.recording, templateName: r.templateName, sourceName: r.sourceName, sourceType: r.sourceType })),
      targets,
    };
  }

  /** Ids matching the filters, in a stable order, at most `limit` (bulk operations). */
  async selectIds(filters: RecordingFilters, limit: number): Promise<number[]> {
    const rows = await this.db
      .select({ id: recordings.id })
      .from(recordings)
      .where(recordingFiltersWhere(this.userId, filters))
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
