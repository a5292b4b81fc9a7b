CREATE TABLE "outbox_channels" (
	"channel" text PRIMARY KEY NOT NULL,
	"next_post_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "channel" text;--> statement-breakpoint
CREATE INDEX "outbox_channels_next_post" ON "outbox_channels" USING btree ("next_post_at");--> statement-breakpoint
CREATE INDEX "outbox_channel_queue" ON "outbox" USING btree ("channel","seq") WHERE "outbox"."status" = 'pending' and "outbox"."channel" is not null;