CREATE TABLE `targets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`unit` text NOT NULL,
	`unit_key` text NOT NULL,
	`metric` text NOT NULL,
	`value` real NOT NULL,
	`from_day` text,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `targets_ws_unit` ON `targets` (`workspace_id`,`unit`,`unit_key`);--> statement-breakpoint
CREATE TABLE `deployment_sms_texts` (
	`deployment_id` integer PRIMARY KEY NOT NULL,
	`workspace_id` integer NOT NULL,
	`text_es` text DEFAULT '' NOT NULL,
	`text_en` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`deployment_id`) REFERENCES `deployments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sms_settings` (
	`workspace_id` integer PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`auth_header_name` text DEFAULT '' NOT NULL,
	`auth_header_sealed` text,
	`auth_header_env` text DEFAULT '' NOT NULL,
	`body_template` text NOT NULL,
	`sender_id` text DEFAULT '' NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `deployment_mail` (
	`deployment_id` integer PRIMARY KEY NOT NULL,
	`workspace_id` integer NOT NULL,
	`templates` text,
	`reminders` integer DEFAULT 2 NOT NULL,
	`reminder_days` integer DEFAULT 3 NOT NULL,
	`window_start` integer DEFAULT 540 NOT NULL,
	`window_end` integer DEFAULT 1200 NOT NULL,
	FOREIGN KEY (`deployment_id`) REFERENCES `deployments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `invitation_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`invitation_id` integer NOT NULL,
	`kind` text NOT NULL,
	`seq` integer DEFAULT 0 NOT NULL,
	`detail` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invitation_id`) REFERENCES `invitations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitation_events_once` ON `invitation_events` (`invitation_id`,`kind`,`seq`);--> statement-breakpoint
CREATE TABLE `invitation_sends` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`invitation_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`channel` text DEFAULT 'email' NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`due_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	`recipient` text,
	`response` text,
	`message_id` text,
	`sent_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`invitation_id`) REFERENCES `invitations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitation_sends_seq` ON `invitation_sends` (`invitation_id`,`seq`);--> statement-breakpoint
CREATE INDEX `invitation_sends_due` ON `invitation_sends` (`workspace_id`,`state`,`due_at`);--> statement-breakpoint
CREATE TABLE `mail_bounces` (
	`workspace_id` integer NOT NULL,
	`address` text NOT NULL,
	`response` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `address`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `mail_opt_outs` (
	`customer_id` integer PRIMARY KEY NOT NULL,
	`workspace_id` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `mail_settings` (
	`workspace_id` integer PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`port` integer NOT NULL,
	`tls_mode` text NOT NULL,
	`username` text DEFAULT '' NOT NULL,
	`password_sealed` text,
	`password_env` text DEFAULT '' NOT NULL,
	`from_name` text NOT NULL,
	`from_address` text NOT NULL,
	`link_origin` text DEFAULT '' NOT NULL,
	`rate_per_minute` integer DEFAULT 60 NOT NULL,
	`time_zone` text DEFAULT 'Europe/Madrid' NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `users` ADD `time_zone` text;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `currency` text DEFAULT 'EUR' NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `brand_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `journeys` ADD `name_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `processes` ADD `name_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `stages` ADD `name_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `touchpoints` ADD `name_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `surveys` ADD `title_en` text DEFAULT '' NOT NULL;