-- Rows queued before outbox.channel existed join their channel's queue: new messages (post,
-- notice) name the channel they go to in their payload.
UPDATE "outbox" SET "channel" = "payload"->>'channel'
WHERE "status" = 'pending' AND "channel" IS NULL AND "payload"->>'type' IN ('post', 'notice');
