import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { recordings, recordingShares } from "../schema";
import type { RecordingRow } from "./recordings.repository";
import type { ShareRow } from "./shares.repository";

/**
 * The one lookup an anonymous visitor can make: a share by the hash of its token, with its
 * recording. Not tenant-scoped on purpose (the visitor has no account); the hash of a 256-bit
 * random token is the capability. A deleted recording answers nothing, so soft-deleting it stops
 * every link at once.
 */
export class PublicSharesRepository {
  constructor(private readonly db: Database) {}

  async byTokenHash(tokenHash: string): Promise<{ share: ShareRow; recording: RecordingRow } | undefined> {
    const row = await this.db
      .select({ share: recordingShares, recording: recordings })
      .from(recordingShares)
      .innerJoin(recordings, and(eq(recordings.id, recordingShares.recordingId), eq(recordings.userId, recordingShares.userId)))
      .where(and(eq(recordingShares.tokenHash, tokenHash), eq(recordings.deleted, false)))
      .get();
    return row ?? undefined;
  }

  /** Counts a view; atomic in one statement, so concurrent views are all counted. */
  async recordView(id: number, now: Date): Promise<void> {
    await this.db
      .update(recordingShares)
      .set({ viewCount: sql`${recordingShares.viewCount} + 1`, lastViewedAt: now })
      .where(eq(recordingShares.id, id))
      .run();
  }
}
