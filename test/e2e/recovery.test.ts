import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { adminMemberships, auditEvents, recoveryRequests, slackMessages } from '../../src/db/schema.js';
import { tunableDefaults } from '../../src/config.js';
import { blocksText, type FakeMessage } from '../../src/sandbox/slack/index.js';
import { HOUR } from '../support/clock.js';
import { text, buttonsOf } from '../support/blocks.js';
import {
  commandShown,
  invite,
  removeAdmin,
  people,
  provision,
  rawClick,
  startHarness,
  SUPPORT_CHANNEL,
  type Harness,
} from '../support/harness.js';
import {
  channelMessage as channelMessageIn,
  letterBytes,
  orphanedAccount as orphanedAccountIn,
  requestAccess as requestAccessIn,
  thread as threadIn,
  validForm,
} from '../support/recovery.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const { primary, colleague, other, supportA, supportB } = people;
const orphanedAccount = () => orphanedAccountIn(h);
const requestAccess = (requester: string = other.id, values: Record<string, unknown> = validForm) => requestAccessIn(h, requester, values);
const channelMessage = () => channelMessageIn(h);
const thread = (parent: FakeMessage) => threadIn(h, parent);

describe('Workflow 2: the request', () => {
  it('asks for exactly the letter’s contents, files it in the support channel with the checks and the fingerprint, and gives a reference', async () => {
    h = await startHarness();
    await orphanedAccount();
    const { res } = await requestAccess();
    expect(res.status).toBe(200);
    const confirmation = blocksText(h.slack.openView(other.id)!.view.blocks as never);
    const reference = /REC-[A-Z0-9]{6}/.exec(confirmation)?.[0];
    expect(reference).toBeDefined();

    const posted = channelMessage();
    const shown = text(posted);
    expect(shown).toContain(`Admin recovery request ${reference}`);
    expect(shown).toContain(other.email);
    expect(shown).toContain('Casey Chief, Chief Executive Officer');
    expect(shown).toContain('letter.pdf');
    expect(shown).toContain(createHash('sha256').update(letterBytes).digest('hex'));
    expect(shown).toContain('OK: *Account*: Found: Acme Corp.');
    expect(shown).toContain('OK: *Contract number*: Matches');
    expect(shown).toContain('OK: *Active admins*: None');
    expect(shown).toContain('OK: *Requester*: Asks to add their own Slack e-mail address.');
    expect(shown).toContain('OK: *Officer’s domain*: Same domain as the primary contact (acme.example)');
    expect(shown).toContain('Approvals: 0 of 1');
    expect(buttonsOf(posted)).toEqual(['Approve', 'Ask for more information', 'Reject']);
    const [row] = await h.database.db.select().from(recoveryRequests);
    expect(row).toMatchObject({ reference, letterSha256: createHash('sha256').update(letterBytes).digest('hex'), status: 'open' });
  });

  it('flags a wrong contract number, a repeat request, an address not the requester’s and a foreign officer domain', async () => {
    h = await startHarness();
    await orphanedAccount();
    await requestAccess();
    await requestAccess(colleague.id, { ...validForm, contract_number: 'WRONG', officer_email: 'boss@elsewhere.example' });
    const shown = text(channelMessage());
    expect(shown).toContain('Problem: *Contract number*: Does not match');
    expect(shown).toMatch(/Check: \*Repeat request\*: An earlier request for this account and e-mail is still open \(REC-/);
    expect(shown).toContain(`Check: *Requester*: Asks to add an address that is not their own Slack e-mail (${colleague.email})`);
    expect(shown).toContain('Check: *Officer’s domain*: elsewhere.example differs');
  });

  it('a repeat request for an account that does not exist is flagged, whatever the case of the name', async () => {
    h = await startHarness();
    await requestAccess(other.id, { ...validForm, account_name: 'Globex Inc' });
    const first = text(channelMessage());
    expect(first).toContain('Problem: *Account*: No Enterprise Account has this name.');
    expect(first).toContain('OK: *Repeat request*: No earlier open request for this account name and e-mail.');
    const reference = /REC-[A-Z0-9]{6}/.exec(first)?.[0];
    await requestAccess(other.id, { ...validForm, account_name: 'GLOBEX INC', email_to_add: other.email.toUpperCase() });
    const second = text(channelMessage());
    expect(second).toContain(`Check: *Repeat request*: An earlier request for this account name and e-mail is still open (${reference}).`);
    expect(second).not.toContain(':white_check_mark: OK: *Repeat request*');
  });

  it('when Slack cannot tell who the requester is, the check says so instead of guessing', async () => {
    h = await startHarness();
    await orphanedAccount();
    const { ephemeral } = await commandShown(h, other.id, 'recover');
    await h.driver.clickEphemeral(other.id, ephemeral, 'Request admin access');
    const file = h.slack.addFile({ name: 'letter.pdf', mimetype: 'application/pdf', content: letterBytes, user: other.id });
    h.slack.failNext('users.info', { error: 'internal_error' }, 3);
    await h.driver.submitView(other.id, h.slack.openView(other.id)!.id, {
      ...validForm,
      letter: { files: [{ id: file.id, name: file.name }] },
    } as never);
    expect(text(channelMessage())).toContain('Check: *Requester*: Their Slack e-mail address could not be read');
  });

  it('when the letter cannot be read, nothing is filed and the requester is told by DM', async () => {
    h = await startHarness();
    await orphanedAccount();
    const { ephemeral } = await commandShown(h, other.id, 'recover');
    await h.driver.clickEphemeral(other.id, ephemeral, 'Request admin access');
    const file = h.slack.addFile({ name: 'letter.pdf', mimetype: 'application/pdf', content: letterBytes, user: other.id });
    h.slack.failNext('files.info', { error: 'file_not_found' });
    await h.driver.submitView(other.id, h.slack.openView(other.id)!.id, {
      ...validForm,
      letter: { files: [{ id: file.id, name: file.name }] },
    } as never);
    expect(h.slack.messages(SUPPORT_CHANNEL)).toHaveLength(0);
    expect(await h.database.db.select().from(recoveryRequests)).toHaveLength(0);
    expect(text(h.slack.lastDm(other.id))).toContain('could not be sent to support');
  });

  it('a requester who names themselves as the officer is flagged to support', async () => {
    h = await startHarness();
    await orphanedAccount();
    await requestAccess(other.id, { ...validForm, officer_email: other.email.toUpperCase() });
    expect(text(channelMessage())).toContain('Problem: *Officer*: The requester names themselves as the officer');
    await requestAccess(colleague.id);
    expect(text(channelMessage())).toContain('OK: *Officer*: Someone other than the requester.');
  });

  it('every field is required and validated inline, with the limit named', async () => {
    h = await startHarness();
    const { ephemeral } = await commandShown(h, other.id, 'recover');
    await h.driver.clickEphemeral(other.id, ephemeral, 'Request admin access');
    const modal = h.slack.openView(other.id)!;
    const res = await h.driver.submitView(other.id, modal.id, {
      ...validForm,
      account_name: '',
      email_to_add: 'not-an-email',
      reason: 'x'.repeat(2001),
      officer_email: 'also not',
    });
    expect(res.json).toMatchObject({
      response_action: 'errors',
      errors: {
        account_name: 'This is required.',
        email_to_add: expect.stringContaining('e-mail address'),
        reason: 'Keep this to 2000 characters or fewer (now 2001).',
        officer_email: expect.stringContaining('e-mail address'),
        letter: 'Attach the signed letter (PDF or image).',
      },
    });
    expect(h.slack.messages(SUPPORT_CHANNEL)).toHaveLength(0);
  });
});

describe('Workflow 2: support decides', () => {
  it('approve adds the admin, edits the message with no live buttons, replies in the thread and tells requester and officer', async () => {
    h = await startHarness();
    const accountId = await orphanedAccount();
    h.slack.addUser({ id: 'U0OFFICER', name: 'casey', realName: 'Casey Chief', email: 'casey@acme.example' });
    await requestAccess();
    const posted = channelMessage();
    await h.driver.click(supportA.id, posted, 'Approve');

    const admins = await h.database.db.select().from(adminMemberships).where(eq(adminMemberships.accountId, accountId));
    expect(admins.filter((a) => !a.removedAt).map((a) => a.userId)).toEqual([other.id]);
    const edited = h.slack.message(posted.channel, posted.ts)!;
    expect(buttonsOf(edited)).toEqual([]);
    expect(text(edited)).toContain(`*Approved* by <@${supportA.id}>`);
    expect(text(thread(posted).at(-1))).toContain('Approved by');
    expect(text(h.slack.lastDm(other.id))).toContain('Support approved your request');
    expect(text(h.slack.lastDm('U0OFFICER'))).toContain('Your letter authorised a change');
    const audit = await h.database.db.select().from(auditEvents);
    const approved = audit.find((e) => e.action === 'recovery.approved');
    expect(approved?.after).toMatchObject({ letterSha256: createHash('sha256').update(letterBytes).digest('hex'), addedUserId: other.id });
  });

  it('a decided request’s post record stays for OUTBOX_RETENTION (thread replies need it), then goes; its receipt’s at once; the audit trail stays', async () => {
    h = await startHarness();
    await orphanedAccount();
    await requestAccess();
    const posted = channelMessage();
    await h.driver.click(supportA.id, posted, 'Approve');
    expect(thread(posted).map(text)).toContainEqual(expect.stringContaining('Approved by'));
    const [request] = await h.database.db.select().from(recoveryRequests);
    const stored = async () =>
      (await h.database.db.select().from(slackMessages)).filter((m) => m.subjectId === request!.id).map((m) => m.surface);
    expect((await stored()).sort()).toEqual(['recovery', 'recovery_receipt']);
    const audit = (await h.database.db.select().from(auditEvents)).length;
    // The receipt shows the decision: no redraw will touch it again.
    expect((await h.vouch.jobs.runPrune()).messages).toBe(1);
    expect(await stored()).toEqual(['recovery']);
    h.clock.advance(tunableDefaults.OUTBOX_RETENTION - HOUR);
    expect((await h.vouch.jobs.runPrune()).messages).toBe(0);
    expect(await stored()).toHaveLength(1);
    h.clock.advance(2 * HOUR);
    expect((await h.vouch.jobs.runPrune()).messages).toBe(1);
    expect(await stored()).toHaveLength(0);
    expect((await h.database.db.select().from(auditEvents)).length).toBe(audit);
  });

  it('an officer who is not in the workspace: the one thread message says so, and not that they were told', async () => {
    h = await startHarness();
    await orphanedAccount();
    await requestAccess();
    const posted = channelMessage();
    await h.driver.click(supportA.id, posted, 'Approve');
    const replies = thread(posted).map(text);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(
      `Told by DM: the requester <@${other.id}> (the new admin). The officer (casey@acme.example) is not in this workspace`,
    );
    expect(replies[0]).not.toContain('the officer <@');
  });

  it('an officer in the workspace: the thread names everyone told by DM, once', async () => {
    h = await startHarness();
    await orphanedAccount();
    h.slack.addUser({ id: 'U0OFFICER', name: 'casey', realName: 'Casey Chief', email: 'casey@acme.example' });
    await requestAccess(colleague.id);
    const posted = channelMessage();
    await h.driver.click(supportA.id, posted, 'Approve');
    expect(thread(posted).map(text)).toEqual([
      expect.stringContaining(`Told by DM: the requester <@${colleague.id}>, the new admin <@${other.id}> and the officer <@U0OFFICER>.`),
    ]);
    expect(thread(posted).map(text).join('\n')).not.toContain('not in this workspace');
  });

  it('a requester asking for someone else: the new admin gets their own DM', async () => {
    h = await startHarness();
    await orphanedAccount();
    await requestAccess(colleague.id);
    await h.driver.click(supportA.id, channelMessage(), 'Approve');
    expect(text(h.slack.lastDm(colleague.id))).toContain('Support approved your request');
    expect(text(h.slack.lastDm(other.id))).toContain('You are now an admin of *Acme Corp*');
  });

  it('when the e-mail to add has no Slack user, the request stays open and the thread says why', async () => {
    h = await startHarness();
    await orphanedAccount();
    await requestAccess(other.id, { ...validForm, email_to_add: 'newhire@acme.example' });
    const posted = channelMessage();
    await h.driver.click(supportA.id, posted, 'Approve');
    const [row] = await h.database.db.select().from(recoveryRequests);
    expect(row?.status).toBe('open');
    expect(text(thread(posted).at(-1))).toContain('No one in this workspace has the e-mail address newhire@acme.example');
    expect(buttonsOf(h.slack.message(posted.channel, posted.ts))).toEqual(['Approve', 'Ask for more information', 'Reject']);
    // Once they join, the same support member can approve again.
    h.slack.addUser({ id: 'U0NEWHIRE', name: 'newhire', email: 'newhire@acme.example' });
    await h.driver.click(supportA.id, h.slack.message(posted.channel, posted.ts)!, 'Approve');
    const [after] = await h.database.db.select().from(recoveryRequests);
    expect(after).toMatchObject({ status: 'approved', addedUserId: 'U0NEWHIRE' });
  });

  it('reject asks for a reason, edits the message and tells the requester why', async () => {
    h = await startHarness();
    await orphanedAccount();
    await requestAccess();
    const posted = channelMessage();
    await h.driver.click(supportB.id, posted, 'Reject');
    const modal = h.slack.openView(supportB.id)!;
    const empty = await h.driver.submitView(supportB.id, modal.id, { rejection_reason: '' });
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { rejection_reason: expect.stringContaining('reason') } });
    await h.driver.submitView(supportB.id, modal.id, { rejection_reason: 'The letter is not signed.' });
    const edited = h.slack.message(posted.channel, posted.ts)!;
    expect(buttonsOf(edited)).toEqual([]);
    expect(text(edited)).toContain(`*Rejected* by <@${supportB.id}>`);
    expect(text(edited)).toContain('The letter is not signed.');
    expect(text(thread(posted).at(-1))).toContain('Rejected by');
    expect(text(h.slack.lastDm(other.id))).toContain('The letter is not signed.');
    expect(await h.database.db.select().from(adminMemberships).where(eq(adminMemberships.userId, other.id))).toHaveLength(0);
  });

  it('a quorum of two: the first approval is counted and shown, the second adds the admin; nobody votes twice', async () => {
    h = await startHarness({ recoveryApprovals: 2 });
    await orphanedAccount();
    await requestAccess();
    const posted = channelMessage();
    const stale = structuredClone(posted);
    await h.driver.click(supportA.id, posted, 'Approve');
    expect(text(h.slack.message(posted.channel, posted.ts))).toContain(`Approvals: 1 of 2 (<@${supportA.id}>)`);
    expect(text(thread(posted).at(-1))).toContain('(1 of 2 approvals)');
    await h.driver.click(supportA.id, posted, 'Approve', { staleBlocks: stale.blocks });
    expect(text(h.slack.lastEphemeral(supportA.id))).toContain('needs another support member');
    const [open] = await h.database.db.select().from(recoveryRequests);
    expect(open?.status).toBe('open');
    await h.driver.click(supportB.id, posted, 'Approve');
    const [done] = await h.database.db.select().from(recoveryRequests);
    expect(done?.status).toBe('approved');
    expect(buttonsOf(h.slack.message(posted.channel, posted.ts))).toEqual([]);
  });

  it('nobody decides their own request, and non-members cannot decide', async () => {
    h = await startHarness();
    await orphanedAccount();
    h.slack.setChannelMembers(SUPPORT_CHANNEL, [supportA.id, supportB.id, other.id]);
    await requestAccess(other.id);
    const posted = channelMessage();
    await h.driver.click(other.id, posted, 'Approve');
    expect(text(h.slack.lastEphemeral(other.id))).toContain('You cannot decide your own request');
    // A support member asking to add their own address cannot approve it either.
    await requestAccess(colleague.id, { ...validForm, email_to_add: supportB.email });
    await h.driver.click(supportB.id, channelMessage(), 'Approve');
    expect(text(h.slack.lastEphemeral(supportB.id))).toContain('You cannot decide your own request');
    // Someone who is not (or no longer) in the support channel.
    await rawClick(h, primary.id, channelMessage(), 'recovery.approve', (await h.database.db.select().from(recoveryRequests))[0]!.id);
    expect(text(h.slack.lastEphemeral(primary.id) ?? h.slack.lastDm(primary.id))).toContain('Only members of the support channel');
    const rows = await h.database.db.select().from(recoveryRequests);
    expect(rows.every((r) => r.status === 'open')).toBe(true);
  });

  it('a support member cannot approve adding their own address, even when Slack cannot read their profile', async () => {
    h = await startHarness();
    const accountId = await orphanedAccount();
    await requestAccess(colleague.id, { ...validForm, email_to_add: supportB.email });
    // A rate-limited users.info once let the own-address check be skipped.
    h.slack.failNext('users.info', { status: 429, retryAfter: 1 }, 5);
    await h.driver.click(supportB.id, channelMessage(), 'Approve');
    expect(text(h.slack.lastEphemeral(supportB.id))).toContain('You cannot decide your own request');
    const [row] = await h.database.db.select().from(recoveryRequests);
    expect(row).toMatchObject({ status: 'open', version: 1 });
    expect(await h.database.db.select().from(adminMemberships).where(eq(adminMemberships.accountId, accountId))).toHaveLength(1);
    expect((await h.database.db.select().from(adminMemberships).where(eq(adminMemberships.userId, supportB.id))).length).toBe(0);
  });

  it('when Slack does not say who the e-mail to add belongs to, the approval is refused and nothing is recorded', async () => {
    h = await startHarness();
    await orphanedAccount();
    await requestAccess();
    const posted = channelMessage();
    h.slack.failNext('users.lookupByEmail', { status: 429, retryAfter: 1 }, 2);
    await h.driver.click(supportA.id, posted, 'Approve');
    expect(text(h.slack.lastEphemeral(supportA.id))).toContain('Slack did not answer; try again');
    const [row] = await h.database.db.select().from(recoveryRequests);
    expect(row).toMatchObject({ status: 'open', version: 1, blockedReason: null });
    expect(thread(posted)).toHaveLength(0);
    expect((await h.database.db.select().from(auditEvents)).map((e) => e.action)).not.toContain('recovery.approval_blocked');
    // Once Slack answers, the same click goes through.
    await h.driver.click(supportA.id, h.slack.message(posted.channel, posted.ts)!, 'Approve');
    expect((await h.database.db.select().from(recoveryRequests))[0]?.status).toBe('approved');
  });

  it('when Slack does not list the support channel, the approval is refused', async () => {
    h = await startHarness();
    await orphanedAccount();
    await requestAccess();
    h.slack.failNext('conversations.members', { status: 429, retryAfter: 1 });
    await h.driver.click(supportA.id, channelMessage(), 'Approve');
    expect(text(h.slack.lastEphemeral(supportA.id))).toContain('Slack did not answer; try again');
    expect((await h.database.db.select().from(recoveryRequests))[0]).toMatchObject({ status: 'open', version: 1 });
  });

  it('when the quorum completes, an approver who left the support channel no longer counts', async () => {
    h = await startHarness({ recoveryApprovals: 2 });
    await orphanedAccount();
    await requestAccess();
    const posted = channelMessage();
    await h.driver.click(supportA.id, posted, 'Approve');
    h.slack.setChannelMembers(SUPPORT_CHANNEL, [supportB.id]);
    await h.driver.click(supportB.id, h.slack.message(posted.channel, posted.ts)!, 'Approve');
    const [row] = await h.database.db.select().from(recoveryRequests);
    expect(row?.status).toBe('open');
    expect(text(h.slack.message(posted.channel, posted.ts))).toContain(`Approvals: 1 of 2 (<@${supportB.id}>)`);
    expect(thread(posted).map(text).join('\n')).toContain(
      `The approval of <@${supportA.id}> no longer counts: they are no longer in the support channel`,
    );
    expect(await h.database.db.select().from(adminMemberships).where(eq(adminMemberships.userId, other.id))).toHaveLength(0);
  });

  it('an earlier approver who turns out to be the person to add does not count towards the quorum', async () => {
    h = await startHarness({ recoveryApprovals: 2 });
    await orphanedAccount();
    await requestAccess(other.id, { ...validForm, email_to_add: 'newhire@acme.example' });
    const posted = channelMessage();
    await h.driver.click(supportA.id, posted, 'Approve');
    // Nobody had the address when supportA approved; now it is theirs.
    h.slack.addUser({ ...supportA, email: 'newhire@acme.example' });
    await h.driver.click(supportB.id, h.slack.message(posted.channel, posted.ts)!, 'Approve');
    const [row] = await h.database.db.select().from(recoveryRequests);
    expect(row?.status).toBe('open');
    expect(thread(posted).map(text).join('\n')).toContain(
      `The approval of <@${supportA.id}> no longer counts: they are the person this request would make an admin`,
    );
    expect(await h.database.db.select().from(adminMemberships).where(eq(adminMemberships.userId, supportA.id))).toHaveLength(0);
  });

  it('a request still open after a day gets one reminder in its thread per period', async () => {
    h = await startHarness();
    await orphanedAccount();
    await requestAccess();
    const posted = channelMessage();
    h.clock.advance(23 * HOUR);
    await h.vouch.jobs.runAll();
    await h.vouch.idle();
    expect(thread(posted)).toHaveLength(0);
    h.clock.advance(HOUR);
    await h.vouch.jobs.runAll();
    await h.vouch.jobs.runAll();
    await h.vouch.idle();
    expect(thread(posted).map(text)).toEqual([expect.stringContaining('Still waiting for a decision')]);
    h.clock.advance(24 * HOUR);
    await h.vouch.jobs.runAll();
    await h.vouch.idle();
    expect(thread(posted)).toHaveLength(2);
  });
});

describe('admin management and audit', () => {
  it('admins list, add and remove; the last admin cannot be removed', async () => {
    h = await startHarness();
    await provision(h);
    const listed = await h.driver.command(primary.id, 'admins Acme Corp');
    expect(text(listed.json as never)).toContain(`<@${primary.id}>`);

    const added = await h.driver.command(primary.id, `add-admin Acme Corp <@${colleague.id}|cole>`);
    expect((added.json as { text: string }).text).toContain('is now an admin');
    expect(text(h.slack.lastDm(colleague.id))).toContain('made you an admin');

    const self = await removeAdmin(h, colleague.id, `"Acme Corp" <@${colleague.id}>`);
    expect(text(self.answer)).toContain('You are no longer an admin of *Acme Corp*');
    const refused = await removeAdmin(h, primary.id, `Acme Corp <@${primary.id}>`);
    expect(text(refused.answer)).toContain('You are the last admin of *Acme Corp*, so you cannot remove yourself');
    const stranger = await h.driver.command(other.id, `add-admin Acme Corp <@${other.id}>`);
    expect((stranger.json as { text: string }).text).toContain('Only admins of “Acme Corp” can change its admins.');
  });

  it('removing an admin revokes their live setup and confirmation DMs at once', async () => {
    h = await startHarness();
    await provision(h);
    const setupDm = h.slack.lastDm(primary.id)!;
    const { confirmation } = await invite(h, setupDm);
    await h.driver.command(primary.id, `add-admin Acme Corp ${other.email}`);
    await removeAdmin(h, other.id, `Acme Corp <@${primary.id}>`);
    expect(text(h.slack.message(setupDm.channel, setupDm.ts))).toContain('you were removed as an admin');
    expect(buttonsOf(h.slack.message(setupDm.channel, setupDm.ts))).toEqual([]);
    expect(buttonsOf(h.slack.message(confirmation.channel, confirmation.ts))).toEqual([]);
    expect(text(h.slack.lastDm(primary.id))).toContain('removed you as an admin');
  });

  it('the audit trail is readable by the account’s admins and support only, newest first, a page at a time', async () => {
    h = await startHarness();
    await provision(h);
    for (const person of [colleague, other]) await h.driver.command(primary.id, `add-admin Acme Corp <@${person.id}>`);
    for (let i = 0; i < 4; i++) {
      await removeAdmin(h, primary.id, `Acme Corp <@${other.id}>`);
      await h.driver.command(primary.id, `add-admin Acme Corp <@${other.id}>`);
    }
    const page = (await h.driver.command(primary.id, 'audit Acme Corp')).json as { blocks: unknown[] };
    const first = blocksText(page.blocks as never);
    expect(first.indexOf('admin.granted')).toBeLessThan(first.indexOf('admin.removed'));
    expect(first).not.toContain('account.provisioned');
    expect(buttonsOf(page)).toEqual(['Older events']);
    const shown = await commandShown(h, primary.id, 'audit Acme Corp');
    await h.driver.clickEphemeral(primary.id, shown.ephemeral, 'Older events');
    expect(text(h.slack.lastEphemeral(primary.id))).toContain('account.provisioned');
    expect(text((await h.driver.command(supportA.id, 'audit acme corp')).json as never)).toContain('Audit trail of Acme Corp');
  });

  it('an outsider cannot read the audit trail or the admins', async () => {
    h = await startHarness();
    await provision(h);
    for (const sub of ['audit Acme Corp', 'admins Acme Corp']) {
      const reply = (await h.driver.command(other.id, sub)).json as { text: string };
      expect(reply.text).toContain('There is no Enterprise Account named “Acme Corp” that you can see');
    }
  });
});

describe('App Home', () => {
  it('shows each person what waits for them, with the same buttons, and refreshes after changes', async () => {
    h = await startHarness();
    await provision(h);
    await h.driver.appHomeOpened(primary.id);
    const home = () => text(h.slack.homeView(primary.id)?.view as never);
    expect(home()).toContain('Accounts to set up');
    expect(buttonsOf(h.slack.homeView(primary.id)?.view as never)).toEqual(['Set up the account', 'Invite someone else']);

    await h.driver.clickHome(primary.id, 'Invite someone else');
    await h.driver.submitView(primary.id, h.slack.openView(primary.id)!.id, { invitee_user: { user: colleague.id } });
    expect(home()).toContain('Confirmations waiting for you');
    await h.driver.clickHome(primary.id, 'Approve');
    expect(home()).not.toContain('Confirmations waiting for you');
    expect(h.slack.dm(colleague.id)).toHaveLength(1);

    await h.driver.appHomeOpened(colleague.id);
    expect(text(h.slack.homeView(colleague.id)?.view as never)).toContain('Invitations for you');
  });

  it('support sees the open recovery requests', async () => {
    h = await startHarness();
    await orphanedAccount();
    await h.driver.appHomeOpened(supportA.id);
    expect(text(h.slack.homeView(supportA.id)?.view as never)).toContain('Nothing to review.');
    await requestAccess();
    expect(text(h.slack.homeView(supportA.id)?.view as never)).toContain('Recovery requests to review');
    await h.driver.appHomeOpened(other.id);
    expect(text(h.slack.homeView(other.id)?.view as never)).not.toContain('Recovery requests to review');
    expect(text(h.slack.homeView(other.id)?.view as never)).toContain('Your recovery requests');
  });
});
