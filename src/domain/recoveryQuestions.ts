import { audited, moved, notify, queue, type Effect } from './effects.js';
import { outboxKey } from './outboxKeys.js';
import { refused, type Outcome } from './outcome.js';
import { recoveryMachine, recoveryReminderDue, uploadLetter, type RecoveryLetter, type RecoveryRefusal } from './recovery.js';
import {
  checkSupportAction,
  decided,
  inThread,
  move,
  refreshSupportHomes,
  subject,
  type RecoveryDecision,
  type RecoveryRecord,
  type RecoveryState,
  type SupportActionFacts,
} from './recoveryDecisions.js';
import { defineMachine } from './stateMachine.js';

/**
 * How a request that waits is followed up: support asks the requester for more information
 * ("Ask for more information"), the requester answers (perhaps with a corrected letter) and the
 * request goes back to support; and whoever it waits for is reminded once per period.
 */

export const recoveryQuestionStates = ['asked', 'answered', 'withdrawn'] as const;
export type RecoveryQuestionStatus = (typeof recoveryQuestionStates)[number];

export const recoveryQuestionMachine = defineMachine(recoveryQuestionStates, {
  /** The requester answered, perhaps with a corrected letter. */
  answer: { from: ['asked'], to: 'answered' },
  /** The request was decided before the answer came: none is needed any more. */
  withdraw: { from: ['asked'], to: 'withdrawn' },
});
export type RecoveryQuestionEvent = keyof typeof recoveryQuestionMachine.transitions;

/** Longest question support may ask, and longest answer (the request's own reason is as long). */
export const RECOVERY_QUESTION_LIMIT = 1000;
export const RECOVERY_ANSWER_LIMIT = 2000;

/** A question as a decision sees it, locked with its request. */
export interface RecoveryQuestionRecord {
  id: string;
  requestId: string;
  version: number;
  status: RecoveryQuestionStatus;
  askedBy: string;
  question: string;
  askedAt: Date;
}

// ---------------------------------------------------------------------------------------------
// Asking

export type QuestionFacts = SupportActionFacts;

/**
 * Whether `actor` may ask the requester a question: support only, not about their own request
 * (nor one that adds them), and only while the request waits for review: one question at a time.
 * Asked before the question form opens, and again when it is sent.
 */
export function checkRecoveryQuestion(state: RecoveryState, actor: string, facts: QuestionFacts): RecoveryRefusal | null {
  return checkSupportAction(state, actor, facts, 'ask');
}

/**
 * A support member asks the requester for more information: the request waits for the answer
 * (approvals so far keep counting), the question goes to the requester by DM with a Reply button,
 * and the thread says who asked what.
 */
export function decideRecoveryQuestion(
  state: RecoveryState,
  actor: string,
  facts: QuestionFacts,
  input: { questionId: string; question: string },
  now: Date,
  supportChannelId: string,
): Outcome<RecoveryDecision, RecoveryRefusal> {
  const refusal = checkRecoveryQuestion(state, actor, facts);
  if (refusal) return refused(refusal);
  const { request: r } = state;
  const { questionId, question } = input;
  return decided('ask', [
    { type: 'create_recovery_question', question: { id: questionId, requestId: r.id, askedBy: actor, question } },
    ...move(r, 'ask', [r.requesterUserId], { waitingSince: now }),
    audited({
      ...subject(r, actor),
      action: 'recovery.info_requested',
      before: { status: r.status },
      after: { status: 'awaiting_info', questionId, question },
    }),
    inThread(supportChannelId, r, outboxKey.notice('recovery_info_requested', questionId), {
      kind: 'recovery_info_requested',
      reference: r.reference,
      byUserId: actor,
      requesterUserId: r.requesterUserId,
      question,
      ...(r.crossWorkspace ? { requesterWorkspace: r.crossWorkspace.requester } : {}),
    }),
    queue(outboxKey.post('recovery_question', questionId), {
      type: 'post',
      surface: 'recovery_question',
      subjectId: questionId,
      channel: r.requesterUserId,
    }),
    refreshSupportHomes(r),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Answering

/** Whether `actor` may answer the question: the requester, while it still waits for an answer. */
export function checkRecoveryAnswer(state: RecoveryState, question: RecoveryQuestionRecord, actor: string): RecoveryRefusal | null {
  if (actor !== state.request.requesterUserId) return { reason: 'not_requester' };
  if (question.status !== 'asked') return { reason: 'question_closed', status: question.status };
  return null;
}

/**
 * The requester answers: the answer (and a corrected letter, if one came) goes into the request's
 * thread and the request goes back to support for review. A letter with other bytes replaces the
 * one support reviews: approvals given for the previous letter no longer count, and the new one
 * is uploaded into the thread.
 */
export function decideRecoveryAnswer(
  state: RecoveryState,
  question: RecoveryQuestionRecord,
  actor: string,
  input: { answer: string; letter: RecoveryLetter | null },
  now: Date,
  supportChannelId: string,
): Outcome<RecoveryDecision, RecoveryRefusal> {
  const refusal = checkRecoveryAnswer(state, question, actor);
  if (refusal) return refused(refusal);
  const { request: r } = state;
  const { answer } = input;
  // The same bytes again are no new letter.
  const letter = input.letter && input.letter.sha256 !== r.letterSha256 ? input.letter : null;
  const withdrawn = letter ? [...state.approverUserIds] : [];
  return decided('reply', [
    ...withdrawn.flatMap((approverUserId): Effect[] => [
      { type: 'withdraw_recovery_approval', requestId: r.id, approverUserId },
      audited({
        ...subject(r, actor),
        action: 'recovery.approval_withdrawn',
        before: { approver: approverUserId },
        after: { why: 'letter_replaced' },
      }),
    ]),
    ...moved(
      {
        record: 'recovery_question',
        id: question.id,
        event: 'answer',
        version: question.version,
        set: { answer, answeredAt: now, letterFileName: letter?.name ?? null, letterSha256: letter?.sha256 ?? null },
      },
      [],
    ),
    ...move(r, 'reply', [r.requesterUserId], {
      waitingSince: now,
      ...(letter
        ? { letterFileId: letter.fileId, letterFileName: letter.name, letterPermalink: letter.permalink, letterSha256: letter.sha256 }
        : {}),
    }),
    audited({
      ...subject(r, actor),
      action: 'recovery.info_provided',
      before: { status: r.status, ...(letter ? { letterSha256: r.letterSha256 } : {}) },
      after: { status: 'open', questionId: question.id, answer, ...(letter ? { letterSha256: letter.sha256 } : {}) },
    }),
    inThread(supportChannelId, r, outboxKey.notice('recovery_info_provided', question.id), {
      kind: 'recovery_info_provided',
      reference: r.reference,
      requesterUserId: r.requesterUserId,
      askedBy: question.askedBy,
      question: question.question,
      answer,
      letter: letter ? { name: letter.name, sha256: letter.sha256 } : null,
      withdrawnApprovers: withdrawn,
      ...(r.crossWorkspace ? { requesterWorkspace: r.crossWorkspace.requester } : {}),
    }),
    ...(letter ? [uploadLetter(supportChannelId, r, letter)] : []),
    refreshSupportHomes(r),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Reminding

/**
 * One reminder per period for a request still waiting after `periodMs`: in its thread while it
 * waits for support's review, by DM to the requester while a question waits for their answer;
 * null when none is due.
 */
export function decideRecoveryReminder(r: RecoveryRecord, now: Date, periodMs: number, supportChannelId: string): RecoveryDecision | null {
  if (!recoveryReminderDue(r, now, periodMs)) return null;
  if (r.status === 'awaiting_info') {
    return {
      next: recoveryMachine.transitions.remind_requester.to,
      event: 'remind_requester',
      effects: [
        ...move(r, 'remind_requester', [], { lastRemindedAt: now }),
        notify(outboxKey.notice('recovery_info_reminder', r.id, now.getTime()), r.requesterUserId, {
          kind: 'recovery_info_reminder',
          reference: r.reference,
          askedAt: (r.waitingSince ?? r.createdAt).toISOString(),
        }),
      ],
    };
  }
  return {
    next: recoveryMachine.transitions.remind.to,
    event: 'remind',
    effects: [
      ...move(r, 'remind', [], { lastRemindedAt: now }),
      inThread(supportChannelId, r, outboxKey.notice('recovery_reminder', r.id, now.getTime()), {
        kind: 'recovery_reminder',
        reference: r.reference,
        openSince: r.createdAt.toISOString(),
      }),
    ],
  };
}
