CREATE TABLE `survey_autosaves` (
	`survey_id` integer PRIMARY KEY NOT NULL,
	`workspace_id` integer NOT NULL,
	`definition` text NOT NULL,
	`saved_by` integer,
	`saved_at` integer NOT NULL,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`saved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
