import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { containsLike } from "../like";
import { recordingTemplates } from "../schema";

export type TemplateRow = typeof recordingTemplates.$inferSelect;
export type NewTemplate = Omit<typeof recordingTemplates.$inferInsert, "userId" | "id">;

export class TemplatesRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  async list(options: { search?: string; includeDrafts: boolean }): Promise<TemplateRow[]> {
    return this.db
      .select()
      .from(recordingTemplates)
      .where(
        and(
          eq(recordingTemplates.userId, this.userId),
          options.includeDrafts ? undefined : eq(recordingTemplates.isDraft, false),
          options.search ? containsLike(recordingTemplates.name, options.search) : undefined,
        ),
      )
      .orderBy(asc(recordingTemplates.createdAt), asc(recordingTemplates.id))
      .all();
  }

  /** Active, non-draft templates in matching order (creation order, first match wins). */
  async listMatchable(): Promise<TemplateRow[]> {
    return this.db
      .select()
      .from(recordingTemplates)
      .where(
        and(
          eq(recordingTemplates.userId, this.userId),
          eq(recordingTemplates.isActive, true),
          eq(recordingTemplates.isDraft, false),
        ),
      )
      .orderBy(asc(recordingTemplates.createdAt), asc(recordingTemplates.id))
      .all();
  }

  async get(id: number): Promise<TemplateRow | undefined> {
    return this.db
      .select()
      .from(recordingTemplates)
      .where(and(eq(recordingTemplates.id, id), eq(recordingTemplates.userId, this.userId)))
      .get();
  }

  async insert(values: NewTemplate): Promise<TemplateRow> {
    return this.db
      .insert(recordingTemplates)
      .values({ ...values, userId: this.userId })
      .returning()
      .get();
  }

  async update(id: number, patch: Partial<NewTemplate>): Promise<TemplateRow | undefined> {
    return this.db
      .update(recordingTemplates)
      .set(patch)
      .where(and(eq(recordingTemplates.id, id), eq(recordingTemplates.userId, this.userId)))
      .returning()
      .get();
  }

  async delete(id: number): Promise<boolean> {
    const rows = await this.db
      .delete(recordingTemplates)
      .where(and(eq(recordingTemplates.id, id), eq(recordingTemplates.userId, this.userId)))
      .returning({ id: recordingTemplates.id })
      .all();
    return rows.length > 0;
  }

  async recordUse(id: number, uses: number, now: Date): Promise<void> {
    if (uses <= 0) return;
    await this.db
      .update(recordingTemplates)
      .set({ usedCount: sql`${recordingTemplates.usedCount} + ${uses}`, lastUsedAt: now })
      .where(and(eq(recordingTemplates.id, id), eq(recordingTemplates.userId, this.userId)))
      .run();
  }
}
