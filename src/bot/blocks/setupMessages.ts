import type { KnownBlock } from '@slack/types';
import type { Account, DelegationRow, SetupInvitation } from '../../db/schema.js';
import {
  actions,
  code,
  context,
  describeDuration,
  header,
  link,
  type Mrkdwn,
  mention,
  message,
  mrkdwn,
  section,
  slackDate,
  type SlackMessage,
  validFor,
} from './format.js';

export const actionIds = {
  setUp: 'setup.start',
  invite: 'setup.invite',
  approve: 'delegation.approve',
  cancel: 'delegation.cancel',
  accept: 'delegation.accept',
  decline: 'delegation.decline',
  startAgain: 'delegation.restart',
  renew: 'setup.renew',
} as const;

export const labels = {
  setUp: 'Set up the account',
  invite: 'Invite someone else',
  approve: 'Approve',
  cancel: 'Cancel',
  accept: 'Accept',
  decline: 'Decline',
  startAgain: 'Start again',
  renew: 'Get a new invitation',
} as const;

export interface SetupMessageData {
  account: Pick<Account, 'id' | 'name' | 'contractNumber' | 'primaryContactUserId' | 'setUpBy' | 'setUpAt'>;
  invitation: Pick<
    SetupInvitation,
    'id' | 'status' | 'holderUserId' | 'issuedAt' | 'expiresAt' | 'closedAt' | 'closedBy' | 'handedToUserId' | 'holderRemovedAt'
  >;
  setupInviteTtlMs: number;
}

const accountTitle = (name: string) => `“${name}” Enterprise Account`;

/** The setup DM, drawn from the invitation's current state; used both to post and to edit. */
export function setupMessage({ account, invitation, setupInviteTtlMs }: SetupMessageData): SlackMessage {
  const name = account.name;
  const title = `Action required: set up ${accountTitle(account.name)}`;
  const closedAt = invitation.closedAt ?? invitation.expiresAt;
  const intro =
    invitation.holderUserId === account.primaryContactUserId
      ? mrkdwn`You are the primary contact for the *${name}* Enterprise Account (contract ${account.contractNumber}). Set it up yourself, or invite someone from your company to set it up; they will get manage permissions.`
      : mrkdwn`You now hold manage permissions on the *${name}* Enterprise Account (contract ${account.contractNumber}), and its setup is yours. Set it up yourself, or invite someone else.`;

  switch (invitation.status) {
    case 'pending':
      return message(mrkdwn`${title}. It works ${validFor(invitation.issuedAt, invitation.expiresAt)}.`, [
        header(title),
        section(intro),
        context(mrkdwn`This invitation works ${validFor(invitation.issuedAt, invitation.expiresAt)}.`),
        actions(`setup:${invitation.id}`, [
          { label: labels.setUp, actionId: actionIds.setUp, value: invitation.id, style: 'primary' },
          { label: labels.invite, actionId: actionIds.invite, value: invitation.id },
        ]),
      ]);
    case 'completed': {
      const who = invitation.closedBy ?? account.setUpBy;
      return closedSetup(
        `${accountTitle(account.name)} is set up`,
        who
          ? mrkdwn`:white_check_mark: *${name}* was set up by ${mention(who)} on ${slackDate(closedAt)}. Nothing more to do here.`
          : mrkdwn`:white_check_mark: *${name}* was set up on ${slackDate(closedAt)}. Nothing more to do here.`,
      );
    }
    case 'expired':
      if (invitation.holderRemovedAt) {
        return closedSetup(
          `Setup invitation for ${accountTitle(account.name)} expired`,
          mrkdwn`This setup invitation expired on ${slackDate(invitation.expiresAt)}. You were removed as an admin of *${name}* on ${slackDate(invitation.holderRemovedAt)}, so it cannot be renewed by you.`,
        );
      }
      return message(mrkdwn`Setup invitation for ${accountTitle(account.name)} expired.`, [
        header(`Setup invitation for ${accountTitle(account.name)} expired`),
        section(
          mrkdwn`This setup invitation expired on ${slackDate(invitation.expiresAt)}, so its buttons no longer work. While you are still an admin and *${name}* is not set up, *${labels.renew}* gives you a fresh one, valid for another ${describeDuration(setupInviteTtlMs)} (so does ${code('/enterprise setup')}).`,
        ),
        renewButton(account.id, invitation.id),
      ]);
    case 'revoked':
      return closedSetup(
        `Setup invitation for ${accountTitle(account.name)} withdrawn`,
        invitation.closedBy
          ? mrkdwn`This setup invitation no longer works: you were removed as an admin of *${name}* on ${slackDate(closedAt)} by ${mention(invitation.closedBy)}.`
          : mrkdwn`This setup invitation no longer works: you were removed as an admin of *${name}* on ${slackDate(closedAt)}.`,
      );
    case 'superseded':
      return closedSetup(
        `Setup of ${accountTitle(account.name)} handed over`,
        invitation.handedToUserId
          ? mrkdwn`You handed the setup of *${name}* to ${mention(invitation.handedToUserId)} on ${slackDate(closedAt)}. They now hold manage permissions and will set it up.`
          : mrkdwn`A newer setup invitation for *${name}* replaced this one on ${slackDate(closedAt)}.`,
      );
  }
}

/** Get a new invitation: the same as `/enterprise setup` for one account, decided when clicked. */
export const renewButton = (accountId: string, blockKey: string) =>
  actions(`renew:${blockKey}`, [{ label: labels.renew, actionId: actionIds.renew, value: accountId, style: 'primary' }]);

/**
 * The short DM posted when a setup invitation expires, so that the last thing in the conversation
 * says so and offers a fresh invitation (the messages tab is read-only: nobody types there).
 */
export function setupExpiredMessage({ account, invitation, setupInviteTtlMs }: SetupMessageData): SlackMessage {
  const name = account.name;
  const expired = mrkdwn`:hourglass: Your invitation to set up *${name}* expired on ${slackDate(invitation.expiresAt)}.`;
  if (invitation.holderRemovedAt) {
    const line = mrkdwn`${expired} You are no longer an admin of *${name}*, so only its admins can get a new one.`;
    return message(line, [section(line)]);
  }
  return message(expired, [
    section(
      mrkdwn`${expired} While you are an admin and it is not set up, get a new one, valid for ${describeDuration(setupInviteTtlMs)}:`,
    ),
    renewButton(account.id, `expired:${invitation.id}`),
  ]);
}

/**
 * An older copy of a setup message that was sent again (`/enterprise setup`): no buttons, only the
 * way to the newest copy, so that one live copy remains.
 */
export function movedMessage(accountName: string | null, newestLink: string | null): SlackMessage {
  const title = accountName === null ? 'Sent again below' : `Setup of ${accountTitle(accountName)}: sent again below`;
  const newest = newestLink ? link(newestLink, 'the newest copy') : mrkdwn`the newest copy, below`;
  return message(mrkdwn`${title}.`, [
    header(title),
    section(
      mrkdwn`You asked for this message again, so this copy no longer has buttons. Use ${newest}: it always shows where things stand.`,
    ),
  ]);
}

function closedSetup(title: string, body: Mrkdwn): SlackMessage {
  return message(mrkdwn`${title}.`, [header(title), section(body)]);
}

export interface DelegationMessageData {
  account: Pick<Account, 'name' | 'status' | 'setUpAt'>;
  delegation: Pick<
    DelegationRow,
    | 'id'
    | 'status'
    | 'inviterUserId'
    | 'inviteeUserId'
    | 'inviteeEmail'
    | 'inviteeIsAdmin'
    | 'requestedAt'
    | 'confirmExpiresAt'
    | 'approvedAt'
    | 'acceptExpiresAt'
    | 'closedAt'
    | 'closedBy'
    | 'inviterRemovedAt'
  >;
}

const inviteeLabel = (d: DelegationMessageData['delegation']) =>
  d.inviteeEmail ? mrkdwn`${mention(d.inviteeUserId)} (${d.inviteeEmail})` : mention(d.inviteeUserId);

/** Why a delegation that is not live any more was closed, in one line for either party. */
function supersededLine(data: DelegationMessageData): Mrkdwn {
  const { account, delegation } = data;
  if (account.status !== 'active')
    return mrkdwn`A newer invitation replaced this one on ${slackDate(delegation.closedAt ?? delegation.confirmExpiresAt)}.`;
  return account.setUpAt
    ? mrkdwn`*${account.name}* was set up on ${slackDate(account.setUpAt)}, so this invitation is no longer needed.`
    : mrkdwn`*${account.name}* was set up, so this invitation is no longer needed.`;
}

/** The inviter's confirmation DM: the Slack form of the seed's confirmation e-mail. */
export function confirmationMessage(data: DelegationMessageData): SlackMessage {
  const { account, delegation: d } = data;
  const name = account.name;
  const title = `Confirm manage permissions on “${account.name}”`;
  const ask = d.inviteeIsAdmin
    ? mrkdwn`Confirm that ${inviteeLabel(d)}, already an admin of *${name}*, should take its setup over from you. We ask so that we know the request came from you and that you are sure.`
    : mrkdwn`Confirm that ${inviteeLabel(d)} should get manage permissions on *${name}*. We ask so that we know the request came from you and that you are sure.`;
  const closedAt = d.closedAt ?? d.confirmExpiresAt;
  const closed = (line: Mrkdwn, extra: KnownBlock[] = []) =>
    message(mrkdwn`${title}: ${line}`, [header(title), section(ask), section(line), ...extra]);

  switch (d.status) {
    case 'awaiting_confirmation':
      return message(mrkdwn`${title}. It works ${validFor(d.requestedAt, d.confirmExpiresAt)}.`, [
        header(title),
        section(ask),
        context(mrkdwn`This confirmation works ${validFor(d.requestedAt, d.confirmExpiresAt)}.`),
        actions(`confirm:${d.id}`, [
          { label: labels.approve, actionId: actionIds.approve, value: d.id, style: 'primary' },
          { label: labels.cancel, actionId: actionIds.cancel, value: d.id },
        ]),
      ]);
    case 'awaiting_acceptance':
      return closed(
        mrkdwn`:white_check_mark: You approved on ${slackDate(d.approvedAt ?? closedAt)}. ${mention(d.inviteeUserId)} has been asked to accept; the invitation works ${validFor(d.approvedAt ?? closedAt, d.acceptExpiresAt ?? closedAt)}.`,
      );
    case 'accepted':
      return closed(
        mrkdwn`:white_check_mark: ${mention(d.inviteeUserId)} accepted on ${slackDate(closedAt)} and now holds manage permissions on *${name}*.`,
      );
    case 'declined':
      return closed(
        mrkdwn`${mention(d.inviteeUserId)} declined on ${slackDate(closedAt)}. You can still set *${name}* up yourself or invite someone else.`,
      );
    case 'cancelled':
      return closed(mrkdwn`You cancelled this on ${slackDate(closedAt)}. Nothing was sent to ${mention(d.inviteeUserId)}.`);
    case 'expired':
      if (d.approvedAt)
        return closed(
          mrkdwn`${mention(d.inviteeUserId)} did not answer before ${slackDate(d.acceptExpiresAt ?? closedAt)}; the invitation expired.`,
        );
      return d.inviterRemovedAt
        ? closed(
            mrkdwn`This confirmation expired on ${slackDate(d.confirmExpiresAt)}. Nothing was sent to ${mention(d.inviteeUserId)}. You were removed as an admin of *${name}* on ${slackDate(d.inviterRemovedAt)}, so it cannot be started again.`,
          )
        : closed(
            mrkdwn`This confirmation expired on ${slackDate(d.confirmExpiresAt)}. Nothing was sent to ${mention(d.inviteeUserId)}. You can enter the invitee again and start over.`,
            [actions(`restart:${d.id}`, [{ label: labels.startAgain, actionId: actionIds.startAgain, value: d.id, style: 'primary' }])],
          );
    case 'revoked':
      return closed(mrkdwn`This no longer works: you were removed as an admin of *${name}*.`);
    case 'superseded':
      return closed(supersededLine(data));
  }
}

/** The invitee's DM with Accept / Decline. */
export function inviteeMessage(data: DelegationMessageData): SlackMessage {
  const { account, delegation: d } = data;
  const name = account.name;
  const title = `You are invited to set up “${account.name}”`;
  const invite = d.inviteeIsAdmin
    ? mrkdwn`${mention(d.inviterUserId)} hands you the setup of the *${name}* Enterprise Account. You already hold manage permissions on it; accepting makes its setup yours.`
    : mrkdwn`${mention(d.inviterUserId)} invites you to set up the *${name}* Enterprise Account. Accepting gives you manage permissions on it.`;
  const closedAt = d.closedAt ?? d.acceptExpiresAt ?? d.confirmExpiresAt;
  const closed = (line: Mrkdwn) => message(mrkdwn`${title}: ${line}`, [header(title), section(invite), section(line)]);

  switch (d.status) {
    case 'awaiting_confirmation': // not shown to the invitee before the inviter approves
    case 'awaiting_acceptance':
      return message(mrkdwn`${title}.`, [
        header(title),
        section(invite),
        ...(d.acceptExpiresAt
          ? [context(mrkdwn`This invitation works ${validFor(d.approvedAt ?? d.requestedAt, d.acceptExpiresAt)}.`)]
          : []),
        actions(`invitee:${d.id}`, [
          { label: labels.accept, actionId: actionIds.accept, value: d.id, style: 'primary' },
          { label: labels.decline, actionId: actionIds.decline, value: d.id },
        ]),
      ]);
    case 'accepted':
      return closed(
        mrkdwn`:white_check_mark: You accepted on ${slackDate(closedAt)} and now hold manage permissions on *${name}*. Your setup message follows.`,
      );
    case 'declined':
      return closed(mrkdwn`You declined on ${slackDate(closedAt)}. ${mention(d.inviterUserId)} has been told.`);
    case 'cancelled':
      return closed(mrkdwn`${mention(d.inviterUserId)} withdrew this invitation on ${slackDate(closedAt)}.`);
    case 'expired':
      return closed(mrkdwn`This invitation expired on ${slackDate(closedAt)}.`);
    case 'revoked':
      return closed(mrkdwn`This invitation no longer works: ${mention(d.inviterUserId)} is no longer an admin of *${name}*.`);
    case 'superseded':
      return closed(supersededLine(data));
  }
}
