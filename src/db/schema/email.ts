import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp } from "./columns";
import { users } from "./users";

export const EMAIL_TOKEN_PURPOSES = ["verify_email", "password_reset"] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

/** Single-use e-mailed tokens, stored only as SHA-256; `email` is the address the token proves control of. */
export const emailTokens = sqliteTable(
  "email_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: EMAIL_TOKEN_PURPOSES }).notNull(),
    email: text("email").notNull(),
    createdAt: timestamp("created_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    consumedAt: timestamp("consumed_at"),
  },
  (t) => [
    index("email_tokens_user_purpose_idx").on(t.userId, t.purpose),
    index("email_tokens_expires_at_idx").on(t.expiresAt),
    check("email_tokens_purpose_check", sql`${t.purpose} IN ('verify_email', 'password_reset')`),
  ],
);

export const EMAIL_STATUSES = ["pending", "sent", "failed"] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** Outgoing e-mail, kept (content sealed) until a transport accepted it; see services/email/delivery.ts. */
export const emailMessages = sqliteTable(
  "email_messages",
  {
    id: text("id").primaryKey(), // ULID; also the outbox name and the provider's idempotency key
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    sealedContent: text("sealed_content"),
    status: text("status", { enum: EMAIL_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at").notNull(),
    leaseUntil: timestamp("lease_until"),
    lastError: text("last_error"),
    transport: text("transport"),
    providerMessageId: text("provider_message_id"),
    createdAt: timestamp("created_at").notNull(),
    sentAt: timestamp("sent_at"),
  },
  (t) => [
    index("email_messages_due_idx").on(t.status, t.nextAttemptAt),
    index("email_messages_user_id_idx").on(t.userId),
    check("email_messages_status_check", sql`${t.status} IN ('pending', 'sent', 'failed')`),
  ],
);
