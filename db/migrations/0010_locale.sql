ALTER TABLE `users` ADD `time_zone` text;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `currency` text DEFAULT 'EUR' NOT NULL;