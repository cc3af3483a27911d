CREATE TABLE `act_settings` (
	`workspace_id` integer PRIMARY KEY NOT NULL,
	`case_rules` text NOT NULL,
	`sla` text NOT NULL,
	`updated_by` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `case_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`case_id` integer NOT NULL,
	`kind` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`from_user_id` integer,
	`to_user_id` integer,
	`note` text,
	`by_user_id` integer,
	`at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`to_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `case_events_case` ON `case_events` (`case_id`,`at`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`response_id` integer,
	`customer_id` integer,
	`touchpoint_id` integer,
	`tier` text DEFAULT '' NOT NULL,
	`reasons` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`assignee_id` integer,
	`opened_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`first_action_at` integer,
	`resolved_at` integer,
	`closed_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`response_id`) REFERENCES `responses`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`touchpoint_id`) REFERENCES `touchpoints`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_response_id_unique` ON `cases` (`response_id`);--> statement-breakpoint
CREATE INDEX `cases_ws_status_due` ON `cases` (`workspace_id`,`status`,`due_at`);--> statement-breakpoint
CREATE INDEX `cases_ws_opened` ON `cases` (`workspace_id`,`opened_at`);--> statement-breakpoint
CREATE INDEX `cases_ws_customer` ON `cases` (`workspace_id`,`customer_id`);--> statement-breakpoint
CREATE INDEX `cases_ws_touchpoint` ON `cases` (`workspace_id`,`touchpoint_id`);--> statement-breakpoint
CREATE TABLE `clienting_pulses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`title` text NOT NULL,
	`definition` text NOT NULL,
	`public_token` text NOT NULL,
	`opens_on` text NOT NULL,
	`closes_on` text,
	`active` integer DEFAULT true NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clienting_pulses_public_token_unique` ON `clienting_pulses` (`public_token`);--> statement-breakpoint
CREATE INDEX `clienting_pulses_ws` ON `clienting_pulses` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `clienting_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`pulse_id` integer NOT NULL,
	`respondent_group` text NOT NULL,
	`department_id` integer,
	`department` text,
	`role_level` text,
	`knows` integer,
	`applies` integer,
	`supported` integer,
	`data` text NOT NULL,
	`submission` text,
	`completed_on` text NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`pulse_id`) REFERENCES `clienting_pulses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `clienting_responses_pulse` ON `clienting_responses` (`pulse_id`);--> statement-breakpoint
CREATE INDEX `clienting_responses_ws_day` ON `clienting_responses` (`workspace_id`,`completed_on`);--> statement-breakpoint
CREATE UNIQUE INDEX `clienting_responses_submission` ON `clienting_responses` (`pulse_id`,`submission`);--> statement-breakpoint
CREATE TABLE `department_processes` (
	`workspace_id` integer NOT NULL,
	`department_id` integer NOT NULL,
	`process_id` integer NOT NULL,
	PRIMARY KEY(`department_id`, `process_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`process_id`) REFERENCES `processes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `department_processes_process` ON `department_processes` (`workspace_id`,`process_id`);--> statement-breakpoint
CREATE TABLE `departments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`name` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `departments_ws_name` ON `departments` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `innovation_touchpoints` (
	`workspace_id` integer NOT NULL,
	`innovation_id` integer NOT NULL,
	`touchpoint_id` integer NOT NULL,
	PRIMARY KEY(`innovation_id`, `touchpoint_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`innovation_id`) REFERENCES `innovations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`touchpoint_id`) REFERENCES `touchpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `innovation_touchpoints_tp` ON `innovation_touchpoints` (`workspace_id`,`touchpoint_id`);--> statement-breakpoint
CREATE TABLE `innovations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`title` text NOT NULL,
	`changed_on` text NOT NULL,
	`what_changed` text NOT NULL,
	`hypothesis` text NOT NULL,
	`owner` text NOT NULL,
	`window_days` integer DEFAULT 28 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `innovations_ws_changed` ON `innovations` (`workspace_id`,`changed_on`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`endpoint_id` integer NOT NULL,
	`event_type` text NOT NULL,
	`msg_id` text NOT NULL,
	`payload` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`lease_until` integer,
	`last_attempt_at` integer,
	`response_code` integer,
	`error` text,
	`duration_ms` integer,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_msg_id_unique` ON `webhook_deliveries` (`msg_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_ws_created` ON `webhook_deliveries` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` integer NOT NULL,
	`url` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`secret` text NOT NULL,
	`events` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_ws` ON `webhook_endpoints` (`workspace_id`);