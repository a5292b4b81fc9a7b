// chat.* (methods/chat.ts): messages and DMs, edits, Slack's limits, ephemerals.

import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { blocksText, type FakeSlack, type FakeSlackChange } from '../../../src/sandbox/slack/index.js';
import { button, section, slackError, START, startFakeSlack } from './setup.js';

let clock: number;
let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  clock = START;
  ({ fake, client } = await startFakeSlack(() => clock));
});

afterEach(async () => {
  await fake.stop();
});

describe('FakeSlack with the real WebClient', () => {
  it('delivers chat.postMessage to a user id into their DM, and chat.update edits it', async () => {
    const changes: FakeSlackChange[] = [];
    fake.on('change', (c) => changes.push(c));

    const posted = await client.chat.postMessage({
      channel: 'U0ALICE',
      text: 'Request pending',
      blocks: [section('Your request is *pending*'), { type: 'actions', elements: [button('Cancel', 'cancel', 'r1')] }],
    });
    expect(posted.channel).toBe(fake.dmChannelId('U0ALICE'));
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);

    const dm = fake.lastDm('U0ALICE')!;
    expect(dm.ts).toBe(posted.ts);
    expect(dm.text).toBe('Request pending');
    expect(blocksText(dm.blocks)).toContain('pending');
    expect(blocksText(dm.blocks)).toContain('Cancel');
    expect(typeof dm.blocks![0]!.block_id).toBe('string'); // Slack fills in block ids

    const updated = await client.chat.update({
      channel: posted.channel!,
      ts: posted.ts!,
      text: 'Request expired',
      blocks: [section('Your request has *expired*')],
    });
    expect(updated).toMatchObject({ ok: true, channel: posted.channel, ts: posted.ts, text: 'Request expired' });
    const edited = fake.message(posted.channel!, posted.ts!)!;
    expect(edited.edits).toBe(1);
    expect(blocksText(edited.blocks)).toContain('expired');
    expect(blocksText(edited.history[0]!.blocks)).toContain('pending');

    // Like Slack, chat.update needs the conversation id, not the user id.
    expect((await slackError(client.chat.update({ channel: 'U0ALICE', ts: posted.ts!, text: 'x' }))).data.error).toBe('channel_not_found');
    expect((await slackError(client.chat.update({ channel: posted.channel!, ts: '1.000001', text: 'x' }))).data.error).toBe(
      'message_not_found',
    );

    expect(changes).toEqual([
      { kind: 'message', channel: posted.channel, ts: posted.ts, user: 'U0ALICE' },
      { kind: 'update', channel: posted.channel, ts: posted.ts },
    ]);
  });

  it('issues unique, increasing ts even when the clock stands still', async () => {
    const a = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'a' });
    const b = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'b', thread_ts: a.ts! });
    expect(a.ts).toBe('1732300000.000000');
    expect(b.ts).toBe('1732300000.000001');
    expect(fake.messages('C0GENERAL').map((m) => m.threadTs)).toEqual([undefined, a.ts]);
  });

  it('enforces Slack message limits', async () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => section(`line ${i}`));
    await client.chat.postMessage({ channel: 'C0GENERAL', text: 'ok', blocks: blocks(50) });
    expect((await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'too many', blocks: blocks(51) }))).data.error).toBe(
      'invalid_blocks',
    );

    const longLabel = 'x'.repeat(76);
    const err = await slackError(
      client.chat.postMessage({ channel: 'C0GENERAL', text: 't', blocks: [{ type: 'actions', elements: [button(longLabel, 'a')] }] }),
    );
    expect(err.data.error).toBe('invalid_blocks');
    expect(err.data.response_metadata.messages[0]).toContain('/blocks/0/elements/0/text/text');

    expect((await slackError(client.chat.postMessage({ channel: 'C0GENERAL' } as never))).data.error).toBe('no_text');
    expect((await slackError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).data.error).toBe('channel_not_found');
    expect((await slackError(client.chat.postMessage({ channel: 'U0VOUCHBOT', text: 'x' }))).data.error).toBe('cannot_dm_bot');
    expect(fake.messages('C0GENERAL')).toHaveLength(1);
  });

  it('posts ephemerals only to channel members', async () => {
    const res = await client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U0ALICE', text: 'only you' });
    expect(fake.lastEphemeral('U0ALICE')).toMatchObject({ channel: 'C0GENERAL', text: 'only you', ts: res.message_ts });
    expect((await slackError(client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U0BOB', text: 'x' }))).data.error).toBe(
      'user_not_in_channel',
    );
    const bobDm = fake.dmChannelId('U0BOB');
    expect((await slackError(client.chat.postEphemeral({ channel: bobDm, user: 'U0ALICE', text: 'x' }))).data.error).toBe(
      'user_not_in_channel',
    );
  });
});
