import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp, timestamps } from "./columns";
import { userCredentials } from "./credentials";
import { users } from "./users";

export const PRESET_PLATFORMS = ["youtube", "vk", "yandex_disk"] as const;
export type PresetPlatform = (typeof PRESET_PLATFORMS)[number];

/**
 * Output presets (§3.10, §6.2): where and how a recording is published — a platform, the user's
 * credential for it (same user, same platform: checked on write), and the platform's metadata
 * (privacy, playlist/album, templates, thumbnail …) validated against that platform's schema.
 */
export const outputPresets = sqliteTable(
  "output_presets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    platform: text("platform", { enum: PRESET_PLATFORMS }).notNull(),
    credentialId: integer("credential_id").references(() => userCredentials.id, { onDelete: "set null" }),
    presetMetadata: text("preset_metadata", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    /** When an upload last published with this preset. */
    lastUsedAt: timestamp("last_used_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("output_presets_user_name_uq").on(t.userId, t.name), index("output_presets_user_platform_idx").on(t.userId, t.platform, t.isActive)],
);
