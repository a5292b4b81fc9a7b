ALTER TABLE "slack_messages" DROP CONSTRAINT "slack_messages_surface_check";--> statement-breakpoint
ALTER TABLE "delegations" ADD COLUMN "inviter_removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "setup_invitations" ADD COLUMN "holder_removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "slack_messages" ADD CONSTRAINT "slack_messages_surface_check" CHECK ("slack_messages"."surface" in ('setup', 'setup_expired', 'confirmation', 'invitee', 'recovery', 'recovery_receipt', 'recovery_question'));