import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
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
    /** Id of the key that sealed `encrypted_data`; rows with an old key are re-encrypted. */
    keyId: text("key_id").notNull(),
    /** SHA-256 of the platform and the fields that identify the account: catches duplicates without decrypting. */
    fingerprint: text("fingerprint").notNull(),
    /** Last four characters of the main secret, the only part ever shown. */
    hint: text("hint").notNull(),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    needsReauth: integer("needs_reauth", { mode: "boolean" }).notNull().default(false),
    statusReason: text("status_reason"),
    /** While set in the future, one worker is refreshing this credential's OAuth token. */
    refreshLeaseUntil: timestamp("refresh_lease_until"),
    ...timestamps,
    lastUsedAt: timestamp("last_used_at"),
  },
  (t) => [
    index("user_credentials_user_platform_idx").on(t.userId, t.platform),
    uniqueIndex("user_credentials_user_fingerprint_uq").on(t.userId, t.fingerprint),
    index("user_credentials_key_id_idx").on(t.keyId),
  ],
);
