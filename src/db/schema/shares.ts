import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp, timestamps } from "./columns";
import { recordings } from "./recordings";
import { users } from "./users";

/**
 * Public share links of a recording. Only the SHA-256 of the link's token is stored, so the table
 * never holds a usable link; the token itself is shown once, when the link is made. A link works
 * while it is not revoked, not past `expires_at` and its recording is not deleted.
 */
export const recordingShares = sqliteTable(
  "recording_shares",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    recordingId: integer("recording_id")
      .notNull()
      .references(() => recordings.id, { onDelete: "cascade" }),
    /** Hex SHA-256 of the token. */
    tokenHash: text("token_hash").notNull(),
    allowDownload: integer("allow_download", { mode: "boolean" }).notNull().default(false),
    /** lib/password.ts format; null = no password. */
    passwordHash: text("password_hash"),
    expiresAt: timestamp("expires_at"),
    revokedAt: timestamp("revoked_at"),
    viewCount: integer("view_count").notNull().default(0),
    lastViewedAt: timestamp("last_viewed_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("recording_shares_token_hash_uq").on(t.tokenHash),
    index("recording_shares_user_recording_idx").on(t.userId, t.recordingId),
    index("recording_shares_recording_idx").on(t.recordingId),
  ],
);
