// views.* (methods/views.ts, views.ts): trigger ids, modal stacks, hashes, Home tabs.

import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { blocksText, type FakeSlack } from '../../../src/sandbox/slack/index.js';
import { section, slackError, START, startFakeSlack } from './setup.js';

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
  it('opens modals only with a fresh trigger id and detects stale hashes on update', async () => {
    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Vouch' }, blocks: [section('hello')] };
    expect((await slackError(client.views.open({ trigger_id: 'made-up', view: modal }))).data.error).toBe('invalid_trigger_id');

    const trigger = fake.newTriggerId('U0ALICE');
    const opened = await client.views.open({ trigger_id: trigger, view: modal });
    const viewId = opened.view!.id!;
    expect(fake.openView('U0ALICE')?.id).toBe(viewId);
    expect(opened.view).toMatchObject({ id: viewId, team_id: 'T0VOUCH', state: { values: {} }, root_view_id: viewId });
    expect((await slackError(client.views.open({ trigger_id: trigger, view: modal }))).data.error).toBe('exchanged_trigger_id');

    const hash = opened.view!.hash!;
    const v2 = await client.views.update({ view_id: viewId, hash, view: { ...modal, blocks: [section('second')] } });
    expect(v2.view?.hash).not.toBe(hash);
    expect((await slackError(client.views.update({ view_id: viewId, hash, view: modal }))).data.error).toBe('hash_conflict');
    expect(blocksText(fake.view(viewId)!.view.blocks)).toBe('second');

    const badTitle = await slackError(
      client.views.open({
        trigger_id: fake.newTriggerId('U0ALICE'),
        view: { ...modal, title: { type: 'plain_text', text: 'x'.repeat(25) } },
      }),
    );
    expect(badTitle.data.error).toBe('invalid_arguments');
    const tooMany = Array.from({ length: 101 }, () => section('x'));
    expect(
      (await slackError(client.views.open({ trigger_id: fake.newTriggerId('U0ALICE'), view: { ...modal, blocks: tooMany } }))).data.error,
    ).toBe('invalid_arguments');
    const bigMeta = { ...modal, private_metadata: 'm'.repeat(3001) };
    expect((await slackError(client.views.open({ trigger_id: fake.newTriggerId('U0ALICE'), view: bigMeta }))).data.error).toBe(
      'invalid_arguments',
    );
  });

  it('expires trigger ids after 3 seconds of clock time', async () => {
    const trigger = fake.newTriggerId('U0ALICE');
    clock += 3001;
    const err = await slackError(
      client.views.open({ trigger_id: trigger, view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } }),
    );
    expect(err.data.error).toBe('expired_trigger_id');
  });

  it('publishes Home tabs per user', async () => {
    const res = await client.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [section('Your vouches')] } });
    expect(fake.homeView('U0ALICE')?.id).toBe(res.view!.id);
    await client.views.publish({ user_id: 'U0ALICE', view: { type: 'home', blocks: [section('Updated')] } });
    expect(blocksText(fake.homeView('U0ALICE')!.view.blocks)).toBe('Updated');
    expect(fake.homeView('U0ALICE')?.id).toBe(res.view!.id);
  });
});
