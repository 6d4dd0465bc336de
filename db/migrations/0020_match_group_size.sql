ALTER TABLE "match_groups" ADD COLUMN "size" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
-- A group that has lost people to erasure was at least a pair.
UPDATE "match_groups" SET "size" = greatest(jsonb_array_length("member_ids"), 2);
