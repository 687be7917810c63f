import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Database } from "../client";
import { webhookDeliveries } from "../schema";

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type NewWebhookDelivery = Omit<typeof webhookDeliveries.$inferInsert, "userId">;
export type WebhookDeliveryPatch = Partial<Omit<NewWebhookDelivery, "id" | "userId" | "endpointId" | "createdAt">>;

/** One tenant's webhook deliveries: every query carries the user id. */
export class WebhookDeliveriesRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  private own(id: string) {
    return and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.userId, this.userId));
  }

  async insertMany(rows: NewWebhookDelivery[]): Promise<void> {
    // 17 columns a row: 5 rows stay under D1's 100 bound parameters per statement.
    for (let i = 0; i < rows.length; i += 5) {
      await this.db
        .insert(webhookDeliveries)
        .values(rows.slice(i, i + 5).map((r) => ({ ...r, userId: this.userId })))
        .run();
    }
  }

  async get(id: string): Promise<WebhookDeliveryRow | undefined> {
    return this.db.select().from(webhookDeliveries).where(this.own(id)).get();
  }

  async getForEndpoint(endpointId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
    return this.db
      .select()
      .from(webhookDeliveries)
      .where(and(this.own(id), eq(webhookDeliveries.endpointId, endpointId)))
      .get();
  }

  /** Newest first; `before` is the last id of the previous page (ids are ULIDs, so they sort by time). */
  async listForEndpoint(endpointId: string, limit: number, before?: string): Promise<WebhookDeliveryRow[]> {
    return this.db
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.userId, this.userId),
          eq(webhookDeliveries.endpointId, endpointId),
          before ? lt(webhookDeliveries.id, before) : undefined,
        ),
      )
      .orderBy(desc(webhookDeliveries.id))
      .limit(limit)
      .all();
  }

  /**
   * Claims attempt `attempts + 1` of a pending delivery (compare-and-set on the attempt count), so a
   * redelivered queue message cannot send the same attempt twice. `leaseUntil` becomes the next
   * attempt time while this one runs, so the overdue sweep leaves an attempt in flight alone.
   */
  async claimAttempt(id: string, attemptsSeen: number, now: Date, leaseUntil: Date): Promise<WebhookDeliveryRow | undefined> {
    return this.db
      .update(webhookDeliveries)
      .set({ attempts: attemptsSeen + 1, lastAttemptAt: now, nextAttemptAt: leaseUntil, updatedAt: now })
      .where(and(this.own(id), eq(webhookDeliveries.status, "PENDING"), eq(webhookDeliveries.attempts, attemptsSeen)))
      .returning()
      .get();
  }

  async update(id: string, patch: WebhookDeliveryPatch): Promise<void> {
    await this.db.update(webhookDeliveries).set(patch).where(this.own(id)).run();
  }
}

/**
 * Pending deliveries whose message should have run long ago (its enqueue failed, or the message
 * was lost): the sweep re-enqueues them. Cross-tenant on purpose (a cron job); the claim is still
 * per tenant.
 */
export async function overdueDeliveries(db: Database, now: Date, graceMs: number, limit: number) {
  return db
    .select({ id: webhookDeliveries.id, userId: webhookDeliveries.userId })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, "PENDING"), sql`${webhookDeliveries.nextAttemptAt} < ${now.getTime() - graceMs}`))
    .limit(limit)
    .all();
}
