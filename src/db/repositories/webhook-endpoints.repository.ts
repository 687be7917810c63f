import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { webhookEndpoints, type WebhookEventType } from "../schema";

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type NewWebhookEndpoint = Omit<typeof webhookEndpoints.$inferInsert, "userId">;
export type WebhookEndpointPatch = Partial<Omit<NewWebhookEndpoint, "id" | "createdAt">>;

/** One tenant's outbound webhook endpoints: every query carries the user id. */
export class WebhookEndpointsRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  private own(id: string) {
    return and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.userId, this.userId));
  }

  async list(): Promise<WebhookEndpointRow[]> {
    return this.db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.userId, this.userId))
      .orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id))
      .all();
  }

  async count(): Promise<number> {
    const row = await this.db.select({ n: sql<number>`count(*)` }).from(webhookEndpoints).where(eq(webhookEndpoints.userId, this.userId)).get();
    return row?.n ?? 0;
  }

  /** Enabled endpoints subscribed to `event` (the JSON array is searched in SQL, so only matches are read). */
  async subscribedTo(event: WebhookEventType): Promise<WebhookEndpointRow[]> {
    return this.db
      .select()
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.userId, this.userId),
          eq(webhookEndpoints.enabled, true),
          sql`EXISTS (SELECT 1 FROM json_each(${webhookEndpoints.events}) WHERE json_each.value = ${event})`,
        ),
      )
      .all();
  }

  async get(id: string): Promise<WebhookEndpointRow | undefined> {
    return this.db.select().from(webhookEndpoints).where(this.own(id)).get();
  }

  async insert(values: NewWebhookEndpoint): Promise<WebhookEndpointRow> {
    return this.db
      .insert(webhookEndpoints)
      .values({ ...values, userId: this.userId })
      .returning()
      .get();
  }

  async update(id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpointRow | undefined> {
    return this.db.update(webhookEndpoints).set(patch).where(this.own(id)).returning().get();
  }

  async delete(id: string): Promise<boolean> {
    const removed = await this.db.delete(webhookEndpoints).where(this.own(id)).returning({ id: webhookEndpoints.id }).all();
    return removed.length > 0;
  }

  /** A delivery succeeded: the failure streak ends. */
  async recordSuccess(id: string, now: Date): Promise<void> {
    await this.db
      .update(webhookEndpoints)
      .set({ consecutiveFailures: 0, failingSince: null, lastSuccessAt: now })
      .where(this.own(id))
      .run();
  }

  /** An attempt failed: the streak starts now unless it already runs. */
  async recordFailedAttempt(id: string, now: Date): Promise<void> {
    await this.db
      .update(webhookEndpoints)
      .set({ failingSince: sql`COALESCE(${webhookEndpoints.failingSince}, ${now.getTime()})` })
      .where(this.own(id))
      .run();
  }

  /** A delivery gave up: one more in the streak. Returns the endpoint as it is now. */
  async recordGaveUp(id: string, now: Date): Promise<WebhookEndpointRow | undefined> {
    return this.db
      .update(webhookEndpoints)
      .set({
        consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1`,
        failingSince: sql`COALESCE(${webhookEndpoints.failingSince}, ${now.getTime()})`,
      })
      .where(this.own(id))
      .returning()
      .get();
  }

  /** Compare-and-set: true only for the call that actually disabled it (one e-mail, not several). */
  async disable(id: string, reason: string, now: Date): Promise<boolean> {
    const rows = await this.db
      .update(webhookEndpoints)
      .set({ enabled: false, disabledReason: reason, disabledAt: now, updatedAt: now })
      .where(and(this.own(id), eq(webhookEndpoints.enabled, true)))
      .returning({ id: webhookEndpoints.id })
      .all();
    return rows.length > 0;
  }
}
