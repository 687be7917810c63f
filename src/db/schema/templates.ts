import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp, timestamps } from "./columns";
import { users } from "./users";

type Json = Record<string, unknown>;

export const recordingTemplates = sqliteTable(
  "recording_templates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    matchingRules: text("matching_rules", { mode: "json" }).$type<Json>(),
    processingConfig: text("processing_config", { mode: "json" }).$type<Json>(),
    metadataConfig: text("metadata_config", { mode: "json" }).$type<Json>(),
    outputConfig: text("output_config", { mode: "json" }).$type<Json>(),
    isDraft: integer("is_draft", { mode: "boolean" }).notNull().default(false),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    usedCount: integer("used_count").notNull().default(0),
    lastUsedAt: timestamp("last_used_at"),
    ...timestamps,
  },
  (t) => [index("recording_templates_user_created_idx").on(t.userId, t.createdAt)],
);
