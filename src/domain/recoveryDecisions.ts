import { audited, moved, notify, queue, type Decision, type Effect, type Move } from './effects.js';
import { outboxKey } from './outboxKeys.js';
import { ok, refused, type Outcome } from './outcome.js';
import type { Answer, DirectoryPerson } from './directory.js';
import type { ApprovalWithdrawal, Notice } from './notice.js';
import type { CrossWorkspace } from './workspace.js';
import type { RecoveryQuestionRecord } from './recoveryQuestions.js';
import {
  checkRecoveryDecision,
  completesQuorum,
  newAdminProblem,
  recoveryMachine,
  type RecoveryAction,
  type RecoveryEvent,
  type RecoveryRefusal,
  type RecoveryStatus,
} from './recovery.js';

/**
 * What approving and rejecting a recovery request does, as plain data (filing is in `recovery.ts`,
 * beside the form and its checks; asking for more information, the answer and the reminders in
 * `recoveryQuestions.ts`). The recovery workflow gathers the facts (the locked request, what Slack
 * said) and stores what these decide.
 */

/** A recovery request as a decision sees it, locked by the workflow that loaded it. */
export interface RecoveryRecord {
  id: string;
  version: number;
  reference: string;
  status: RecoveryStatus;
  requesterUserId: string;
  accountId: string | null;
  accountName: string;
  emailToAdd: string;
  officerName: string;
  officerEmail: string;
  letterSha256: string;
  approvalsRequired: number;
  createdAt: Date;
  lastRemindedAt: Date | null;
  waitingSince: Date | null;
  /** Distributed, filed from a customer's workspace: each side's people in words for the other. */
  crossWorkspace?: CrossWorkspace | null;
}

export interface RecoveryState {
  request: RecoveryRecord;
  /** Who approved so far. */
  approverUserIds: readonly string[];
  /** Support's question waiting for the requester's answer, if any. */
  question: RecoveryQuestionRecord | null;
}

/** A decision on a request: where it moves (by which event of the machine), and what that does. */
export type RecoveryDecision = Decision<RecoveryStatus> & { event: RecoveryEvent };

const slackUnavailable: RecoveryRefusal = { reason: 'slack_unavailable' };

type RecoveryMove = Extract<Move, { record: 'recovery_request' }>;
/** The request's guarded move, its redraw (support's post, the receipt) and the Home tabs of `concerns`. */
export const move = (r: RecoveryRecord, event: RecoveryEvent, concerns: readonly string[], set?: RecoveryMove['set']): Effect[] =>
  moved({ record: 'recovery_request', id: r.id, event, version: r.version, ...(set ? { set } : {}) }, concerns);

export const decided = (event: RecoveryEvent, effects: Effect[]): Outcome<RecoveryDecision, RecoveryRefusal> =>
  ok({ next: recoveryMachine.transitions[event].to, event, effects });

/** A notice in the request's thread in the support channel. */
export const inThread = (supportChannelId: string, r: RecoveryRecord, key: string, notice: Notice): Effect =>
  notify(key, supportChannelId, notice, r.id);

/** Every support member's Home tab lists the requests in play: refresh them for the request's next version. */
export const refreshSupportHomes = (r: RecoveryRecord): Effect =>
  queue(outboxKey.supportHomes(r.id, r.version + 1), { type: 'support_homes' });

/** What an audit entry about the request names. */
export const subject = (r: RecoveryRecord, actor: string) => ({
  accountId: r.accountId,
  actor,
  subjectKind: 'recovery_request',
  subjectId: r.id,
});

// ---------------------------------------------------------------------------------------------
// Approving

/** What an approval is decided from besides the locked request, asked of Slack and the database at click time. */
export interface ApprovalFacts {
  /** The support channel's members, as Slack lists them now (not from a cache). */
  supportMembers: Answer<ReadonlySet<string>>;
  /** The Slack user of the e-mail to add (null: nobody has it). */
  newAdmin: Answer<DirectoryPerson | null>;
  /** The officer's Slack user, for their DM; null when they are not in the workspace. */
  officerUserId: string | null;
  /** The account's name now (it may have been renamed since the request came in). */
  accountName: string;
  /** Whether the person to add holds `manage` already, so nothing new is granted. */
  newAdminIsAdmin: boolean;
}

/**
 * Which earlier approvals no longer count: an approval counts while its approver is in the
 * support channel and is not the person the request adds.
 */
export function withdrawnApprovals(
  approverUserIds: readonly string[],
  supportMembers: ReadonlySet<string>,
  newAdminUserId: string | null,
): Array<{ approverUserId: string; why: ApprovalWithdrawal }> {
  return approverUserIds.flatMap((approverUserId): Array<{ approverUserId: string; why: ApprovalWithdrawal }> => {
    if (approverUserId === newAdminUserId) return [{ approverUserId, why: 'is_person_to_add' }];
    if (!supportMembers.has(approverUserId)) return [{ approverUserId, why: 'left_support' }];
    return [];
  });
}

/** Who the completing approval adds to which account, or why it cannot. */
function completionTarget(
  r: RecoveryRecord,
  person: DirectoryPerson | null,
): { kind: 'ready'; accountId: string; addedUserId: string } | { kind: 'blocked'; problem: string } {
  if (!r.accountId) return { kind: 'blocked', problem: 'No Enterprise Account matched this request.' };
  const problem = newAdminProblem(person, r.emailToAdd);
  if (problem !== null || !person) return { kind: 'blocked', problem: problem ?? '' };
  return { kind: 'ready', accountId: r.accountId, addedUserId: person.userId };
}

/**
 * One support member approves. Earlier approvals that no longer count are withdrawn (and the
 * thread says so). Below the quorum the approval is counted; the one that completes it adds the
 * admin, unless that person cannot be added: then nothing but the reason is recorded and the
 * request stays open. Refused (nothing recorded) when Slack could not say who is support or who
 * the e-mail to add belongs to.
 */
export function decideRecoveryApproval(
  state: RecoveryState,
  actor: string,
  facts: ApprovalFacts,
  now: Date,
  supportChannelId: string,
): Outcome<RecoveryDecision, RecoveryRefusal> {
  const { request: r } = state;
  if (!facts.supportMembers.answered) return refused(slackUnavailable);
  const members = facts.supportMembers.value;
  const refusal = checkRecoveryDecision({
    ...r,
    actorUserId: actor,
    actorIsSupport: members.has(actor),
    newAdmin: facts.newAdmin,
    approverUserIds: state.approverUserIds,
    action: 'approve',
  });
  if (refusal) return refused(refusal);
  if (!facts.newAdmin.answered) return refused(slackUnavailable); // checked above; narrows the type
  const newAdmin = facts.newAdmin.value;
  const version = r.version + 1;

  const withdrawn = withdrawnApprovals(state.approverUserIds, members, newAdmin?.userId ?? null);
  const counted = state.approverUserIds.filter((u) => !withdrawn.some((w) => w.approverUserId === u));
  const withdrawals = withdrawn.flatMap(({ approverUserId, why }): Effect[] => [
    { type: 'withdraw_recovery_approval', requestId: r.id, approverUserId },
    audited({ ...subject(r, actor), action: 'recovery.approval_withdrawn', before: { approver: approverUserId }, after: { why } }),
    inThread(supportChannelId, r, outboxKey.notice('recovery_approval_withdrawn', r.id, approverUserId, version), {
      kind: 'recovery_approval_withdrawn',
      reference: r.reference,
      approverUserId,
      why,
    }),
  ]);
  const recordApproval: Effect = { type: 'record_recovery_approval', requestId: r.id, approverUserId: actor };

  if (!completesQuorum(counted.length, r.approvalsRequired)) {
    const approvals = counted.length + 1;
    return decided('vote', [
      ...withdrawals,
      recordApproval,
      ...move(r, 'vote', []),
      audited({ ...subject(r, actor), action: 'recovery.approval_recorded', after: { approvals, required: r.approvalsRequired } }),
      inThread(supportChannelId, r, outboxKey.notice('recovery_vote', r.id, actor, version), {
        kind: 'recovery_vote',
        reference: r.reference,
        byUserId: actor,
        approvals,
        required: r.approvalsRequired,
      }),
    ]);
  }

  const target = completionTarget(r, newAdmin);
  if (target.kind === 'blocked') {
    return decided('block', [
      ...withdrawals,
      ...move(r, 'block', [], { blockedReason: target.problem }),
      audited({ ...subject(r, actor), action: 'recovery.approval_blocked', after: { problem: target.problem } }),
      inThread(supportChannelId, r, outboxKey.notice('recovery_blocked', r.id, version), {
        kind: 'recovery_blocked',
        reference: r.reference,
        problem: target.problem,
      }),
    ]);
  }

  const { accountId, addedUserId } = target;
  const accountName = facts.accountName;
  const granted = (audience: 'requester' | 'new_admin' | 'officer'): Notice => ({
    kind: 'recovery_granted',
    audience,
    reference: r.reference,
    accountName,
    addedUserId,
    requesterUserId: r.requesterUserId,
    officerName: r.officerName,
  });
  return decided('approve', [
    ...withdrawals,
    recordApproval,
    ...move(r, 'approve', [addedUserId, r.requesterUserId], { decidedAt: now, decidedBy: actor, addedUserId, blockedReason: null }),
    { type: 'grant_admin', accountId, userId: addedUserId, grantedBy: actor },
    audited({
      ...subject(r, actor),
      action: 'recovery.approved',
      before: { status: 'open' },
      after: { status: 'approved', addedUserId, approvers: [...counted, actor], letterSha256: r.letterSha256 },
    }),
    ...(facts.newAdminIsAdmin
      ? []
      : [
          audited({
            ...subject(r, actor),
            action: 'admin.granted',
            subjectKind: 'admin',
            subjectId: addedUserId,
            before: { admin: false },
            after: { admin: true, recovery: r.reference, letterSha256: r.letterSha256 },
          }),
        ]),
    // One message in the thread says who was told by DM, and that the officer was not when they are not in the workspace.
    inThread(supportChannelId, r, outboxKey.notice('recovery_approved', r.id), {
      kind: 'recovery_approved',
      reference: r.reference,
      byUserId: actor,
      addedUserId,
      accountName,
      requesterUserId: r.requesterUserId,
      officer: facts.officerUserId ? { userId: facts.officerUserId } : { email: r.officerEmail },
      ...(r.crossWorkspace ? { requesterWorkspace: r.crossWorkspace.requester } : {}),
    }),
    notify(outboxKey.notice('recovery_granted', r.id, 'requester'), r.requesterUserId, granted('requester')),
    ...(addedUserId !== r.requesterUserId
      ? [notify(outboxKey.notice('recovery_granted', r.id, 'new_admin'), addedUserId, granted('new_admin'))]
      : []),
    ...(facts.officerUserId
      ? [notify(outboxKey.notice('recovery_granted', r.id, 'officer'), facts.officerUserId, granted('officer'))]
      : []),
    refreshSupportHomes(r),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Rejecting

/** What a rejection or a question depends on besides the request: both grant nothing. */
export interface SupportActionFacts {
  /** Whether the actor is in the support channel. */
  actorIsSupport: Answer<boolean>;
  /** The Slack user of the e-mail to add (null: nobody has it). */
  newAdmin: Answer<DirectoryPerson | null>;
}
export type RejectionFacts = SupportActionFacts;

/** Whether `actor` may reject or ask: support only, and Slack must say so. */
export function checkSupportAction(
  state: RecoveryState,
  actor: string,
  facts: SupportActionFacts,
  action: Exclude<RecoveryAction, 'approve'>,
): RecoveryRefusal | null {
  if (!facts.actorIsSupport.answered) return slackUnavailable;
  return checkRecoveryDecision({
    ...state.request,
    actorUserId: actor,
    actorIsSupport: facts.actorIsSupport.value,
    newAdmin: facts.newAdmin,
    approverUserIds: state.approverUserIds,
    action,
  });
}

/** Whether `actor` may reject: asked before the reason form opens, and again when it is sent. */
export function checkRecoveryRejection(state: RecoveryState, actor: string, facts: RejectionFacts): RecoveryRefusal | null {
  return checkSupportAction(state, actor, facts, 'reject');
}

/**
 * A support member rejects with a reason: the request closes and the requester is told why. A
 * question still waiting for the requester's answer needs none any more: its DM says so.
 */
export function decideRecoveryRejection(
  state: RecoveryState,
  actor: string,
  facts: RejectionFacts,
  reason: string,
  now: Date,
  supportChannelId: string,
): Outcome<RecoveryDecision, RecoveryRefusal> {
  const refusal = checkRecoveryRejection(state, actor, facts);
  if (refusal) return refused(refusal);
  const { request: r, question } = state;
  return decided('reject', [
    ...move(r, 'reject', [r.requesterUserId], { decidedAt: now, decidedBy: actor, rejectionReason: reason }),
    ...(question ? moved({ record: 'recovery_question', id: question.id, event: 'withdraw', version: question.version }, []) : []),
    audited({
      ...subject(r, actor),
      action: 'recovery.rejected',
      before: { status: r.status },
      after: { status: 'rejected', reason, letterSha256: r.letterSha256 },
    }),
    inThread(supportChannelId, r, outboxKey.notice('recovery_rejected', r.id), {
      kind: 'recovery_rejected',
      reference: r.reference,
      byUserId: actor,
      reason,
    }),
    notify(outboxKey.notice('recovery_declined', r.id), r.requesterUserId, {
      kind: 'recovery_declined',
      reference: r.reference,
      accountName: r.accountName,
      reason,
    }),
    refreshSupportHomes(r),
  ]);
}
