-- Issue 15 (part 4): e-mail verification, password reset and the e-mail delivery queue.

-- When the current address was verified (is_verified stays LEAP's flag and mirrors it); an address
-- the user asked to move to, which takes effect only once a link sent to it is followed; and the
-- language of the user's e-mails.
ALTER TABLE `users` ADD `email_verified_at` integer;
--> statement-breakpoint
ALTER TABLE `users` ADD `pending_email` text;
--> statement-breakpoint
ALTER TABLE `users` ADD `locale` text DEFAULT 'en' NOT NULL CHECK (`locale` IN ('en', 'ru'));
--> statement-breakpoint
-- Single-use e-mailed tokens; only their SHA-256 is stored. `email` is the address the token
-- proves control of: the current one, or the pending one of an e-mail change.
CREATE TABLE `email_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL REFERENCES `users`(`id`) ON DELETE cascade,
	`purpose` text NOT NULL CHECK (`purpose` IN ('verify_email', 'password_reset')),
	`email` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`consumed_at` integer
);
--> statement-breakpoint
CREATE INDEX `email_tokens_user_purpose_idx` ON `email_tokens` (`user_id`, `purpose`);
--> statement-breakpoint
CREATE INDEX `email_tokens_expires_at_idx` ON `email_tokens` (`expires_at`);
--> statement-breakpoint
-- Every outgoing e-mail, kept until a transport accepted it. The content is sealed (AES-GCM,
-- ENCRYPTION_KEYS) because it carries single-use links, and dropped once sent or given up.
CREATE TABLE `email_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text REFERENCES `users`(`id`) ON DELETE cascade,
	`kind` text NOT NULL,
	`to_address` text NOT NULL,
	`sealed_content` text,
	`status` text DEFAULT 'pending' NOT NULL CHECK (`status` IN ('pending', 'sent', 'failed')),
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`transport` text,
	`provider_message_id` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `email_messages_due_idx` ON `email_messages` (`status`, `next_attempt_at`);
--> statement-breakpoint
CREATE INDEX `email_messages_user_id_idx` ON `email_messages` (`user_id`);
