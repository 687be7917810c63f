CREATE TABLE `recording_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`recording_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`zoom_file_id` text NOT NULL,
	`file_type` text NOT NULL,
	`recording_type` text,
	`file_size` integer,
	`status` text,
	`download_url` text,
	`recording_start` integer,
	`recording_end` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`recording_id`) REFERENCES `recordings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recording_files_recording_file_uq` ON `recording_files` (`recording_id`,`zoom_file_id`);--> statement-breakpoint
CREATE INDEX `recording_files_user_idx` ON `recording_files` (`user_id`);--> statement-breakpoint
CREATE TABLE `zoom_webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`source_id` integer,
	`event` text NOT NULL,
	`business_key` text NOT NULL,
	`meeting_uuid` text,
	`event_ts` integer,
	`body_key` text NOT NULL,
	`status` text DEFAULT 'received' NOT NULL,
	`error` text,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_id`) REFERENCES `input_sources`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `zoom_webhook_events_user_key_uq` ON `zoom_webhook_events` (`user_id`,`business_key`);--> statement-breakpoint
CREATE INDEX `zoom_webhook_events_status_idx` ON `zoom_webhook_events` (`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `zoom_webhook_events_source_idx` ON `zoom_webhook_events` (`source_id`);