CREATE TABLE `user_credentials` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`platform` text NOT NULL,
	`account_name` text,
	`encrypted_data` text NOT NULL,
	`key_id` text NOT NULL,
	`fingerprint` text NOT NULL,
	`hint` text NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`needs_reauth` integer DEFAULT false NOT NULL,
	`status_reason` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `user_credentials_user_platform_idx` ON `user_credentials` (`user_id`,`platform`);--> statement-breakpoint
CREATE UNIQUE INDEX `user_credentials_user_fingerprint_uq` ON `user_credentials` (`user_id`,`fingerprint`);--> statement-breakpoint
CREATE INDEX `user_credentials_key_id_idx` ON `user_credentials` (`key_id`);--> statement-breakpoint
CREATE TABLE `input_sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`source_type` text NOT NULL,
	`credential_id` integer,
	`config` text,
	`is_active` integer DEFAULT true NOT NULL,
	`last_sync_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`credential_id`) REFERENCES `user_credentials`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `input_sources_user_id_idx` ON `input_sources` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `input_sources_credential_id_idx` ON `input_sources` (`credential_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `input_sources_user_name_type_credential_uq` ON `input_sources` (`user_id`,`name`,`source_type`,`credential_id`);--> statement-breakpoint
CREATE TABLE `recording_templates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`matching_rules` text,
	`processing_config` text,
	`metadata_config` text,
	`output_config` text,
	`is_draft` integer DEFAULT false NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`used_count` integer DEFAULT 0 NOT NULL,
	`last_used_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `recording_templates_user_created_idx` ON `recording_templates` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `output_targets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recording_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`preset_id` integer,
	`target_type` text NOT NULL,
	`status` text DEFAULT 'NOT_UPLOADED' NOT NULL,
	`target_meta` text,
	`uploaded_at` integer,
	`failed` integer DEFAULT false NOT NULL,
	`failed_at` integer,
	`failed_reason` text,
	`retry_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`recording_id`) REFERENCES `recordings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `output_targets_recording_type_preset_uq` ON `output_targets` (`recording_id`,`target_type`,`preset_id`);--> statement-breakpoint
CREATE INDEX `output_targets_user_status_idx` ON `output_targets` (`user_id`,`status`);--> statement-breakpoint
CREATE INDEX `output_targets_preset_id_idx` ON `output_targets` (`preset_id`);--> statement-breakpoint
CREATE TABLE `processing_stages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recording_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`stage_type` text NOT NULL,
	`status` text DEFAULT 'PENDING' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT false NOT NULL,
	`failed_at` integer,
	`failed_reason` text,
	`stage_meta` text,
	`started_at` integer,
	`completed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`recording_id`) REFERENCES `recordings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `processing_stages_recording_stage_uq` ON `processing_stages` (`recording_id`,`stage_type`);--> statement-breakpoint
CREATE INDEX `processing_stages_user_status_idx` ON `processing_stages` (`user_id`,`status`);--> statement-breakpoint
CREATE TABLE `recording_tombstones` (
	`user_id` text NOT NULL,
	`source_type` text NOT NULL,
	`source_key` text NOT NULL,
	`deleted_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recording_tombstones_uq` ON `recording_tombstones` (`user_id`,`source_type`,`source_key`);--> statement-breakpoint
CREATE TABLE `recordings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`input_source_id` integer,
	`template_id` integer,
	`display_name` text NOT NULL,
	`search_name` text NOT NULL,
	`start_time` integer NOT NULL,
	`duration` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'INITIALIZED' NOT NULL,
	`is_mapped` integer DEFAULT false NOT NULL,
	`blank_record` integer DEFAULT false NOT NULL,
	`video_file_size` integer,
	`source_object_key` text,
	`processed_object_key` text,
	`audio_object_key` text,
	`processing_preferences` text,
	`expire_at` integer,
	`deleted` integer DEFAULT false NOT NULL,
	`deleted_at` integer,
	`delete_state` text DEFAULT 'active' NOT NULL,
	`deletion_reason` text,
	`soft_deleted_at` integer,
	`hard_delete_at` integer,
	`failed` integer DEFAULT false NOT NULL,
	`failed_at` integer,
	`failed_reason` text,
	`failed_at_stage` text,
	`retry_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`input_source_id`) REFERENCES `input_sources`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`template_id`) REFERENCES `recording_templates`(`id`) ON UPDATE no action ON DELETE set null,
	CONSTRAINT "recordings_status_check" CHECK(status IN ('PENDING_SOURCE', 'INITIALIZED', 'DOWNLOADING', 'DOWNLOADED', 'PROCESSING', 'PROCESSED', 'TRANSCRIBING', 'PREPARING', 'TRANSCRIBED', 'UPLOADING', 'UPLOADED', 'READY', 'SKIPPED', 'EXPIRED'))
);
--> statement-breakpoint
CREATE INDEX `recordings_user_status_idx` ON `recordings` (`user_id`,`status`,`deleted`,`blank_record`);--> statement-breakpoint
CREATE INDEX `recordings_user_template_idx` ON `recordings` (`user_id`,`template_id`,`deleted`,`blank_record`);--> statement-breakpoint
CREATE INDEX `recordings_user_source_idx` ON `recordings` (`user_id`,`input_source_id`,`deleted`,`blank_record`);--> statement-breakpoint
CREATE INDEX `recordings_user_visible_start_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`start_time`);--> statement-breakpoint
CREATE INDEX `recordings_user_visible_created_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`created_at`);--> statement-breakpoint
CREATE INDEX `recordings_user_failed_idx` ON `recordings` (`user_id`,`failed`,`deleted`,`blank_record`);--> statement-breakpoint
CREATE INDEX `recordings_template_id_idx` ON `recordings` (`template_id`);--> statement-breakpoint
CREATE INDEX `recordings_input_source_id_idx` ON `recordings` (`input_source_id`);--> statement-breakpoint
CREATE INDEX `recordings_expire_at_idx` ON `recordings` (`expire_at`);--> statement-breakpoint
CREATE INDEX `recordings_delete_state_idx` ON `recordings` (`delete_state`,`soft_deleted_at`);--> statement-breakpoint
CREATE INDEX `recordings_hard_delete_at_idx` ON `recordings` (`hard_delete_at`);--> statement-breakpoint
CREATE TABLE `source_metadata` (
	`recording_id` integer PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`input_source_id` integer,
	`source_type` text NOT NULL,
	`source_key` text NOT NULL,
	`metadata` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`recording_id`) REFERENCES `recordings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`input_source_id`) REFERENCES `input_sources`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `source_metadata_user_type_key_uq` ON `source_metadata` (`user_id`,`source_type`,`source_key`);--> statement-breakpoint
CREATE INDEX `source_metadata_input_source_id_idx` ON `source_metadata` (`input_source_id`);--> statement-breakpoint
CREATE TABLE `upload_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`recording_id` integer,
	`display_name` text NOT NULL,
	`filename` text,
	`content_type` text NOT NULL,
	`object_key` text NOT NULL,
	`r2_upload_id` text NOT NULL,
	`total_size` integer NOT NULL,
	`part_size` integer NOT NULL,
	`parts` text NOT NULL,
	`status` text DEFAULT 'uploading' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recording_id`) REFERENCES `recordings`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `upload_sessions_user_status_idx` ON `upload_sessions` (`user_id`,`status`);--> statement-breakpoint
CREATE INDEX `upload_sessions_updated_idx` ON `upload_sessions` (`status`,`updated_at`);