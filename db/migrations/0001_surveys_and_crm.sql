CREATE TABLE `crm_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`dedupe_key` text NOT NULL,
	`external_id` text,
	`type` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`amount` real,
	`currency` text,
	`channel` text,
	`touchpoint_key` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `crm_events_ws_dedupe` ON `crm_events` (`workspace_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `crm_events_customer_time` ON `crm_events` (`customer_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `crm_events_ws_type_time` ON `crm_events` (`workspace_id`,`type`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `customer_tiers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`tier` text NOT NULL,
	`score` real,
	`computed_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `customer_tiers_customer` ON `customer_tiers` (`customer_id`,`computed_at`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`external_id` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`email` text,
	`phone` text,
	`language` text,
	`notes` text,
	`customer_since` integer,
	`tier` text,
	`tier_score` real,
	`rfm_r` integer,
	`rfm_f` integer,
	`rfm_m` integer,
	`rfm_segment` text,
	`monetary` real,
	`frequency` integer,
	`last_purchase_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_ws_external` ON `customers` (`workspace_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `customers_ws_tier` ON `customers` (`workspace_id`,`tier`);--> statement-breakpoint
CREATE INDEX `customers_ws_monetary` ON `customers` (`workspace_id`,`monetary`);--> statement-breakpoint
CREATE TABLE `segmentation_settings` (
	`workspace_id` integer PRIMARY KEY NOT NULL,
	`settings` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `deployment_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`deployment_id` integer NOT NULL,
	`event_type` text NOT NULL,
	`touchpoint_key` text,
	`delay_minutes` integer DEFAULT 0 NOT NULL,
	`sampling_rate` real DEFAULT 1 NOT NULL,
	`quiet_period_days` integer DEFAULT 30 NOT NULL,
	`expiry_hours` integer DEFAULT 168 NOT NULL,
	`cap_max` integer,
	`cap_period_days` integer,
	`active` integer DEFAULT true NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`deployment_id`) REFERENCES `deployments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deployment_rules_ws_type` ON `deployment_rules` (`workspace_id`,`event_type`);--> statement-breakpoint
CREATE TABLE `deployments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`survey_id` integer NOT NULL,
	`touchpoint_id` integer NOT NULL,
	`name` text NOT NULL,
	`public_token` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`touchpoint_id`) REFERENCES `touchpoints`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deployments_public_token_unique` ON `deployments` (`public_token`);--> statement-breakpoint
CREATE INDEX `deployments_ws` ON `deployments` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `invitations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`deployment_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`token` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`rule_id` integer,
	`event_id` integer,
	`send_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`opened_at` integer,
	`completed_at` integer,
	`emailed_at` integer,
	`progress` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`deployment_id`) REFERENCES `deployments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`rule_id`) REFERENCES `deployment_rules`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`event_id`) REFERENCES `crm_events`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_token_unique` ON `invitations` (`token`);--> statement-breakpoint
CREATE INDEX `invitations_ws_state` ON `invitations` (`workspace_id`,`state`);--> statement-breakpoint
CREATE INDEX `invitations_customer` ON `invitations` (`workspace_id`,`customer_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `invitations_rule` ON `invitations` (`rule_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_event_customer` ON `invitations` (`event_id`,`customer_id`);--> statement-breakpoint
CREATE TABLE `measurements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`response_id` integer NOT NULL,
	`touchpoint_id` integer NOT NULL,
	`attribute_key` text NOT NULL,
	`kind` text NOT NULL,
	`value` real NOT NULL,
	FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `measurements_response` ON `measurements` (`response_id`);--> statement-breakpoint
CREATE INDEX `measurements_ws_tp_kind` ON `measurements` (`workspace_id`,`touchpoint_id`,`kind`);--> statement-breakpoint
CREATE TABLE `responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`survey_version_id` integer NOT NULL,
	`touchpoint_id` integer NOT NULL,
	`deployment_id` integer,
	`invitation_id` integer,
	`customer_id` integer,
	`tier` text DEFAULT '' NOT NULL,
	`lang` text NOT NULL,
	`source` text NOT NULL,
	`data` text NOT NULL,
	`comment` text,
	`started_at` integer,
	`completed_at` integer NOT NULL,
	`idempotency_key` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`survey_version_id`) REFERENCES `survey_versions`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`touchpoint_id`) REFERENCES `touchpoints`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`deployment_id`) REFERENCES `deployments`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`invitation_id`) REFERENCES `invitations`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `responses_invitation_id_unique` ON `responses` (`invitation_id`);--> statement-breakpoint
CREATE INDEX `responses_ws_tp_completed` ON `responses` (`workspace_id`,`touchpoint_id`,`completed_at`);--> statement-breakpoint
CREATE INDEX `responses_customer` ON `responses` (`customer_id`,`completed_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `responses_ws_idempotency` ON `responses` (`workspace_id`,`idempotency_key`);--> statement-breakpoint
CREATE TABLE `rollups` (
	`workspace_id` integer NOT NULL,
	`touchpoint_id` integer NOT NULL,
	`attribute_key` text NOT NULL,
	`kind` text NOT NULL,
	`day` text NOT NULL,
	`tier` text NOT NULL,
	`lang` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	`sum` real DEFAULT 0 NOT NULL,
	`sum_sq` real DEFAULT 0 NOT NULL,
	`sum_p` real DEFAULT 0 NOT NULL,
	`sum_e` real DEFAULT 0 NOT NULL,
	`sum_y` real DEFAULT 0 NOT NULL,
	`sum_y_sq` real DEFAULT 0 NOT NULL,
	`sum_xy` real DEFAULT 0 NOT NULL,
	`promoters` integer DEFAULT 0 NOT NULL,
	`passives` integer DEFAULT 0 NOT NULL,
	`detractors` integer DEFAULT 0 NOT NULL,
	`top2` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace_id`, `touchpoint_id`, `attribute_key`, `kind`, `day`, `tier`, `lang`)
);
--> statement-breakpoint
CREATE INDEX `rollups_ws_kind_day` ON `rollups` (`workspace_id`,`kind`,`day`);--> statement-breakpoint
CREATE TABLE `survey_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`survey_id` integer NOT NULL,
	`version` integer NOT NULL,
	`definition` text NOT NULL,
	`status` text NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`published_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`survey_id`) REFERENCES `surveys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_versions_survey_version` ON `survey_versions` (`survey_id`,`version`);--> statement-breakpoint
CREATE TABLE `surveys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`touchpoint_id` integer NOT NULL,
	`title` text NOT NULL,
	`template` text NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`archived_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`touchpoint_id`) REFERENCES `touchpoints`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `surveys_ws_tp` ON `surveys` (`workspace_id`,`touchpoint_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_touchpoints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`journey_id` integer NOT NULL,
	`stage_id` integer NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`channel` text NOT NULL,
	`interaction` text NOT NULL,
	`process_id` integer,
	`side` text NOT NULL,
	`moment_of_truth` integer DEFAULT false NOT NULL,
	`moment_of_truth_reason` text DEFAULT '' NOT NULL,
	`modules` text NOT NULL,
	`target_duration_minutes` real,
	`position` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`journey_id`) REFERENCES `journeys`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`stage_id`) REFERENCES `stages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`process_id`) REFERENCES `processes`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_touchpoints`("id", "workspace_id", "journey_id", "stage_id", "key", "name", "channel", "interaction", "process_id", "side", "moment_of_truth", "moment_of_truth_reason", "modules", "target_duration_minutes", "position") SELECT "id", "workspace_id", "journey_id", "stage_id", "key", "name", "channel", "interaction", "process_id", "side", "moment_of_truth", "moment_of_truth_reason", "modules", "target_duration_minutes", "position" FROM `touchpoints`;--> statement-breakpoint
DROP TABLE `touchpoints`;--> statement-breakpoint
ALTER TABLE `__new_touchpoints` RENAME TO `touchpoints`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `touchpoints_ws_key` ON `touchpoints` (`workspace_id`,`key`);--> statement-breakpoint
CREATE INDEX `touchpoints_stage` ON `touchpoints` (`stage_id`,`position`);--> statement-breakpoint
CREATE INDEX `touchpoints_process` ON `touchpoints` (`process_id`);