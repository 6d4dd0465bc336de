ALTER TABLE "role_assignments" ADD COLUMN "shown_to_group" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "roles" ADD COLUMN "sensitive" boolean DEFAULT false NOT NULL;