CREATE TABLE `output_presets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`platform` text NOT NULL,
	`credential_id` integer,
	`preset_metadata` text NOT NULL,
	`is_active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`credential_id`) REFERENCES `user_credentials`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `output_presets_user_name_uq` ON `output_presets` (`user_id`,`name`);--> statement-breakpoint
CREATE INDEX `output_presets_user_platform_idx` ON `output_presets` (`user_id`,`platform`,`is_active`);