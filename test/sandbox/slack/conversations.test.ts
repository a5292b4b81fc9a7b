// conversations.* (methods/conversations.ts).

import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { FakeSlack } from '../../../src/sandbox/slack/index.js';
import { START, startFakeSlack } from './setup.js';

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
  it('pages conversations.members with cursors', async () => {
    const members = Array.from({ length: 5 }, (_, i) => `U0M${i}`);
    fake.addChannel({ id: 'C0BIG', name: 'big', members });
    const seen: string[] = [];
    for await (const page of client.paginate('conversations.members', { channel: 'C0BIG', limit: 2 })) {
      seen.push(...((page as { members?: string[] }).members ?? []));
    }
    expect(seen).toEqual(members);
    expect(fake.calls('conversations.members')).toHaveLength(3);
  });
});
