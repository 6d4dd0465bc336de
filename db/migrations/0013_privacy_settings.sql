CREATE TABLE "privacy_settings" (
	"group_id" integer PRIMARY KEY NOT NULL,
	"left_retention_months" integer DEFAULT 12 NOT NULL,
	"audit_retention_years" integer DEFAULT 6 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "privacy_settings" ADD CONSTRAINT "privacy_settings_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;