import { and, asc, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { emailMessages } from "../schema";

export type EmailMessageRow = typeof emailMessages.$inferSelect;

/**
 * The e-mail delivery table. Not tenant-scoped on purpose: it is written by services on behalf of
 * a user (or of nobody, for system mail) and read only by the delivery worker, never by a route.
 */
export class EmailMessagesRepository {
  constructor(private readonly db: Database) {}

  async insert(input: { id: string; userId: string | null; kind: string; to: string; sealedContent: string; now: Date }): Promise<void> {
    await this.db
      .insert(emailMessages)
      .values({
        id: input.id,
        userId: input.userId,
        kind: input.kind,
        toAddress: input.to,
        sealedContent: input.sealedContent,
        status: "pending",
        nextAttemptAt: input.now,
        createdAt: input.now,
      })
      .run();
  }

  async get(id: string): Promise<EmailMessageRow | undefined> {
    return this.db.select().from(emailMessages).where(eq(emailMessages.id, id)).get();
  }

  /**
   * Compare-and-set claim of a due, pending message for one attempt: counts the attempt and leases
   * it, so a cron sweep and an inline send never deliver the same message at the same time. A
   * lease left by a crashed attempt expires and the message becomes claimable again.
   */
  async claim(id: string, now: Date, leaseMs: number): Promise<EmailMessageRow | undefined> {
    return this.db
      .update(emailMessages)
      .set({ attempts: sql`${emailMessages.attempts} + 1`, leaseUntil: new Date(now.getTime() + leaseMs) })
      .where(
        and(
          eq(emailMessages.id, id),
          eq(emailMessages.status, "pending"),
          lte(emailMessages.nextAttemptAt, now),
          or(isNull(emailMessages.leaseUntil), lte(emailMessages.leaseUntil, now)),
        ),
      )
      .returning()
      .get();
  }

  /** Sent: the content (with its single-use links) is dropped. */
  async markSent(id: string, input: { now: Date; transport: string; providerMessageId: string | null }): Promise<void> {
    await this.db
      .update(emailMessages)
      .set({ status: "sent", sentAt: input.now, sealedContent: null, leaseUntil: null, lastError: null, transport: input.transport, providerMessageId: input.providerMessageId })
      .where(eq(emailMessages.id, id))
      .run();
  }

  async scheduleRetry(id: string, input: { nextAttemptAt: Date; error: string; transport: string }): Promise<void> {
    await this.db
      .update(emailMessages)
      .set({ nextAttemptAt: input.nextAttemptAt, lastError: input.error, leaseUntil: null, transport: input.transport })
      .where(eq(emailMessages.id, id))
      .run();
  }

  /** Given up (a permanent refusal or the last attempt): the reason stays, the content goes. */
  async markFailed(id: string, input: { error: string; transport: string }): Promise<void> {
    await this.db
      .update(emailMessages)
      .set({ status: "failed", lastError: input.error, sealedContent: null, leaseUntil: null, transport: input.transport })
      .where(eq(emailMessages.id, id))
      .run();
  }

  /** Ids of pending messages whose next attempt is due and that nobody holds, oldest first. */
  async findDue(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: emailMessages.id })
      .from(emailMessages)
      .where(and(eq(emailMessages.status, "pending"), lte(emailMessages.nextAttemptAt, now), or(isNull(emailMessages.leaseUntil), lte(emailMessages.leaseUntil, now))))
      .orderBy(asc(emailMessages.nextAttemptAt))
      .limit(limit)
      .all();
    return rows.map((r) => r.id);
  }
}
