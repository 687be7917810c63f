CREATE TABLE `pipeline_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`recording_id` integer NOT NULL,
	`status` text DEFAULT 'QUEUED' NOT NULL,
	`trigger` text NOT NULL,
	`stages` text NOT NULL,
	`plan` text NOT NULL,
	`current_stage` text,
	`overrides` text,
	`error` text,
	`pause_requested_at` integer,
	`cancel_requested_at` integer,
	`started_at` integer,
	`finished_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recording_id`) REFERENCES `recordings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pipeline_runs_one_active_uq` ON `pipeline_runs` (`recording_id`) WHERE status IN ('QUEUED', 'RUNNING', 'PAUSED');--> statement-breakpoint
CREATE INDEX `pipeline_runs_recording_idx` ON `pipeline_runs` (`recording_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `pipeline_runs_user_status_idx` ON `pipeline_runs` (`user_id`,`status`,`created_at`);--> statement-breakpoint
ALTER TABLE `processing_stages` ADD `run_id` text;