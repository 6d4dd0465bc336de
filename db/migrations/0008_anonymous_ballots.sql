DROP TABLE "instance_secrets" CASCADE;--> statement-breakpoint
ALTER TABLE "poll_votes" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "poll_votes" DROP COLUMN "roles";