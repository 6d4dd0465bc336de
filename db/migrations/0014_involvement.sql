CREATE TABLE "feedback_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "feedback_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"group_id" integer NOT NULL,
	"source" text NOT NULL,
	"source_key" text,
	"text" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"outcome_text" text,
	"created_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" integer
);
--> statement-breakpoint
CREATE TABLE "feedback_raisers" (
	"feedback_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	CONSTRAINT "feedback_raisers_feedback_id_member_id_pk" PRIMARY KEY("feedback_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "involvement_pay_choices" (
	"group_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"choice" text NOT NULL,
	"percent" integer,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "involvement_pay_choices_group_id_member_id_pk" PRIMARY KEY("group_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "involvement_rates" (
	"group_id" integer NOT NULL,
	"type_key" text NOT NULL,
	"per_hour_minor" bigint NOT NULL,
	"currency" text DEFAULT 'GBP' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "involvement_rates_group_id_type_key_pk" PRIMARY KEY("group_id","type_key")
);
--> statement-breakpoint
CREATE TABLE "involvement_records" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "involvement_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"group_id" integer NOT NULL,
	"member_id" integer,
	"logged_by" integer,
	"kind" text NOT NULL,
	"type_key" text NOT NULL,
	"minutes" integer,
	"description" text NOT NULL,
	"receipt" text,
	"occurred_on" date NOT NULL,
	"roles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rate_minor" bigint,
	"amount_minor" bigint DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'GBP' NOT NULL,
	"pay_choice" text DEFAULT 'full' NOT NULL,
	"pay_percent" integer,
	"status" text NOT NULL,
	"source_key" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"approved_at" timestamp with time zone,
	"approved_by" integer,
	"paid_at" timestamp with time zone,
	"paid_by" integer
);
--> statement-breakpoint
CREATE TABLE "involvement_types" (
	"group_id" integer NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "involvement_types_group_id_key_pk" PRIMARY KEY("group_id","key")
);
--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_items" ADD CONSTRAINT "feedback_items_closed_by_members_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_raisers" ADD CONSTRAINT "feedback_raisers_feedback_id_feedback_items_id_fk" FOREIGN KEY ("feedback_id") REFERENCES "public"."feedback_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_raisers" ADD CONSTRAINT "feedback_raisers_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_pay_choices" ADD CONSTRAINT "involvement_pay_choices_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_pay_choices" ADD CONSTRAINT "involvement_pay_choices_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_rates" ADD CONSTRAINT "involvement_rates_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_records" ADD CONSTRAINT "involvement_records_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_records" ADD CONSTRAINT "involvement_records_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_records" ADD CONSTRAINT "involvement_records_logged_by_members_id_fk" FOREIGN KEY ("logged_by") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_records" ADD CONSTRAINT "involvement_records_approved_by_members_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_records" ADD CONSTRAINT "involvement_records_paid_by_members_id_fk" FOREIGN KEY ("paid_by") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "involvement_types" ADD CONSTRAINT "involvement_types_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feedback_items_group_idx" ON "feedback_items" USING btree ("group_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_items_source_uq" ON "feedback_items" USING btree ("group_id","source_key");--> statement-breakpoint
CREATE INDEX "involvement_records_group_idx" ON "involvement_records" USING btree ("group_id","occurred_on");--> statement-breakpoint
CREATE INDEX "involvement_records_member_idx" ON "involvement_records" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "involvement_records_source_uq" ON "involvement_records" USING btree ("group_id","source_key");