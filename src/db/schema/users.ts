import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp, timestamps } from "./columns";

export const USER_ROLES = ["user", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];
/** Languages of the e-mails a user gets. */
export const USER_LOCALES = ["en", "ru"] as const;
export type UserLocale = (typeof USER_LOCALES)[number];

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(), // ULID
    email: text("email").notNull().unique(), // stored lower-cased
    passwordHash: text("password_hash").notNull(),
    fullName: text("full_name"),
    role: text("role", { enum: USER_ROLES }).notNull().default("user"),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    isVerified: integer("is_verified", { mode: "boolean" }).notNull().default(false),
    timezone: text("timezone").notNull().default("UTC"),
    ...timestamps,
    lastLoginAt: timestamp("last_login_at"),
    /** Set when the user deleted their account; the row goes once their stored objects are gone. */
    deletionRequestedAt: timestamp("deletion_requested_at"),
    /** When the current address was verified; `isVerified` (LEAP's flag) mirrors it. */
    emailVerifiedAt: timestamp("email_verified_at"),
    /** An e-mail change waiting for the new address to be verified (it is not the sign-in address yet). */
    pendingEmail: text("pending_email"),
    locale: text("locale", { enum: USER_LOCALES }).notNull().default("en"),
  },
  (t) => [check("users_role_check", sql`${t.role} IN ('user', 'admin')`)],
);

/** A login: the family of rotating refresh tokens descending from one authentication. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(), // ULID, carried in access tokens as `sid`
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at").notNull(),
    lastUsedAt: timestamp("last_used_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    revokedAt: timestamp("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId), index("sessions_expires_at_idx").on(t.expiresAt)],
);

/** Refresh tokens are stored only as SHA-256 hashes. A rotated token is kept to detect reuse. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: text("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    rotatedAt: timestamp("rotated_at"),
  },
  (t) => [index("refresh_tokens_session_id_idx").on(t.sessionId), index("refresh_tokens_user_id_idx").on(t.userId)],
);

export const userConfigs = sqliteTable("user_configs", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  configData: text("config_data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  ...timestamps,
});
