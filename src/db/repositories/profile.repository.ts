import { eq } from "drizzle-orm";
import type { Database } from "../client";
import { users } from "../schema";
import { forgetUser } from "../session-user-cache";
import type { UserRow } from "./accounts.repository";

export type ProfilePatch = Partial<Pick<UserRow, "email" | "fullName" | "timezone" | "isVerified" | "passwordHash" | "emailVerifiedAt" | "pendingEmail" | "locale">>;

/** The signed-in user's own row. */
export class ProfileRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  async get(): Promise<UserRow | undefined> {
    return this.db.select().from(users).where(eq(users.id, this.userId)).get();
  }

  async update(patch: ProfilePatch, now: Date): Promise<UserRow | undefined> {
    forgetUser(this.userId);
    return this.db
      .update(users)
      .set({ ...patch, updatedAt: now })
      .where(eq(users.id, this.userId))
      .returning()
      .get();
  }

  /** Starts account deletion: no further sign-in; the purge job removes objects, then the row. */
  async markForDeletion(now: Date): Promise<void> {
    forgetUser(this.userId);
    await this.db
      .update(users)
      .set({ deletionRequestedAt: now, isActive: false, updatedAt: now })
      .where(eq(users.id, this.userId))
      .run();
  }
}
