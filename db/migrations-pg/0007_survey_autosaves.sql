CREATE TABLE "survey_autosaves" (
	"survey_id" integer PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"definition" text NOT NULL,
	"saved_by" integer,
	"saved_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "survey_autosaves" ADD CONSTRAINT "survey_autosaves_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_autosaves" ADD CONSTRAINT "survey_autosaves_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_autosaves" ADD CONSTRAINT "survey_autosaves_saved_by_users_id_fk" FOREIGN KEY ("saved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;