import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { recoveryRequests } from '../../src/db/schema.js';
import { blocksText, type FakeMessage } from '../../src/sandbox/slack/index.js';
import { DAY, HOUR } from '../support/clock.js';
import { buttonsOf, text } from '../support/blocks.js';
import { people, startHarness, type Harness } from '../support/harness.js';
import { channelMessage, letterBytes, orphanedAccount, requestAccess, thread, validForm } from '../support/recovery.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const { other, colleague, supportA, supportB } = people;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const signedBytes = Buffer.from('%PDF-1.4 the same letter, now signed in ink by the CEO');

/** The requester's receipt: the first DM Vouch sent them about the request, as it reads now. */
const receiptOf = (userId: string = other.id): FakeMessage => {
  const first = h.slack.dm(userId).find((m) => text(m).includes('Your admin recovery request'));
  if (!first) throw new Error(`no receipt in the DM of ${userId}`);
  return h.slack.message(first.channel, first.ts)!;
};
const now = (m: FakeMessage) => h.slack.message(m.channel, m.ts)!;

/** Support clicks Ask for more information on the request and sends `question`. */
async function ask(question: string, by: string = supportA.id) {
  await h.driver.click(by, channelMessage(h), 'Ask for more information');
  const modal = h.slack.openView(by)!;
  expect(modal.view).toMatchObject({ callback_id: 'recovery_ask' });
  const res = await h.driver.submitView(by, modal.id, { recovery_question: question });
  return { res, question: h.slack.lastDm(other.id)! };
}

/** The requester clicks Reply on the question and sends `answer`, with a corrected letter if given. */
async function answer(question: FakeMessage, answerText: string, letter?: { name: string; content: Buffer }) {
  await h.driver.click(other.id, question, 'Reply');
  const modal = h.slack.openView(other.id)!;
  expect(modal.view).toMatchObject({ callback_id: 'recovery_answer' });
  const file = letter ? h.slack.addFile({ name: letter.name, mimetype: 'application/pdf', content: letter.content, user: other.id }) : null;
  return h.driver.submitView(other.id, modal.id, {
    recovery_answer: answerText,
    ...(file ? { corrected_letter: { files: [{ id: file.id, name: file.name }] } } : {}),
  });
}

describe('Workflow 2: the requester’s receipt', () => {
  it('comes by DM with the reference, what was sent and what happens next, and is edited once approved', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    await requestAccess(h);
    const reference = /REC-[A-Z0-9]{6}/.exec(blocksText(h.slack.openView(other.id)!.view.blocks as never))?.[0];
    expect(reference).toBeDefined();
    const receipt = receiptOf();
    const shown = text(receipt);
    expect(receipt.text).toBe(`Your request ${reference}: waiting for support’s review.`);
    for (const item of [
      `Your admin recovery request ${reference}`,
      'Waiting for support’s review',
      '*Account*\nAcme Corp',
      `*E-mail to add*\n${other.email}`,
      '*Contract number*\nC-1001',
      '*Officer*\nCasey Chief, Chief Executive Officer',
      '*Officer’s e-mail*\ncasey@acme.example',
      '*Signed letter*\nletter.pdf',
      validForm.reason,
      sha256(letterBytes),
      '*What happens next*',
    ]) {
      expect(shown).toContain(item);
    }
    expect(buttonsOf(receipt)).toEqual([]);

    await h.driver.click(supportA.id, channelMessage(h), 'Approve');
    const approved = now(receipt);
    expect(approved.edits).toBeGreaterThan(0);
    expect(text(approved)).toContain(`*Approved*`);
    expect(text(approved)).toContain(`<@${other.id}> is now an admin of *Acme Corp*`);
    expect(text(approved)).not.toContain('What happens next');
    expect(text(h.slack.lastDm(other.id))).toContain('Support approved your request');
  });

  it('once rejected, says so with the reason', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    await requestAccess(h);
    await h.driver.click(supportB.id, channelMessage(h), 'Reject');
    await h.driver.submitView(supportB.id, h.slack.openView(supportB.id)!.id, { rejection_reason: 'The letter is not signed.' });
    const shown = text(receiptOf());
    expect(shown).toContain('*Not approved*');
    expect(shown).toContain('The letter is not signed.');
    expect(shown).toContain('`/enterprise recover`');
  });
});

describe('Workflow 2: Ask for more information', () => {
  it('support asks; the requester gets the question by DM with Reply; the answer comes into the thread and the request is back for review', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    await requestAccess(h);
    const posted = channelMessage(h);
    const stale = structuredClone(posted);
    expect(buttonsOf(posted)).toEqual(['Approve', 'Ask for more information', 'Reject']);

    const { question } = await ask('Who is Casey Chief? The letter does not say.');
    // The requester's DM: the question, with Reply.
    expect(text(question)).toContain(`<@${supportA.id}> from support asks about your request`);
    expect(text(question)).toContain('&gt;Who is Casey Chief? The letter does not say.');
    expect(buttonsOf(question)).toEqual(['Reply']);
    // The receipt says what was asked; the post waits for the answer with Reject alone.
    expect(text(receiptOf())).toContain('Support asked for more information');
    expect(text(now(posted))).toContain('Waiting for the requester’s answer');
    expect(buttonsOf(now(posted))).toEqual(['Reject']);
    expect(thread(h, posted).map(text)).toEqual([expect.stringContaining(`<@${supportA.id}> asked <@${other.id}> for more information`)]);
    // An Approve left on someone's screen changes nothing meanwhile.
    await h.driver.click(supportB.id, posted, 'Approve', { staleBlocks: stale.blocks });
    expect(text(h.slack.lastEphemeral(supportB.id))).toContain('waits for the requester’s answer');

    const res = await answer(question, 'Casey is our CEO since March.');
    expect(blocksText(h.slack.openView(other.id)!.view.blocks as never)).toContain('Support has your answer');
    expect(res.status).toBe(200);
    expect(text(thread(h, posted).at(-1))).toContain(`<@${other.id}> answered <@${supportA.id}>’s question`);
    expect(text(thread(h, posted).at(-1))).toContain('&gt;Casey is our CEO since March.');
    expect(text(thread(h, posted).at(-1))).toContain('The request is back for review.');
    expect(buttonsOf(now(posted))).toEqual(['Approve', 'Ask for more information', 'Reject']);
    expect(text(now(question))).toContain('You answered');
    expect(buttonsOf(now(question))).toEqual([]);
    expect(text(receiptOf())).toContain('Waiting for support’s review');

    await h.driver.click(supportB.id, now(posted), 'Approve');
    expect((await h.database.db.select().from(recoveryRequests))[0]).toMatchObject({ status: 'approved', addedUserId: other.id });
  });

  it('a corrected letter replaces the one under review: its name and SHA-256 in the thread and the post; approvals for the old one no longer count', async () => {
    h = await startHarness({ recoveryApprovals: 2 });
    await orphanedAccount(h);
    await requestAccess(h);
    const posted = channelMessage(h);
    await h.driver.click(supportB.id, posted, 'Approve');
    expect(text(now(posted))).toContain('Approvals: 1 of 2');
    const { question } = await ask('The letter is not signed. Please send one signed in ink.');
    await answer(question, 'Here it is, signed.', { name: 'signed.pdf', content: signedBytes });
    expect(blocksText(h.slack.openView(other.id)!.view.blocks as never)).toContain('on its way to support with the corrected letter');
    const said = thread(h, posted).map(text).join('\n');
    expect(said).toContain(`With a corrected letter, *signed.pdf* (SHA-256 \`${sha256(signedBytes)}\`)`);
    expect(said).toContain(`The approval of <@${supportB.id}> was for the previous letter and no longer counts.`);
    expect(text(now(posted))).toContain('signed.pdf');
    expect(text(now(posted))).toContain(sha256(signedBytes));
    expect(text(now(posted))).toContain('Approvals: 0 of 2');
    expect(text(receiptOf())).toContain(sha256(signedBytes));
    const [row] = await h.database.db.select().from(recoveryRequests);
    expect(row).toMatchObject({ letterFileName: 'signed.pdf', letterSha256: sha256(signedBytes), status: 'open' });
  });

  it('a corrected letter that cannot be read sends nothing: the requester is told by DM and can reply again', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    await requestAccess(h);
    const { question } = await ask('Please send the signed letter.');
    h.slack.failNext('files.info', { error: 'file_not_found' });
    await answer(question, 'Attached.', { name: 'signed.pdf', content: signedBytes });
    expect(text(h.slack.lastDm(other.id))).toContain('could not be sent to support');
    expect(buttonsOf(now(question))).toEqual(['Reply']);
    expect((await h.database.db.select().from(recoveryRequests))[0]).toMatchObject({ status: 'awaiting_info' });
    await answer(now(question), 'Attached again.', { name: 'signed.pdf', content: signedBytes });
    expect((await h.database.db.select().from(recoveryRequests))[0]).toMatchObject({ status: 'open', letterSha256: sha256(signedBytes) });
  });

  it('a rejection while the question waits: the question DM says no answer is needed, and a Reply left on screen changes nothing', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    await requestAccess(h);
    const { question } = await ask('Which account?');
    const stale = structuredClone(question);
    await h.driver.click(supportB.id, channelMessage(h), 'Reject');
    await h.driver.submitView(supportB.id, h.slack.openView(supportB.id)!.id, { rejection_reason: 'No such account.' });
    expect(text(now(question))).toContain('No answer is needed any more');
    expect(buttonsOf(now(question))).toEqual([]);
    await h.driver.click(other.id, question, 'Reply', { staleBlocks: stale.blocks });
    expect(text(h.slack.lastEphemeral(other.id))).toContain('no answer is needed any more');
    expect(text(receiptOf())).toContain('*Not approved*');
  });

  it('only support asks, and nobody about their own request', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    h.slack.setChannelMembers('C0SUPPORT', [supportA.id, supportB.id, colleague.id]);
    await requestAccess(h, colleague.id);
    await h.driver.click(colleague.id, channelMessage(h), 'Ask for more information');
    expect(text(h.slack.lastEphemeral(colleague.id))).toContain('You cannot decide your own request');
    expect(h.slack.openView(colleague.id)?.view).not.toMatchObject({ callback_id: 'recovery_ask' });
  });

  it('while the question waits, the requester is reminded by DM, and support’s thread is not', async () => {
    h = await startHarness();
    await orphanedAccount(h);
    await requestAccess(h);
    const posted = channelMessage(h);
    await ask('Which account?');
    const dms = h.slack.dm(other.id).length;
    h.clock.advance(DAY - HOUR);
    await h.vouch.jobs.runAll();
    await h.vouch.idle();
    expect(h.slack.dm(other.id)).toHaveLength(dms);
    h.clock.advance(HOUR);
    await h.vouch.jobs.runAll();
    await h.vouch.idle();
    expect(text(h.slack.lastDm(other.id))).toContain('Support is still waiting for your answer');
    expect(thread(h, posted).map(text).join('\n')).not.toContain('Still waiting for a decision');
  });
});
