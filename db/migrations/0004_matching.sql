CREATE TABLE "buddy_assignments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "buddy_assignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"group_id" integer NOT NULL,
	"newcomer_id" integer NOT NULL,
	"buddy_id" integer NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "buddy_avoids" (
	"group_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"avoid_member_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "buddy_avoids_group_id_member_id_avoid_member_id_pk" PRIMARY KEY("group_id","member_id","avoid_member_id")
);
--> statement-breakpoint
CREATE TABLE "buddy_settings" (
	"group_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"opted_in" boolean DEFAULT false NOT NULL,
	"paused_until" timestamp with time zone,
	"wants_buddy" boolean DEFAULT false NOT NULL,
	"capacity" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "buddy_settings_group_id_member_id_pk" PRIMARY KEY("group_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "match_follow_ups" (
	"match_group_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"answer" text NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "match_follow_ups_match_group_id_member_id_pk" PRIMARY KEY("match_group_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "match_groups" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "match_groups_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"round_id" integer NOT NULL,
	"member_ids" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_rounds" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "match_rounds_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"group_id" integer NOT NULL,
	"number" integer NOT NULL,
	"ran_at" timestamp with time zone NOT NULL,
	"unmatched_count" integer DEFAULT 0 NOT NULL,
	"repeats" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_rules" (
	"group_id" integer NOT NULL,
	"kind" text NOT NULL,
	"member_a" integer NOT NULL,
	"member_b" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "match_rules_group_id_member_a_member_b_pk" PRIMARY KEY("group_id","member_a","member_b")
);
--> statement-breakpoint
ALTER TABLE "buddy_assignments" ADD CONSTRAINT "buddy_assignments_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_assignments" ADD CONSTRAINT "buddy_assignments_newcomer_id_members_id_fk" FOREIGN KEY ("newcomer_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_assignments" ADD CONSTRAINT "buddy_assignments_buddy_id_members_id_fk" FOREIGN KEY ("buddy_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_avoids" ADD CONSTRAINT "buddy_avoids_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_avoids" ADD CONSTRAINT "buddy_avoids_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_avoids" ADD CONSTRAINT "buddy_avoids_avoid_member_id_members_id_fk" FOREIGN KEY ("avoid_member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_settings" ADD CONSTRAINT "buddy_settings_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_settings" ADD CONSTRAINT "buddy_settings_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_follow_ups" ADD CONSTRAINT "match_follow_ups_match_group_id_match_groups_id_fk" FOREIGN KEY ("match_group_id") REFERENCES "public"."match_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_follow_ups" ADD CONSTRAINT "match_follow_ups_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_groups" ADD CONSTRAINT "match_groups_round_id_match_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."match_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_rounds" ADD CONSTRAINT "match_rounds_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_rules" ADD CONSTRAINT "match_rules_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_rules" ADD CONSTRAINT "match_rules_member_a_members_id_fk" FOREIGN KEY ("member_a") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_rules" ADD CONSTRAINT "match_rules_member_b_members_id_fk" FOREIGN KEY ("member_b") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "buddy_assignments_buddy_idx" ON "buddy_assignments" USING btree ("group_id","buddy_id");--> statement-breakpoint
CREATE UNIQUE INDEX "buddy_assignments_newcomer_uq" ON "buddy_assignments" USING btree ("group_id","newcomer_id");--> statement-breakpoint
CREATE INDEX "match_groups_round_idx" ON "match_groups" USING btree ("round_id");--> statement-breakpoint
CREATE UNIQUE INDEX "match_rounds_group_number_uq" ON "match_rounds" USING btree ("group_id","number");