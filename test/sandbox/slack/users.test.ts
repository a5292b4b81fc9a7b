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

  it('lists the directory a page at a time, with display names, until the cursor is empty', async () => {
    fake.addUser({ id: 'U0COLE', name: 'cole.m', displayName: 'Cole', realName: 'Cole Miller' });
    const everyone = fake.users().map((u) => u.id);
    expect(everyone.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await client.users.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.members!.length).toBeLessThanOrEqual(2);
      seen.push(...page.members!.map((m) => m.id!));
      cursor = page.response_metadata?.next_cursor || undefined;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(everyone);
    expect(pages).toBe(Math.ceil(everyone.length / 2));
    const all = await client.users.list({});
    expect(all.members!.find((m) => m.id === 'U0COLE')).toMatchObject({
      name: 'cole.m',
      real_name: 'Cole Miller',
      profile: { display_name: 'Cole', real_name: 'Cole Miller' },
    });
    expect((await slackError(client.users.list({ cursor: 'not-a-cursor' }))).data.error).toBe('invalid_cursor');
  });
});
