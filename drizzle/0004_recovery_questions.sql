CREATE TABLE "recovery_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"asked_by" text NOT NULL,
	"question" text NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'asked' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"answer" text,
	"answered_at" timestamp with time zone,
	"letter_file_name" text,
	"letter_sha256" text,
	CONSTRAINT "recovery_questions_status_check" CHECK ("recovery_questions"."status" in ('asked', 'answered', 'withdrawn'))
);
--> statement-breakpoint
ALTER TABLE "recovery_requests" DROP CONSTRAINT "recovery_requests_status_check";--> statement-breakpoint
ALTER TABLE "slack_messages" DROP CONSTRAINT "slack_messages_surface_check";--> statement-breakpoint
DROP INDEX "recovery_requests_open";--> statement-breakpoint
ALTER TABLE "recovery_requests" ADD COLUMN "waiting_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "recovery_questions" ADD CONSTRAINT "recovery_questions_request_id_recovery_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."recovery_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recovery_questions_one_asked" ON "recovery_questions" USING btree ("request_id") WHERE "recovery_questions"."status" = 'asked';--> statement-breakpoint
CREATE INDEX "recovery_questions_request" ON "recovery_questions" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "recovery_requests_live" ON "recovery_requests" USING btree ("created_at") WHERE "recovery_requests"."status" in ('open', 'awaiting_info');--> statement-breakpoint
ALTER TABLE "recovery_requests" ADD CONSTRAINT "recovery_requests_status_check" CHECK ("recovery_requests"."status" in ('open', 'awaiting_info', 'approved', 'rejected'));--> statement-breakpoint
ALTER TABLE "slack_messages" ADD CONSTRAINT "slack_messages_surface_check" CHECK ("slack_messages"."surface" in ('setup', 'confirmation', 'invitee', 'recovery', 'recovery_receipt', 'recovery_question'));