import type { KnownBlock } from '@slack/types';
import type { RecoveryRequest } from '../../db/schema.js';
import type { CheckOutcome, RecoveryCheck } from '../../domain/recovery.js';
import { actions, context, escapeText, fields, header, mention, message, section, slackDate, type SlackMessage } from './format.js';

export const recoveryActionIds = {
  request: 'recovery.request',
  approve: 'recovery.approve',
  reject: 'recovery.reject',
} as const;

export const recoveryLabels = { request: 'Request admin access', approve: 'Approve', reject: 'Reject' } as const;

/** Outcomes read without colour: an emoji and a word. */
const outcomeMark: Record<CheckOutcome, string> = { pass: ':white_check_mark: OK', warn: ':warning: Check', fail: ':x: Problem' };

export function checksText(checks: RecoveryCheck[]): string {
  return checks.map((c) => `${outcomeMark[c.outcome]}: *${escapeText(c.label)}*: ${escapeText(c.detail)}`).join('\n');
}

export interface RecoveryMessageData {
  request: RecoveryRequest;
  approverUserIds: string[];
}

/** The request as support reviews it in the channel; drawn from its current state. */
export function recoveryMessage({ request: r, approverUserIds }: RecoveryMessageData): SlackMessage {
  const title = `Admin recovery request ${r.reference}`;
  const letter = r.letterPermalink ? `<${r.letterPermalink}|${escapeText(r.letterFileName)}>` : escapeText(r.letterFileName);
  const blocks: KnownBlock[] = [
    header(title),
    fields([
      ['Account', escapeText(r.accountName)],
      ['E-mail to add', escapeText(r.emailToAdd)],
      ['Contract number', escapeText(r.contractNumber)],
      ['Requested by', mention(r.requesterUserId)],
      ['Officer', `${escapeText(r.officerName)}, ${escapeText(r.officerTitle)}`],
      ['Officer’s e-mail', escapeText(r.officerEmail)],
    ]),
    section(`*Why the change is necessary*\n${escapeText(r.reason)}`),
    section(`*Signed letter*: ${letter}`),
    context(`SHA-256 of the letter: \`${r.letterSha256}\``),
    section(`*Checks* (when the request came in)\n${checksText(r.checks as RecoveryCheck[])}`),
  ];
  const votes = approverUserIds.length > 0 ? ` (${approverUserIds.map(mention).join(', ')})` : '';
  switch (r.status) {
    case 'open':
      blocks.push(context(`Approvals: ${approverUserIds.length} of ${r.approvalsRequired}${votes}. Requested ${slackDate(r.createdAt)}.`));
      if (r.blockedReason) blocks.push(section(`:warning: The last approval could not complete: ${escapeText(r.blockedReason)}`));
      blocks.push(
        actions(`recovery:${r.id}`, [
          { label: recoveryLabels.approve, actionId: recoveryActionIds.approve, value: r.id, style: 'primary' },
          { label: recoveryLabels.reject, actionId: recoveryActionIds.reject, value: r.id, style: 'danger' },
        ]),
      );
      return message(`${title}: waiting for support (${approverUserIds.length} of ${r.approvalsRequired} approvals).`, blocks);
    case 'approved':
      blocks.push(
        section(
          `:white_check_mark: *Approved* by ${votes.slice(2, -1) || mention(r.decidedBy ?? '')} on ${slackDate(r.decidedAt ?? r.createdAt)}. ${mention(r.addedUserId ?? '')} is now an admin of *${escapeText(r.accountName)}*.`,
        ),
      );
      return message(`${title}: approved.`, blocks);
    case 'rejected':
      blocks.push(
        section(
          `:x: *Rejected* by ${mention(r.decidedBy ?? '')} on ${slackDate(r.decidedAt ?? r.createdAt)}: ${escapeText(r.rejectionReason ?? '')}`,
        ),
      );
      return message(`${title}: rejected.`, blocks);
  }
}

/** `/enterprise recover`: the seed's first advice, then the way to ask support. */
export function recoverAdvice(): SlackMessage {
  const text =
    'Before asking support: work with your IT department to recover the e-mail account of the existing admin, then reset that admin’s password. That admin can then add you with the right permissions.';
  return message(text, [
    section(`*Lost every admin of an Enterprise Account?*\n${text}`),
    section(
      'If the admin’s e-mail cannot be recovered, ask support. You will need a letter from a C-level officer (CEO, CIO, CFO or business owner) with their handwritten signature, their title and e-mail address, the account name, the e-mail address to add, why the change is necessary and the contract number.',
    ),
    actions('recovery:start', [{ label: recoveryLabels.request, actionId: recoveryActionIds.request, value: 'start', style: 'primary' }]),
  ]);
}
