import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp, timestamps } from "./columns";
import { userCredentials } from "./credentials";
import { users } from "./users";

export const SOURCE_TYPES = ["ZOOM", "YANDEX_DISK", "LOCAL"] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const inputSources = sqliteTable(
  "input_sources",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    sourceType: text("source_type", { enum: SOURCE_TYPES }).notNull(),
    credentialId: integer("credential_id").references(() => userCredentials.id, { onDelete: "set null" }),
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>(),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    lastSyncAt: timestamp("last_sync_at"),
    ...timestamps,
  },
  (t) => [
    index("input_sources_user_id_idx").on(t.userId, t.createdAt),
    index("input_sources_credential_id_idx").on(t.credentialId),
    // SQLite treats NULL credential ids as distinct, so the service also checks LOCAL names.
    uniqueIndex("input_sources_user_name_type_credential_uq").on(t.userId, t.name, t.sourceType, t.credentialId),
  ],
);
