-- GET /recordings?search=: the ids the tenant's index matched are counted by seeking (user_id, deleted,
-- blank_record, id) instead of reading every matched row (bench:list, "search: count of those ids").
CREATE INDEX `recordings_visible_id_idx` ON `recordings` (`user_id`,`deleted`,`blank_record`,`id`);