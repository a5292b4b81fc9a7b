// response_url (responseUrl.ts).

import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { FakeSlack } from '../../../src/sandbox/slack/index.js';
import { type Loose, section, START, startFakeSlack } from './setup.js';

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
  it('handles response_url posts: ephemeral by default, in_channel, replace_original', async () => {
    const dm = fake.dmChannelId('U0ALICE');
    const post = (url: string, body: Loose) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const commandUrl = fake.createResponseUrl({ channel: dm, user: 'U0ALICE' });
    expect((await post(commandUrl, { text: 'Working on it', response_type: 'ephemeral' })).status).toBe(200);
    expect(fake.lastEphemeral('U0ALICE')).toMatchObject({ channel: dm, text: 'Working on it' });
    await post(commandUrl, { text: 'Also private' });
    expect(fake.ephemerals('U0ALICE')).toHaveLength(2);
    await post(commandUrl, { text: 'Everyone sees this', response_type: 'in_channel' });
    expect(fake.lastDm('U0ALICE')?.text).toBe('Everyone sees this');

    const msg = await client.chat.postMessage({ channel: dm, text: 'Approve?' });
    const actionUrl = fake.createResponseUrl({ channel: dm, user: 'U0ALICE', messageTs: msg.ts! });
    await post(actionUrl, { replace_original: true, text: 'Approved', blocks: [section('Approved ✅')] });
    expect(fake.message(dm, msg.ts!)).toMatchObject({ text: 'Approved', edits: 1 });
    expect((await post(actionUrl, { text: 'x'.repeat(10), blocks: 'nope' })).status).toBe(400);
    await post(actionUrl, { delete_original: true });
    expect(fake.message(dm, msg.ts!)).toBeUndefined();

    expect(fake.calls('response_url').map((c) => c.status)).toEqual([200, 200, 200, 200, 400, 200]);
    expect((await post(`${fake.baseUrl}/response/unknown`, { text: 'x' })).status).toBe(404);
  });
});
