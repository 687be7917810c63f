import { and, asc, count, eq, isNull, lt, ne, or } from "drizzle-orm";
import type { Database } from "../client";
import { userCredentials, type CredentialPlatform } from "../schema";
import { forgetWebhookCredential } from "../webhook-source-cache";

export type CredentialRow = typeof userCredentials.$inferSelect;
export type NewCredential = Omit<typeof userCredentials.$inferInsert, "userId" | "id">;

export class CredentialsRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  async list(platform?: CredentialPlatform): Promise<CredentialRow[]> {
    return this.db
      .select()
      .from(userCredentials)
      .where(and(eq(userCredentials.userId, this.userId), platform ? eq(userCredentials.platform, platform) : undefined))
      .orderBy(asc(userCredentials.id))
      .all();
  }

  async get(id: number): Promise<CredentialRow | undefined> {
    return this.db
      .select()
      .from(userCredentials)
      .where(and(eq(userCredentials.id, id), eq(userCredentials.userId, this.userId)))
      .get();
  }

  async insert(values: NewCredential): Promise<CredentialRow> {
    return this.db
      .insert(userCredentials)
      .values({ ...values, userId: this.userId })
      .returning()
      .get();
  }

  async update(id: number, patch: Partial<NewCredential>): Promise<CredentialRow | undefined> {
    forgetWebhookCredential(id);
    return this.db
      .update(userCredentials)
      .set(patch)
      .where(and(eq(userCredentials.id, id), eq(userCredentials.userId, this.userId)))
      .returning()
      .get();
  }

  /** Takes the refresh lease unless another worker holds a live one (compare-and-set). */
  async acquireRefreshLease(id: number, now: Date, until: Date): Promise<boolean> {
    const row = await this.db
      .update(userCredentials)
      .set({ refreshLeaseUntil: until })
      .where(
        and(
          eq(userCredentials.id, id),
          eq(userCredentials.userId, this.userId),
          or(isNull(userCredentials.refreshLeaseUntil), lt(userCredentials.refreshLeaseUntil, now)),
        ),
      )
      .returning({ id: userCredentials.id })
      .get();
    return row !== undefined;
  }

  async delete(id: number): Promise<boolean> {
    forgetWebhookCredential(id);
    const rows = await this.db
      .delete(userCredentials)
      .where(and(eq(userCredentials.id, id), eq(userCredentials.userId, this.userId)))
      .returning({ id: userCredentials.id })
      .all();
    return rows.length > 0;
  }
}

/** Key rotation works across tenants: it only re-seals ciphertext and never reads it out. */
export async function credentialsSealedWithOldKeys(db: Database, currentKeyId: string, limit: number): Promise<CredentialRow[]> {
  return db.select().from(userCredentials).where(ne(userCredentials.keyId, currentKeyId)).orderBy(asc(userCredentials.id)).limit(limit).all();
}

export async function countSealedWithOldKeys(db: Database, currentKeyId: string): Promise<number> {
  const row = await db.select({ n: count() }).from(userCredentials).where(ne(userCredentials.keyId, currentKeyId)).get();
  return row?.n ?? 0;
}

export async function resealCredential(db: Database, row: CredentialRow, encryptedData: string, keyId: string): Promise<boolean> {
  forgetWebhookCredential(row.id);
  const updated = await db
    .update(userCredentials)
    .set({ encryptedData, keyId })
    .where(and(eq(userCredentials.id, row.id), eq(userCredentials.userId, row.userId), eq(userCredentials.encryptedData, row.encryptedData)))
    .returning({ id: userCredentials.id })
    .get();
  return updated !== undefined;
}
