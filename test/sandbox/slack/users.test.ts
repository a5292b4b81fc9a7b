// auth.test and users.* (methods/users.ts), and the tokens the Web API accepts (http.ts).

import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { FakeSlack } from '../../../src/sandbox/slack/index.js';
import { silentLogger, slackError, START, startFakeSlack } from './setup.js';

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
  it('answers auth.test with the bot identity and rejects bad tokens', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, team_id: 'T0VOUCH', user_id: 'U0VOUCHBOT', bot_id: 'B0VOUCH' });

    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });
    const err = await slackError(wrong.auth.test());
    expect(err.data.error).toBe('invalid_auth');
    expect((await slackError(client.apiCall('nope.method'))).data.error).toBe('unknown_method');
  });

  it('looks users up by email (case-insensitive) and by id', async () => {
    const found = await client.users.lookupByEmail({ email: 'alice@example.COM' });
    expect(found.user).toMatchObject({ id: 'U0ALICE', name: 'alice', real_name: 'Alice Liddell', deleted: false, is_bot: false });
    expect(found.user?.profile?.email).toBe('Alice@Example.com');
    expect((await slackError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).data.error).toBe('users_not_found');

    const info = await client.users.info({ user: 'U0BOB' });
    expect(info.user?.profile?.display_name).toBe('bob');
    expect((await slackError(client.users.info({ user: 'U0NOPE' }))).data.error).toBe('user_not_found');
  });
});
