CREATE TABLE "removed_workspaces" (
	"platform" text NOT NULL,
	"workspace_id" text NOT NULL,
	"removed_at" timestamp with time zone NOT NULL,
	"erase_at" timestamp with time zone NOT NULL,
	CONSTRAINT "removed_workspaces_platform_workspace_id_pk" PRIMARY KEY("platform","workspace_id")
);
