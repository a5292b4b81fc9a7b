-- A person is a user id in a workspace: the flag is kept per (workspace, user id). Rows kept so far
-- get '' (any workspace), which is what they meant with one workspace.
ALTER TABLE "slack_people" ADD COLUMN "workspace_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "slack_people" DROP CONSTRAINT "slack_people_pkey";--> statement-breakpoint
ALTER TABLE "slack_people" ADD CONSTRAINT "slack_people_workspace_key_user_id_pk" PRIMARY KEY("workspace_key","user_id");
