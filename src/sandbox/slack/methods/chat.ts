// chat.*: post, update and delete messages, post ephemerals, permalinks.

import type { Json } from '../blockKit.js';
import { ApiFailure, fail, ok, parseMaybeJson, readContent, str, type ApiHandler } from '../args.js';
import type { MessageStore } from '../messages.js';
import type { SlackState } from '../state.js';
import type { FakeChannel } from '../types.js';

export function chatMethods(state: SlackState, store: MessageStore): Record<string, ApiHandler> {
  /** C/G/D ids, or (where Slack allows it) a user id meaning the user's DM with the bot. */
  function resolveChannel(channelArg: string | undefined, allowUserId: boolean): FakeChannel | ApiFailure {
    if (!channelArg) return new ApiFailure(fail('channel_not_found'));
    if (allowUserId && /^[UW]/.test(channelArg)) {
      const user = state.userMap.get(channelArg);
      if (!user) return new ApiFailure(fail('channel_not_found'));
      if (user.isBot) return new ApiFailure(fail('cannot_dm_bot'));
      return state.ensureDm(user.id);
    }
    return state.channelMap.get(channelArg) ?? new ApiFailure(fail('channel_not_found'));
  }

  function postMessage(args: Json): Json {
    const channel = resolveChannel(str(args, 'channel'), true);
    if (channel instanceof ApiFailure) return channel.body;
    const content = readContent(args);
    if (content instanceof ApiFailure) return content.body;
    const message = store.insertMessage(channel, content, str(args, 'thread_ts'), parseMaybeJson(args.metadata));
    return ok({ channel: channel.id, ts: message.ts, message: store.messagePayload(message) });
  }

  /** Needs the conversation id: like Slack, a user id is channel_not_found here. */
  function update(args: Json): Json {
    const channel = resolveChannel(str(args, 'channel'), false);
    if (channel instanceof ApiFailure) return channel.body;
    const ts = str(args, 'ts') ?? '';
    const message = store.message(channel.id, ts);
    if (!message) return fail('message_not_found');
    if (message.user !== state.botUserId) return fail('cant_update_message');
    const content = readContent(args);
    if (content instanceof ApiFailure) return content.body;
    store.editMessage(message, content);
    return ok({ channel: channel.id, ts: message.ts, text: message.text, message: store.messagePayload(message) });
  }

  function remove(args: Json): Json {
    const channel = resolveChannel(str(args, 'channel'), false);
    if (channel instanceof ApiFailure) return channel.body;
    const ts = str(args, 'ts') ?? '';
    if (!store.message(channel.id, ts)) return fail('message_not_found');
    store.deleteMessage(channel.id, ts);
    return ok({ channel: channel.id, ts });
  }

  function postEphemeral(args: Json): Json {
    const channel = resolveChannel(str(args, 'channel'), true);
    if (channel instanceof ApiFailure) return channel.body;
    const userId = str(args, 'user') ?? '';
    if (!state.userMap.has(userId)) return fail('user_not_found');
    if (!state.canSee(channel, userId)) return fail('user_not_in_channel');
    const content = readContent(args);
    if (content instanceof ApiFailure) return content.body;
    const ephemeral = store.insertEphemeral(channel, userId, content, str(args, 'thread_ts'));
    return ok({ message_ts: ephemeral.ts });
  }

  function getPermalink(args: Json): Json {
    const channelId = str(args, 'channel') ?? '';
    if (!state.channelMap.has(channelId)) return fail('channel_not_found');
    const ts = str(args, 'message_ts') ?? '';
    if (!store.message(channelId, ts)) return fail('message_not_found');
    return ok({ channel: channelId, permalink: `${state.baseUrl}/archives/${channelId}/p${ts.replace('.', '')}` });
  }

  return {
    'chat.postMessage': postMessage,
    'chat.update': update,
    'chat.delete': remove,
    'chat.postEphemeral': postEphemeral,
    'chat.getPermalink': getPermalink,
  };
}
