import { eq } from "drizzle-orm";
import type { Database } from "../client";
import { subscriptionPlans, userConfigs, users, userSubscriptions, type UserLocale, type UserRole } from "../schema";
import { forgetUser } from "../session-user-cache";

export type UserRow = typeof users.$inferSelect;

/**
 * Identity-level access used before a tenant is known (registration, login by e-mail).
 * Everything a signed-in user touches goes through the tenant-scoped repositories instead.
 */
export class AccountsRepository {
  constructor(private readonly db: Database) {}

  async findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.select().from(users).where(eq(users.email, email)).get();
  }

  async adminExists(): Promise<boolean> {
    const row = await this.db.select({ id: users.id }).from(users).where(eq(users.role, "admin")).limit(1).get();
    return row !== undefined;
  }

  /**
   * Creates the user, their (empty) config overrides and their subscription in one atomic batch. Throws a UNIQUE violation when the e-mail is taken.
   */
  async createWithDefaults(input: {
    id: string;
    email: string;
    passwordHash: string;
    fullName: string | null;
    role: UserRole;
    planId: number;
    now: Date;
    locale?: UserLocale;
  }): Promise<UserRow> {
    const { now } = input;
    const [inserted] = await this.db.batch([
      this.db
        .insert(users)
        .values({
          id: input.id,
          email: input.email,
          passwordHash: input.passwordHash,
          fullName: input.fullName,
          role: input.role,
          locale: input.locale ?? "en",
          createdAt: now,
          updatedAt: now,
        })
        .returning(),
      this.db.insert(userConfigs).values({ userId: input.id, configData: {}, createdAt: now, updatedAt: now }),
      this.db.insert(userSubscriptions).values({
        userId: input.id,
        planId: input.planId,
        startsAt: now,
        createdAt: now,
        updatedAt: now,
      }),
    ]);
    const user = inserted[0];
    if (!user) throw new Error("user insert returned no row");
    return user;
  }

  async findPlanId(name: string): Promise<number | undefined> {
    const row = await this.db
      .select({ id: subscriptionPlans.id })
      .from(subscriptionPlans)
      .where(eq(subscriptionPlans.name, name))
      .get();
    return row?.id;
  }

  async recordLogin(userId: string, now: Date): Promise<void> {
    await this.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, userId)).run();
  }

  /** The last step of account deletion, after every stored object is gone. Cascades to all rows. */
  async deleteUser(userId: string): Promise<void> {
    forgetUser(userId);
    await this.db.delete(users).where(eq(users.id, userId)).run();
  }

  async findById(userId: string): Promise<UserRow | undefined> {
    return this.db.select().from(users).where(eq(users.id, userId)).get();
  }
}
