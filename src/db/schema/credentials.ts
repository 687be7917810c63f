import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp, timestamps } from "./columns";
import { users } from "./users";

export const CREDENTIAL_PLATFORMS = [
  "zoom",
  "youtube",
  "vk",
  "yandex_disk",
  "fireworks",
  "assemblyai",
  "openai",
  "deepseek",
] as const;
export type CredentialPlatform = (typeof CREDENTIAL_PLATFORMS)[number];

/**
 * Third-party credentials of a tenant. `encrypted_data` is AES-256-GCM ciphertext with a key-id
 * prefix (the credentials API that writes it lives with the Zoom ingestion work).
 */
export const userCredentials = sqliteTable(
  "user_credentials",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: CREDENTIAL_PLATFORMS }).notNull(),
    accountName: text("account_name"),
    encryptedData: text("encrypted_data").notNull(),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    ...timestamps,
    lastUsedAt: timestamp("last_used_at"),
  },
  (t) => [index("user_credentials_user_platform_idx").on(t.userId, t.platform)],
);
