CREATE TABLE "oauth_states" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"install_options" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_installations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"install_key" text NOT NULL,
	"team_id" text,
	"team_name" text,
	"enterprise_id" text,
	"enterprise_name" text,
	"enterprise_url" text,
	"is_enterprise_install" boolean DEFAULT false NOT NULL,
	"app_id" text,
	"bot_id" text,
	"bot_user_id" text NOT NULL,
	"bot_scopes" text NOT NULL,
	"installer_user_id" text NOT NULL,
	"bot_token" text,
	"bot_refresh_token" text,
	"bot_token_expires_at" timestamp with time zone,
	"installed_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"refreshed_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	CONSTRAINT "slack_installations_scope_check" CHECK (("slack_installations"."is_enterprise_install" and "slack_installations"."enterprise_id" is not null) or (not "slack_installations"."is_enterprise_install" and "slack_installations"."team_id" is not null)),
	CONSTRAINT "slack_installations_revoked_check" CHECK ("slack_installations"."revoked_reason" is null or "slack_installations"."revoked_reason" in ('app_uninstalled', 'tokens_revoked', 'refresh_refused')),
	CONSTRAINT "slack_installations_live_check" CHECK (("slack_installations"."revoked_at" is null) = ("slack_installations"."revoked_reason" is null) and ("slack_installations"."revoked_at" is not null or "slack_installations"."bot_token" is not null))
);
--> statement-breakpoint
CREATE INDEX "oauth_states_expiry" ON "oauth_states" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "slack_installations_key" ON "slack_installations" USING btree ("install_key");--> statement-breakpoint
CREATE INDEX "slack_installations_enterprise" ON "slack_installations" USING btree ("enterprise_id");