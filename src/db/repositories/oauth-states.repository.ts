import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../client";
import { oauthStates } from "../schema";

export type OAuthStateRow = typeof oauthStates.$inferSelect;

export async function insertOAuthState(db: Database, values: typeof oauthStates.$inferInsert): Promise<void> {
  await db.insert(oauthStates).values(values).run();
}

/** Single use: exactly one callback can consume a live state (compare-and-set on used_at). */
export async function consumeOAuthState(db: Database, id: string, now: Date): Promise<OAuthStateRow | undefined> {
  return db
    .update(oauthStates)
    .set({ usedAt: now })
    .where(and(eq(oauthStates.id, id), isNull(oauthStates.usedAt), gt(oauthStates.expiresAt, now)))
    .returning()
    .get();
}
