-- GET /recordings: one composite index per filter, led by the visibility scope every list carries
-- (user_id, deleted = 0, blank_record = 0), then the filter column, then the default order
-- (start_time): a filtered page is read in order from the index (no temp B-tree sort) and its
-- count never touches table rows. `failed` serves the FAILED pseudo-status (an OR with status:
-- SQLite answers it with a MULTI-INDEX OR over the two).
CREATE INDEX `recordings_visible_status_start_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`status`,`start_time`);--> statement-breakpoint
CREATE INDEX `recordings_visible_failed_start_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`failed`,`start_time`);--> statement-breakpoint
CREATE INDEX `recordings_visible_template_start_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`template_id`,`start_time`);--> statement-breakpoint
CREATE INDEX `recordings_visible_source_start_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`input_source_id`,`start_time`);--> statement-breakpoint
CREATE INDEX `recordings_visible_mapped_start_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`is_mapped`,`start_time`);--> statement-breakpoint
CREATE INDEX `recordings_visible_mapped_created_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`is_mapped`,`created_at`);--> statement-breakpoint
-- The other sort orders of the unfiltered list.
CREATE INDEX `recordings_visible_updated_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`updated_at`);--> statement-breakpoint
CREATE INDEX `recordings_visible_name_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`search_name`);--> statement-breakpoint
CREATE INDEX `recordings_visible_duration_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`duration`);
