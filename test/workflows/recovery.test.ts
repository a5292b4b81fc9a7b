import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import {
  accounts,
  adminMemberships,
  auditEvents,
  outbox,
  recoveryApprovals,
  recoveryQuestions,
  recoveryRequests,
  slackPeople,
} from '../../src/db/schema.js';
import { answer, noAnswer, type Answer, type DirectoryPerson } from '../../src/domain/directory.js';
import type { PeopleDirectory, SupportChannel } from '../../src/workflows/directory.js';
import { createRecoveryWorkflow, type RecoveryWorkflow } from '../../src/workflows/recovery.js';
import { emptyDatabase } from '../support/database.js';
import { openedHome } from '../support/workflows.js';
import { DAY, HOUR, TestClock } from '../support/clock.js';

const CHANNEL = 'CSUPPORT';

/** The people directory as plain data; `down` makes every question go unanswered. */
class Directory implements PeopleDirectory {
  down = false;
  private readonly people = new Map<string, { email: string } & Partial<DirectoryPerson>>();
  add(userId: string, email: string, over: Partial<DirectoryPerson> = {}): void {
    this.people.set(userId, { email, ...over });
  }
  async isDeactivated(userId: string): Promise<Answer<boolean | null>> {
    if (this.down) return noAnswer;
    const p = this.people.get(userId);
    return answer(p ? (p.deactivated ?? false) : null);
  }
  async emailOf(userId: string): Promise<Answer<string | null>> {
    return this.down ? noAnswer : answer(this.people.get(userId)?.email ?? null);
  }
  async userOfEmail(email: string): Promise<Answer<DirectoryPerson | null>> {
    if (this.down) return noAnswer;
    for (const [userId, p] of this.people) {
      if (p.email.toLowerCase() === email.toLowerCase()) {
        return answer({ userId, isBot: p.isBot ?? false, deactivated: p.deactivated ?? false });
      }
    }
    return answer(null);
  }
}

class Support implements SupportChannel {
  readonly channelId = CHANNEL;
  down = false;
  members = new Set(['USUPA', 'USUPB', 'USUPC']);
  async isMember(userId: string): Promise<Answer<boolean>> {
    return this.down ? noAnswer : answer(this.members.has(userId));
  }
  async membersNow(): Promise<Answer<ReadonlySet<string>>> {
    return this.down ? noAnswer : answer(new Set(this.members));
  }
}

let handle: DatabaseHandle;
let clock: TestClock;
let people: Directory;
let support: Support;
let accountId: string;

const workflow = (approvalsRequired = 1): RecoveryWorkflow =>
  createRecoveryWorkflow({
    db: handle.db,
    clock: clock.now,
    ttls: { setupInviteMs: 30 * DAY, confirmMs: DAY },
    newId: randomUUID,
    people,
    support,
    recovery: { approvalsRequired, remindAfterMs: DAY },
  });

beforeEach(async () => {
  handle = await emptyDatabase();
  clock = new TestClock();
  people = new Directory();
  support = new Support();
  for (const [id, email] of [
    ['UPAT', 'pat@acme.example'],
    ['UREQ', 'req@acme.example'],
    ['USUPA', 'sam@provider.example'],
    ['USUPB', 'sky@provider.example'],
    ['USUPC', 'sol@provider.example'],
    ['UCEO', 'casey@acme.example'],
  ] as const) {
    people.add(id, email);
  }
  // Everyone here has opened their Home tab, so every change that concerns them refreshes it.
  await openedHome(handle, ['UPAT', 'UREQ', 'USUPA', 'USUPB', 'USUPC', 'UCEO', 'UNEW'], clock.now());
  accountId = randomUUID();
  await handle.db.insert(accounts).values({
    id: accountId,
    name: 'Acme Corp',
    contractNumber: 'C-1001',
    primaryContactUserId: 'UPAT',
    createdBy: 'api',
    createdAt: clock.now(),
  });
});

const form = {
  accountName: 'Acme Corp',
  emailToAdd: 'req@acme.example',
  reason: 'Our only admin left.',
  contractNumber: 'C-1001',
  officerName: 'Casey Chief',
  officerTitle: 'CEO',
  officerEmail: 'casey@acme.example',
};
const letter = { fileId: 'F1', name: 'letter.pdf', permalink: null, sha256: 'f00d' };

async function file(w: RecoveryWorkflow, over: Partial<typeof form> = {}, requester = 'UREQ'): Promise<string> {
  const filed = await w.file({ reference: `REC-${randomUUID().slice(0, 6).toUpperCase()}`, requester, form: { ...form, ...over }, letter });
  if (filed.kind !== 'ok') throw new Error('not filed');
  return filed.value.id;
}

const requestRow = async (id: string) => (await handle.db.select().from(recoveryRequests).where(eq(recoveryRequests.id, id)))[0]!;
const approvers = async (id: string) =>
  (await handle.db.select().from(recoveryApprovals).where(eq(recoveryApprovals.requestId, id)).orderBy(asc(recoveryApprovals.at))).map(
    (a) => a.approverUserId,
  );
const auditTrail = async () => (await handle.db.select().from(auditEvents).orderBy(asc(auditEvents.seq))).map((e) => e.action);
const outboxKeys = async () => (await handle.db.select().from(outbox).orderBy(asc(outbox.seq))).map((r) => r.key);
const activeAdmins = async () =>
  (await handle.db.select().from(adminMemberships).where(eq(adminMemberships.accountId, accountId)))
    .filter((m) => !m.removedAt)
    .map((m) => m.userId);

/** Everything a refused decision must leave as it was. */
const snapshot = async (id: string) => ({
  request: await requestRow(id),
  approvers: await approvers(id),
  audit: await auditTrail(),
  outbox: await outboxKeys(),
  admins: await activeAdmins(),
});

describe('filing', () => {
  it('stores the request with the checks, audits it and queues the support post and the Home tabs', async () => {
    const id = await file(workflow(2));
    const row = await requestRow(id);
    expect(row).toMatchObject({
      status: 'open',
      version: 1,
      accountId,
      approvalsRequired: 2,
      createdAt: clock.now(),
      letterSha256: 'f00d',
    });
    expect((row.checks as Array<{ label: string; outcome: string }>).map((c) => [c.label, c.outcome])).toEqual([
      ['Account', 'pass'],
      ['Contract number', 'pass'],
      ['Active admins', 'pass'],
      ['Repeat request', 'pass'],
      ['Requester', 'pass'],
      ['Officer', 'pass'],
      ['Officer’s domain', 'pass'],
    ]);
    expect(await auditTrail()).toEqual(['recovery.requested']);
    expect(await outboxKeys()).toEqual([
      `post:recovery:${id}`,
      `letter:${id}:f00d`,
      `post:recovery_receipt:${id}`,
      `support_homes:${id}:1`,
      `home:UREQ:${id}:1`,
    ]);
  });

  it('an admin deactivated in Slack is not an active admin: Slack is asked, and what it said is kept and audited', async () => {
    await handle.db.insert(adminMemberships).values({ accountId, userId: 'UPAT', grantedBy: 'api', grantedAt: clock.now() });
    const activeAdminsCheck = async (id: string) =>
      ((await requestRow(id)).checks as Array<{ label: string; outcome: string; detail: string }>).find((c) => c.label === 'Active admins');

    expect(await activeAdminsCheck(await file(workflow()))).toEqual({
      label: 'Active admins',
      outcome: 'warn',
      detail: '1 active admin: they could add this person themselves.',
    });
    expect(await handle.db.select().from(slackPeople)).toEqual([]);

    people.add('UPAT', 'pat@acme.example', { deactivated: true });
    const id = await file(workflow(), { emailToAdd: 'other@acme.example' });
    expect(await activeAdminsCheck(id)).toEqual({
      label: 'Active admins',
      outcome: 'pass',
      detail: 'None active: 1 admin, deactivated in Slack. Recovery is the way back.',
    });
    expect(await handle.db.select({ userId: slackPeople.userId, deactivated: slackPeople.deactivated }).from(slackPeople)).toEqual([
      { userId: 'UPAT', deactivated: true },
    ]);
    expect(await auditTrail()).toEqual(['recovery.requested', 'recovery.requested', 'admin.deactivated_in_slack']);

    // Slack not answering: what Vouch last heard stands.
    people.down = true;
    expect(await activeAdminsCheck(await file(workflow(), { emailToAdd: 'third@acme.example' }))).toMatchObject({ outcome: 'pass' });
  });

  it('flags a requester who names themselves as the officer, and a repeat', async () => {
    await file(workflow());
    const id = await file(workflow(), { officerEmail: 'REQ@acme.example' });
    const checks = (await requestRow(id)).checks as Array<{ label: string; outcome: string }>;
    expect(checks.find((c) => c.label === 'Officer')?.outcome).toBe('fail');
    expect(checks.find((c) => c.label === 'Repeat request')?.outcome).toBe('warn');
  });

  it('a repeat for an account that does not exist is flagged: the name compared case-insensitively, the same e-mail', async () => {
    const repeatCheck = async (id: string) =>
      ((await requestRow(id)).checks as Array<{ label: string; outcome: string; detail: string }>).find(
        (c) => c.label === 'Repeat request',
      );
    const first = await file(workflow(), { accountName: 'Globex Inc' });
    expect(await repeatCheck(first)).toMatchObject({ outcome: 'pass' });
    const second = await file(workflow(), { accountName: '  GLOBEX inc ', emailToAdd: 'REQ@acme.example' });
    const reference = (await requestRow(first)).reference;
    expect(await repeatCheck(second)).toEqual({
      label: 'Repeat request',
      outcome: 'warn',
      detail: `An earlier request for this account name and e-mail is still open (${reference}).`,
    });
    // Another address, or another name, is no repeat.
    expect(await repeatCheck(await file(workflow(), { accountName: 'Globex Inc', emailToAdd: 'pat@acme.example' }))).toMatchObject({
      outcome: 'pass',
    });
    expect(await repeatCheck(await file(workflow(), { accountName: 'Globex Ltd' }))).toMatchObject({ outcome: 'pass' });
    // A decided request is no longer a repeat.
    await workflow().reject({ requestId: first, actor: 'USUPA', reason: 'Unknown account.' });
    await workflow().reject({ requestId: second, actor: 'USUPA', reason: 'Unknown account.' });
    expect(await repeatCheck(await file(workflow(), { accountName: 'globex inc' }))).toMatchObject({ outcome: 'pass' });
  });

  it('when Slack does not answer, the request is still filed and the checks say what could not be read', async () => {
    people.down = true;
    const id = await file(workflow());
    const checks = (await requestRow(id)).checks as Array<{ label: string; outcome: string }>;
    expect(checks.filter((c) => c.outcome === 'warn').map((c) => c.label)).toEqual(['Requester', 'Officer', 'Officer’s domain']);
  });
});

describe('approving', () => {
  it('the approval that completes the quorum grants manage, closes the request and queues every notice', async () => {
    const w = workflow();
    const id = await file(w);
    clock.advance(HOUR);
    expect(await w.approve({ requestId: id, actor: 'USUPA' })).toEqual({ kind: 'ok', value: { event: 'approve' } });
    expect(await requestRow(id)).toMatchObject({
      status: 'approved',
      version: 2,
      decidedAt: clock.now(),
      decidedBy: 'USUPA',
      addedUserId: 'UREQ',
      blockedReason: null,
    });
    expect(await approvers(id)).toEqual(['USUPA']);
    expect(await activeAdmins()).toEqual(['UREQ']);
    expect(await auditTrail()).toEqual(['recovery.requested', 'recovery.approved', 'admin.granted']);
    expect((await outboxKeys()).slice(5)).toEqual([
      `redraw:${id}:2`,
      `home:UREQ:${id}:2`,
      `notice:recovery_approved:${id}`,
      `notice:recovery_granted:${id}:requester`,
      `notice:recovery_granted:${id}:officer`,
      `support_homes:${id}:2`,
    ]);
  });

  it('a quorum of two: the first approval is counted, the second completes; nobody approves twice', async () => {
    const w = workflow(2);
    const id = await file(w);
    expect(await w.approve({ requestId: id, actor: 'USUPA' })).toEqual({ kind: 'ok', value: { event: 'vote' } });
    expect(await requestRow(id)).toMatchObject({ status: 'open', version: 2 });
    expect(await w.approve({ requestId: id, actor: 'USUPA' })).toEqual({ kind: 'refused', refusal: { reason: 'already_voted' } });
    expect(await w.approve({ requestId: id, actor: 'USUPB' })).toEqual({ kind: 'ok', value: { event: 'approve' } });
    expect(await approvers(id)).toEqual(['USUPA', 'USUPB']);
    expect(await auditTrail()).toEqual(['recovery.requested', 'recovery.approval_recorded', 'recovery.approved', 'admin.granted']);
    expect(await outboxKeys()).toContain(`notice:recovery_vote:${id}:USUPA:2`);
  });

  it('when the e-mail to add has no Slack user, the request stays open with the reason and no approval is recorded', async () => {
    const w = workflow();
    const id = await file(w, { emailToAdd: 'newhire@acme.example' });
    expect(await w.approve({ requestId: id, actor: 'USUPA' })).toEqual({ kind: 'ok', value: { event: 'block' } });
    expect(await requestRow(id)).toMatchObject({
      status: 'open',
      version: 2,
      blockedReason: expect.stringContaining('newhire@acme.example'),
    });
    expect(await approvers(id)).toEqual([]);
    expect(await auditTrail()).toEqual(['recovery.requested', 'recovery.approval_blocked']);
    people.add('UNEW', 'newhire@acme.example');
    expect(await w.approve({ requestId: id, actor: 'USUPA' })).toEqual({ kind: 'ok', value: { event: 'approve' } });
    expect(await requestRow(id)).toMatchObject({ status: 'approved', addedUserId: 'UNEW', blockedReason: null });
  });

  it('when Slack does not answer, the approval is refused and nothing at all is recorded', async () => {
    const w = workflow();
    const id = await file(w);
    const before = await snapshot(id);
    people.down = true;
    expect(await w.approve({ requestId: id, actor: 'USUPA' })).toEqual({ kind: 'refused', refusal: { reason: 'slack_unavailable' } });
    people.down = false;
    support.down = true;
    expect(await w.approve({ requestId: id, actor: 'USUPA' })).toEqual({ kind: 'refused', refusal: { reason: 'slack_unavailable' } });
    expect(await snapshot(id)).toEqual(before);
  });

  it('a support member whose Slack user is the e-mail to add cannot approve it, nor can the requester', async () => {
    const w = workflow();
    const id = await file(w, { emailToAdd: 'SAM@provider.example' }, 'UPAT');
    const before = await snapshot(id);
    expect(await w.approve({ requestId: id, actor: 'USUPA' })).toEqual({ kind: 'refused', refusal: { reason: 'own_request' } });
    support.members.add('UPAT');
    expect(await w.approve({ requestId: id, actor: 'UPAT' })).toEqual({ kind: 'refused', refusal: { reason: 'own_request' } });
    expect(await snapshot(id)).toEqual(before);
  });

  it('approvals of people who left support, or who are the person to add, are withdrawn and do not complete the quorum', async () => {
    const w = workflow(2);
    const id = await file(w, { emailToAdd: 'newhire@acme.example' });
    await w.approve({ requestId: id, actor: 'USUPA' });
    // USUPA's address becomes the one to add (nobody had it when they approved).
    people.add('USUPA', 'newhire@acme.example');
    expect(await w.approve({ requestId: id, actor: 'USUPB' })).toEqual({ kind: 'ok', value: { event: 'vote' } });
    expect(await approvers(id)).toEqual(['USUPB']);
    // USUPB leaves the support channel before USUPC approves.
    support.members.delete('USUPB');
    expect(await w.approve({ requestId: id, actor: 'USUPC' })).toEqual({ kind: 'ok', value: { event: 'vote' } });
    expect(await approvers(id)).toEqual(['USUPC']);
    expect(await activeAdmins()).toEqual([]);
    const withdrawn = await handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'recovery.approval_withdrawn'))
      .orderBy(asc(auditEvents.seq));
    expect(withdrawn.map((e) => [e.actor, e.before, e.after])).toEqual([
      ['USUPB', { approver: 'USUPA' }, { why: 'is_person_to_add' }],
      ['USUPC', { approver: 'USUPB' }, { why: 'left_support' }],
    ]);
    const keys = await outboxKeys();
    expect(keys).toContain(`notice:recovery_approval_withdrawn:${id}:USUPA:3`);
    expect(keys).toContain(`notice:recovery_approval_withdrawn:${id}:USUPB:4`);
    expect(await requestRow(id)).toMatchObject({ status: 'open', version: 4 });
  });

  it('an unknown request is refused', async () => {
    expect(await workflow().approve({ requestId: randomUUID(), actor: 'USUPA' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_found' },
    });
  });
});

describe('rejecting', () => {
  it('closes the request with the reason and tells the requester; a decided request refuses every later decision', async () => {
    const w = workflow();
    const id = await file(w);
    expect(await w.mayReject({ requestId: id, actor: 'USUPB' })).toMatchObject({ kind: 'ok', value: { id } });
    expect(await w.reject({ requestId: id, actor: 'USUPB', reason: 'Not signed.' })).toEqual({ kind: 'ok', value: { event: 'reject' } });
    expect(await requestRow(id)).toMatchObject({ status: 'rejected', version: 2, decidedBy: 'USUPB', rejectionReason: 'Not signed.' });
    expect(await auditTrail()).toEqual(['recovery.requested', 'recovery.rejected']);
    expect((await outboxKeys()).slice(5)).toEqual([
      `redraw:${id}:2`,
      `home:UREQ:${id}:2`,
      `notice:recovery_rejected:${id}`,
      `notice:recovery_declined:${id}`,
      `support_homes:${id}:2`,
    ]);
    const decided = { kind: 'refused', refusal: { reason: 'already_decided', status: 'rejected' } };
    expect(await w.approve({ requestId: id, actor: 'USUPA' })).toEqual(decided);
    expect(await w.mayReject({ requestId: id, actor: 'USUPA' })).toEqual(decided);
  });

  it('is for support only, and not when Slack cannot say who is support', async () => {
    const w = workflow();
    const id = await file(w);
    expect(await w.mayReject({ requestId: id, actor: 'UPAT' })).toEqual({ kind: 'refused', refusal: { reason: 'not_support' } });
    support.down = true;
    expect(await w.reject({ requestId: id, actor: 'USUPA', reason: 'x' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'slack_unavailable' },
    });
    expect((await requestRow(id)).status).toBe('open');
  });
});

describe('reminders, with a moved clock', () => {
  it('one reminder per period in the thread of each open request, none for a decided one', async () => {
    const w = workflow();
    const open = await file(w);
    const decided = await file(w, { emailToAdd: 'pat@acme.example' });
    await w.reject({ requestId: decided, actor: 'USUPA', reason: 'Duplicate.' });
    clock.advance(DAY - 1);
    expect(await w.remindOpen()).toBe(0);
    clock.advance(1);
    expect(await w.remindOpen()).toBe(1);
    expect(await w.remindOpen()).toBe(0);
    expect(await requestRow(open)).toMatchObject({ lastRemindedAt: clock.now(), version: 2 });
    const first = clock.now().getTime();
    clock.advance(DAY);
    expect(await w.remindOpen()).toBe(1);
    const keys = (await outboxKeys()).filter((k) => k.startsWith('notice:recovery_reminder:'));
    expect(keys).toEqual([`notice:recovery_reminder:${open}:${first}`, `notice:recovery_reminder:${open}:${clock.now().getTime()}`]);
    expect((await requestRow(decided)).lastRemindedAt).toBeNull();
  });
});

describe('asking the requester for more information', () => {
  const questionRows = async (requestId: string) =>
    handle.db.select().from(recoveryQuestions).where(eq(recoveryQuestions.requestId, requestId)).orderBy(asc(recoveryQuestions.askedAt));
  const signed = { fileId: 'F2', name: 'signed.pdf', permalink: null, sha256: 'beef' };

  it('the request waits for the answer: nobody approves or asks again meanwhile; the answer sends it back and the quorum goes on', async () => {
    const w = workflow(2);
    const id = await file(w);
    await w.approve({ requestId: id, actor: 'USUPA' });
    clock.advance(HOUR);
    const asked = await w.ask({ requestId: id, actor: 'USUPB', question: 'Who is Casey?' });
    if (asked.kind !== 'ok') throw new Error('not asked');
    const { questionId } = asked.value;
    expect(await requestRow(id)).toMatchObject({ status: 'awaiting_info', version: 3, waitingSince: clock.now() });
    expect(await questionRows(id)).toEqual([
      expect.objectContaining({
        id: questionId,
        status: 'asked',
        askedBy: 'USUPB',
        question: 'Who is Casey?',
        askedAt: clock.now(),
        version: 1,
      }),
    ]);
    expect(await outboxKeys()).toEqual(
      expect.arrayContaining([`notice:recovery_info_requested:${questionId}`, `post:recovery_question:${questionId}`, `redraw:${id}:3`]),
    );
    const waiting = { kind: 'refused', refusal: { reason: 'awaiting_info' } };
    expect(await w.approve({ requestId: id, actor: 'USUPC' })).toEqual(waiting);
    expect(await w.mayAsk({ requestId: id, actor: 'USUPC' })).toEqual(waiting);
    expect(await w.ask({ requestId: id, actor: 'USUPC', question: 'And?' })).toEqual(waiting);
    // Only the requester answers.
    expect(await w.answer({ questionId, actor: 'USUPC', answer: 'Me.', letter: null })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_requester' },
    });

    clock.advance(HOUR);
    expect(await w.mayAnswer({ questionId, actor: 'UREQ' })).toMatchObject({ kind: 'ok' });
    expect(await w.answer({ questionId, actor: 'UREQ', answer: 'Our CEO.', letter: null })).toEqual({
      kind: 'ok',
      value: { event: 'reply' },
    });
    expect(await requestRow(id)).toMatchObject({ status: 'open', version: 4, waitingSince: clock.now(), letterSha256: 'f00d' });
    expect(await questionRows(id)).toEqual([expect.objectContaining({ status: 'answered', answer: 'Our CEO.', answeredAt: clock.now() })]);
    expect(await w.answer({ questionId, actor: 'UREQ', answer: 'Again.', letter: null })).toEqual({
      kind: 'refused',
      refusal: { reason: 'question_closed', status: 'answered' },
    });
    // The approval given before the question still counts: the next one completes the quorum.
    expect(await approvers(id)).toEqual(['USUPA']);
    expect(await w.approve({ requestId: id, actor: 'USUPC' })).toEqual({ kind: 'ok', value: { event: 'approve' } });
    expect(await activeAdmins()).toEqual(['UREQ']);
    expect(await auditTrail()).toEqual([
      'recovery.requested',
      'recovery.approval_recorded',
      'recovery.info_requested',
      'recovery.info_provided',
      'recovery.approved',
      'admin.granted',
    ]);
  });

  it('a corrected letter replaces the one under review, and the approvals given for the old one no longer count', async () => {
    const w = workflow(2);
    const id = await file(w);
    await w.approve({ requestId: id, actor: 'USUPA' });
    const asked = await w.ask({ requestId: id, actor: 'USUPB', question: 'The letter is not signed.' });
    if (asked.kind !== 'ok') throw new Error('not asked');
    await w.answer({ questionId: asked.value.questionId, actor: 'UREQ', answer: 'Signed now.', letter: signed });
    expect(await requestRow(id)).toMatchObject({ status: 'open', letterFileId: 'F2', letterFileName: 'signed.pdf', letterSha256: 'beef' });
    expect(await questionRows(id)).toEqual([expect.objectContaining({ letterFileName: 'signed.pdf', letterSha256: 'beef' })]);
    expect(await approvers(id)).toEqual([]);
    expect(await w.approve({ requestId: id, actor: 'USUPA' })).toEqual({ kind: 'ok', value: { event: 'vote' } });
    expect(await w.approve({ requestId: id, actor: 'USUPB' })).toEqual({ kind: 'ok', value: { event: 'approve' } });
    const approved = (await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'recovery.approved')))[0];
    expect(approved?.after).toMatchObject({ letterSha256: 'beef', approvers: ['USUPA', 'USUPB'] });
  });

  it('a rejection while the question waits closes the question: a late answer is refused', async () => {
    const w = workflow();
    const id = await file(w);
    const asked = await w.ask({ requestId: id, actor: 'USUPA', question: 'Which account?' });
    if (asked.kind !== 'ok') throw new Error('not asked');
    expect(await w.reject({ requestId: id, actor: 'USUPB', reason: 'No answer.' })).toEqual({ kind: 'ok', value: { event: 'reject' } });
    expect(await questionRows(id)).toEqual([expect.objectContaining({ status: 'withdrawn', version: 2 })]);
    expect(await outboxKeys()).toContain(`redraw:${asked.value.questionId}:2`);
    expect(await w.answer({ questionId: asked.value.questionId, actor: 'UREQ', answer: 'Late.', letter: null })).toEqual({
      kind: 'refused',
      refusal: { reason: 'question_closed', status: 'withdrawn' },
    });
    expect(await requestRow(id)).toMatchObject({ status: 'rejected' });
  });

  it('asking is for support, about someone else’s request, and not when Slack cannot say who is support', async () => {
    const w = workflow();
    const id = await file(w);
    expect(await w.mayAsk({ requestId: id, actor: 'UPAT' })).toEqual({ kind: 'refused', refusal: { reason: 'not_support' } });
    support.members.add('UREQ');
    expect(await w.ask({ requestId: id, actor: 'UREQ', question: '?' })).toEqual({ kind: 'refused', refusal: { reason: 'own_request' } });
    support.down = true;
    expect(await w.ask({ requestId: id, actor: 'USUPA', question: '?' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'slack_unavailable' },
    });
    expect(await questionRows(id)).toEqual([]);
    expect(await requestRow(id)).toMatchObject({ status: 'open', version: 1 });
  });

  it('reminders, with a moved clock: the requester while the question waits, support again a period after the answer', async () => {
    const w = workflow();
    const id = await file(w);
    clock.advance(HOUR);
    const asked = await w.ask({ requestId: id, actor: 'USUPA', question: 'Which account?' });
    if (asked.kind !== 'ok') throw new Error('not asked');
    const reminders = async () =>
      (await outboxKeys()).filter((k) => k.startsWith('notice:recovery_reminder:') || k.startsWith('notice:recovery_info_reminder:'));
    clock.advance(DAY - 1);
    expect(await w.remindOpen()).toBe(0);
    clock.advance(1);
    expect(await w.remindOpen()).toBe(1);
    expect(await reminders()).toEqual([`notice:recovery_info_reminder:${id}:${clock.now().getTime()}`]);
    const dm = (
      await handle.db
        .select()
        .from(outbox)
        .where(eq(outbox.key, (await reminders())[0]!))
    )[0];
    expect(dm?.channel).toBe('UREQ');
    clock.advance(HOUR);
    await w.answer({ questionId: asked.value.questionId, actor: 'UREQ', answer: 'Acme.', letter: null });
    const answeredAt = clock.now().getTime();
    clock.advance(DAY - 1);
    expect(await w.remindOpen()).toBe(0);
    clock.advance(1);
    expect(await w.remindOpen()).toBe(1);
    expect((await reminders()).at(-1)).toBe(`notice:recovery_reminder:${id}:${answeredAt + DAY}`);
  });
});
