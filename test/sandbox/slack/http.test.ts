// The stand-in's HTTP server (http.ts): every call recorded, private file downloads.

import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { FakeSlack } from '../../../src/sandbox/slack/index.js';
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
});
