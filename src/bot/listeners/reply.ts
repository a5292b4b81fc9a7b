import type { BlockAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../blocks/format.js';

/**
 * Tells the person who clicked something only they should see: an ephemeral message where the
 * click came from a conversation, otherwise a DM.
 */
export async function tellClicker(client: WebClient, body: BlockAction, reply: SlackMessage): Promise<void> {
  const channel = body.channel?.id ?? (body.container as { channel_id?: string }).channel_id;
  if (channel) {
    try {
      await client.chat.postEphemeral({ channel, user: body.user.id, text: reply.text, blocks: reply.blocks });
      return;
    } catch (error) {
      // Someone who is not in the conversation (any more) cannot see an ephemeral there.
      const code = (error as { data?: { error?: string } }).data?.error;
      if (code !== 'user_not_in_channel' && code !== 'channel_not_found') throw error;
    }
  }
  await client.chat.postMessage({ channel: body.user.id, text: reply.text, blocks: reply.blocks });
}
