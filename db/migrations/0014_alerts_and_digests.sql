CREATE TABLE `alert_occurrences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`rule_id` integer NOT NULL,
	`occurrence_key` text NOT NULL,
	`detail` text NOT NULL,
	`evidence_path` text NOT NULL,
	`found_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`rule_id`) REFERENCES `alert_rules`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_occurrences_rule_key` ON `alert_occurrences` (`rule_id`,`occurrence_key`);--> statement-breakpoint
CREATE INDEX `alert_occurrences_ws_found` ON `alert_occurrences` (`workspace_id`,`found_at`);--> statement-breakpoint
CREATE TABLE `alert_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`scope` text,
	`scope_key` text,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `alert_rules_ws` ON `alert_rules` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `alert_subscriptions` (
	`rule_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`workspace_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`rule_id`, `user_id`),
	FOREIGN KEY (`rule_id`) REFERENCES `alert_rules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `alert_subscriptions_user` ON `alert_subscriptions` (`workspace_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `digest_sends` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`frequency` text NOT NULL,
	`period` text NOT NULL,
	`sent_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digest_sends_period` ON `digest_sends` (`workspace_id`,`user_id`,`frequency`,`period`);--> statement-breakpoint
CREATE TABLE `digest_subscriptions` (
	`workspace_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`frequency` text NOT NULL,
	`journeys` text NOT NULL,
	`since` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `user_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`occurrence_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	`mail_state` text DEFAULT 'pending' NOT NULL,
	`mail_error` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`occurrence_id`) REFERENCES `alert_occurrences`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_occurrence_user` ON `notifications` (`occurrence_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `notifications_user_read` ON `notifications` (`workspace_id`,`user_id`,`read_at`);--> statement-breakpoint
CREATE INDEX `notifications_mail` ON `notifications` (`workspace_id`,`mail_state`);--> statement-breakpoint
ALTER TABLE `users` ADD `lang` text;