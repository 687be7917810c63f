import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { timestamp, timestamps } from "./columns";
import { inputSources, SOURCE_TYPES } from "./sources";
import { recordingTemplates } from "./templates";
import { users } from "./users";

type Json = Record<string, unknown>;

/** Where a recording came from: an input source's type, or a direct https URL import. */
export const RECORDING_ORIGINS = [...SOURCE_TYPES, "URL"] as const;
export type RecordingOrigin = (typeof RECORDING_ORIGINS)[number];

/** §4.3's intended state machine. Failure is `failed = true`, never a status. */
export const RECORDING_STATUSES = [
  "PENDING_SOURCE",
  "INITIALIZED",
  "DOWNLOADING",
  "DOWNLOADED",
  "PROCESSING",
  "PROCESSED",
  "TRANSCRIBING",
  "PREPARING",
  "TRANSCRIBED",
  "UPLOADING",
  "UPLOADED",
  "READY",
  "SKIPPED",
  "EXPIRED",
] as const;
export type RecordingStatus = (typeof RECORDING_STATUSES)[number];

export const DELETE_STATES = ["active", "soft", "hard"] as const;
export type DeleteState = (typeof DELETE_STATES)[number];

export const recordings = sqliteTable(
  "recordings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    inputSourceId: integer("input_source_id").references(() => inputSources.id, { onDelete: "set null" }),
    templateId: integer("template_id").references(() => recordingTemplates.id, { onDelete: "set null" }),
    displayName: text("display_name").notNull(),
    /** Unicode-lower-cased display name: SQLite's LIKE folds only ASCII (lecture names are often Cyrillic). */
    searchName: text("search_name").notNull(),
    startTime: timestamp("start_time").notNull(),
    /** Seconds (LEAP stored Zoom minutes; HEAD moved to seconds). */
    duration: integer("duration").notNull().default(0),
    status: text("status", { enum: RECORDING_STATUSES }).notNull().default("INITIALIZED"),
    isMapped: integer("is_mapped", { mode: "boolean" }).notNull().default(false),
    blankRecord: integer("blank_record", { mode: "boolean" }).notNull().default(false),
    /** Why the recording is SKIPPED, as a sentence (blank thresholds, no template); null in any other status. */
    skipReason: text("skip_reason"),
    /** When auto-download started (or is starting) its run: claimed once by compare-and-set, whichever of sync and webhook is first. */
    autoStartedAt: timestamp("auto_started_at"),
    videoFileSize: integer("video_file_size"),
    /** R2 keys (never exposed; built by lib/storage-keys from ids only). */
    sourceObjectKey: text("source_object_key"),
    processedObjectKey: text("processed_object_key"),
    audioObjectKey: text("audio_object_key"),
    /** Pointers to the processing outputs in R2 (full content there; D1 keeps summaries). */
    transcriptObjectKey: text("transcript_object_key"),
    /** `{language, duration, words, segments, characters, provider, model, shifted_by?}` */
    transcriptInfo: text("transcript_info", { mode: "json" }).$type<Json>(),
    /** The active topics version's main topic(s) and chapters (versions live in R2). */
    mainTopics: text("main_topics", { mode: "json" }).$type<string[]>(),
    topicTimestamps: text("topic_timestamps", { mode: "json" }).$type<Array<{ topic: string; start: number; end: number }>>(),
    topicsSummary: text("topics_summary"),
    /** `{formats: ["srt","vtt"], cues}` once subtitles exist. */
    subtitlesInfo: text("subtitles_info", { mode: "json" }).$type<Json>(),
    /** The real cut of the trim stage: `{requested_start, requested_end, start, end, duration, copied}`. */
    trimInfo: text("trim_info", { mode: "json" }).$type<Json>(),
    processingPreferences: text("processing_preferences", { mode: "json" }).$type<Json>(),
    expireAt: timestamp("expire_at"),
    deleted: integer("deleted", { mode: "boolean" }).notNull().default(false),
    deletedAt: timestamp("deleted_at"),
    deleteState: text("delete_state", { enum: DELETE_STATES }).notNull().default("active"),
    deletionReason: text("deletion_reason", { enum: ["manual", "expired"] }),
    softDeletedAt: timestamp("soft_deleted_at"),
    hardDeleteAt: timestamp("hard_delete_at"),
    failed: integer("failed", { mode: "boolean" }).notNull().default(false),
    failedAt: timestamp("failed_at"),
    failedReason: text("failed_reason"),
    failedAtStage: text("failed_at_stage"),
    retryCount: integer("retry_count").notNull().default(0),
    ...timestamps,
  },
  (t) => [
    check("recordings_status_check", sql.raw(`status IN (${RECORDING_STATUSES.map((s) => `'${s}'`).join(", ")})`)),
    // Filter indexes end with the visibility columns so SQLite prefers them over the list indexes.
    index("recordings_user_status_idx").on(t.userId, t.status, t.deleted, t.blankRecord),
    index("recordings_user_template_idx").on(t.userId, t.templateId, t.deleted, t.blankRecord),
    index("recordings_user_source_idx").on(t.userId, t.inputSourceId, t.deleted, t.blankRecord),
    // The default list (not deleted, not blank, newest first) and its total count are answered
    // from these indexes alone, without touching table rows.
    index("recordings_user_visible_start_idx").on(t.userId, t.deleted, t.blankRecord, t.startTime),
    index("recordings_user_visible_created_idx").on(t.userId, t.deleted, t.blankRecord, t.createdAt),
    index("recordings_user_failed_idx").on(t.userId, t.failed, t.deleted, t.blankRecord),
    // Migration 0016: scope, then the filter, then the order, so a filtered page needs no sort.
    index("recordings_visible_status_start_idx").on(t.userId, t.deleted, t.blankRecord, t.status, t.startTime),
    index("recordings_visible_failed_start_idx").on(t.userId, t.deleted, t.blankRecord, t.failed, t.startTime),
    index("recordings_visible_template_start_idx").on(t.userId, t.deleted, t.blankRecord, t.templateId, t.startTime),
    index("recordings_visible_source_start_idx").on(t.userId, t.deleted, t.blankRecord, t.inputSourceId, t.startTime),
    index("recordings_visible_mapped_start_idx").on(t.userId, t.deleted, t.blankRecord, t.isMapped, t.startTime),
    index("recordings_visible_mapped_created_idx").on(t.userId, t.deleted, t.blankRecord, t.isMapped, t.createdAt),
    index("recordings_visible_updated_idx").on(t.userId, t.deleted, t.blankRecord, t.updatedAt),
    index("recordings_visible_name_idx").on(t.userId, t.deleted, t.blankRecord, t.searchName),
    index("recordings_visible_duration_idx").on(t.userId, t.deleted, t.blankRecord, t.duration),
    // Migration 0018: a name search's ids (from the tenant's index) are counted by seeking this
    // small index, not by reading each row (3× faster at 10 000 matches among 100 000).
    index("recordings_visible_id_idx").on(t.userId, t.deleted, t.blankRecord, t.id),
    index("recordings_template_id_idx").on(t.templateId),
    index("recordings_input_source_id_idx").on(t.inputSourceId),
    index("recordings_expire_at_idx").on(t.expireAt),
    index("recordings_delete_state_idx").on(t.deleteState, t.softDeletedAt),
    index("recordings_hard_delete_at_idx").on(t.hardDeleteAt),
  ],
);

/** Where a recording came from (1:1). The (user, type, key) triple de-duplicates ingestion. */
export const sourceMetadata = sqliteTable(
  "source_metadata",
  {
    recordingId: integer("recording_id")
      .primaryKey()
      .references(() => recordings.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    inputSourceId: integer("input_source_id").references(() => inputSources.id, { onDelete: "set null" }),
    sourceType: text("source_type", { enum: RECORDING_ORIGINS }).notNull(),
    sourceKey: text("source_key").notNull(),
    metadata: text("metadata", { mode: "json" }).$type<Json>(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("source_metadata_user_type_key_uq").on(t.userId, t.sourceType, t.sourceKey),
    index("source_metadata_input_source_id_idx").on(t.inputSourceId),
  ],
);

export const STAGE_TYPES = ["DOWNLOAD", "TRANSCRIBE", "TRIM", "EXTRACT_TOPICS", "GENERATE_SUBTITLES", "UPLOAD"] as const;
export const STAGE_STATUSES = ["PENDING", "IN_PROGRESS", "PAUSED", "COMPLETED", "FAILED", "SKIPPED", "CANCELLED"] as const;

export const processingStages = sqliteTable(
  "processing_stages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    recordingId: integer("recording_id")
      .notNull()
      .references(() => recordings.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    stageType: text("stage_type", { enum: STAGE_TYPES }).notNull(),
    /** The run that last opened this stage; a message of an older run can never claim it. */
    runId: text("run_id"),
    status: text("status", { enum: STAGE_STATUSES }).notNull().default("PENDING"),
    attempts: integer("attempts").notNull().default(0),
    failed: integer("failed", { mode: "boolean" }).notNull().default(false),
    failedAt: timestamp("failed_at"),
    failedReason: text("failed_reason"),
    stageMeta: text("stage_meta", { mode: "json" }).$type<Json>(),
    startedAt: timestamp("started_at"),
    completedAt: timestamp("completed_at"),
    /** Held while a consumer works on the stage; an expired lease can be reclaimed. */
    leaseUntil: timestamp("lease_until"),
    /** Set by a pause request: the running step stops after its current chunk. */
    pauseRequestedAt: timestamp("pause_requested_at"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("processing_stages_recording_stage_uq").on(t.recordingId, t.stageType),
    index("processing_stages_user_status_idx").on(t.userId, t.status),
  ],
);

export const TARGET_TYPES = ["YOUTUBE", "VK", "YANDEX_DISK"] as const;
export const TARGET_STATUSES = ["NOT_UPLOADED", "UPLOADING", "UPLOADED", "FAILED"] as const;

/** One publication per (recording, platform, preset): the key that prevents duplicate uploads. */
export const outputTargets = sqliteTable(
  "output_targets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    recordingId: integer("recording_id")
      .notNull()
      .references(() => recordings.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    presetId: integer("preset_id"),
    targetType: text("target_type", { enum: TARGET_TYPES }).notNull(),
    status: text("status", { enum: TARGET_STATUSES }).notNull().default("NOT_UPLOADED"),
    targetMeta: text("target_meta", { mode: "json" }).$type<Json>(),
    uploadedAt: timestamp("uploaded_at"),
    failed: integer("failed", { mode: "boolean" }).notNull().default(false),
    failedAt: timestamp("failed_at"),
    failedReason: text("failed_reason"),
    retryCount: integer("retry_count").notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("output_targets_recording_type_preset_uq").on(t.recordingId, t.targetType, t.presetId),
    index("output_targets_user_status_idx").on(t.userId, t.status),
    index("output_targets_preset_id_idx").on(t.presetId),
  ],
);

/** Large direct uploads in progress (R2 multipart), resumable part by part. */
export const uploadSessions = sqliteTable(
  "upload_sessions",
  {
    id: text("id").primaryKey(), // ULID
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    recordingId: integer("recording_id").references(() => recordings.id, { onDelete: "set null" }),
    displayName: text("display_name").notNull(),
    filename: text("filename"),
    contentType: text("content_type").notNull(),
    objectKey: text("object_key").notNull(),
    r2UploadId: text("r2_upload_id").notNull(),
    totalSize: integer("total_size").notNull(),
    partSize: integer("part_size").notNull(),
    /** `{ "<partNumber>": { "etag": "…", "size": n } }` */
    parts: text("parts", { mode: "json" }).$type<Record<string, { etag: string; size: number }>>().notNull(),
    status: text("status", { enum: ["uploading", "completed", "aborted"] }).notNull().default("uploading"),
    ...timestamps,
  },
  (t) => [index("upload_sessions_user_status_idx").on(t.userId, t.status), index("upload_sessions_updated_idx").on(t.status, t.updatedAt)],
);

export const recordingTombstones = sqliteTable(
  "recording_tombstones",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    sourceType: text("source_type", { enum: RECORDING_ORIGINS }).notNull(),
    sourceKey: text("source_key").notNull(),
    deletedAt: timestamp("deleted_at").notNull(),
  },
  (t) => [uniqueIndex("recording_tombstones_uq").on(t.userId, t.sourceType, t.sourceKey)],
);

/**
 * How many of a tenant's recordings share each combination of the list's equality filters, kept by
 * triggers on `recordings` (migration 0017), so a list's total is a sum over a few hundred rows
 * instead of a count over every matching recording. A template or source of none is 0 here.
 */
export const recordingTallies = sqliteTable(
  "recording_tallies",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    deleted: integer("deleted", { mode: "boolean" }).notNull(),
    blankRecord: integer("blank_record", { mode: "boolean" }).notNull(),
    status: text("status", { enum: RECORDING_STATUSES }).notNull(),
    failed: integer("failed", { mode: "boolean" }).notNull(),
    isMapped: integer("is_mapped", { mode: "boolean" }).notNull(),
    templateId: integer("template_id").notNull(),
    inputSourceId: integer("input_source_id").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.deleted, t.blankRecord, t.status, t.failed, t.isMapped, t.templateId, t.inputSourceId] })],
);
