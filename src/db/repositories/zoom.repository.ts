import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { inputSources, recordingFiles, recordings, recordingTombstones, sourceMetadata, userCredentials, zoomWebhookEvents } from "../schema";
import { cachedWebhookSource, rememberWebhookSource, type WebhookSource } from "../webhook-source-cache";

export type WebhookEventRow = typeof zoomWebhookEvents.$inferSelect;
export type RecordingFileRow = typeof recordingFiles.$inferSelect;

/**
 * A webhook URL names only a source id; this pre-tenant lookup (like login's by-email) finds the
 * owning tenant and the credential whose secret verifies the signature.
 */
/** A Zoom source with its credential; `nowMs` lets the isolate answer from memory (webhook-source-cache.ts), null reads D1. */
export async function findWebhookSource(db: Database, sourceId: number, nowMs: number | null): Promise<WebhookSource | undefined> {
  const cached = nowMs === null ? undefined : cachedWebhookSource(sourceId, nowMs);
  if (cached) return cached;
  const found = await db
    .select({ source: inputSources, credential: userCredentials })
    .from(inputSources)
    .innerJoin(userCredentials, and(eq(userCredentials.id, inputSources.credentialId), eq(userCredentials.userId, inputSources.userId)))
    .where(and(eq(inputSources.id, sourceId), eq(inputSources.sourceType, "ZOOM")))
    .get();
  if (found && nowMs !== null) rememberWebhookSource(found, nowMs);
  return found;
}

/** Zoom ingestion state of one tenant: events, source keys, tombstones and tracked files. */
export class ZoomRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  /** Inserts the event unless its business key is known; returns the stored row either way. */
  async recordEvent(values: Omit<typeof zoomWebhookEvents.$inferInsert, "userId">): Promise<{ row: WebhookEventRow; duplicate: boolean }> {
    const inserted = await this.db
      .insert(zoomWebhookEvents)
      .values({ ...values, userId: this.userId })
      .onConflictDoNothing()
      .returning()
      .get();
    if (inserted) return { row: inserted, duplicate: false };
    const existing = await this.db
      .select()
      .from(zoomWebhookEvents)
      .where(and(eq(zoomWebhookEvents.userId, this.userId), eq(zoomWebhookEvents.businessKey, values.businessKey)))
      .get();
    if (!existing) throw new Error("webhook event vanished between insert and read");
    return { row: existing, duplicate: true };
  }

  async getEvent(id: string): Promise<WebhookEventRow | undefined> {
    return this.db
      .select()
      .from(zoomWebhookEvents)
      .where(and(eq(zoomWebhookEvents.id, id), eq(zoomWebhookEvents.userId, this.userId)))
      .get();
  }

  async finishEvent(id: string, status: "processed" | "ignored" | "failed", now: Date, error?: string): Promise<void> {
    await this.db
      .update(zoomWebhookEvents)
      .set({ status, processedAt: now, error: error ?? null })
      .where(and(eq(zoomWebhookEvents.id, id), eq(zoomWebhookEvents.userId, this.userId)))
      .run();
  }

  async isTombstoned(sourceKey: string): Promise<boolean> {
    const row = await this.db
      .select({ key: recordingTombstones.sourceKey })
      .from(recordingTombstones)
      .where(and(eq(recordingTombstones.userId, this.userId), eq(recordingTombstones.sourceType, "ZOOM"), eq(recordingTombstones.sourceKey, sourceKey)))
      .get();
    return row !== undefined;
  }

  async findRecordingBySourceKey(sourceKey: string) {
    return this.db
      .select({ recording: recordings })
      .from(sourceMetadata)
      .innerJoin(recordings, and(eq(recordings.id, sourceMetadata.recordingId), eq(recordings.userId, sourceMetadata.userId)))
      .where(and(eq(sourceMetadata.userId, this.userId), eq(sourceMetadata.sourceType, "ZOOM"), eq(sourceMetadata.sourceKey, sourceKey)))
      .get();
  }

  async mergeSourceMetadata(recordingId: number, metadata: Record<string, unknown>, now: Date): Promise<void> {
    await this.db
      .update(sourceMetadata)
      .set({ metadata: sql`json_patch(coalesce(${sourceMetadata.metadata}, '{}'), ${JSON.stringify(metadata)})`, updatedAt: now })
      .where(and(eq(sourceMetadata.recordingId, recordingId), eq(sourceMetadata.userId, this.userId)))
      .run();
  }

  /**
   * Upserts files by Zoom file id: a re-sent file updates its row, a new one (a late transcript) is
   * added. Only the URL fields given are written, so a sync never overwrites the webhook's
   * URL+event pair and a webhook never overwrites the API's URL.
   */
  async upsertFiles(recordingId: number, files: Array<Omit<typeof recordingFiles.$inferInsert, "userId" | "recordingId">>): Promise<number> {
    if (files.length === 0) return 0;
    const before = await this.db.$count(recordingFiles, and(eq(recordingFiles.recordingId, recordingId), eq(recordingFiles.userId, this.userId)));
    for (const file of files) {
      await this.db
        .insert(recordingFiles)
        .values({ ...file, recordingId, userId: this.userId })
        .onConflictDoUpdate({
          target: [recordingFiles.recordingId, recordingFiles.zoomFileId],
          set: {
            fileSize: file.fileSize,
            status: file.status,
            updatedAt: file.updatedAt,
            ...("downloadUrl" in file ? { downloadUrl: file.downloadUrl } : {}),
            ...("webhookDownloadUrl" in file ? { webhookDownloadUrl: file.webhookDownloadUrl, webhookEventId: file.webhookEventId ?? null } : {}),
          },
        })
        .run();
    }
    const after = await this.db.$count(recordingFiles, and(eq(recordingFiles.recordingId, recordingId), eq(recordingFiles.userId, this.userId)));
    return after - before;
  }
}
