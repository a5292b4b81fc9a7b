import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { App, LogLevel as BoltLogLevel } from '@slack/bolt';
import type { Button, ModalView, SectionBlock } from '@slack/types';
import { ErrorCode, LogLevel, WebClient, type Logger } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SlackDriver } from '../../../src/sandbox/slack/driver.js';
import { blocksText, FakeSlack, type FakeSlackChange } from '../../../src/sandbox/slack/fakeSlack.js';
import { signSlackRequest } from '../../../src/sandbox/slack/signing.js';

// Payloads are asserted field by field; a loose type keeps that readable.
// biome-ignore lint/suspicious/noExplicitAny: field-by-field assertions on JSON payloads
type Loose = Record<string, any>;

const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

function button(text: string, actionId: string, value?: string): Button {
  return { type: 'button', text: { type: 'plain_text', text }, action_id: actionId, ...(value ? { value } : {}) };
}

function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

async function slackError(promise: Promise<unknown>): Promise<Loose> {
  try {
    await promise;
  } catch (err) {
    return err as Loose;
  }
  throw new Error('expected the call to fail');
}

let clock: number;
let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  clock = 1_732_300_000_000;
  fake = new FakeSlack({ now: () => clock });
  await fake.start();
  fake.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Liddell', email: 'Alice@Example.com' });
  fake.addUser({ id: 'U0BOB', name: 'bob' });
  fake.addChannel({ id: 'C0GENERAL', name: 'general', members: ['U0ALICE', 'U0VOUCHBOT'] });
  client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });
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

  it('looks users up by email (case-insensitive) and by id', async () => {
    const found = await client.users.lookupByEmail({ email: 'alice@example.COM' });
    expect(found.user).toMatchObject({ id: 'U0ALICE', name: 'alice', real_name: 'Alice Liddell', deleted: false, is_bot: false });
    expect(found.user?.profile?.email).toBe('Alice@Example.com');
    expect((await slackError(client.users.lookupByEmail({ email: 'nobody@example.com' }))).data.error).toBe('users_not_found');

    const info = await client.users.info({ user: 'U0BOB' });
    expect(info.user?.profile?.display_name).toBe('bob');
    expect((await slackError(client.users.info({ user: 'U0NOPE' }))).data.error).toBe('user_not_found');
  });

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

  it('fails on demand: HTTP 500, 429 with Retry-After, and ok:false, without changing state', async () => {
    fake.failNext('chat.postMessage', { status: 500 });
    const http = await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'a' }));
    expect(http.code).toBe(ErrorCode.HTTPError);
    expect(http.statusCode).toBe(500);

    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const strict = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: silentLogger,
    });
    const limited = await slackError(strict.chat.postMessage({ channel: 'C0GENERAL', text: 'b' }));
    expect(limited.code).toBe(ErrorCode.RateLimitedError);
    expect(limited.retryAfter).toBe(7);

    fake.failNext('chat.postMessage', { error: 'fatal_error' }, 2);
    expect((await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'c' }))).data.error).toBe('fatal_error');
    expect((await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'd' }))).data.error).toBe('fatal_error');

    expect(fake.messages('C0GENERAL')).toHaveLength(0);
    await client.chat.postMessage({ channel: 'C0GENERAL', text: 'e' });
    expect(fake.messages('C0GENERAL').map((m) => m.text)).toEqual(['e']);
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([500, 429, 200, 200, 200]);
    expect(fake.calls('chat.postMessage')[1]!.response).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('fails the calls into one channel only, when told which', async () => {
    fake.failNext('chat.postMessage', { status: 500 }, 2, { channel: 'U0ALICE' });
    await client.chat.postMessage({ channel: 'C0GENERAL', text: 'elsewhere' });
    const strict = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });
    expect((await slackError(strict.chat.postMessage({ channel: 'U0ALICE', text: 'a' }))).code).toBe(ErrorCode.HTTPError);
    const dm = fake.dmChannelId('U0ALICE');
    expect((await slackError(strict.chat.postMessage({ channel: dm, text: 'b' }))).code).toBe(ErrorCode.HTTPError);
    await strict.chat.postMessage({ channel: 'U0ALICE', text: 'c' });
    expect(fake.dm('U0ALICE').map((m) => m.text)).toEqual(['c']);
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([200, 500, 500, 200]);
  });

  it('rate-limits per channel with a sliding window', async () => {
    fake.setRateLimit({ perChannelPerSecond: 1 });
    const strict = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: silentLogger,
    });
    await strict.chat.postMessage({ channel: 'C0GENERAL', text: '1' });
    expect((await slackError(strict.chat.postMessage({ channel: 'C0GENERAL', text: '2' }))).code).toBe(ErrorCode.RateLimitedError);
    await strict.chat.postMessage({ channel: 'U0ALICE', text: 'other channel is fine' });
    clock += 1000;
    await strict.chat.postMessage({ channel: 'C0GENERAL', text: '3' });
    expect(fake.messages('C0GENERAL').map((m) => m.text)).toEqual(['1', '3']);
  });

  it('delays answers so client timeouts can be tested', async () => {
    fake.setDelay('chat.postMessage', 300);
    const impatient = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      timeout: 50,
      logger: silentLogger,
    });
    expect((await slackError(impatient.chat.postMessage({ channel: 'C0GENERAL', text: 'slow' }))).code).toBe(ErrorCode.RequestError);
  });

  it('records every call with parsed args, clock time, status and response', async () => {
    clock += 5000;
    await client.chat.postMessage({ channel: 'C0GENERAL', text: 'hi', blocks: [section('hi')] });
    const [call] = fake.calls('chat.postMessage');
    expect(call).toMatchObject({ method: 'chat.postMessage', at: 1_732_300_005_000, status: 200 });
    expect(call!.args.blocks).toEqual([section('hi')]);
    expect(call!.args.token).toBeUndefined();
    expect(call!.response).toMatchObject({ ok: true, channel: 'C0GENERAL' });
    fake.clearCalls();
    expect(fake.calls()).toEqual([]);
  });

  it('serves private file downloads only with the bot token', async () => {
    const file = fake.addFile({ name: 'résumé.pdf', mimetype: 'application/pdf', content: Buffer.from('%PDF-1.4 fake'), user: 'U0ALICE' });
    const info = await client.files.info({ file: file.id });
    const url = info.file!.url_private_download!;
    expect(info.file).toMatchObject({ id: file.id, name: 'résumé.pdf', mimetype: 'application/pdf', size: 13 });

    expect((await fetch(url)).status).toBe(403);
    expect((await fetch(url, { headers: { Authorization: 'Bearer xoxb-wrong' } })).status).toBe(403);
    const ok = await fetch(url, { headers: { Authorization: `Bearer ${fake.botToken}` } });
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).toString()).toBe('%PDF-1.4 fake');
    expect((await slackError(client.files.info({ file: 'F0NOPE' }))).data.error).toBe('file_not_found');
  });

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

describe('signSlackRequest', () => {
  it("matches Slack's documented example", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toEqual({
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'x-slack-request-timestamp': '1531420618',
    });
  });
});

// ---------------------------------------------------------------------------
// Driver against a stand-in bot endpoint that verifies signatures
// ---------------------------------------------------------------------------

const SECRET = 'test-signing-secret';

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
