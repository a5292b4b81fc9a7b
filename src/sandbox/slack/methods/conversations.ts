// conversations.*: open DMs and group DMs, describe a conversation, page its members.

import type { Json } from '../blockKit.js';
import { fail, ok, str, type ApiHandler } from '../args.js';
import type { SlackState } from '../state.js';

export function conversationsMethods(state: SlackState): Record<string, ApiHandler> {
  function open(args: Json): Json {
    const channelArg = str(args, 'channel');
    if (channelArg) {
      const channel = state.channelMap.get(channelArg);
      return channel ? ok({ channel: { id: channel.id } }) : fail('channel_not_found');
    }
    const userIds = (str(args, 'users') ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (userIds.length === 0) return fail('users_list_not_supplied');
    for (const id of userIds) {
      const user = state.userMap.get(id);
      if (!user) return fail('user_not_found');
      if (user.isBot && userIds.length === 1) return fail('cannot_dm_bot');
    }
    if (userIds.length === 1) return ok({ channel: { id: state.ensureDm(userIds[0]!).id } });
    // Group DM: one conversation per distinct member set.
    const members = [...new Set([...userIds, state.botUserId])].sort();
    const existing = [...state.channelMap.values()].find((c) => c.kind === 'mpim' && c.members.join(',') === members.join(','));
    const channel = existing ?? { id: state.nextId('G'), name: `mpdm-${members.join('--')}-1`, kind: 'mpim' as const, members };
    state.channelMap.set(channel.id, channel);
    return ok({ channel: { id: channel.id } });
  }

  function info(args: Json): Json {
    const channel = state.channelMap.get(str(args, 'channel') ?? '');
    if (!channel) return fail('channel_not_found');
    if (channel.kind === 'im') {
      return ok({ channel: { id: channel.id, is_im: true, is_channel: false, is_private: true, user: channel.user, is_open: true } });
    }
    return ok({
      channel: {
        id: channel.id,
        name: channel.name,
        is_channel: channel.kind === 'channel',
        is_group: channel.kind === 'private',
        is_im: false,
        is_mpim: channel.kind === 'mpim',
        is_private: channel.kind !== 'channel',
        is_archived: false,
        is_member: channel.members.includes(state.botUserId),
        num_members: channel.members.length,
      },
    });
  }

  /** Cursor = base64 of the next offset, like Slack's opaque cursors. */
  function members(args: Json): Json {
    const channel = state.channelMap.get(str(args, 'channel') ?? '');
    if (!channel) return fail('channel_not_found');
    const limit = Math.min(Math.max(Number(str(args, 'limit') ?? 100) || 100, 1), 1000);
    const cursor = str(args, 'cursor') ?? '';
    let offset = 0;
    if (cursor !== '') {
      const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (!match) return fail('invalid_cursor');
      offset = Number(match[1]);
    }
    const page = channel.members.slice(offset, offset + limit);
    const nextOffset = offset + page.length;
    const nextCursor = nextOffset < channel.members.length ? Buffer.from(`offset:${nextOffset}`).toString('base64') : '';
    return ok({ members: page, response_metadata: { next_cursor: nextCursor } });
  }

  return { 'conversations.open': open, 'conversations.info': info, 'conversations.members': members };
}
