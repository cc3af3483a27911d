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
ALTER TABLE `workspaces` ADD `brand_name` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `journeys` ADD `name_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `processes` ADD `name_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `stages` ADD `name_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `touchpoints` ADD `name_en` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `surveys` ADD `title_en` text DEFAULT '' NOT NULL;