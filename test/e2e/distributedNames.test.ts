// People across workspaces, distributed, end to end: a recovery request filed from customer
// workspace Beta is reviewed in the provider's support channel. A mention of someone of another
// workspace does not resolve there, so each side names the other's people in words (their Slack
// name and their workspace's name), and support's post links no file of Beta's, which support
// cannot open (the letter is the copy uploaded into the request's thread).

import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accounts, adminMemberships, recoveryRequests } from '../../src/db/schema.js';
import type { FakeMessage, FakeWorkspace } from '../../src/sandbox/slack/index.js';
import { buttonsOf, text } from '../support/blocks.js';
import { installThroughBrowser, startDistributedHarness, type DistributedHarness } from '../support/distribution.js';
import { people, PROVISIONING_TOKEN, SUPPORT_CHANNEL } from '../support/harness.js';
import { letterBytes } from '../support/recovery.js';

let h: DistributedHarness;
beforeEach(async () => {
  h = await startDistributedHarness();
});
afterEach(async () => {
  await h?.close();
});

const { supportA } = people;
/** Beta's people; the requester's Slack name is text they control, with markup in it. */
const requester = { id: 'U0BREQ', name: 'rex', realName: 'Rex *Requester* <@U0SUPPORTA>', email: 'rex@beta.example' };
const officer = { id: 'U0BCEO', name: 'cleo', realName: 'Cleo Chief', email: 'cleo@beta.example' };
const betaIds = [requester.id, officer.id, people.primary.id];

async function provision(body: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${h.baseUrl}/api/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PROVISIONING_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await h.vouch.idle();
  return res.status;
}

/** All three workspaces installed; Beta's account has no admin left, and Beta's requester files a recovery request. */
async function fileFromBeta(beforeFiling = () => {}): Promise<{ letterPermalink: string }> {
  for (const [workspace, userId] of [
    [h.provider, supportA.id],
    [h.acme, people.primary.id],
    [h.beta, people.primary.id],
  ] as Array<[FakeWorkspace, string]>) {
    expect((await installThroughBrowser(h, { teamId: workspace.teamId, userId })).status).toBe(200);
  }
  for (const person of [requester, officer]) h.beta.addUser(person);
  expect(await provision({ name: 'Beta Ltd', contractNumber: 'B-7', primaryContactUserId: people.primary.id, slackTeamId: 'T0BETA' })).toBe(
    201,
  );
  const [account] = await h.database.db.select().from(accounts).where(eq(accounts.teamId, 'T0BETA'));
  await h.database.db
    .update(adminMemberships)
    .set({ removedAt: h.clock.now(), removedBy: 'test' })
    .where(eq(adminMemberships.accountId, account!.id));
  const beta = h.driver(h.beta);
  beforeFiling();
  await beta.commandShown(requester.id, 'recover');
  await beta.clickEphemeral(requester.id, h.beta.lastEphemeral(requester.id)!, 'Request admin access');
  const letter = h.beta.addFile({ name: 'letter.pdf', mimetype: 'application/pdf', content: letterBytes, user: requester.id });
  const filed = await beta.submitView(requester.id, h.beta.openView(requester.id)!.id, {
    account_name: 'Beta Ltd',
    email_to_add: requester.email,
    reason: 'Our only admin left and their mailbox is gone.',
    contract_number: 'B-7',
    officer_name: 'Cleo Chief',
    officer_title: 'Chief Executive Officer',
    officer_email: officer.email,
    letter: { files: [{ id: letter.id, name: letter.name }] },
  } as never);
  expect(filed.status).toBe(200);
  await h.vouch.idle();
  const [request] = await h.database.db.select().from(recoveryRequests);
  expect(request?.letterPermalink).toBeTruthy();
  return { letterPermalink: request!.letterPermalink! };
}

/** Support's post of the request, as it stands now. */
const supportPost = (): FakeMessage =>
  h.provider
    .messages(SUPPORT_CHANNEL)
    .filter((m) => !m.threadTs)
    .at(-1) as FakeMessage;
const threadOf = (post: FakeMessage) => h.provider.messages(SUPPORT_CHANNEL).filter((m) => m.threadTs === post.ts);
/** Everything Slack would read of a message: its notification text and its blocks. */
const markup = (m: FakeMessage) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`;
/** The requester's name as it must show: every mark shown as typed, no mention alive. */
const requesterInWords = 'Rex <!date^00000000^{_}|*>Requester<!date^00000000^{_}|*> &lt;@U0SUPPORTA&gt; (Slack workspace: Beta Ltd)';

describe('a recovery request from a customer’s workspace, reviewed in the provider’s', () => {
  it('support’s post and thread name Beta’s people in words with their workspace, and link no file of Beta’s; Beta’s DMs name support in words', async () => {
    const { letterPermalink } = await fileFromBeta();
    const provider = h.driver(h.provider);
    const beta = h.driver(h.beta);

    const posted = supportPost();
    expect(text(posted)).toContain(`*Requested by*\n${requesterInWords}`);
    for (const id of betaIds) expect(markup(posted)).not.toContain(`<@${id}>`);
    // The letter is named, and is the thread's copy: Beta's file is not linked.
    expect(markup(posted)).not.toContain(letterPermalink);
    expect(markup(posted)).not.toContain('/files/');
    expect(text(posted)).toContain('*Signed letter*: letter.pdf, uploaded into this request’s thread');
    expect(threadOf(posted).some((m) => (m.files ?? []).length > 0)).toBe(true);
    // The support member's Home tab names the requester the same way.
    await provider.appHomeOpened(supportA.id);
    await h.vouch.idle();
    const home = JSON.stringify(h.provider.homeView(supportA.id)?.view ?? {});
    expect(home).toContain('(Slack workspace: Beta Ltd)');
    expect(home).not.toContain(`<@${requester.id}>`);

    // Support asks; the question reaches the requester in Beta naming the support member in words.
    await provider.click(supportA.id, posted, 'Ask for more information');
    await provider.submitView(supportA.id, h.provider.openView(supportA.id)!.id, { recovery_question: 'Who signed the letter?' });
    await h.vouch.idle();
    const question = h.beta.dm(requester.id).find((m) => text(m).includes('from support asks'))!;
    expect(text(question)).toContain('Sam Support (Slack workspace: Provider Inc) from support asks');
    await beta.click(requester.id, question, 'Reply');
    const answerModal = h.beta.openView(requester.id)!;
    expect(JSON.stringify(answerModal.view)).toContain('Sam Support (Slack workspace: Provider Inc) from support asks:');
    expect(JSON.stringify(answerModal.view)).not.toContain(`<@${supportA.id}>`);
    await beta.submitView(requester.id, answerModal.id, { recovery_answer: 'Cleo Chief, our CEO.' });
    await h.vouch.idle();

    // Support approves; Beta's people are told in Beta, and support's thread names them in words.
    await provider.click(supportA.id, supportPost(), 'Approve');
    await h.vouch.idle();
    const [decided] = await h.database.db.select().from(recoveryRequests);
    expect(decided).toMatchObject({ status: 'approved', addedUserId: requester.id });
    const approved = supportPost();
    expect(text(approved)).toContain(`${requesterInWords} is now an admin of *Beta Ltd*`);
    expect(text(approved)).toContain(`*Approved* by <@${supportA.id}>`);
    const thread = threadOf(approved).map(text).join('\n');
    expect(thread).toContain(`<@${supportA.id}> asked ${requesterInWords} for more information`);
    expect(thread).toContain(`${requesterInWords} answered <@${supportA.id}>’s question`);
    expect(thread).toContain(`the officer Cleo Chief (Slack workspace: Beta Ltd)`);
    for (const m of [approved, ...threadOf(approved)]) for (const id of betaIds) expect(markup(m)).not.toContain(`<@${id}>`);

    // Nothing the requester or the officer got in Beta mentions the provider's support member.
    const betaDms = [...h.beta.dm(requester.id), ...h.beta.dm(officer.id)];
    expect(betaDms.some((m) => text(m).includes('Support approved your request'))).toBe(true);
    for (const m of betaDms) expect(markup(m)).not.toContain(`<@${supportA.id}>`);
    // The account's audit trail, read by its new admin in Beta, names the support member in words too.
    await beta.commandShown(requester.id, 'audit Beta Ltd');
    const trail = text(h.beta.lastEphemeral(requester.id)!);
    expect(trail).toContain('Sam Support (Slack workspace: Provider Inc) approved recovery request');
    expect(trail).not.toContain(`<@${supportA.id}>`);
    // Support reads the same trail in the provider's workspace: Beta's people in words, support's own mentioned.
    await provider.commandShown(supportA.id, 'audit Beta Ltd', { channelId: SUPPORT_CHANNEL });
    const supportTrail = text(h.provider.lastEphemeral(supportA.id)!);
    expect(supportTrail).toContain(`${requesterInWords} is now an admin through recovery request`);
    expect(supportTrail).toContain(`<@${supportA.id}> approved recovery request`);
    expect(supportTrail).toContain(`Slack user ${people.primary.id} (Slack workspace: Beta Ltd) as its primary contact`);
    for (const id of betaIds) expect(supportTrail).not.toContain(`<@${id}>`);
    // The admins' list: in Beta, the new admin mentioned and support in words; in the provider's workspace, the other way round.
    await beta.commandShown(requester.id, 'admins Beta Ltd');
    const betaAdmins = text(h.beta.lastEphemeral(requester.id)!);
    expect(betaAdmins).toContain(`<@${requester.id}>, since`);
    expect(betaAdmins).toContain('(added by Sam Support (Slack workspace: Provider Inc))');
    expect(betaAdmins).not.toContain(`<@${supportA.id}>`);
    await provider.commandShown(supportA.id, 'admins Beta Ltd', { channelId: SUPPORT_CHANNEL });
    const supportAdmins = text(h.provider.lastEphemeral(supportA.id)!);
    expect(supportAdmins).toContain(`${requesterInWords}, since`);
    expect(supportAdmins).toContain(`(added by <@${supportA.id}>)`);
    for (const id of betaIds) expect(supportAdmins).not.toContain(`<@${id}>`);
    // In Beta's own DMs, Beta's people are still mentioned.
    expect(text(h.beta.dm(requester.id).find((m) => text(m).includes('Support approved your request'))!)).toContain(`<@${requester.id}>`);
  }, 60_000);

  it('when Beta does not say the requester’s name, support’s post shows their user id and workspace, never a mention', async () => {
    await fileFromBeta(() => h.slack.failNext('users.info', { error: 'internal_error' }, 50, { team: 'T0BETA' }));
    expect(h.slack.calls('users.info').filter((c) => c.team === 'T0BETA').length).toBeGreaterThan(0);
    const posted = supportPost();
    expect(text(posted)).toContain(`*Requested by*\nSlack user ${requester.id} (Slack workspace: Beta Ltd)`);
    expect(markup(posted)).not.toContain(`<@${requester.id}>`);
    expect(buttonsOf(posted)).toEqual(['Approve', 'Ask for more information', 'Reject']);
  }, 60_000);
});
