import type { HomeView, KnownBlock } from '@slack/types';
import type { HomeData } from '../../db/home.js';
import {
  actions,
  channelLink,
  code,
  context,
  header,
  limits,
  type Mrkdwn,
  mention,
  mrkdwn,
  section,
  slackDate,
  validFor,
} from './format.js';
import { actionIds, labels } from './setupMessages.js';

const MAX_PER_LIST = 10;

function list<T>(title: string, items: T[], render: (item: T) => KnownBlock[], empty?: Mrkdwn): KnownBlock[] {
  if (items.length === 0) return empty ? [section(mrkdwn`*${title}*\n${empty}`)] : [];
  const shown = items.slice(0, MAX_PER_LIST).flatMap(render);
  const more = items.length > MAX_PER_LIST ? [context(mrkdwn`…and ${items.length - MAX_PER_LIST} more.`)] : [];
  return [section(mrkdwn`*${title}*`), ...shown, ...more, { type: 'divider' }];
}

/** The Home tab: what waits for this person, with the same buttons as their DMs. */
export function homeView(data: HomeData, supportChannelId: string): HomeView {
  const blocks: KnownBlock[] = [
    header('Vouch'),
    ...list('Accounts to set up', data.setupInvitations, ({ invitation, account }) => [
      section(mrkdwn`*${account.name}*: your setup invitation works ${validFor(invitation.issuedAt, invitation.expiresAt)}.`),
      actions(`home:setup:${invitation.id}`, [
        { label: labels.setUp, actionId: actionIds.setUp, value: invitation.id, style: 'primary' },
        { label: labels.invite, actionId: actionIds.invite, value: invitation.id },
      ]),
    ]),
    ...list('Confirmations waiting for you', data.confirmations, ({ delegation, account }) => [
      section(
        mrkdwn`Should ${mention(delegation.inviteeUserId)} get manage permissions on *${account.name}*? This confirmation works ${validFor(delegation.requestedAt, delegation.confirmExpiresAt)}.`,
      ),
      actions(`home:confirm:${delegation.id}`, [
        { label: labels.approve, actionId: actionIds.approve, value: delegation.id, style: 'primary' },
        { label: labels.cancel, actionId: actionIds.cancel, value: delegation.id },
      ]),
    ]),
    ...list('Invitations for you', data.invitations, ({ delegation, account }) => [
      section(
        mrkdwn`${mention(delegation.inviterUserId)} invites you to set up *${account.name}*${delegation.acceptExpiresAt ? mrkdwn`; the invitation works ${validFor(delegation.approvedAt ?? delegation.requestedAt, delegation.acceptExpiresAt)}` : ''}.`,
      ),
      actions(`home:invitee:${delegation.id}`, [
        { label: labels.accept, actionId: actionIds.accept, value: delegation.id, style: 'primary' },
        { label: labels.decline, actionId: actionIds.decline, value: delegation.id },
      ]),
    ]),
    ...list('Your recovery requests', data.myRecoveries, (r) => [
      section(
        r.status === 'awaiting_info'
          ? mrkdwn`${r.reference} for *${r.accountName}*: support asked you for more information ${slackDate(r.waitingSince ?? r.createdAt)}. Answer with *Reply* on their question in your DMs.`
          : mrkdwn`${r.reference} for *${r.accountName}*: waiting for support since ${slackDate(r.waitingSince ?? r.createdAt)}.`,
      ),
    ]),
    ...(data.supportQueue
      ? list(
          'Recovery requests to review',
          data.supportQueue,
          (r) => [
            section(
              r.status === 'awaiting_info'
                ? mrkdwn`${r.reference}: *${r.accountName}*, add ${r.emailToAdd}, asked by ${mention(r.requesterUserId)} ${slackDate(r.createdAt)}. Waiting for the requester’s answer to support’s question; see ${channelLink(supportChannelId)}.`
                : mrkdwn`${r.reference}: *${r.accountName}*, add ${r.emailToAdd}, asked by ${mention(r.requesterUserId)} ${slackDate(r.createdAt)}. Review it in ${channelLink(supportChannelId)}.`,
            ),
          ],
          mrkdwn`Nothing to review.`,
        )
      : []),
    ...list(
      'Accounts you administer',
      data.administered,
      (a) => [section(mrkdwn`*${a.name}* (${a.status === 'active' ? 'active' : 'not yet set up'}), contract ${a.contractNumber}`)],
      mrkdwn`None.`,
    ),
    context(mrkdwn`Type ${code('/enterprise help')} for every command.`),
  ];
  const nothingWaiting = data.setupInvitations.length + data.confirmations.length + data.invitations.length === 0;
  if (nothingWaiting) blocks.splice(1, 0, section(mrkdwn`Nothing waits for you right now.`));
  return { type: 'home', blocks: blocks.slice(0, limits.viewBlocks) };
}
