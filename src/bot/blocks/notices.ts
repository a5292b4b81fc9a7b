import type { Notice } from '../../domain/notice.js';
import {
  code,
  joinMrkdwn,
  type Mrkdwn,
  mention,
  message,
  mrkdwn,
  quoted,
  section,
  sections,
  slackDate,
  type SlackMessage,
  validForMore,
} from './format.js';
import { person, workspaceWords } from './person.js';

/** A notice: its words whole, over as many sections as a long reason needs. */
const one = (notification: Mrkdwn, text: Mrkdwn): SlackMessage => message(notification, sections(text));

/** The corrected letter that came with an answer, and the approvals it voided. */
function replacedLetter(letter: { name: string; sha256: string }, withdrawn: readonly string[]): Mrkdwn {
  const approvals =
    withdrawn.length === 0
      ? mrkdwn``
      : withdrawn.length === 1
        ? mrkdwn` The approval of ${mention(withdrawn[0] ?? '')} was for the previous letter and no longer counts.`
        : mrkdwn` The approvals of ${listed(withdrawn.map(mention))} were for the previous letter and no longer count.`;
  return mrkdwn`With a corrected letter, *${letter.name}* (SHA-256 ${code(letter.sha256)}), uploaded below: it replaces the letter under review.${approvals} `;
}

/** "for 3 more days, until <date>", from when the reminder was decided; "until <date>" for one queued without that. */
const remaining = (notice: { expiresAt: string; at?: string }): Mrkdwn =>
  notice.at ? validForMore(new Date(notice.at), new Date(notice.expiresAt)) : mrkdwn`until ${slackDate(new Date(notice.expiresAt))}`;

/** `a`, `a and b`, `a, b and c`. */
const listed = (items: readonly Mrkdwn[]): Mrkdwn => {
  const last = items.at(-1);
  if (!last) return mrkdwn``;
  return items.length === 1 ? last : mrkdwn`${joinMrkdwn(items.slice(0, -1), ', ')} and ${last}`;
};

/** The words of a notice, written when it is delivered. */
export function noticeMessage(notice: Notice): SlackMessage {
  switch (notice.kind) {
    case 'invitee_accepted':
      return one(
        mrkdwn`Your invitation to set up ${notice.accountName} was accepted.`,
        mrkdwn`:white_check_mark: ${mention(notice.inviteeUserId)} accepted your invitation on ${slackDate(new Date(notice.at))}. They now hold manage permissions on *${notice.accountName}* and will set it up.`,
      );
    case 'invitee_declined':
      return one(
        mrkdwn`Your invitation to set up ${notice.accountName} was declined.`,
        mrkdwn`${mention(notice.inviteeUserId)} declined your invitation to set up *${notice.accountName}* on ${slackDate(new Date(notice.at))}. You can still set it up yourself or invite someone else from your setup message.`,
      );
    case 'invitation_expired_unanswered':
      return one(
        mrkdwn`Your invitation to set up ${notice.accountName} expired unanswered.`,
        mrkdwn`${mention(notice.inviteeUserId)} did not answer your invitation to set up *${notice.accountName}*; it expired on ${slackDate(new Date(notice.at))}.`,
      );
    case 'account_set_up':
      return one(
        mrkdwn`${notice.accountName} is set up.`,
        mrkdwn`:white_check_mark: ${mention(notice.byUserId)} set up the *${notice.accountName}* Enterprise Account on ${slackDate(new Date(notice.at))}.`,
      );
    case 'setup_reminder':
      return one(
        mrkdwn`Reminder: set up ${notice.accountName}.`,
        mrkdwn`:hourglass: Reminder: your invitation to set up *${notice.accountName}* works ${remaining(notice)}. Use the buttons in your setup message above, or \`/enterprise setup\` to see it again.`,
      );
    case 'confirmation_reminder':
      return one(
        mrkdwn`Reminder: confirm ${notice.accountName}.`,
        mrkdwn`:hourglass: Reminder: confirm that ${mention(notice.inviteeUserId)} should get manage permissions on *${notice.accountName}*. The confirmation works ${remaining(notice)}, then it expires.`,
      );
    case 'admin_added':
      return one(
        mrkdwn`You are now an admin of ${notice.accountName}.`,
        mrkdwn`${mention(notice.byUserId)} made you an admin (manage permissions) of *${notice.accountName}*.`,
      );
    case 'admin_removed':
      return one(
        mrkdwn`You are no longer an admin of ${notice.accountName}.`,
        mrkdwn`${mention(notice.byUserId)} removed you as an admin of *${notice.accountName}*. Your setup buttons for it no longer work.`,
      );
    case 'recovery_vote':
      return one(
        mrkdwn`${notice.reference}: approval ${notice.approvals} of ${notice.required}.`,
        mrkdwn`${mention(notice.byUserId)} approved (${notice.approvals} of ${notice.required} approvals).`,
      );
    case 'recovery_approved': {
      const { requesterUserId: requester, addedUserId: added, officer, requesterWorkspace: theirs } = notice;
      const told =
        requester === added
          ? [mrkdwn`the requester ${person(requester, theirs)} (the new admin)`]
          : [mrkdwn`the requester ${person(requester, theirs)}`, mrkdwn`the new admin ${person(added, theirs)}`];
      if ('userId' in officer) told.push(mrkdwn`the officer ${person(officer.userId, theirs)}`);
      const where = theirs ? workspaceWords(theirs) : mrkdwn`this workspace`;
      const absent =
        'email' in officer
          ? mrkdwn` The officer (${officer.email}) is not in ${where}, so they were not told: tell them by e-mail.`
          : mrkdwn``;
      return one(
        mrkdwn`${notice.reference} approved.`,
        mrkdwn`:white_check_mark: Approved by ${mention(notice.byUserId)}. ${person(added, theirs)} is now an admin of *${notice.accountName}*. Told by DM: ${listed(told)}.${absent}`,
      );
    }
    case 'recovery_blocked':
      return one(
        mrkdwn`${notice.reference} could not be completed.`,
        mrkdwn`:warning: The approval could not be completed, so the request stays open: ${notice.problem}`,
      );
    case 'recovery_approval_withdrawn':
      return one(
        mrkdwn`${notice.reference}: an approval no longer counts.`,
        {
          left_support: mrkdwn`:information_source: The approval of ${mention(notice.approverUserId)} no longer counts: they are no longer in the support channel.`,
          is_person_to_add: mrkdwn`:warning: The approval of ${mention(notice.approverUserId)} no longer counts: they are the person this request would make an admin.`,
          letter_replaced: mrkdwn`:information_source: The approval of ${mention(notice.approverUserId)} no longer counts: it was for the previous letter.`,
        }[notice.why],
      );
    case 'recovery_rejected':
      return one(mrkdwn`${notice.reference} rejected.`, mrkdwn`:x: Rejected by ${mention(notice.byUserId)}: ${notice.reason}`);
    case 'recovery_reminder':
      return one(
        mrkdwn`${notice.reference} is still open.`,
        mrkdwn`:hourglass: Still waiting for a decision: open since ${slackDate(new Date(notice.openSince))}.`,
      );
    case 'recovery_granted': {
      const name = mrkdwn`*${notice.accountName}*`;
      const lines = {
        requester: mrkdwn`:white_check_mark: Support approved your request ${notice.reference}: ${mention(notice.addedUserId)} is now an admin of ${name}.`,
        new_admin: mrkdwn`:white_check_mark: You are now an admin of ${name} (request ${notice.reference} by ${mention(notice.requesterUserId)}, approved by support).`,
        officer: mrkdwn`Your letter authorised a change on ${name}: support approved request ${notice.reference} by ${mention(notice.requesterUserId)}, and ${mention(notice.addedUserId)} is now an admin.`,
      } as const;
      return one(mrkdwn`Request ${notice.reference} approved.`, lines[notice.audience]);
    }
    case 'recovery_info_requested':
      return message(mrkdwn`${notice.reference}: more information asked.`, [
        section(
          mrkdwn`:speech_balloon: ${mention(notice.byUserId)} asked ${person(notice.requesterUserId, notice.requesterWorkspace)} for more information:`,
        ),
        ...sections(quoted(notice.question)),
        section(mrkdwn`The request waits for their answer; the approvals given so far keep counting.`),
      ]);
    case 'recovery_info_provided':
      return message(mrkdwn`${notice.reference}: the requester answered.`, [
        section(
          mrkdwn`:speech_balloon: ${person(notice.requesterUserId, notice.requesterWorkspace)} answered ${mention(notice.askedBy)}’s question:`,
        ),
        ...sections(quoted(notice.question)),
        ...sections(mrkdwn`*Answer*\n${quoted(notice.answer)}`),
        section(
          mrkdwn`${notice.letter ? replacedLetter(notice.letter, notice.withdrawnApprovers) : mrkdwn``}The request is back for review.`,
        ),
      ]);
    case 'recovery_declined':
      return one(
        mrkdwn`Request ${notice.reference} was not approved.`,
        mrkdwn`Support did not approve your request ${notice.reference} for *${notice.accountName}*: ${notice.reason}`,
      );
    case 'recovery_info_reminder':
      return one(
        mrkdwn`Support is waiting for your answer on ${notice.reference}.`,
        mrkdwn`:hourglass: Support is still waiting for your answer to their question about request ${notice.reference}, asked ${slackDate(new Date(notice.askedAt))}. Use *Reply* on the question in this conversation.`,
      );
  }
}
