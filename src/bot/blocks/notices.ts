import type { Notice } from '../../domain/notice.js';
import { escapeText, mention, message, section, slackDate, type SlackMessage } from './format.js';

const one = (text: string, mrkdwn: string): SlackMessage => message(text, [section(mrkdwn)]);

/** The words of a notice, written when it is delivered. */
export function noticeMessage(notice: Notice): SlackMessage {
  switch (notice.kind) {
    case 'invitee_accepted':
      return one(
        `Your invitation to set up ${notice.accountName} was accepted.`,
        `:white_check_mark: ${mention(notice.inviteeUserId)} accepted your invitation on ${slackDate(new Date(notice.at))}. They now hold manage permissions on *${escapeText(notice.accountName)}* and will set it up.`,
      );
    case 'invitee_declined':
      return one(
        `Your invitation to set up ${notice.accountName} was declined.`,
        `${mention(notice.inviteeUserId)} declined your invitation to set up *${escapeText(notice.accountName)}* on ${slackDate(new Date(notice.at))}. You can still set it up yourself or invite someone else from your setup message.`,
      );
    case 'invitation_expired_unanswered':
      return one(
        `Your invitation to set up ${notice.accountName} expired unanswered.`,
        `${mention(notice.inviteeUserId)} did not answer your invitation to set up *${escapeText(notice.accountName)}*; it expired on ${slackDate(new Date(notice.at))}.`,
      );
    case 'account_set_up':
      return one(
        `${notice.accountName} is set up.`,
        `:white_check_mark: ${mention(notice.byUserId)} set up the *${escapeText(notice.accountName)}* Enterprise Account on ${slackDate(new Date(notice.at))}.`,
      );
    case 'setup_reminder':
      return one(
        `Reminder: set up ${notice.accountName}.`,
        `:hourglass: Reminder: your invitation to set up *${escapeText(notice.accountName)}* ends ${slackDate(new Date(notice.expiresAt))}. Use the buttons in your setup message above, or \`/enterprise setup\` to see it again.`,
      );
    case 'confirmation_reminder':
      return one(
        `Reminder: confirm ${notice.accountName}.`,
        `:hourglass: Reminder: confirm that ${mention(notice.inviteeUserId)} should get manage permissions on *${escapeText(notice.accountName)}* before ${slackDate(new Date(notice.expiresAt))}, or the confirmation expires.`,
      );
    case 'admin_added':
      return one(
        `You are now an admin of ${notice.accountName}.`,
        `${mention(notice.byUserId)} made you an admin (manage permissions) of *${escapeText(notice.accountName)}*.`,
      );
    case 'admin_removed':
      return one(
        `You are no longer an admin of ${notice.accountName}.`,
        `${mention(notice.byUserId)} removed you as an admin of *${escapeText(notice.accountName)}*. Your setup buttons for it no longer work.`,
      );
    case 'recovery_vote':
      return one(
        `${notice.reference}: approval ${notice.approvals} of ${notice.required}.`,
        `${mention(notice.byUserId)} approved (${notice.approvals} of ${notice.required} approvals).`,
      );
    case 'recovery_approved':
      return one(
        `${notice.reference} approved.`,
        `:white_check_mark: Approved by ${mention(notice.byUserId)}. ${mention(notice.addedUserId)} is now an admin of *${escapeText(notice.accountName)}*; the requester, the new admin and the officer are told by DM.`,
      );
    case 'recovery_blocked':
      return one(
        `${notice.reference} could not be completed.`,
        `:warning: The approval could not be completed, so the request stays open: ${escapeText(notice.problem)}`,
      );
    case 'recovery_approval_withdrawn':
      return one(
        `${notice.reference}: an approval no longer counts.`,
        notice.why === 'left_support'
          ? `:information_source: The approval of ${mention(notice.approverUserId)} no longer counts: they are no longer in the support channel.`
          : `:warning: The approval of ${mention(notice.approverUserId)} no longer counts: they are the person this request would make an admin.`,
      );
    case 'recovery_officer_absent':
      return one(
        `${notice.reference}: officer not in Slack.`,
        `:information_source: The officer (${escapeText(notice.officerEmail)}) is not in this workspace, so they were not told by DM. Tell them by e-mail.`,
      );
    case 'recovery_rejected':
      return one(`${notice.reference} rejected.`, `:x: Rejected by ${mention(notice.byUserId)}: ${escapeText(notice.reason)}`);
    case 'recovery_reminder':
      return one(
        `${notice.reference} is still open.`,
        `:hourglass: Still waiting for a decision: open since ${slackDate(new Date(notice.openSince))}.`,
      );
    case 'recovery_granted': {
      const name = `*${escapeText(notice.accountName)}*`;
      const lines = {
        requester: `:white_check_mark: Support approved your request ${notice.reference}: ${mention(notice.addedUserId)} is now an admin of ${name}.`,
        new_admin: `:white_check_mark: You are now an admin of ${name} (request ${notice.reference} by ${mention(notice.requesterUserId)}, approved by support).`,
        officer: `Your letter authorised a change on ${name}: support approved request ${notice.reference} by ${mention(notice.requesterUserId)}, and ${mention(notice.addedUserId)} is now an admin.`,
      } as const;
      return one(`Request ${notice.reference} approved.`, lines[notice.audience]);
    }
    case 'recovery_declined':
      return one(
        `Request ${notice.reference} was not approved.`,
        `Support did not approve your request ${notice.reference} for *${escapeText(notice.accountName)}*: ${escapeText(notice.reason)}`,
      );
  }
}
