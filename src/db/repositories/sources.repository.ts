import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "../client";
import { containsLike } from "../like";
import { inputSources, userCredentials, type SourceType } from "../schema";
import { forgetWebhookSource } from "../webhook-source-cache";

export type SourceRow = typeof inputSources.$inferSelect;
export type NewSource = Omit<typeof inputSources.$inferInsert, "userId" | "id">;
export type CredentialSummary = Pick<typeof userCredentials.$inferSelect, "id" | "platform" | "isActive">;

export class SourcesRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  async list(options: { search?: string; activeOnly: boolean }): Promise<SourceRow[]> {
    return this.db
      .select()
      .from(inputSources)
      .where(
        and(
          eq(inputSources.userId, this.userId),
          options.activeOnly ? eq(inputSources.isActive, true) : undefined,
          options.search ? containsLike(inputSources.name, options.search) : undefined,
        ),
      )
      .orderBy(asc(inputSources.createdAt), asc(inputSources.id))
      .all();
  }

  async get(id: number): Promise<SourceRow | undefined> {
    return this.db
      .select()
      .from(inputSources)
      .where(and(eq(inputSources.id, id), eq(inputSources.userId, this.userId)))
      .get();
  }

  async findDuplicate(name: string, sourceType: SourceType, credentialId: number | null, exceptId?: number) {
    const row = await this.db
      .select({ id: inputSources.id })
      .from(inputSources)
      .where(
        and(
          eq(inputSources.userId, this.userId),
          eq(inputSources.name, name),
          eq(inputSources.sourceType, sourceType),
          credentialId === null ? isNull(inputSources.credentialId) : eq(inputSources.credentialId, credentialId),
        ),
      )
      .all();
    return row.find((r) => r.id !== exceptId);
  }

  async insert(values: NewSource): Promise<SourceRow> {
    return this.db
      .insert(inputSources)
      .values({ ...values, userId: this.userId })
      .returning()
      .get();
  }

  async update(id: number, patch: Partial<NewSource>): Promise<SourceRow | undefined> {
    forgetWebhookSource(id);
    return this.db
      .update(inputSources)
      .set(patch)
      .where(and(eq(inputSources.id, id), eq(inputSources.userId, this.userId)))
      .returning()
      .get();
  }

  async delete(id: number): Promise<boolean> {
    forgetWebhookSource(id);
    const rows = await this.db
      .delete(inputSources)
      .where(and(eq(inputSources.id, id), eq(inputSources.userId, this.userId)))
      .returning({ id: inputSources.id })
      .all();
    return rows.length > 0;
  }

  /** A credential of this tenant (another tenant's id is simply not found). */
  async findCredential(id: number): Promise<CredentialSummary | undefined> {
    return this.db
      .select({ id: userCredentials.id, platform: userCredentials.platform, isActive: userCredentials.isActive })
      .from(userCredentials)
      .where(and(eq(userCredentials.id, id), eq(userCredentials.userId, this.userId)))
      .get();
  }
}
