import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema.js';
import type { FakeMessage } from '../../src/sandbox/slack/index.js';
import { text } from '../support/blocks.js';
import { people, startHarness, SUPPORT_CHANNEL, type Harness } from '../support/harness.js';
import { channelMessage, letterBytes, orphanedAccount, requestAccess, threadReplies } from '../support/recovery.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const { other, supportA } = people;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The thread replies that share a file, with the file as the stand-in keeps it. */
const sharedFiles = (parent: FakeMessage) =>
  threadReplies(h, parent)
    .filter((m) => (m.files ?? []).length > 0)
    .map((m) => ({ comment: m.text, files: (m.files ?? []).map((id) => h.slack.file(id)!) }));
const letterRows = async () => (await h.database.db.select().from(outbox)).filter((r) => r.key.startsWith('letter:'));

/** Moves the clock and lets the outbox retry whatever fell due. */
async function later(ms: number) {
  h.clock.advance(ms);
  await h.vouch.idle();
}

describe('Workflow 2: the letter in the request’s thread, readable by support', () => {
  it('is uploaded into the thread with its SHA-256: the thread holds a file with the same bytes', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    const { file: original } = await requestAccess(h);
    const posted = channelMessage(h);
    expect(text(posted)).toContain('uploaded into this request’s thread');
    const shared = sharedFiles(posted);
    expect(shared).toHaveLength(1);
    const [upload] = shared;
    const reference = /REC-[A-Z0-9]{6}/.exec(posted.text)?.[0];
    expect(upload!.comment).toBe(
      `:page_facing_up: The signed letter of ${reference}, as the requester sent it: *letter.pdf*, SHA-256 \`${sha256(letterBytes)}\`.`,
    );
    expect(upload!.files.map((f) => [f.name, f.user])).toEqual([['letter.pdf', h.slack.botUserId]]);
    // A file of its own, shared in the channel: the same bytes as the one the requester attached.
    expect(upload!.files[0]!.id).not.toBe(original.id);
    expect(upload!.files[0]!.content.equals(letterBytes)).toBe(true);
    expect(sha256(upload!.files[0]!.content)).toBe(sha256(letterBytes));
    // Through the upload address Slack gave, and completed into the request's thread.
    expect(h.slack.calls('files.getUploadURLExternal').map((c) => [c.args.filename, c.args.length])).toEqual([
      ['letter.pdf', String(letterBytes.length)],
    ]);
    expect(h.slack.calls('files.completeUploadExternal').map((c) => [c.args.channel_id, c.args.thread_ts])).toEqual([
      [SUPPORT_CHANNEL, posted.ts],
    ]);
    expect((await letterRows()).map((r) => r.status)).toEqual(['sent']);
  });

  it('Slack failing the upload is retried like every write: the file arrives once', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    h.slack.failNext('file_upload', { status: 500 });
    h.slack.failNext('files.completeUploadExternal', { status: 500 });
    await requestAccess(h);
    const posted = channelMessage(h);
    expect(sharedFiles(posted)).toHaveLength(0);
    for (let i = 0; i < 6 && sharedFiles(posted).length === 0; i++) await later(10 * 60_000);
    expect(sharedFiles(posted)).toHaveLength(1);
    expect(sharedFiles(posted)[0]!.files[0]!.content.equals(letterBytes)).toBe(true);
    expect((await letterRows()).map((r) => [r.status, r.attempts])).toEqual([['sent', 3]]);
  });

  it('a letter whose bytes changed since they were fingerprinted is not uploaded: the row is dead, and the thread has no file', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    // The letter's upload waits for the request's post, which waits for Slack here.
    h.slack.failNext('chat.postMessage', { status: 500 }, 1, { channel: SUPPORT_CHANNEL });
    const { file } = await requestAccess(h);
    h.slack.file(file.id)!.content = Buffer.from('another letter');
    for (let i = 0; i < 3; i++) await later(10 * 60_000);
    const posted = channelMessage(h);
    expect(posted).toBeDefined();
    expect(sharedFiles(posted)).toHaveLength(0);
    const [row] = await letterRows();
    expect(row).toMatchObject({ status: 'dead', lastError: expect.stringContaining('changed since they were fingerprinted') });
    expect(h.slack.calls('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('a corrected letter sent with an answer is uploaded into the thread too', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    await requestAccess(h);
    const posted = channelMessage(h);
    await h.driver.click(supportA.id, posted, 'Ask for more information');
    await h.driver.submitView(supportA.id, h.slack.openView(supportA.id)!.id, { recovery_question: 'Please send it signed.' });
    await h.driver.click(other.id, h.slack.lastDm(other.id)!, 'Reply');
    const signed = Buffer.from('%PDF-1.4 now signed in ink');
    const file = h.slack.addFile({ name: 'signed.pdf', mimetype: 'application/pdf', content: signed, user: other.id });
    await h.driver.submitView(other.id, h.slack.openView(other.id)!.id, {
      recovery_answer: 'Signed.',
      corrected_letter: { files: [{ id: file.id, name: file.name }] },
    });
    const shared = sharedFiles(posted);
    expect(shared.map((s) => s.files[0]!.name)).toEqual(['letter.pdf', 'signed.pdf']);
    expect(shared[1]!.files[0]!.content.equals(signed)).toBe(true);
    expect(shared[1]!.comment).toContain(sha256(signed));
    // After the answer that announced it ("uploaded below").
    const replies = threadReplies(h, posted);
    const answered = replies.findIndex((m) => text(m).includes('answered'));
    const uploaded = replies.findIndex((m) => (m.files ?? []).includes(shared[1]!.files[0]!.id));
    expect(answered).toBeGreaterThanOrEqual(0);
    expect(uploaded).toBeGreaterThan(answered);
    expect(await h.database.db.select().from(outbox).where(eq(outbox.status, 'dead'))).toEqual([]);
  });
});
