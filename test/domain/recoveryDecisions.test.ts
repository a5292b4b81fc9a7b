import { describe, expect, it } from 'vitest';
import { answer, noAnswer, type Answer, type DirectoryPerson } from '../../src/domain/directory.js';
import type { Effect } from '../../src/domain/effects.js';
import { recoveryMachine } from '../../src/domain/recovery.js';
import {
  decideRecoveryApproval,
  decideRecoveryRejection,
  withdrawnApprovals,
  type ApprovalFacts,
  type RecoveryRecord,
  type RecoveryState,
} from '../../src/domain/recoveryDecisions.js';

const HOUR = 3_600_000;
const now = new Date('2026-11-23T09:00:00Z');
const CHANNEL = 'CSUPPORT';

const request = (over: Partial<RecoveryRecord> = {}): RecoveryRecord => ({
  id: 'rec-1',
  version: 3,
  reference: 'REC-ABCDEF',
  status: 'open',
  requesterUserId: 'UREQ',
  accountId: 'acc-1',
  accountName: 'Acme Corp',
  emailToAdd: 'req@acme.example',
  officerName: 'Casey Chief',
  officerEmail: 'casey@acme.example',
  letterSha256: 'f00d',
  approvalsRequired: 1,
  createdAt: new Date(now.getTime() - 2 * HOUR),
  lastRemindedAt: null,
  waitingSince: null,
  ...over,
});
const state = (over: Partial<RecoveryRecord> = {}, approverUserIds: string[] = []): RecoveryState => ({
  request: request(over),
  approverUserIds,
  question: null,
});
const person = (userId: string, over: Partial<DirectoryPerson> = {}): Answer<DirectoryPerson | null> =>
  answer({ userId, isBot: false, deactivated: false, ...over });
const facts = (over: Partial<ApprovalFacts> = {}): ApprovalFacts => ({
  supportMembers: answer(new Set(['USUPA', 'USUPB', 'USUPC'])),
  newAdmin: person('UREQ'),
  officerUserId: 'UCEO',
  accountName: 'Acme Corp',
  newAdminIsAdmin: false,
  ...over,
});

const decisionOf = (outcome: ReturnType<typeof decideRecoveryApproval>) => {
  if (outcome.kind !== 'ok') throw new Error(`refused: ${JSON.stringify(outcome)}`);
  return outcome.value;
};
const ofType = <T extends Effect['type']>(effects: Effect[], type: T) =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
const keysOf = (effects: Effect[]) => ofType(effects, 'queue').map((e) => e.write.key);
const auditActions = (effects: Effect[]) => ofType(effects, 'audit').map((e) => e.entry.action);
/** Every move is a transition the machine allows from the record's state. */
const expectLegalMoves = (effects: Effect[], from: RecoveryRecord['status']) => {
  for (const { move } of ofType(effects, 'move')) {
    if (move.record !== 'recovery_request') continue;
    expect(recoveryMachine.can(from, move.event)).toBe(true);
  }
};

describe('what an approval does', () => {
  it('the approval that completes the quorum adds the admin, closes the request and tells the requester and the officer', () => {
    const { next, event, effects } = decisionOf(decideRecoveryApproval(state(), 'USUPA', facts(), now, CHANNEL));
    expect([next, event]).toEqual(['approved', 'approve']);
    expectLegalMoves(effects, 'open');
    expect(ofType(effects, 'move').map((e) => e.move)).toEqual([
      {
        record: 'recovery_request',
        id: 'rec-1',
        event: 'approve',
        version: 3,
        set: { decidedAt: now, decidedBy: 'USUPA', addedUserId: 'UREQ', blockedReason: null },
      },
    ]);
    expect(ofType(effects, 'record_recovery_approval')).toEqual([
      { type: 'record_recovery_approval', requestId: 'rec-1', approverUserId: 'USUPA' },
    ]);
    expect(ofType(effects, 'grant_admin')).toEqual([{ type: 'grant_admin', accountId: 'acc-1', userId: 'UREQ', grantedBy: 'USUPA' }]);
    expect(auditActions(effects)).toEqual(['recovery.approved', 'admin.granted']);
    expect(ofType(effects, 'audit')[0]?.entry.after).toEqual({
      status: 'approved',
      addedUserId: 'UREQ',
      approvers: ['USUPA'],
      letterSha256: 'f00d',
    });
    expect(keysOf(effects)).toEqual([
      'redraw:rec-1:4',
      'home:UREQ:rec-1:4',
      'notice:recovery_approved:rec-1',
      'notice:recovery_granted:rec-1:requester',
      'notice:recovery_granted:rec-1:officer',
      'support_homes:rec-1:4',
    ]);
    const approvedNotice = ofType(effects, 'queue').find((e) => e.write.key === 'notice:recovery_approved:rec-1')?.write.payload;
    expect(approvedNotice).toMatchObject({
      type: 'notice',
      channel: CHANNEL,
      threadOf: 'rec-1',
      notice: { requesterUserId: 'UREQ', addedUserId: 'UREQ', officer: { userId: 'UCEO' } },
    });
  });

  it('someone else’s address gets the new admin a DM of their own; an officer outside the workspace is named in the one thread message', () => {
    const { effects } = decisionOf(
      decideRecoveryApproval(state(), 'USUPA', facts({ newAdmin: person('UNEW'), officerUserId: null }), now, CHANNEL),
    );
    const keys = keysOf(effects);
    expect(keys).toContain('notice:recovery_granted:rec-1:new_admin');
    expect(keys).not.toContain('notice:recovery_granted:rec-1:officer');
    const inThread = ofType(effects, 'queue').filter((e) => e.write.payload.type === 'notice' && e.write.payload.threadOf === 'rec-1');
    expect(inThread.map((e) => e.write.payload)).toEqual([
      expect.objectContaining({
        notice: expect.objectContaining({ kind: 'recovery_approved', addedUserId: 'UNEW', officer: { email: 'casey@acme.example' } }),
      }),
    ]);
    expect(keys).toContain('home:UNEW:rec-1:4');
    expect(keys).toContain('home:UREQ:rec-1:4');
  });

  it('a person who already holds manage is not granted it twice in the audit trail', () => {
    const { effects } = decisionOf(decideRecoveryApproval(state(), 'USUPA', facts({ newAdminIsAdmin: true }), now, CHANNEL));
    expect(auditActions(effects)).toEqual(['recovery.approved']);
  });

  it('below the quorum the approval is counted and the request stays open', () => {
    const { next, event, effects } = decisionOf(decideRecoveryApproval(state({ approvalsRequired: 2 }), 'USUPA', facts(), now, CHANNEL));
    expect([next, event]).toEqual(['open', 'vote']);
    expectLegalMoves(effects, 'open');
    expect(ofType(effects, 'move').map((e) => e.move)).toEqual([{ record: 'recovery_request', id: 'rec-1', event: 'vote', version: 3 }]);
    expect(ofType(effects, 'record_recovery_approval')).toHaveLength(1);
    expect(ofType(effects, 'grant_admin')).toEqual([]);
    expect(ofType(effects, 'audit').map((e) => e.entry.after)).toEqual([{ approvals: 1, required: 2 }]);
    expect(keysOf(effects)).toEqual(['redraw:rec-1:4', 'notice:recovery_vote:rec-1:USUPA:4']);
  });

  it('the last approval of a quorum lists every approver', () => {
    const { effects } = decisionOf(decideRecoveryApproval(state({ approvalsRequired: 2 }, ['USUPB']), 'USUPA', facts(), now, CHANNEL));
    expect(ofType(effects, 'audit')[0]?.entry.after).toMatchObject({ approvers: ['USUPB', 'USUPA'] });
  });

  it.each([
    ['nobody has the e-mail', answer(null), 'No one in this workspace has the e-mail address req@acme.example'],
    ['the account is deactivated', person('UREQ', { deactivated: true }), 'The Slack account with req@acme.example is deactivated.'],
    ['the address is an app’s', person('UREQ', { isBot: true }), 'req@acme.example belongs to an app, not a person.'],
  ] as const)('when %s, the completing approval records only why, and the request stays open', (_, newAdmin, problem) => {
    const { next, event, effects } = decisionOf(decideRecoveryApproval(state(), 'USUPA', facts({ newAdmin }), now, CHANNEL));
    expect([next, event]).toEqual(['open', 'block']);
    expectLegalMoves(effects, 'open');
    const [blocked] = ofType(effects, 'move');
    expect(blocked?.move).toMatchObject({ event: 'block', set: { blockedReason: expect.stringContaining(problem) } });
    expect(ofType(effects, 'record_recovery_approval')).toEqual([]);
    expect(ofType(effects, 'grant_admin')).toEqual([]);
    expect(auditActions(effects)).toEqual(['recovery.approval_blocked']);
    expect(keysOf(effects)).toEqual(['redraw:rec-1:4', 'notice:recovery_blocked:rec-1:4']);
  });

  it('a request that matched no account cannot complete', () => {
    const { event, effects } = decisionOf(decideRecoveryApproval(state({ accountId: null }), 'USUPA', facts(), now, CHANNEL));
    expect(event).toBe('block');
    expect(ofType(effects, 'move')[0]?.move).toMatchObject({ set: { blockedReason: 'No Enterprise Account matched this request.' } });
  });
});

describe('who may approve: never the person being added, even when Slack is slow', () => {
  const refusal = (s: RecoveryState, actor: string, f: ApprovalFacts) => {
    const outcome = decideRecoveryApproval(s, actor, f, now, CHANNEL);
    return outcome.kind === 'refused' ? outcome.refusal : null;
  };

  it('the approver whose Slack user is the e-mail to add’s is refused, whatever their profile says', () => {
    expect(refusal(state(), 'USUPA', facts({ newAdmin: person('USUPA') }))).toEqual({ reason: 'own_request' });
  });

  it('when Slack does not say who the e-mail to add belongs to, nothing is decided', () => {
    expect(refusal(state(), 'USUPA', facts({ newAdmin: noAnswer }))).toEqual({ reason: 'slack_unavailable' });
    expect(refusal(state({ approvalsRequired: 3 }), 'USUPA', facts({ newAdmin: noAnswer }))).toEqual({ reason: 'slack_unavailable' });
  });

  it('when Slack does not list the support channel, nothing is decided', () => {
    expect(refusal(state(), 'USUPA', facts({ supportMembers: noAnswer }))).toEqual({ reason: 'slack_unavailable' });
  });

  it('only members of the support channel approve, once, on an open request that is not their own', () => {
    expect(refusal(state(), 'UOUT', facts())).toEqual({ reason: 'not_support' });
    expect(refusal(state(), 'UREQ', facts({ supportMembers: answer(new Set(['UREQ'])), newAdmin: person('UNEW') }))).toEqual({
      reason: 'own_request',
    });
    expect(refusal(state({ approvalsRequired: 2 }, ['USUPA']), 'USUPA', facts())).toEqual({ reason: 'already_voted' });
    expect(refusal(state({ status: 'rejected' }), 'USUPA', facts())).toEqual({ reason: 'already_decided', status: 'rejected' });
  });

  it('an earlier approver who is the person to add no longer counts: the quorum is not complete', () => {
    const s = state({ approvalsRequired: 2 }, ['USUPB']);
    const { event, effects } = decisionOf(decideRecoveryApproval(s, 'USUPA', facts({ newAdmin: person('USUPB') }), now, CHANNEL));
    expect(event).toBe('vote');
    expect(ofType(effects, 'grant_admin')).toEqual([]);
    expect(ofType(effects, 'withdraw_recovery_approval')).toEqual([
      { type: 'withdraw_recovery_approval', requestId: 'rec-1', approverUserId: 'USUPB' },
    ]);
    expect(auditActions(effects)).toEqual(['recovery.approval_withdrawn', 'recovery.approval_recorded']);
    expect(ofType(effects, 'audit')[0]?.entry).toMatchObject({ before: { approver: 'USUPB' }, after: { why: 'is_person_to_add' } });
    expect(keysOf(effects)).toContain('notice:recovery_approval_withdrawn:rec-1:USUPB:4');
    // Withdrawn before the new approval is recorded, so the counts never include it.
    const types = effects.map((e) => e.type);
    expect(types.indexOf('withdraw_recovery_approval')).toBeLessThan(types.indexOf('record_recovery_approval'));
  });

  it('an earlier approver who left the support channel no longer counts when the quorum would complete', () => {
    const s = state({ approvalsRequired: 2 }, ['USUPB']);
    const left = facts({ supportMembers: answer(new Set(['USUPA', 'USUPC'])) });
    const { event, effects } = decisionOf(decideRecoveryApproval(s, 'USUPA', left, now, CHANNEL));
    expect(event).toBe('vote');
    expect(ofType(effects, 'grant_admin')).toEqual([]);
    expect(ofType(effects, 'audit').map((e) => e.entry.after)).toEqual([{ why: 'left_support' }, { approvals: 1, required: 2 }]);
    // With everyone still in the channel, the same approval completes it.
    expect(decisionOf(decideRecoveryApproval(s, 'USUPA', facts(), now, CHANNEL)).event).toBe('approve');
  });

  it('withdrawnApprovals says which approvals stop counting, and why', () => {
    expect(withdrawnApprovals(['UA', 'UB', 'UC'], new Set(['UA', 'UC']), 'UC')).toEqual([
      { approverUserId: 'UB', why: 'left_support' },
      { approverUserId: 'UC', why: 'is_person_to_add' },
    ]);
    expect(withdrawnApprovals(['UA'], new Set(['UA']), null)).toEqual([]);
  });
});

describe('what a rejection does', () => {
  const support = { actorIsSupport: answer(true), newAdmin: person('UREQ') };

  it('closes the request with the reason, in the thread and by DM to the requester', () => {
    const outcome = decideRecoveryRejection(state(), 'USUPB', support, 'Not signed.', now, CHANNEL);
    if (outcome.kind !== 'ok') throw new Error('refused');
    const { next, event, effects } = outcome.value;
    expect([next, event]).toEqual(['rejected', 'reject']);
    expectLegalMoves(effects, 'open');
    expect(ofType(effects, 'move')[0]?.move).toEqual({
      record: 'recovery_request',
      id: 'rec-1',
      event: 'reject',
      version: 3,
      set: { decidedAt: now, decidedBy: 'USUPB', rejectionReason: 'Not signed.' },
    });
    expect(ofType(effects, 'audit').map((e) => [e.entry.action, e.entry.after])).toEqual([
      ['recovery.rejected', { status: 'rejected', reason: 'Not signed.', letterSha256: 'f00d' }],
    ]);
    expect(keysOf(effects)).toEqual([
      'redraw:rec-1:4',
      'home:UREQ:rec-1:4',
      'notice:recovery_rejected:rec-1',
      'notice:recovery_declined:rec-1',
      'support_homes:rec-1:4',
    ]);
  });

  it('is refused to non-members, to the requester and to the person being added; a rejection does not wait for Slack’s lookup', () => {
    const refusal = (facts: typeof support, actor = 'USUPB') => {
      const outcome = decideRecoveryRejection(state(), actor, facts, 'x', now, CHANNEL);
      return outcome.kind === 'refused' ? outcome.refusal : null;
    };
    expect(refusal({ ...support, actorIsSupport: answer(false) })).toEqual({ reason: 'not_support' });
    expect(refusal({ ...support, actorIsSupport: noAnswer })).toEqual({ reason: 'slack_unavailable' });
    expect(refusal(support, 'UREQ')).toEqual({ reason: 'own_request' });
    expect(refusal({ ...support, newAdmin: person('USUPB') })).toEqual({ reason: 'own_request' });
    expect(refusal({ ...support, newAdmin: noAnswer })).toBeNull();
  });

  it('while a question waits for the requester, the rejection closes it too: its DM says no answer is needed', () => {
    const question = {
      id: 'q-1',
      requestId: 'rec-1',
      version: 1,
      status: 'asked' as const,
      askedBy: 'USUPA',
      question: 'Whose signature is this?',
      askedAt: now,
    };
    const waiting = { ...state({ status: 'awaiting_info' }), question };
    const outcome = decideRecoveryRejection(waiting, 'USUPB', support, 'No answer.', now, CHANNEL);
    if (outcome.kind !== 'ok') throw new Error('refused');
    expectLegalMoves(outcome.value.effects, 'awaiting_info');
    expect(ofType(outcome.value.effects, 'move').map((e) => e.move)).toEqual([
      expect.objectContaining({ record: 'recovery_request', event: 'reject' }),
      { record: 'recovery_question', id: 'q-1', event: 'withdraw', version: 1 },
    ]);
    expect(keysOf(outcome.value.effects)).toContain('redraw:q-1:2');
    expect(ofType(outcome.value.effects, 'audit')[0]?.entry.before).toEqual({ status: 'awaiting_info' });
  });
});

describe('while a question waits for the requester', () => {
  it('nobody approves: the approval is refused and nothing is recorded', () => {
    const outcome = decideRecoveryApproval(state({ status: 'awaiting_info' }), 'USUPA', facts(), now, CHANNEL);
    expect(outcome).toEqual({ kind: 'refused', refusal: { reason: 'awaiting_info' } });
  });
});

describe('the recovery machine', () => {
  it('a request waits for support (open) or for the requester’s answer (awaiting_info); a decided one has no way out', () => {
    expect(recoveryMachine.liveStates).toEqual(['open', 'awaiting_info']);
    for (const event of Object.keys(recoveryMachine.transitions) as Array<keyof typeof recoveryMachine.transitions>) {
      expect(recoveryMachine.can('approved', event)).toBe(false);
      expect(recoveryMachine.can('rejected', event)).toBe(false);
    }
    expect(['vote', 'block', 'remind'].map((e) => recoveryMachine.next('open', e as 'vote'))).toEqual(['open', 'open', 'open']);
    expect(recoveryMachine.next('open', 'ask')).toBe('awaiting_info');
    expect(recoveryMachine.next('awaiting_info', 'reply')).toBe('open');
    expect(recoveryMachine.next('awaiting_info', 'remind_requester')).toBe('awaiting_info');
    expect(recoveryMachine.next('awaiting_info', 'reject')).toBe('rejected');
    // While a question waits, nobody approves nor asks another.
    for (const event of ['approve', 'vote', 'block', 'ask', 'remind'] as const)
      expect(recoveryMachine.can('awaiting_info', event)).toBe(false);
  });
});
