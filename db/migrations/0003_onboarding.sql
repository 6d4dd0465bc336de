CREATE TABLE "onboarding_journeys" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "onboarding_journeys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"group_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"step" text NOT NULL,
	"confirmed" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"step_at" timestamp with time zone NOT NULL,
	"paused_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"sends" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "onboarding_packs" (
	"group_id" integer PRIMARY KEY NOT NULL,
	"purpose" text,
	"time_commitment" text,
	"contacts" text,
	"payment" text,
	"support" text,
	"checklist" jsonb,
	"self_chosen_roles" boolean DEFAULT false NOT NULL,
	"no_key_notice_at" timestamp with time zone,
	"updated_by" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "onboarding_profiles" (
	"group_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"preferred_name" text,
	"pronouns" text,
	"timezone" text,
	"contact_method" text,
	"contact_frequency" text,
	"interests" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"lived_experience_sealed" text,
	"wants_buddy" boolean,
	"welcome_post" boolean,
	"chosen_role" text,
	"access_consent_at" timestamp with time zone,
	"access_needs_sealed" text,
	"access_needs_named" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "onboarding_profiles_group_id_member_id_pk" PRIMARY KEY("group_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "onboarding_journeys" ADD CONSTRAINT "onboarding_journeys_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_journeys" ADD CONSTRAINT "onboarding_journeys_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_packs" ADD CONSTRAINT "onboarding_packs_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_packs" ADD CONSTRAINT "onboarding_packs_updated_by_members_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_profiles" ADD CONSTRAINT "onboarding_profiles_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_profiles" ADD CONSTRAINT "onboarding_profiles_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "onboarding_journeys_member_uq" ON "onboarding_journeys" USING btree ("group_id","member_id");--> statement-breakpoint
CREATE INDEX "onboarding_journeys_open_idx" ON "onboarding_journeys" USING btree ("group_id","step_at") WHERE "onboarding_journeys"."finished_at" is null;