ALTER TABLE `recordings` ADD `skip_reason` text;--> statement-breakpoint
ALTER TABLE `recordings` ADD `auto_started_at` integer;--> statement-breakpoint
ALTER TABLE `recording_files` ADD `webhook_download_url` text;--> statement-breakpoint
ALTER TABLE `recording_files` ADD `webhook_event_id` text;--> statement-breakpoint
-- URLs that came with a webhook (its token is the one paired with them) move to the webhook pair;
-- the API's URL is fetched afresh at download time, so nothing is lost.
UPDATE `recording_files` SET `webhook_download_url` = `download_url`, `download_url` = NULL,
  `webhook_event_id` = (SELECT json_extract(m.`metadata`, '$.webhook_event_id') FROM `source_metadata` m WHERE m.`recording_id` = `recording_files`.`recording_id` AND m.`user_id` = `recording_files`.`user_id`)
  WHERE `download_url` LIKE '%/rec/webhook_download/%';--> statement-breakpoint
-- Recordings skipped before the reason was stored get the blank/unmapped reason they can still tell.
UPDATE `recordings` SET `skip_reason` = CASE WHEN `failed_reason` LIKE 'Zoom recording % before it was copied' THEN `failed_reason`
  WHEN `blank_record` = 1 THEN 'Too short or too small to be a lecture' ELSE 'No template matches this recording' END
  WHERE `status` = 'SKIPPED';
