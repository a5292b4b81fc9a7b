import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { App, LogLevel as BoltLogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { blocksText, SlackDriver, signSlackRequest, type FakeSlack } from '../../../src/sandbox/slack/index.js';
import { button, SECRET, section, silentLogger, START, startFakeSlack } from './setup.js';

let clock: number;
let fake: FakeSlack;

beforeEach(async () => {
  clock = START;
  ({ fake } = await startFakeSlack(() => clock));
});

afterEach(async () => {
  await fake.stop();
});

// ---------------------------------------------------------------------------
// End to end with a real Bolt app: signatures, payload parsing, respond(), acks
// ---------------------------------------------------------------------------

describe('FakeSlack + SlackDriver with a real Bolt app', () => {
  let app: App;
  let driver: SlackDriver;
  const pending = new Set<Promise<unknown>>();

  beforeEach(async () => {
    app = new App({
      token: fake.botToken,
      signingSecret: SECRET,
      logLevel: BoltLogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger },
    });
    // Track listener work so the driver can wait for it (the app's settle hook).
    app.use(async ({ next }) => {
      const work = next();
      pending.add(work);
      try {
        await work;
      } finally {
        pending.delete(work);
      }
    });
    app.command('/enterprise', async ({ ack, command, client: web }) => {
      await ack();
      await web.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'vouch',
          title: { type: 'plain_text', text: 'Vouch' },
          submit: { type: 'plain_text', text: 'Send' },
          blocks: [
            {
              type: 'input',
              block_id: 'who',
              label: { type: 'plain_text', text: 'Who' },
              element: { type: 'users_select', action_id: 'who' },
            },
          ],
        },
      });
    });
    app.view('vouch', async ({ ack, view, body, client: web }) => {
      const who = view.state.values.who?.who?.selected_user;
      if (who === body.user.id) {
        await ack({ response_action: 'errors', errors: { who: 'Not yourself' } });
        return;
      }
      await ack();
      await web.chat.postMessage({
        channel: body.user.id,
        text: `Asked <@${who}>`,
        blocks: [section(`Asked <@${who}>`), { type: 'actions', elements: [button('Withdraw', 'withdraw', String(who))] }],
      });
    });
    app.action('withdraw', async ({ ack, respond }) => {
      await ack();
      await respond({ replace_original: true, text: 'Withdrawn', blocks: [section('Request withdrawn')] });
    });
    await app.start(0);
    const address = (app as unknown as { receiver: { server?: Server } }).receiver.server?.address() as AddressInfo;
    driver = new SlackDriver({
      slack: fake,
      eventsUrl: `http://127.0.0.1:${address.port}/slack/events`,
      signingSecret: SECRET,
      settle: async () => {
        while (pending.size > 0) await Promise.allSettled([...pending]);
      },
    });
  });

  afterEach(async () => {
    await app.stop();
  });

  it('runs command → modal → validation error → submit → DM → button → respond()', async () => {
    expect((await driver.command('U0ALICE', '')).status).toBe(200);
    const modal = fake.openView('U0ALICE')!;
    expect(modal.view.callback_id).toBe('vouch');

    const rejected = await driver.submitView('U0ALICE', modal.id, { who: { user: 'U0ALICE' } });
    expect(rejected.json).toEqual({ response_action: 'errors', errors: { who: 'Not yourself' } });
    expect(fake.openView('U0ALICE')?.id).toBe(modal.id);

    await driver.submitView('U0ALICE', modal.id, { who: { user: 'U0BOB' } });
    expect(fake.openView('U0ALICE')).toBeUndefined();
    const dm = fake.lastDm('U0ALICE')!;
    expect(blocksText(dm.blocks)).toContain('Asked <@U0BOB>');

    await driver.click('U0ALICE', dm, 'Withdraw');
    expect(fake.message(dm.channel, dm.ts)).toMatchObject({ text: 'Withdrawn', edits: 1 });
    expect(blocksText(fake.message(dm.channel, dm.ts)!.blocks)).toBe('Request withdrawn');

    const forged = await driver.post('payload=%7B%7D', {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest('wrong', 'payload=%7B%7D', Math.floor(Date.now() / 1000)),
    });
    expect(forged.status).toBe(401);
  });
});
