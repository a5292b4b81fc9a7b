// response_url: where a command or an interaction's answer goes. Slack's semantics:
// delete_original / replace_original act on the message (or ephemeral) the interaction came
// from; otherwise the response is ephemeral unless `response_type: 'in_channel'` (Slack's
// default is ephemeral). Usable 5 times within 30 minutes.

import { randomBytes } from 'node:crypto';

import type { Json } from './blockKit.js';
import { ApiFailure, fail, flag, ok, parseMaybeJson, readContent, str, type Reply } from './args.js';
import type { MessageStore } from './messages.js';
import type { SlackState } from './state.js';
import type { ResponseUrlTarget } from './types.js';

const RESPONSE_URL_TTL_MS = 30 * 60_000;
const RESPONSE_URL_MAX_USES = 5;

interface ResponseUrlRecord extends ResponseUrlTarget {
  createdAt: number;
  uses: number;
}

export class ResponseUrls {
  private readonly records = new Map<string, ResponseUrlRecord>();

  constructor(
    private readonly state: SlackState,
    private readonly store: MessageStore,
  ) {}

  create(target: ResponseUrlTarget): string {
    const id = randomBytes(12).toString('hex');
    this.records.set(id, { ...target, createdAt: this.state.now(), uses: 0 });
    return `${this.state.baseUrl}/response/${id}`;
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  handle(id: string, body: Json): Reply {
    const { state, store } = this;
    const target = this.records.get(id);
    if (!target) return { status: 404, json: fail('no_service') };
    if (state.now() - target.createdAt > RESPONSE_URL_TTL_MS) return { status: 404, json: fail('expired_url') };
    if (target.uses >= RESPONSE_URL_MAX_USES) return { status: 404, json: fail('used_url') };
    const channel = state.channelMap.get(target.channel);
    if (!channel) return { status: 404, json: fail('channel_not_found') };

    const originalEphemeral = target.messageTs
      ? store.ephemeralList.find((e) => e.ts === target.messageTs && e.user === target.user)
      : undefined;
    const originalMessage = target.messageTs ? store.message(channel.id, target.messageTs) : undefined;

    if (flag(body.delete_original)) {
      if (originalEphemeral) {
        store.ephemeralList.splice(store.ephemeralList.indexOf(originalEphemeral), 1);
        state.change({ kind: 'ephemeral', channel: channel.id, user: target.user, ts: originalEphemeral.ts });
      } else if (originalMessage) {
        store.deleteMessage(channel.id, originalMessage.ts);
      } else {
        return { status: 404, json: fail('message_not_found') };
      }
      target.uses += 1;
      return { status: 200, json: ok() };
    }

    const content = readContent(body);
    if (content instanceof ApiFailure) return { status: 400, json: content.body };
    target.uses += 1;

    if (flag(body.replace_original) && (originalEphemeral || originalMessage)) {
      if (originalEphemeral) {
        if (content.text !== undefined) originalEphemeral.text = content.text;
        if (content.blocks !== undefined) originalEphemeral.blocks = state.normalize(content.blocks);
        originalEphemeral.edits += 1;
        state.change({ kind: 'ephemeral', channel: channel.id, user: target.user, ts: originalEphemeral.ts });
      } else if (originalMessage) {
        store.editMessage(originalMessage, content);
      }
      return { status: 200, json: ok() };
    }

    const threadTs = str(body, 'thread_ts');
    if (body.response_type === 'in_channel') store.insertMessage(channel, content, threadTs, parseMaybeJson(body.metadata));
    else store.insertEphemeral(channel, target.user, content, threadTs);
    return { status: 200, json: ok() };
  }
}
