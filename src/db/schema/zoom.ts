import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp } from "./columns";
import { recordings } from "./recordings";
import { inputSources } from "./sources";
import { users } from "./users";

/**
 * Verified Zoom webhook deliveries, persisted before the 200. The business key (event type,
 * meeting UUID and file ids) makes Zoom's retries and duplicates collapse into one row.
 */
export const zoomWebhookEvents = sqliteTable(
  "zoom_webhook_events",
  {
    id: text("id").primaryKey(), // ULID
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    sourceId: integer("source_id").references(() => inputSources.id, { onDelete: "set null" }),
    event: text("event").notNull(),
    businessKey: text("business_key").notNull(),
    meetingUuid: text("meeting_uuid"),
    eventTs: integer("event_ts"),
    /** The raw body lives in R2 (it can be large and carries a download token). */
    bodyKey: text("body_key").notNull(),
    status: text("status", { enum: ["received", "processed", "ignored", "failed"] }).notNull().default("received"),
    error: text("error"),
    receivedAt: timestamp("received_at").notNull(),
    processedAt: timestamp("processed_at"),
  },
  (t) => [
    uniqueIndex("zoom_webhook_events_user_key_uq").on(t.userId, t.businessKey),
    index("zoom_webhook_events_status_idx").on(t.status, t.receivedAt),
    index("zoom_webhook_events_source_idx").on(t.sourceId),
  ],
);

/** Every file Zoom lists for a recording, tracked by Zoom's file id so late files are picked up once. */
export const recordingFiles = sqliteTable(
  "recording_files",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    recordingId: integer("recording_id")
      .notNull()
      .references(() => recordings.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    zoomFileId: text("zoom_file_id").notNull(),
    fileType: text("file_type").notNull(),
    recordingType: text("recording_type"),
    fileSize: integer("file_size"),
    status: text("status"),
    /** The API's download URL (sync); it goes with the API's download_access_token. */
    downloadUrl: text("download_url"),
    /**
     * The webhook's download URL and the event whose stored body holds the download_token issued
     * with it: the two are only ever used together (a webhook token with an API URL is a 401).
     */
    webhookDownloadUrl: text("webhook_download_url"),
    webhookEventId: text("webhook_event_id"),
    recordingStart: timestamp("recording_start"),
    recordingEnd: timestamp("recording_end"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("recording_files_recording_file_uq").on(t.recordingId, t.zoomFileId),
    index("recording_files_user_idx").on(t.userId),
  ],
);
