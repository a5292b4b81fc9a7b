import { describe, expect, it } from 'vitest';
import { answer, noAnswer, type DirectoryPerson } from '../../src/domain/directory.js';
import type { Effect } from '../../src/domain/effects.js';
import { recoveryMachine, recoveryReminderDue } from '../../src/domain/recovery.js';
import type { RecoveryRecord, RecoveryState } from '../../src/domain/recoveryDecisions.js';
import {
  decideRecoveryAnswer,
  decideRecoveryQuestion,
  decideRecoveryReminder,
  recoveryQuestionMachine,
  type QuestionFacts,
  type RecoveryQuestionRecord,
} from '../../src/domain/recoveryQuestions.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
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
  approvalsRequired: 2,
  createdAt: new Date(now.getTime() - 2 * HOUR),
  lastRemindedAt: null,
  waitingSince: null,
  ...over,
});
const asked = (over: Partial<RecoveryQuestionRecord> = {}): RecoveryQuestionRecord => ({
  id: 'q-1',
  requestId: 'rec-1',
  version: 1,
  status: 'asked',
  askedBy: 'USUPA',
  question: 'The letter is not signed. Can you send a signed one?',
  askedAt: new Date(now.getTime() - HOUR),
  ...over,
});
const open = (approverUserIds: string[] = []): RecoveryState => ({ request: request(), approverUserIds, question: null });
const waiting = (approverUserIds: string[] = [], question = asked()): RecoveryState => ({
  request: request({ status: 'awaiting_info', waitingSince: question.askedAt }),
  approverUserIds,
  question,
});
const support: QuestionFacts = {
  actorIsSupport: answer(true),
  newAdmin: answer<DirectoryPerson | null>({ userId: 'UREQ', isBot: false, deactivated: false }),
};
const signed = { fileId: 'F2', name: 'signed.pdf', permalink: 'https://files.example/F2', sha256: 'beef' };

const ofType = <T extends Effect['type']>(effects: Effect[], type: T) =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
const keysOf = (effects: Effect[]) => ofType(effects, 'queue').map((e) => e.write.key);
const payloadOf = (effects: Effect[], key: string) => ofType(effects, 'queue').find((e) => e.write.key === key)?.write.payload;
const decisionOf = <T>(outcome: { kind: string; value?: T }): T => {
  if (outcome.kind !== 'ok') throw new Error(`refused: ${JSON.stringify(outcome)}`);
  return outcome.value as T;
};
const refusalOf = (outcome: { kind: string; refusal?: unknown }) => (outcome.kind === 'refused' ? outcome.refusal : null);

describe('asking the requester for more information', () => {
  it('creates the question, moves the request to wait for the answer, and tells the requester by DM and the thread', () => {
    const { next, event, effects } = decisionOf(
      decideRecoveryQuestion(open(['USUPB']), 'USUPA', support, { questionId: 'q-1', question: 'Who signed it?' }, now, CHANNEL),
    );
    expect([next, event]).toEqual(['awaiting_info', 'ask']);
    expect(ofType(effects, 'create_recovery_question')).toEqual([
      { type: 'create_recovery_question', question: { id: 'q-1', requestId: 'rec-1', askedBy: 'USUPA', question: 'Who signed it?' } },
    ]);
    expect(ofType(effects, 'move').map((e) => e.move)).toEqual([
      { record: 'recovery_request', id: 'rec-1', event: 'ask', version: 3, set: { waitingSince: now } },
    ]);
    // Approvals so far keep counting: none is withdrawn.
    expect(ofType(effects, 'withdraw_recovery_approval')).toEqual([]);
    expect(ofType(effects, 'audit').map((e) => [e.entry.action, e.entry.after])).toEqual([
      ['recovery.info_requested', { status: 'awaiting_info', questionId: 'q-1', question: 'Who signed it?' }],
    ]);
    expect(keysOf(effects)).toEqual([
      'redraw:rec-1:4',
      'home:UREQ:rec-1:4',
      'notice:recovery_info_requested:q-1',
      'post:recovery_question:q-1',
      'support_homes:rec-1:4',
    ]);
    expect(payloadOf(effects, 'post:recovery_question:q-1')).toEqual({
      type: 'post',
      surface: 'recovery_question',
      subjectId: 'q-1',
      channel: 'UREQ',
    });
    expect(payloadOf(effects, 'notice:recovery_info_requested:q-1')).toMatchObject({ channel: CHANNEL, threadOf: 'rec-1' });
  });

  it('is for support only, not about one’s own request, one question at a time, and not once decided', () => {
    const ask = (state: RecoveryState, actor = 'USUPA', facts = support) =>
      refusalOf(decideRecoveryQuestion(state, actor, facts, { questionId: 'q-2', question: '?' }, now, CHANNEL));
    expect(ask(open(), 'UOUT', { ...support, actorIsSupport: answer(false) })).toEqual({ reason: 'not_support' });
    expect(ask(open(), 'USUPA', { ...support, actorIsSupport: noAnswer })).toEqual({ reason: 'slack_unavailable' });
    expect(ask(open(), 'UREQ')).toEqual({ reason: 'own_request' });
    expect(ask(waiting())).toEqual({ reason: 'awaiting_info' });
    expect(ask({ ...open(), request: request({ status: 'approved' }) })).toEqual({ reason: 'already_decided', status: 'approved' });
    // Asking grants nothing: it does not wait for Slack to say who the e-mail to add is.
    expect(ask(open(), 'USUPA', { ...support, newAdmin: noAnswer })).toBeNull();
  });
});

describe('the requester’s answer', () => {
  it('closes the question with the answer, sends the request back to support and puts the answer in the thread', () => {
    const { next, event, effects } = decisionOf(
      decideRecoveryAnswer(waiting(['USUPB']), asked(), 'UREQ', { answer: 'Our CEO, Casey.', letter: null }, now, CHANNEL),
    );
    expect([next, event]).toEqual(['open', 'reply']);
    expect(ofType(effects, 'move').map((e) => e.move)).toEqual([
      {
        record: 'recovery_question',
        id: 'q-1',
        event: 'answer',
        version: 1,
        set: { answer: 'Our CEO, Casey.', answeredAt: now, letterFileName: null, letterSha256: null },
      },
      { record: 'recovery_request', id: 'rec-1', event: 'reply', version: 3, set: { waitingSince: now } },
    ]);
    for (const { move } of ofType(effects, 'move')) {
      if (move.record === 'recovery_request') expect(recoveryMachine.can('awaiting_info', move.event)).toBe(true);
      else expect(recoveryQuestionMachine.can('asked', move.event as 'answer')).toBe(true);
    }
    // The approvals given so far still count: the letter did not change.
    expect(ofType(effects, 'withdraw_recovery_approval')).toEqual([]);
    expect(keysOf(effects)).toEqual([
      'redraw:q-1:2',
      'redraw:rec-1:4',
      'home:UREQ:rec-1:4',
      'notice:recovery_info_provided:q-1',
      'support_homes:rec-1:4',
    ]);
    expect(payloadOf(effects, 'notice:recovery_info_provided:q-1')).toEqual({
      type: 'notice',
      channel: CHANNEL,
      threadOf: 'rec-1',
      notice: {
        kind: 'recovery_info_provided',
        reference: 'REC-ABCDEF',
        requesterUserId: 'UREQ',
        askedBy: 'USUPA',
        question: asked().question,
        answer: 'Our CEO, Casey.',
        letter: null,
        withdrawnApprovers: [],
      },
    });
  });

  it('a corrected letter replaces the one under review, and approvals given for the old one no longer count', () => {
    const { effects } = decisionOf(
      decideRecoveryAnswer(waiting(['USUPB']), asked(), 'UREQ', { answer: 'Signed now.', letter: signed }, now, CHANNEL),
    );
    expect(ofType(effects, 'withdraw_recovery_approval')).toEqual([
      { type: 'withdraw_recovery_approval', requestId: 'rec-1', approverUserId: 'USUPB' },
    ]);
    expect(ofType(effects, 'move').find((e) => e.move.record === 'recovery_request')?.move.set).toEqual({
      waitingSince: now,
      letterFileId: 'F2',
      letterFileName: 'signed.pdf',
      letterPermalink: 'https://files.example/F2',
      letterSha256: 'beef',
    });
    expect(ofType(effects, 'audit').map((e) => [e.entry.action, e.entry.before, e.entry.after])).toEqual([
      ['recovery.approval_withdrawn', { approver: 'USUPB' }, { why: 'letter_replaced' }],
      [
        'recovery.info_provided',
        { status: 'awaiting_info', letterSha256: 'f00d' },
        { status: 'open', questionId: 'q-1', answer: 'Signed now.', letterSha256: 'beef' },
      ],
    ]);
    expect(payloadOf(effects, 'notice:recovery_info_provided:q-1')).toMatchObject({
      notice: { letter: { name: 'signed.pdf', sha256: 'beef' }, withdrawnApprovers: ['USUPB'] },
    });
    // Uploaded into the thread after the answer that announces it.
    expect(keysOf(effects).slice(-3)).toEqual(['notice:recovery_info_provided:q-1', 'letter:rec-1:beef', 'support_homes:rec-1:4']);
    expect(payloadOf(effects, 'letter:rec-1:beef')).toEqual({
      type: 'letter',
      channel: CHANNEL,
      threadOf: 'rec-1',
      reference: 'REC-ABCDEF',
      fileId: 'F2',
      fileName: 'signed.pdf',
      sha256: 'beef',
    });
  });

  it('the same letter sent again is no new letter: nothing is replaced or withdrawn', () => {
    const { effects } = decisionOf(
      decideRecoveryAnswer(waiting(['USUPB']), asked(), 'UREQ', { answer: 'Same.', letter: { ...signed, sha256: 'f00d' } }, now, CHANNEL),
    );
    expect(ofType(effects, 'withdraw_recovery_approval')).toEqual([]);
    expect(ofType(effects, 'move').find((e) => e.move.record === 'recovery_request')?.move.set).toEqual({ waitingSince: now });
    expect(keysOf(effects).filter((k) => k.startsWith('letter:'))).toEqual([]);
  });

  it('only the requester answers, once, and not after the request was decided', () => {
    const reply = (question: RecoveryQuestionRecord, actor = 'UREQ') =>
      refusalOf(decideRecoveryAnswer(waiting(), question, actor, { answer: 'x', letter: null }, now, CHANNEL));
    expect(reply(asked(), 'USUPA')).toEqual({ reason: 'not_requester' });
    expect(reply(asked({ status: 'answered' }))).toEqual({ reason: 'question_closed', status: 'answered' });
    expect(reply(asked({ status: 'withdrawn' }))).toEqual({ reason: 'question_closed', status: 'withdrawn' });
  });
});

describe('reminders', () => {
  const created = new Date(now.getTime() - DAY);

  it('a request open for a period gets a reminder in its thread, recorded as a move of its own', () => {
    const r = request({ createdAt: created });
    const decision = decideRecoveryReminder(r, now, DAY, CHANNEL);
    expect(decision?.event).toBe('remind');
    expect(recoveryMachine.can('open', 'remind')).toBe(true);
    expect(ofType(decision?.effects ?? [], 'move')[0]?.move).toEqual({
      record: 'recovery_request',
      id: 'rec-1',
      event: 'remind',
      version: 3,
      set: { lastRemindedAt: now },
    });
    const notice = ofType(decision?.effects ?? [], 'queue').find((e) => e.write.key === `notice:recovery_reminder:rec-1:${now.getTime()}`);
    expect(notice?.write.payload).toEqual({
      type: 'notice',
      channel: CHANNEL,
      threadOf: 'rec-1',
      notice: { kind: 'recovery_reminder', reference: 'REC-ABCDEF', openSince: created.toISOString() },
    });
  });

  it('none before the period, none twice in a period, none once decided', () => {
    expect(decideRecoveryReminder(request({ createdAt: new Date(now.getTime() - DAY + 1) }), now, DAY, CHANNEL)).toBeNull();
    expect(
      decideRecoveryReminder(request({ createdAt: created, lastRemindedAt: new Date(now.getTime() - HOUR) }), now, DAY, CHANNEL),
    ).toBeNull();
    expect(decideRecoveryReminder(request({ createdAt: created, status: 'approved' }), now, DAY, CHANNEL)).toBeNull();
  });

  it('while a question waits, the requester is reminded by DM, a period after it was asked', () => {
    const askedAt = new Date(now.getTime() - DAY);
    const r = request({ createdAt: new Date(now.getTime() - 5 * DAY), status: 'awaiting_info', waitingSince: askedAt });
    const decision = decideRecoveryReminder(r, now, DAY, CHANNEL);
    expect(decision?.event).toBe('remind_requester');
    expect(recoveryMachine.can('awaiting_info', 'remind_requester')).toBe(true);
    expect(ofType(decision?.effects ?? [], 'move')[0]?.move).toMatchObject({ event: 'remind_requester', set: { lastRemindedAt: now } });
    expect(payloadOf(decision?.effects ?? [], `notice:recovery_info_reminder:rec-1:${now.getTime()}`)).toEqual({
      type: 'notice',
      channel: 'UREQ',
      notice: { kind: 'recovery_info_reminder', reference: 'REC-ABCDEF', askedAt: askedAt.toISOString() },
    });
    expect(decideRecoveryReminder({ ...r, waitingSince: new Date(askedAt.getTime() + 1) }, now, DAY, CHANNEL)).toBeNull();
  });

  it('an answered request waits for support afresh: the next reminder comes a period after the answer', () => {
    const answered = new Date(now.getTime() - HOUR);
    const r = request({
      createdAt: new Date(now.getTime() - 5 * DAY),
      waitingSince: answered,
      lastRemindedAt: new Date(now.getTime() - 3 * DAY),
    });
    expect(recoveryReminderDue(r, now, DAY)).toBe(false);
    expect(recoveryReminderDue(r, new Date(answered.getTime() + DAY), DAY)).toBe(true);
  });
});

describe('the question machine', () => {
  it('a question waits for its answer; answered or withdrawn, it has no way out', () => {
    expect(recoveryQuestionMachine.liveStates).toEqual(['asked']);
    expect(recoveryQuestionMachine.next('asked', 'answer')).toBe('answered');
    expect(recoveryQuestionMachine.next('asked', 'withdraw')).toBe('withdrawn');
    expect(recoveryQuestionMachine.next('answered', 'withdraw')).toBeNull();
  });
});
