CREATE TABLE `recording_shares` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`recording_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`allow_download` integer DEFAULT false NOT NULL,
	`password_hash` text,
	`expires_at` integer,
	`revoked_at` integer,
	`view_count` integer DEFAULT 0 NOT NULL,
	`last_viewed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recording_id`) REFERENCES `recordings`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recording_shares_token_hash_uq` ON `recording_shares` (`token_hash`);--> statement-breakpoint
CREATE INDEX `recording_shares_user_recording_idx` ON `recording_shares` (`user_id`,`recording_id`);--> statement-breakpoint
CREATE INDEX `recording_shares_recording_idx` ON `recording_shares` (`recording_id`);
