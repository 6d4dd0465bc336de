CREATE TABLE "match_schedules" (
	"group_id" integer PRIMARY KEY NOT NULL,
	"interval_weeks" integer,
	"weekday" integer NOT NULL,
	"local_time" text NOT NULL,
	"anchor" timestamp with time zone NOT NULL,
	"group_size" integer DEFAULT 2 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "match_rounds" ADD COLUMN "repeats_avoided" integer;--> statement-breakpoint
ALTER TABLE "match_rounds" ADD COLUMN "group_size" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "match_schedules" ADD CONSTRAINT "match_schedules_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;