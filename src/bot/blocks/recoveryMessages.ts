import type { KnownBlock } from '@slack/types';
import type { RecoveryQuestion, RecoveryRequest } from '../../db/schema.js';
import type { CheckOutcome, RecoveryCheck } from '../../domain/recovery.js';
import {
  actions,
  code,
  type ConfirmSpec,
  context,
  header,
  joinMrkdwn,
  link,
  type Mrkdwn,
  mention,
  message,
  mrkdwn,
  quoted,
  section,
  sections,
  slackDate,
  type SlackMessage,
  wholeFields,
} from './format.js';
import { person } from './person.js';

export const recoveryActionIds = {
  request: 'recovery.request',
  approve: 'recovery.approve',
  ask: 'recovery.ask',
  reject: 'recovery.reject',
  answer: 'recovery.answer',
} as const;

export const recoveryLabels = {
  request: 'Request admin access',
  approve: 'Approve',
  ask: 'Ask for more information',
  reject: 'Reject',
  answer: 'Reply',
} as const;

/** Outcomes read without colour: an emoji and a word. */
const outcomeMark: Record<CheckOutcome, string> = { pass: ':white_check_mark: OK', warn: ':warning: Check', fail: ':x: Problem' };

export function checksText(checks: RecoveryCheck[]): Mrkdwn {
  return joinMrkdwn(
    checks.map((c) => mrkdwn`${outcomeMark[c.outcome]}: *${c.label}*: ${c.detail}`),
    '\n',
  );
}

export interface RecoveryMessageData {
  request: RecoveryRequest;
  approverUserIds: string[];
  /** Support's question waiting for the requester's answer, if any. */
  question: RecoveryQuestion | null;
  /** Distributed: the requester's workspace uninstalled Vouch (or revoked its tokens). */
  requesterWorkspaceDisconnected?: boolean;
}

/** Shown on a request still in play while the requester's workspace has no install. */
export const workspaceDisconnectedText = mrkdwn`:electric_plug: *Workspace disconnected*: the requester’s Slack workspace has uninstalled Vouch, so they, the new admin and the officer cannot be told anything there until it installs Vouch again. Decide as usual: what they should be told is kept, and can be sent once the workspace has installed Vouch again.`;

/**
 * Approve grants admin rights, so Slack asks first: who becomes an admin of what, or, while the
 * quorum is not reached, which approval this would be. Plain text: the e-mail and the account's
 * name show as typed.
 */
export function approveDialog(
  r: Pick<RecoveryRequest, 'reference' | 'accountName' | 'emailToAdd' | 'approvalsRequired'>,
  approvals: number,
): ConfirmSpec {
  const grants = `the person with the e-mail ${r.emailToAdd} becomes an admin of “${r.accountName}” (manage permissions)`;
  const text =
    approvals + 1 >= r.approvalsRequired
      ? `Once you approve, ${grants}, and the requester, the new admin and the officer are told.`
      : `Yours would be approval ${approvals + 1} of ${r.approvalsRequired}. When all ${r.approvalsRequired} are in, ${grants}.`;
  return { title: `Approve ${r.reference}?`, text, confirm: 'Approve', deny: 'Not yet', style: 'primary' };
}

/** The request as support reviews it in the channel; drawn from its current state. */
export function recoveryMessage({
  request: r,
  approverUserIds,
  question,
  requesterWorkspaceDisconnected,
}: RecoveryMessageData): SlackMessage {
  const title = `Admin recovery request ${r.reference}`;
  /** Distributed, from a customer's workspace: its people in words, and its files out of support's reach. */
  const requesterSide = r.crossWorkspace?.requester;
  // A link to the requester's own copy opens only in their workspace: across workspaces the letter is the thread's copy.
  const letter = r.letterPermalink && !requesterSide ? link(r.letterPermalink, r.letterFileName) : r.letterFileName;
  const blocks: KnownBlock[] = [
    header(title),
    ...wholeFields([
      ['Account', r.accountName],
      ['E-mail to add', r.emailToAdd],
      ['Contract number', r.contractNumber],
      ['Requested by', person(r.requesterUserId, requesterSide)],
      ['Officer', mrkdwn`${r.officerName}, ${r.officerTitle}`],
      ['Officer’s e-mail', r.officerEmail],
    ]),
    // What support must read whole: as many sections as it takes, never cut.
    ...sections(mrkdwn`*Why the change is necessary*\n${r.reason}`),
    section(mrkdwn`*Signed letter*: ${letter}, uploaded into this request’s thread`),
    context(mrkdwn`SHA-256 of the letter: ${code(r.letterSha256)}`),
    ...sections(mrkdwn`*Checks* (when the request came in)\n${checksText(r.checks as RecoveryCheck[])}`),
  ];
  if (requesterWorkspaceDisconnected && (r.status === 'open' || r.status === 'awaiting_info'))
    blocks.push(section(workspaceDisconnectedText));
  const approvers = joinMrkdwn(approverUserIds.map(mention), ', ');
  const votes = approverUserIds.length > 0 ? mrkdwn` (${approvers})` : mrkdwn``;
  switch (r.status) {
    case 'open':
      blocks.push(
        context(mrkdwn`Approvals: ${approverUserIds.length} of ${r.approvalsRequired}${votes}. Requested ${slackDate(r.createdAt)}.`),
      );
      if (r.blockedReason) blocks.push(...sections(mrkdwn`:warning: The last approval could not complete: ${r.blockedReason}`));
      blocks.push(
        actions(`recovery:${r.id}`, [
          {
            label: recoveryLabels.approve,
            actionId: recoveryActionIds.approve,
            value: r.id,
            style: 'primary',
            confirm: approveDialog(r, approverUserIds.length),
          },
          { label: recoveryLabels.ask, actionId: recoveryActionIds.ask, value: r.id },
          { label: recoveryLabels.reject, actionId: recoveryActionIds.reject, value: r.id, style: 'danger' },
        ]),
      );
      return message(mrkdwn`${title}: waiting for support (${approverUserIds.length} of ${r.approvalsRequired} approvals).`, blocks);
    case 'awaiting_info':
      blocks.push(
        context(mrkdwn`Approvals: ${approverUserIds.length} of ${r.approvalsRequired}${votes}. Requested ${slackDate(r.createdAt)}.`),
        section(
          question
            ? mrkdwn`:speech_balloon: *Waiting for the requester’s answer* to ${mention(question.askedBy)}’s question, asked ${slackDate(question.askedAt)}:`
            : mrkdwn`:speech_balloon: *Waiting for the requester’s answer* to support’s question.`,
        ),
        ...(question ? sections(quoted(question.question)) : []),
        context(mrkdwn`It can be approved, or asked about again, once they answer; their answer comes into this thread.`),
        actions(`recovery:${r.id}`, [{ label: recoveryLabels.reject, actionId: recoveryActionIds.reject, value: r.id, style: 'danger' }]),
      );
      return message(mrkdwn`${title}: waiting for the requester’s answer.`, blocks);
    case 'approved':
      blocks.push(
        section(
          mrkdwn`:white_check_mark: *Approved* by ${approverUserIds.length > 0 ? approvers : mention(r.decidedBy ?? '')} on ${slackDate(r.decidedAt ?? r.createdAt)}. ${person(r.addedUserId ?? '', requesterSide)} is now an admin of *${r.accountName}*.`,
        ),
      );
      return message(mrkdwn`${title}: approved.`, blocks);
    case 'rejected':
      blocks.push(
        ...sections(
          mrkdwn`:x: *Rejected* by ${mention(r.decidedBy ?? '')} on ${slackDate(r.decidedAt ?? r.createdAt)}: ${r.rejectionReason ?? ''}`,
        ),
      );
      return message(mrkdwn`${title}: rejected.`, blocks);
  }
}

/** The words posted with the letter in the request's thread: whose it is and its fingerprint. */
export function letterComment(letter: { reference: string; fileName: string; sha256: string }): Mrkdwn {
  return mrkdwn`:page_facing_up: The signed letter of ${letter.reference}, as the requester sent it: *${letter.fileName}*, SHA-256 ${code(letter.sha256)}.`;
}

/** `/enterprise recover`: the seed's first advice, then the way to ask support. */
export function recoverAdvice(): SlackMessage {
  const text = mrkdwn`Before asking support: work with your IT department to recover the e-mail account of the existing admin, then reset that admin’s password. That admin can then add you with the right permissions.`;
  return message(text, [
    section(mrkdwn`*Lost every admin of an Enterprise Account?*\n${text}`),
    section(
      mrkdwn`If the admin’s e-mail cannot be recovered, ask support. You will need a letter from a C-level officer (CEO, CIO, CFO or business owner) with their handwritten signature, their title and e-mail address, the account name, the e-mail address to add, why the change is necessary and the contract number.`,
    ),
    actions('recovery:start', [{ label: recoveryLabels.request, actionId: recoveryActionIds.request, value: 'start', style: 'primary' }]),
  ]);
}
