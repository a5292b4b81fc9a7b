CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"contract_number" text NOT NULL,
	"primary_contact_user_id" text NOT NULL,
	"status" text DEFAULT 'pending_setup' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"set_up_at" timestamp with time zone,
	"set_up_by" text,
	CONSTRAINT "accounts_status_check" CHECK ("accounts"."status" in ('pending_setup', 'active'))
);
--> statement-breakpoint
CREATE TABLE "admin_memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"granted_by" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"removed_by" text,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone NOT NULL,
	"seq" bigserial NOT NULL
);
--> statement-breakpoint
CREATE TABLE "delegations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"setup_invitation_id" uuid NOT NULL,
	"inviter_user_id" text NOT NULL,
	"invitee_user_id" text NOT NULL,
	"invitee_email" text,
	"status" text DEFAULT 'awaiting_confirmation' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"confirm_expires_at" timestamp with time zone NOT NULL,
	"approved_at" timestamp with time zone,
	"accept_expires_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"reminded_at" timestamp with time zone,
	CONSTRAINT "delegations_status_check" CHECK ("delegations"."status" in ('awaiting_confirmation', 'awaiting_acceptance', 'accepted', 'declined', 'cancelled', 'expired', 'revoked', 'superseded'))
);
--> statement-breakpoint
CREATE TABLE "home_viewers" (
	"user_id" text PRIMARY KEY NOT NULL,
	"opened_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"leased_until" timestamp with time zone NOT NULL,
	"last_slot" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"last_error" text,
	"seq" bigserial NOT NULL,
	CONSTRAINT "outbox_status_check" CHECK ("outbox"."status" in ('pending', 'sent', 'dead'))
);
--> statement-breakpoint
CREATE TABLE "recovery_approvals" (
	"request_id" uuid NOT NULL,
	"approver_user_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recovery_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"requester_user_id" text NOT NULL,
	"account_name" text NOT NULL,
	"account_id" uuid,
	"email_to_add" text NOT NULL,
	"reason" text NOT NULL,
	"contract_number" text NOT NULL,
	"officer_name" text NOT NULL,
	"officer_title" text NOT NULL,
	"officer_email" text NOT NULL,
	"letter_file_id" text NOT NULL,
	"letter_file_name" text NOT NULL,
	"letter_permalink" text,
	"letter_sha256" text NOT NULL,
	"checks" jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"approvals_required" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"rejection_reason" text,
	"added_user_id" text,
	"blocked_reason" text,
	"last_reminded_at" timestamp with time zone,
	CONSTRAINT "recovery_requests_status_check" CHECK ("recovery_requests"."status" in ('open', 'approved', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "setup_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"holder_user_id" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	"handed_to_user_id" text,
	"reminded_at" timestamp with time zone,
	CONSTRAINT "setup_invitations_status_check" CHECK ("setup_invitations"."status" in ('pending', 'completed', 'expired', 'revoked', 'superseded'))
);
--> statement-breakpoint
CREATE TABLE "slack_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"surface" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"channel_id" text NOT NULL,
	"ts" text NOT NULL,
	"rendered_version" integer NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "slack_messages_surface_check" CHECK ("slack_messages"."surface" in ('setup', 'confirmation', 'invitee', 'recovery'))
);
--> statement-breakpoint
ALTER TABLE "admin_memberships" ADD CONSTRAINT "admin_memberships_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegations" ADD CONSTRAINT "delegations_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegations" ADD CONSTRAINT "delegations_setup_invitation_id_setup_invitations_id_fk" FOREIGN KEY ("setup_invitation_id") REFERENCES "public"."setup_invitations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_approvals" ADD CONSTRAINT "recovery_approvals_request_id_recovery_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."recovery_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_requests" ADD CONSTRAINT "recovery_requests_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "setup_invitations" ADD CONSTRAINT "setup_invitations_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accounts_name_unique" ON "accounts" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "admin_memberships_active_unique" ON "admin_memberships" USING btree ("account_id","user_id") WHERE "admin_memberships"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "admin_memberships_user" ON "admin_memberships" USING btree ("user_id") WHERE "admin_memberships"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "audit_events_account" ON "audit_events" USING btree ("account_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "delegations_one_live" ON "delegations" USING btree ("account_id") WHERE "delegations"."status" in ('awaiting_confirmation', 'awaiting_acceptance');--> statement-breakpoint
CREATE INDEX "delegations_confirm_due" ON "delegations" USING btree ("confirm_expires_at") WHERE "delegations"."status" = 'awaiting_confirmation';--> statement-breakpoint
CREATE INDEX "delegations_accept_due" ON "delegations" USING btree ("accept_expires_at") WHERE "delegations"."status" = 'awaiting_acceptance';--> statement-breakpoint
CREATE INDEX "delegations_invitation" ON "delegations" USING btree ("setup_invitation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_key_unique" ON "outbox" USING btree ("key");--> statement-breakpoint
CREATE INDEX "outbox_due" ON "outbox" USING btree ("next_attempt_at","seq") WHERE "outbox"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "recovery_approvals_once" ON "recovery_approvals" USING btree ("request_id","approver_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "recovery_requests_reference" ON "recovery_requests" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "recovery_requests_open" ON "recovery_requests" USING btree ("created_at") WHERE "recovery_requests"."status" = 'open';--> statement-breakpoint
CREATE INDEX "recovery_requests_requester" ON "recovery_requests" USING btree ("requester_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "setup_invitations_one_live" ON "setup_invitations" USING btree ("account_id") WHERE "setup_invitations"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "setup_invitations_due" ON "setup_invitations" USING btree ("expires_at") WHERE "setup_invitations"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "setup_invitations_holder" ON "setup_invitations" USING btree ("holder_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "slack_messages_channel_ts" ON "slack_messages" USING btree ("channel_id","ts");--> statement-breakpoint
CREATE INDEX "slack_messages_subject" ON "slack_messages" USING btree ("subject_id");