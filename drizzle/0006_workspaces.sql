DROP INDEX "slack_messages_channel_ts";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "team_id" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "enterprise_id" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "actor_team_id" text;--> statement-breakpoint
ALTER TABLE "home_viewers" ADD COLUMN "team_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "home_viewers" DROP CONSTRAINT "home_viewers_pkey";--> statement-breakpoint
ALTER TABLE "home_viewers" ADD CONSTRAINT "home_viewers_team_id_user_id_pk" PRIMARY KEY("team_id","user_id");--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "team_id" text;--> statement-breakpoint
ALTER TABLE "recovery_requests" ADD COLUMN "requester_team_id" text;--> statement-breakpoint
ALTER TABLE "recovery_requests" ADD COLUMN "requester_enterprise_id" text;--> statement-breakpoint
ALTER TABLE "slack_messages" ADD COLUMN "team_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "slack_messages_channel_ts" ON "slack_messages" USING btree (coalesce("team_id", ''),"channel_id","ts");
