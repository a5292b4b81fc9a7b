// Messages and ephemerals as Slack keeps them: per conversation in ts order, with edits kept
// as history, and shaped for API responses and payloads the way Slack shows them.

import { isJson, type Json } from './blockKit.js';
import type { MessageContent } from './args.js';
import type { SlackState } from './state.js';
import type { FakeChannel, FakeEphemeral, FakeMessage } from './types.js';

export class MessageStore {
  private readonly messageMap = new Map<string, FakeMessage[]>();
  readonly ephemeralList: FakeEphemeral[] = [];

  constructor(private readonly state: SlackState) {}

  /** All messages in a channel, thread replies included, in ts order. */
  messages(channelId: string): FakeMessage[] {
    return [...(this.messageMap.get(channelId) ?? [])];
  }

  message(channelId: string, ts: string): FakeMessage | undefined {
    return this.messageMap.get(channelId)?.find((m) => m.ts === ts);
  }

  ephemerals(userId: string): FakeEphemeral[] {
    return this.ephemeralList.filter((e) => e.user === userId);
  }

  insertMessage(
    channel: FakeChannel,
    content: MessageContent,
    threadTs: string | undefined,
    metadata: unknown,
    files: string[] = [],
  ): FakeMessage {
    const { state } = this;
    const message: FakeMessage = {
      channel: channel.id,
      ts: state.nextTs(),
      text: content.text ?? '',
      user: state.botUserId,
      botId: state.botId,
      postedAt: state.now(),
      edits: 0,
      history: [],
      ...(threadTs ? { threadTs } : {}),
      ...(content.blocks !== undefined ? { blocks: state.normalize(content.blocks) } : {}),
      ...(content.attachments !== undefined ? { attachments: structuredClone(content.attachments) as Json[] } : {}),
      ...(isJson(metadata) ? { metadata: structuredClone(metadata) } : {}),
      ...(files.length > 0 ? { files: [...files] } : {}),
    };
    const list = this.messageMap.get(channel.id) ?? [];
    list.push(message);
    this.messageMap.set(channel.id, list);
    state.change({ kind: 'message', channel: channel.id, ts: message.ts, ...(channel.user ? { user: channel.user } : {}) });
    return message;
  }

  /** Slack keeps fields the update omits; an empty array removes blocks/attachments. */
  editMessage(message: FakeMessage, content: MessageContent): void {
    message.history.push({
      text: message.text,
      replacedAt: this.state.now(),
      ...(message.blocks !== undefined ? { blocks: message.blocks } : {}),
      ...(message.attachments !== undefined ? { attachments: message.attachments } : {}),
    });
    message.edits += 1;
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks !== undefined) message.blocks = this.state.normalize(content.blocks);
    if (content.attachments !== undefined) message.attachments = structuredClone(content.attachments) as Json[];
    this.state.change({ kind: 'update', channel: message.channel, ts: message.ts });
  }

  deleteMessage(channelId: string, ts: string): void {
    const list = this.messageMap.get(channelId) ?? [];
    this.messageMap.set(
      channelId,
      list.filter((m) => m.ts !== ts),
    );
    this.state.change({ kind: 'delete', channel: channelId, ts });
  }

  insertEphemeral(channel: FakeChannel, userId: string, content: MessageContent, threadTs: string | undefined): FakeEphemeral {
    const { state } = this;
    const ephemeral: FakeEphemeral = {
      channel: channel.id,
      user: userId,
      ts: state.nextTs(),
      text: content.text ?? '',
      postedAt: state.now(),
      edits: 0,
      ...(threadTs ? { threadTs } : {}),
      ...(content.blocks !== undefined ? { blocks: state.normalize(content.blocks) } : {}),
    };
    this.ephemeralList.push(ephemeral);
    state.change({ kind: 'ephemeral', channel: channel.id, user: userId, ts: ephemeral.ts });
    return ephemeral;
  }

  /** A stored message as Slack shows it in API responses and `block_actions` payloads. */
  messagePayload(message: FakeMessage): Json {
    return {
      type: 'message',
      user: message.user,
      bot_id: message.botId,
      app_id: this.state.appId,
      team: this.state.teamId,
      text: message.text,
      ts: message.ts,
      ...(message.threadTs !== undefined ? { thread_ts: message.threadTs } : {}),
      ...(message.blocks !== undefined ? { blocks: structuredClone(message.blocks) } : {}),
      ...(message.attachments !== undefined ? { attachments: structuredClone(message.attachments) } : {}),
      ...(message.metadata !== undefined ? { metadata: structuredClone(message.metadata) } : {}),
      ...(message.files !== undefined ? { files: message.files.map((id) => this.state.fileObject(id) ?? { id }) } : {}),
      ...(message.edits > 0 ? { edited: { user: message.user, ts: message.ts } } : {}),
    };
  }
}
