// The stand-in's files methods (methods/files.ts): files.info, and the two-step upload with the
// bytes posted to the upload URL between (served by http.ts).

import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { FakeSlack } from '../../../src/sandbox/slack/index.js';
import { slackError, START, startFakeSlack } from './setup.js';

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

const bytes = Buffer.from('%PDF-1.4 signed in ink');

async function begin(filename = 'letter.pdf', length = bytes.length) {
  const { upload_url: url, file_id: id } = await client.files.getUploadURLExternal({ filename, length });
  return { url: url!, id: id! };
}

describe('uploading a file: an upload URL, the bytes, then completing it', () => {
  it('shares the file in a thread with a comment; the message holds the file, the file the same bytes', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'the request' });
    const upload = await begin();
    const sent = await fetch(upload.url, { method: 'POST', body: bytes });
    expect(sent.status).toBe(200);
    const done = await client.files.completeUploadExternal({
      files: [{ id: upload.id, title: 'Letter' }],
      channel_id: 'C0GENERAL',
      thread_ts: parent.ts!,
      initial_comment: 'Here is the *letter*.',
    });
    expect(done.files).toEqual([{ id: upload.id, title: 'Letter' }]);
    const reply = fake.messages('C0GENERAL').find((m) => m.threadTs === parent.ts)!;
    expect(reply).toMatchObject({ text: 'Here is the *letter*.', files: [upload.id] });
    expect(fake.messagePayload(reply).files).toEqual([
      expect.objectContaining({ id: upload.id, name: 'letter.pdf', mimetype: 'application/pdf' }),
    ]);
    const file = fake.file(upload.id)!;
    expect(file.content.equals(bytes)).toBe(true);
    expect(file.user).toBe(fake.botUserId);
    expect(fake.calls('file_upload').map((c) => c.args)).toEqual([{ upload: expect.any(String), bytes: bytes.length }]);
  });

  it('refuses to complete an upload whose bytes never arrived, or not as many as announced', async () => {
    const never = await begin();
    expect((await slackError(client.files.completeUploadExternal({ files: [{ id: never.id }] }))).data.error).toBe(
      'file_upload_size_mismatch',
    );
    const short = await begin('letter.pdf', bytes.length + 1);
    await fetch(short.url, { method: 'POST', body: bytes });
    expect((await slackError(client.files.completeUploadExternal({ files: [{ id: short.id }] }))).data.error).toBe(
      'file_upload_size_mismatch',
    );
    expect(fake.file(never.id)).toBeUndefined();
  });

  it('refuses an unknown file, channel or thread, and bad arguments', async () => {
    expect((await slackError(client.files.getUploadURLExternal({ filename: 'x.pdf', length: 0 }))).data.error).toBe('invalid_arguments');
    expect((await slackError(client.files.completeUploadExternal({ files: [{ id: 'F0NOPE' }] }))).data.error).toBe('file_not_found');
    const upload = await begin();
    await fetch(upload.url, { method: 'POST', body: bytes });
    expect((await slackError(client.files.completeUploadExternal({ files: [{ id: upload.id }], channel_id: 'C0NOPE' }))).data.error).toBe(
      'channel_not_found',
    );
    expect(
      (
        await slackError(
          client.files.completeUploadExternal({ files: [{ id: upload.id }], channel_id: 'C0GENERAL', thread_ts: '1.000001' }),
        )
      ).data.error,
    ).toBe('invalid_thread_ts');
    expect((await fetch(`${fake.baseUrl}/upload/u0nope`, { method: 'POST', body: bytes })).status).toBe(404);
  });

  it('an upload can be made to fail on demand, like any call', async () => {
    const upload = await begin();
    fake.failNext('file_upload', { status: 500 });
    expect((await fetch(upload.url, { method: 'POST', body: bytes })).status).toBe(500);
    expect((await fetch(upload.url, { method: 'POST', body: bytes })).status).toBe(200);
  });
});
