import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp, timestamps } from "./columns";
import { users } from "./users";

/** What a user's webhook endpoint may subscribe to (the events service emits exactly these). */
export const WEBHOOK_EVENT_TYPES = [
  "recording.ready",
  "recording.failed",
  "run.completed",
  "output.published",
  "credential.needs_reauth",
  "quota.exceeded",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Sent only by POST …/endpoints/{id}/test, whatever the endpoint subscribes to. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

export const DELIVERY_STATUSES = ["PENDING", "SUCCEEDED", "FAILED"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * A user's outbound webhook endpoint (Standard Webhooks). The signing secret is sealed with the
 * secret box; `consecutive_failures` counts deliveries that gave up since the last success, and
 * `failing_since` is the first failed attempt since then (the disable rule reads both).
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    events: text("events", { mode: "json" }).$type<WebhookEventType[]>().notNull(),
    secretSealed: text("secret_sealed").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    disabledReason: text("disabled_reason"),
    disabledAt: timestamp("disabled_at"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    failingSince: timestamp("failing_since"),
    lastSuccessAt: timestamp("last_success_at"),
    ...timestamps,
  },
  (t) => [index("webhook_endpoints_user_idx").on(t.userId, t.createdAt)],
);

/**
 * One event sent to one endpoint, and how its attempts went. `message_id` is the `webhook-id`
 * header: a manual redelivery is a new row with the same message id, so receivers dedupe it.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The exact JSON body that is signed and sent (a few KB at most: ids, names, statuses). */
    payload: text("payload").notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull(),
    /** A manual redelivery or test event: one attempt, no automatic retries. */
    manual: integer("manual", { mode: "boolean" }).notNull().default(false),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at"),
    lastAttemptAt: timestamp("last_attempt_at"),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    durationMs: integer("duration_ms"),
    error: text("error"),
    ...timestamps,
  },
  (t) => [
    index("webhook_deliveries_endpoint_idx").on(t.userId, t.endpointId, t.createdAt),
    index("webhook_deliveries_pending_idx").on(t.status, t.nextAttemptAt),
    check("webhook_deliveries_status_check", sql.raw(`status IN (${DELIVERY_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
  ],
);

export const NOTIFICATION_KINDS = ["run_failed", "credential_needs_reauth", "quota_nearly_used", "webhook_endpoint_disabled"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * E-mail notifications waiting for their user's batch: the flush sends everything a user has
 * pending as one message. `dedupe_key` keeps one pending row per subject (a credential, a quota
 * period) so a repeated condition does not repeat the line.
 */
export const pendingNotifications = sqliteTable(
  "pending_notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    dedupeKey: text("dedupe_key"),
    summary: text("summary").notNull(),
    createdAt: timestamp("created_at").notNull(),
    sentAt: timestamp("sent_at"),
  },
  (t) => [
    index("pending_notifications_unsent_idx").on(t.sentAt, t.userId, t.createdAt),
    uniqueIndex("pending_notifications_dedupe_idx").on(t.userId, t.dedupeKey).where(sql`sent_at IS NULL AND dedupe_key IS NOT NULL`),
    check("pending_notifications_kind_check", sql.raw(`kind IN (${NOTIFICATION_KINDS.map((s) => `'${s}'`).join(", ")})`)),
  ],
);
