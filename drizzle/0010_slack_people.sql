CREATE TABLE "slack_people" (
	"user_id" text PRIMARY KEY NOT NULL,
	"deactivated" boolean NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
