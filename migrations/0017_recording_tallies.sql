-- GET /recordings' total without counting rows: see recordingTallies in src/db/schema/recordings.ts.
CREATE TABLE `recording_tallies` (
	`user_id` text NOT NULL,
	`deleted` integer NOT NULL,
	`blank_record` integer NOT NULL,
	`status` text NOT NULL,
	`failed` integer NOT NULL,
	`is_mapped` integer NOT NULL,
	`template_id` integer NOT NULL,
	`input_source_id` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`user_id`, `deleted`, `blank_record`, `status`, `failed`, `is_mapped`, `template_id`, `input_source_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);--> statement-breakpoint
-- Kept by the database itself, whichever code path writes `recordings` (foreign-key actions such as a
-- deleted template's SET NULL fire these triggers too). An emptied combination is removed, so a
-- tenant has at most one row per combination that exists among its recordings.
CREATE TRIGGER `recording_tallies_after_insert` AFTER INSERT ON `recordings` BEGIN
  INSERT INTO `recording_tallies` (`user_id`, `deleted`, `blank_record`, `status`, `failed`, `is_mapped`, `template_id`, `input_source_id`, `n`) VALUES (NEW.user_id, NEW.deleted, NEW.blank_record, NEW.status, NEW.failed, NEW.is_mapped, coalesce(NEW.template_id, 0), coalesce(NEW.input_source_id, 0), 1)
    ON CONFLICT (`user_id`, `deleted`, `blank_record`, `status`, `failed`, `is_mapped`, `template_id`, `input_source_id`) DO UPDATE SET `n` = `recording_tallies`.`n` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `recording_tallies_after_delete` AFTER DELETE ON `recordings` BEGIN
  UPDATE `recording_tallies` SET `n` = `n` - 1 WHERE user_id = OLD.user_id AND deleted = OLD.deleted AND blank_record = OLD.blank_record AND status = OLD.status AND failed = OLD.failed AND is_mapped = OLD.is_mapped AND template_id = coalesce(OLD.template_id, 0) AND input_source_id = coalesce(OLD.input_source_id, 0);
  DELETE FROM `recording_tallies` WHERE user_id = OLD.user_id AND deleted = OLD.deleted AND blank_record = OLD.blank_record AND status = OLD.status AND failed = OLD.failed AND is_mapped = OLD.is_mapped AND template_id = coalesce(OLD.template_id, 0) AND input_source_id = coalesce(OLD.input_source_id, 0) AND `n` <= 0;
END;--> statement-breakpoint
CREATE TRIGGER `recording_tallies_after_update` AFTER UPDATE OF user_id, deleted, blank_record, status, failed, is_mapped, template_id, input_source_id ON `recordings`
WHEN OLD.user_id IS NOT NEW.user_id OR OLD.deleted IS NOT NEW.deleted OR OLD.blank_record IS NOT NEW.blank_record OR OLD.status IS NOT NEW.status OR OLD.failed IS NOT NEW.failed OR OLD.is_mapped IS NOT NEW.is_mapped OR OLD.template_id IS NOT NEW.template_id OR OLD.input_source_id IS NOT NEW.input_source_id BEGIN
  UPDATE `recording_tallies` SET `n` = `n` - 1 WHERE user_id = OLD.user_id AND deleted = OLD.deleted AND blank_record = OLD.blank_record AND status = OLD.status AND failed = OLD.failed AND is_mapped = OLD.is_mapped AND template_id = coalesce(OLD.template_id, 0) AND input_source_id = coalesce(OLD.input_source_id, 0);
  DELETE FROM `recording_tallies` WHERE user_id = OLD.user_id AND deleted = OLD.deleted AND blank_record = OLD.blank_record AND status = OLD.status AND failed = OLD.failed AND is_mapped = OLD.is_mapped AND template_id = coalesce(OLD.template_id, 0) AND input_source_id = coalesce(OLD.input_source_id, 0) AND `n` <= 0;
  INSERT INTO `recording_tallies` (`user_id`, `deleted`, `blank_record`, `status`, `failed`, `is_mapped`, `template_id`, `input_source_id`, `n`) VALUES (NEW.user_id, NEW.deleted, NEW.blank_record, NEW.status, NEW.failed, NEW.is_mapped, coalesce(NEW.template_id, 0), coalesce(NEW.input_source_id, 0), 1)
    ON CONFLICT (`user_id`, `deleted`, `blank_record`, `status`, `failed`, `is_mapped`, `template_id`, `input_source_id`) DO UPDATE SET `n` = `recording_tallies`.`n` + 1;
END;--> statement-breakpoint
INSERT INTO `recording_tallies` (`user_id`, `deleted`, `blank_record`, `status`, `failed`, `is_mapped`, `template_id`, `input_source_id`, `n`)
  SELECT `user_id`, `deleted`, `blank_record`, `status`, `failed`, `is_mapped`, coalesce(`template_id`, 0), coalesce(`input_source_id`, 0), count(*)
  FROM `recordings` GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
