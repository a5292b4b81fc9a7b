import type { KnownBlock } from '@slack/types';
import type { Account, AuditEvent } from '../../db/schema.js';
import { pageAfter } from '../../domain/paging.js';
import type { RemoveAdminRefusal } from '../../domain/admins.js';
import {
  actions,
  code,
  context,
  joinMrkdwn,
  type Mrkdwn,
  mention,
  message,
  mrkdwn,
  section,
  slackDate,
  type SlackMessage,
  textMessage,
} from './format.js';

export const auditActionIds = { older: 'audit.older' } as const;
export const adminActionIds = { more: 'admins.more', remove: 'admins.remove' } as const;

/** What the Remove button carries: which removal to ask the database about when it is clicked. */
export interface RemoveAdminTarget {
  accountId: string;
  userId: string;
}

export const onlyAdminsText = (name: string): Mrkdwn => mrkdwn`Only admins of “${name}” can change its admins.`;

/**
 * `/enterprise remove-admin`: removing admin rights is confirmed first, with a button whose Slack
 * dialog asks once more. Removing yourself says so, in your words.
 */
export function removeAdminPrompt(account: { id: string; name: string }, userId: string, actor: string): SlackMessage {
  const self = userId === actor;
  const target: RemoveAdminTarget = { accountId: account.id, userId };
  const ask = self
    ? mrkdwn`:warning: You are about to remove *yourself* as an admin of *${account.name}*: you lose manage permissions on it, your setup invitation and confirmations for it stop working, and only another admin can add you back.`
    : mrkdwn`Remove ${mention(userId)} as an admin of *${account.name}*? They lose manage permissions on it, their setup invitation and confirmations for it stop working, and they are told by DM.`;
  return message(ask, [
    section(ask),
    actions(`admins:remove:${account.id}`, [
      {
        label: self ? 'Remove me' : 'Remove as admin',
        actionId: adminActionIds.remove,
        value: JSON.stringify(target),
        style: 'danger',
        confirm: self
          ? {
              title: 'Remove yourself?',
              text: `You will no longer be an admin of “${account.name}”. Only another admin can add you back.`,
              confirm: 'Remove me',
              deny: 'Keep me',
              style: 'danger',
            }
          : {
              title: 'Remove this admin?',
              text: `They lose manage permissions on “${account.name}” at once, and their setup invitation and confirmations for it stop working.`,
              confirm: 'Remove',
              deny: 'Cancel',
              style: 'danger',
            },
      },
    ]),
  ]);
}

/** Why a removal changed nothing, to the person who asked for it ("you" when it is about them). */
export function removeAdminRefusalText(refusal: RemoveAdminRefusal, account: { name: string }, userId: string, actor: string): Mrkdwn {
  const self = userId === actor;
  switch (refusal.reason) {
    case 'not_allowed':
      return onlyAdminsText(account.name);
    case 'not_admin':
      return self ? mrkdwn`You are not an admin of *${account.name}*.` : mrkdwn`${mention(userId)} is not an admin of *${account.name}*.`;
    case 'last_admin':
      return self
        ? mrkdwn`You are the last admin of *${account.name}*, so you cannot remove yourself. Add another admin first; if no admin is left, support recovery (${code('/enterprise recover')}) is the way back.`
        : mrkdwn`${mention(userId)} is the last admin of *${account.name}* and cannot be removed. Add another admin first; if no admin is left, support recovery (${code('/enterprise recover')}) is the way back.`;
  }
}

/** The removal went through. */
export function removedAdminMessage(account: { name: string }, userId: string, actor: string): SlackMessage {
  return textMessage(
    userId === actor
      ? mrkdwn`You are no longer an admin of *${account.name}*. Your setup invitations and confirmations for it no longer work.`
      : mrkdwn`${mention(userId)} is no longer an admin of *${account.name}*. Their setup invitations and confirmations for it no longer work.`,
  );
}

/** Admins on one page: each line is at most about 130 characters of markup, so 20 fit one section. */
export const ADMINS_PAGE = 20;

export interface AdminsCursor {
  accountId: string;
  /** The last admin shown: when they were granted manage (ms) and who they are. */
  after: { at: number; user: string };
}

type AdminRow = { userId: string; grantedAt: Date; grantedBy: string };

/** The account's admins, a page at a time in the order they were granted, with **More admins**. */
export function adminsMessage(account: Account, admins: AdminRow[], after: AdminsCursor['after'] | null = null): SlackMessage {
  const page = pageAfter(admins, (a) => [a.grantedAt.getTime(), a.userId], after ? [after.at, after.user] : null, ADMINS_PAGE);
  const lines = page.items.map((a) =>
    a.grantedBy.startsWith('U')
      ? mrkdwn`• ${mention(a.userId)}, since ${slackDate(a.grantedAt)} (added by ${mention(a.grantedBy)})`
      : mrkdwn`• ${mention(a.userId)}, since ${slackDate(a.grantedAt)}`,
  );
  const blocks: KnownBlock[] = [section(mrkdwn`*Admins of ${account.name}* (${page.total})`)];
  if (lines.length > 0) blocks.push(section(joinMrkdwn(lines, '\n')));
  else if (page.total === 0) blocks.push(section(mrkdwn`None: support can add one through ${code('/enterprise recover')}.`));
  else blocks.push(context(mrkdwn`No more admins after the last ones shown.`));
  if (page.total > ADMINS_PAGE && page.from > 0) blocks.push(context(mrkdwn`Admins ${page.from}–${page.to} of ${page.total}.`));
  if (page.next) {
    const cursor: AdminsCursor = { accountId: account.id, after: { at: page.next[0], user: page.next[1] } };
    blocks.push(actions('admins:more', [{ label: 'More admins', actionId: adminActionIds.more, value: JSON.stringify(cursor) }]));
  }
  return message(mrkdwn`Admins of ${account.name}: ${page.total}.`, blocks);
}

const actorName = (actor: string) => (/^[UW][A-Z0-9]+$/.test(actor) ? mention(actor) : mrkdwn`_${actor}_`);
/** A value of the trail as JSON in a code span, cut to 300 characters of markup with its backticks. */
const short = (value: unknown) => {
  const json = JSON.stringify(value);
  return code(json === undefined || json === 'null' ? '–' : json, 300);
};

export interface AuditCursor {
  accountId: string;
  olderThan: number;
}

/** One page of the audit trail, newest first, with a button to the next older page. */
export function auditMessage(account: Account, events: AuditEvent[], olderThan: number | null, pageLabel: string): SlackMessage {
  const blocks: KnownBlock[] = [section(mrkdwn`*Audit trail of ${account.name}*, newest first (${pageLabel})`)];
  for (const e of events) {
    blocks.push(
      section(
        mrkdwn`*${e.action}* by ${actorName(e.actor)} on ${slackDate(e.at)}\n${e.subjectKind} ${e.subjectId}\nbefore: ${short(e.before)}  after: ${short(e.after)}`,
      ),
    );
  }
  if (events.length === 0) blocks.push(context(mrkdwn`No events.`));
  if (olderThan !== null) {
    const cursor: AuditCursor = { accountId: account.id, olderThan };
    blocks.push(actions('audit:older', [{ label: 'Older events', actionId: auditActionIds.older, value: JSON.stringify(cursor) }]));
  }
  return message(mrkdwn`Audit trail of ${account.name}`, blocks);
}
