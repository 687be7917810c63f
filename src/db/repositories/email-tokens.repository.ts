import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../client";
import { emailTokens, type EmailTokenPurpose } from "../schema";

export type EmailTokenRow = typeof emailTokens.$inferSelect;

/**
 * E-mailed single-use tokens. A token is looked up by its hash alone (the link carries no user
 * id); what it unlocks is then scoped to the user id stored with it.
 */
export class EmailTokensRepository {
  constructor(private readonly db: Database) {}

  /** Stores a new token and retires the user's earlier live ones of the same purpose, atomically. */
  async issue(input: { tokenHash: string; userId: string; purpose: EmailTokenPurpose; email: string; now: Date; expiresAt: Date }): Promise<void> {
    await this.db.batch([
      this.db
        .update(emailTokens)
        .set({ consumedAt: input.now })
        .where(and(eq(emailTokens.userId, input.userId), eq(emailTokens.purpose, input.purpose), isNull(emailTokens.consumedAt))),
      this.db.insert(emailTokens).values({
        tokenHash: input.tokenHash,
        userId: input.userId,
        purpose: input.purpose,
        email: input.email,
        createdAt: input.now,
        expiresAt: input.expiresAt,
      }),
    ]);
  }

  /**
   * Compare-and-set: marks a live token of `purpose` consumed and answers it, or answers nothing
   * (unknown, another purpose, expired, already used). Two parallel uses: exactly one wins.
   */
  async consume(tokenHash: string, purpose: EmailTokenPurpose, now: Date): Promise<EmailTokenRow | undefined> {
    return this.db
      .update(emailTokens)
      .set({ consumedAt: now })
      .where(and(eq(emailTokens.tokenHash, tokenHash), eq(emailTokens.purpose, purpose), isNull(emailTokens.consumedAt), gt(emailTokens.expiresAt, now)))
      .returning()
      .get();
  }

  /** Retires every live token of a user (all purposes), e.g. after a password reset. */
  async retireAll(userId: string, now: Date): Promise<void> {
    await this.db.update(emailTokens).set({ consumedAt: now }).where(and(eq(emailTokens.userId, userId), isNull(emailTokens.consumedAt))).run();
  }
}
