ALTER TABLE `recordings` ADD `transcript_object_key` text;--> statement-breakpoint
ALTER TABLE `recordings` ADD `transcript_info` text;--> statement-breakpoint
ALTER TABLE `recordings` ADD `main_topics` text;--> statement-breakpoint
ALTER TABLE `recordings` ADD `topic_timestamps` text;--> statement-breakpoint
ALTER TABLE `recordings` ADD `topics_summary` text;--> statement-breakpoint
ALTER TABLE `recordings` ADD `subtitles_info` text;--> statement-breakpoint
ALTER TABLE `recordings` ADD `trim_info` text;