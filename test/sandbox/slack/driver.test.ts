// The driver (driver.ts, botTransport.ts, interaction.ts, modalState.ts) against a stand-in bot
// endpoint that verifies signatures.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { blocksText, SlackDriver, signSlackRequest, type FakeSlack } from '../../../src/sandbox/slack/index.js';
import { button, type Loose, SECRET, section, START, startFakeSlack } from './setup.js';

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

// ---------------------------------------------------------------------------
// Driver against a stand-in bot endpoint that verifies signatures
// ---------------------------------------------------------------------------

interface Received {
  contentType: string | undefined;
  form: URLSearchParams;
  payload: Loose | undefined;
  json: Loose | undefined;
}

describe('SlackDriver', () => {
  let bot: Server;
  let received: Received[];
  let reply: (r: Received) => { status: number; body: string };
  let settles: number;
  let driver: SlackDriver;

  beforeEach(async () => {
    received = [];
    reply = () => ({ status: 200, body: '' });
    settles = 0;
    bot = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const ts = Number(req.headers['x-slack-request-timestamp']);
        const expected = signSlackRequest(SECRET, body, ts)['x-slack-signature'];
        if (req.headers['x-slack-signature'] !== expected) {
          res.writeHead(401).end('bad signature');
          return;
        }
        const contentType = req.headers['content-type'];
        const form = new URLSearchParams(contentType?.includes('json') ? '' : body);
        const payloadField = form.get('payload');
        const r: Received = {
          contentType,
          form,
          payload: payloadField ? (JSON.parse(payloadField) as Loose) : undefined,
          json: contentType?.includes('json') ? (JSON.parse(body) as Loose) : undefined,
        };
        received.push(r);
        const out = reply(r);
        res.writeHead(out.status, { 'content-type': 'application/json' }).end(out.body);
      });
    });
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    const { port } = bot.address() as AddressInfo;
    driver = new SlackDriver({
      slack: fake,
      eventsUrl: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SECRET,
      settle: async () => {
        settles += 1;
      },
    });
  });

  afterEach(async () => {
    bot.closeAllConnections();
    await new Promise<void>((resolve) => bot.close(() => resolve()));
  });

  it('sends signed slash commands with Slack form fields', async () => {
    const res = await driver.command('U0ALICE', 'vouch @bob');
    expect(res.status).toBe(200);
    expect(settles).toBe(1);
    const form = received[0]!.form;
    expect(Object.fromEntries(form)).toMatchObject({
      team_id: 'T0VOUCH',
      channel_id: fake.dmChannelId('U0ALICE'),
      channel_name: 'directmessage',
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/enterprise',
      text: 'vouch @bob',
      api_app_id: 'A0VOUCH',
    });
    // The trigger id opens a modal for that user; the response_url answers them.
    const opened = await client.views.open({
      trigger_id: form.get('trigger_id')!,
      view: { type: 'modal', title: { type: 'plain_text', text: 'Hi' }, blocks: [] },
    });
    expect(fake.openView('U0ALICE')?.id).toBe(opened.view!.id);
    await fetch(form.get('response_url')!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Got it' }),
    });
    expect(fake.lastEphemeral('U0ALICE')?.text).toBe('Got it');
  });

  it('clicks buttons in messages with a block_actions payload', async () => {
    const posted = await client.chat.postMessage({
      channel: 'U0ALICE',
      text: 'Vouch request',
      blocks: [
        section('Bob asks you to vouch'),
        {
          type: 'actions',
          block_id: 'decide',
          elements: [{ ...button('Approve', 'approve', 'req-1'), style: 'primary' }, button('Decline', 'decline', 'req-1')],
        },
      ],
    });
    await driver.click('U0ALICE', fake.lastDm('U0ALICE')!, 'Approve');
    const p = received[0]!.payload!;
    expect(p).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: 'T0VOUCH' },
      team: { id: 'T0VOUCH' },
      api_app_id: 'A0VOUCH',
      container: { type: 'message', message_ts: posted.ts, channel_id: posted.channel, is_ephemeral: false },
      channel: { id: posted.channel },
      message: { ts: posted.ts, text: 'Vouch request', user: 'U0VOUCHBOT' },
      actions: [
        {
          type: 'button',
          action_id: 'approve',
          block_id: 'decide',
          value: 'req-1',
          style: 'primary',
          text: { type: 'plain_text', text: 'Approve', emoji: true },
        },
      ],
    });
    expect(p.message.blocks).toHaveLength(2);
    expect(p.actions[0].action_ts).toMatch(/^\d+\.\d{6}$/);
    expect(typeof p.trigger_id).toBe('string');

    // The response_url is bound to the clicked message.
    await fetch(p.response_url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Approved' }),
    });
    expect(fake.message(posted.channel!, posted.ts!)?.text).toBe('Approved');

    await expect(driver.click('U0ALICE', posted as { channel: string; ts: string }, 'Maybe')).rejects.toThrow(
      /buttons present: "Approve" \(approve\), "Decline" \(decline\)/,
    );
    await expect(driver.click('U0BOB', fake.lastDm('U0ALICE')!, 'Approve')).rejects.toThrow(/cannot see/);
  });

  it('clicks buttons in ephemerals without a message field', async () => {
    await client.chat.postEphemeral({
      channel: 'C0GENERAL',
      user: 'U0ALICE',
      text: 'e',
      blocks: [{ ...section('Undo?'), accessory: button('Undo', 'undo') }],
    });
    await driver.clickEphemeral('U0ALICE', fake.lastEphemeral('U0ALICE')!, 'Undo');
    const p = received[0]!.payload!;
    expect(p.container).toMatchObject({ type: 'message', channel_id: 'C0GENERAL', is_ephemeral: true });
    expect(p.message).toBeUndefined();
    expect(p.actions[0].action_id).toBe('undo');
  });

  async function openForm(extra: Partial<ModalView> = {}): Promise<string> {
    const res = await client.views.open({
      trigger_id: fake.newTriggerId('U0ALICE'),
      view: {
        type: 'modal',
        callback_id: 'vouch_form',
        private_metadata: '{"requestId":1}',
        title: { type: 'plain_text', text: 'Vouch' },
        submit: { type: 'plain_text', text: 'Send' },
        ...extra,
        blocks: [
          {
            type: 'input',
            block_id: 'reason_b',
            label: { type: 'plain_text', text: 'Reason' },
            element: { type: 'plain_text_input', action_id: 'reason' },
          },
          {
            type: 'input',
            block_id: 'who_b',
            label: { type: 'plain_text', text: 'Who' },
            element: { type: 'users_select', action_id: 'who' },
          },
          {
            type: 'input',
            block_id: 'cc_b',
            optional: true,
            label: { type: 'plain_text', text: 'CC' },
            element: { type: 'multi_users_select', action_id: 'cc' },
          },
          {
            type: 'input',
            block_id: 'level_b',
            label: { type: 'plain_text', text: 'Level' },
            element: {
              type: 'static_select',
              action_id: 'level',
              options: [
                { text: { type: 'plain_text', text: 'Strong' }, value: 'strong' },
                { text: { type: 'plain_text', text: 'Weak' }, value: 'weak' },
              ],
            },
          },
          {
            type: 'input',
            block_id: 'cv_b',
            optional: true,
            label: { type: 'plain_text', text: 'CV' },
            element: { type: 'file_input', action_id: 'cv' },
          },
          {
            type: 'input',
            block_id: 'email_b',
            label: { type: 'plain_text', text: 'Email' },
            element: { type: 'email_text_input', action_id: 'email', initial_value: 'a@b.c' },
          },
          { type: 'actions', elements: [button('Preview', 'preview')] },
        ],
      },
    });
    return res.view!.id!;
  }

  it('submits modals with Slack-shaped state and closes them on an empty ack', async () => {
    const viewId = await openForm();
    await driver.submitView('U0ALICE', viewId, {
      reason: 'Great engineer',
      who: { user: 'U0BOB' },
      level: { option: 'Strong' },
      cv: { files: [{ id: 'F0CV', name: 'cv.pdf', mimetype: 'application/pdf' }] },
    });
    const p = received[0]!.payload!;
    expect(p).toMatchObject({ type: 'view_submission', user: { id: 'U0ALICE' }, team: { id: 'T0VOUCH' }, response_urls: [] });
    expect(p.view).toMatchObject({
      id: viewId,
      type: 'modal',
      callback_id: 'vouch_form',
      private_metadata: '{"requestId":1}',
      root_view_id: viewId,
      app_id: 'A0VOUCH',
      bot_id: 'B0VOUCH',
    });
    expect(p.view.title.text).toBe('Vouch');
    const v = p.view.state.values;
    expect(v.reason_b.reason).toEqual({ type: 'plain_text_input', value: 'Great engineer' });
    expect(v.who_b.who).toEqual({ type: 'users_select', selected_user: 'U0BOB' });
    expect(v.cc_b.cc).toEqual({ type: 'multi_users_select', selected_users: [] });
    expect(v.level_b.level).toEqual({
      type: 'static_select',
      selected_option: { text: { type: 'plain_text', text: 'Strong' }, value: 'strong' },
    });
    expect(v.cv_b.cv.type).toBe('file_input');
    expect(v.cv_b.cv.files[0]).toMatchObject({ id: 'F0CV', name: 'cv.pdf', mimetype: 'application/pdf' });
    expect(v.email_b.email).toEqual({ type: 'email_text_input', value: 'a@b.c' });
    expect(fake.openView('U0ALICE')).toBeUndefined();
    expect(fake.calls('response_action')[0]!.response).toMatchObject({ ok: true, action: 'close' });
  });

  it('keeps the modal open on response_action errors and rejects errors keyed wrongly', async () => {
    const viewId = await openForm();
    reply = () => ({ status: 200, body: JSON.stringify({ response_action: 'errors', errors: { reason_b: 'Too short' } }) });
    const res = await driver.submitView('U0ALICE', viewId, { reason: 'x', who: 'U0BOB', level: 'weak' });
    expect(res.json).toEqual({ response_action: 'errors', errors: { reason_b: 'Too short' } });
    expect(fake.openView('U0ALICE')?.id).toBe(viewId);

    // What the user typed survives; only the new value changes.
    reply = () => ({ status: 200, body: JSON.stringify({ response_action: 'errors', errors: { reason: 'keyed by action_id' } }) });
    await expect(driver.submitView('U0ALICE', viewId, { reason: 'longer reason' })).rejects.toThrow(/not the block_id of an input block/);
    expect(received[1]!.payload!.view.state.values.who_b.who.selected_user).toBe('U0BOB');

    await expect(driver.submitView('U0ALICE', viewId, { nope: 'x' })).rejects.toThrow(/no input with action_id nope/);
    await expect(driver.submitView('U0ALICE', viewId, { level: 'medium' })).rejects.toThrow(/no option "medium"/);
  });

  it('applies update and push acks', async () => {
    const viewId = await openForm();
    const next: ModalView = { type: 'modal', title: { type: 'plain_text', text: 'Thanks' }, blocks: [section('Sent!')] };
    reply = () => ({ status: 200, body: JSON.stringify({ response_action: 'push', view: next }) });
    await driver.submitView('U0ALICE', viewId, { reason: 'r', who: 'U0BOB', level: 'weak' });
    const pushed = fake.openView('U0ALICE')!;
    expect(pushed.id).not.toBe(viewId);
    expect(pushed.rootViewId).toBe(viewId);
    expect(fake.viewStack('U0ALICE')).toHaveLength(2);

    // Closing the pushed view returns to the form.
    expect(await driver.closeView('U0ALICE', pushed.id)).toBeUndefined();
    expect(fake.openView('U0ALICE')?.id).toBe(viewId);

    reply = () => ({ status: 200, body: JSON.stringify({ response_action: 'update', view: next }) });
    await driver.submitView('U0ALICE', viewId, {});
    expect(fake.openView('U0ALICE')?.id).toBe(viewId);
    expect(blocksText(fake.openView('U0ALICE')!.view.blocks)).toBe('Sent!');
  });

  it('sends view_closed when notify_on_close is set', async () => {
    const viewId = await openForm({ notify_on_close: true });
    const res = await driver.closeView('U0ALICE', viewId);
    expect(res?.status).toBe(200);
    expect(received[0]!.payload).toMatchObject({ type: 'view_closed', is_cleared: false, view: { id: viewId, callback_id: 'vouch_form' } });
    expect(fake.openView('U0ALICE')).toBeUndefined();
  });

  it('clicks buttons in modals and on the Home tab', async () => {
    const viewId = await openForm();
    await driver.clickInView('U0ALICE', viewId, 'Preview');
    expect(received[0]!.payload).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: viewId },
      view: { id: viewId },
      actions: [{ action_id: 'preview' }],
    });
    expect(received[0]!.payload!.view.state).toEqual({ values: {} });

    await client.views.publish({
      user_id: 'U0BOB',
      view: { type: 'home', blocks: [{ type: 'actions', elements: [button('New request', 'new_request')] }] },
    });
    await driver.clickHome('U0BOB', 'New request');
    expect(received[1]!.payload).toMatchObject({
      container: { type: 'view', view_id: fake.homeView('U0BOB')!.id },
      view: { type: 'home' },
    });
  });

  it('delivers events and raw bodies', async () => {
    await driver.appHomeOpened('U0ALICE');
    expect(received[0]!.json).toMatchObject({
      type: 'event_callback',
      team_id: 'T0VOUCH',
      event: { type: 'app_home_opened', user: 'U0ALICE', tab: 'home' },
    });

    const forged = await driver.post('payload=%7B%7D', {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest('wrong', 'payload=%7B%7D', 1),
    });
    expect(forged.status).toBe(401);
    const body = 'payload=%7B%7D';
    const signed = await driver.post(body, { 'content-type': 'application/x-www-form-urlencoded', ...driver.signedHeaders(body) });
    expect(signed.status).toBe(200);
  });
});
