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
    await client.chat.postEphemeral({ channel, user: body.user.id, text: reply.text, blocks: reply.blocks });
  } else {
    await client.chat.postMessage({ channel: body.user.id, text: reply.text, blocks: reply.blocks });
  }
}
