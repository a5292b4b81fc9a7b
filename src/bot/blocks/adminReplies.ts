import type { KnownBlock } from '@slack/types';
import type { Account, AuditEvent } from '../../db/schema.js';
import { pageAfter } from '../../domain/paging.js';
import { countAdmins, type AdminCount } from '../../domain/people.js';
import type { AuditSubjects } from '../../db/audit.js';
import { auditDetails, auditSentence } from './auditTrail.js';
import type { RemoveAdminRefusal } from '../../domain/admins.js';
import type { AdminsInWords } from '../../domain/workspace.js';
import { person } from './person.js';
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
  sections,
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
    case 'last_admin': {
      const way = mrkdwn`Add another admin first; if no admin is left, support recovery (${code('/enterprise recover')}) is the way back.`;
      const who = self ? mrkdwn`You are` : mrkdwn`${mention(userId)} is`;
      const cannot = self ? 'so you cannot remove yourself' : 'and cannot be removed';
      if (refusal.deactivated === 0) return mrkdwn`${who} the last admin of *${account.name}*, ${cannot}. ${way}`;
      // The others are still admins, but deactivated in Slack: they cannot act, so they do not count.
      const others = refusal.deactivated === 1 ? 'the other admin is' : `the ${refusal.deactivated} other admins are`;
      return mrkdwn`${who} the last active admin of *${account.name}*, ${cannot}: ${others} deactivated in Slack. ${way}`;
    }
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

/** `deactivated`: Slack says their account is deactivated, so they are not an active admin. */
type AdminRow = { userId: string; grantedAt: Date; grantedBy: string; deactivated: boolean };

/**
 * The account's admins, a page at a time in the order they were granted, with **More admins**;
 * the count says how many are deactivated in Slack, and so does each one's line.
 */
export function adminsMessage(
  account: Account,
  admins: AdminRow[],
  after: AdminsCursor['after'] | null = null,
  words: AdminsInWords = { readerTeamId: null, grantedBySupport: {} },
): SlackMessage {
  const page = pageAfter(admins, (a) => [a.grantedAt.getTime(), a.userId], after ? [after.at, after.user] : null, ADMINS_PAGE);
  const lines = page.items.map((a) => {
    // Added through a recovery request by support of another workspace, or by one of the account's people.
    const support = words.grantedBySupport[a.userId];
    const bySupport = support !== undefined && support.names[a.grantedBy] !== undefined;
    const granter = bySupport ? (support.teamId === words.readerTeamId ? null : support) : words.account;
    const by = a.grantedBy.startsWith('U') ? mrkdwn` (added by ${person(a.grantedBy, granter)})` : mrkdwn``;
    const state = a.deactivated ? mrkdwn` — _deactivated in Slack: not an active admin_` : mrkdwn``;
    return mrkdwn`• ${person(a.userId, words.account)}, since ${slackDate(a.grantedAt)}${by}${state}`;
  });
  const count = adminCountWords(countAdmins(admins));
  const blocks: KnownBlock[] = [section(mrkdwn`*Admins of ${account.name}* (${count})`)];
  if (lines.length > 0) blocks.push(...sections(joinMrkdwn(lines, '\n')));
  else if (page.total === 0) blocks.push(section(mrkdwn`None: support can add one through ${code('/enterprise recover')}.`));
  else blocks.push(context(mrkdwn`No more admins after the last ones shown.`));
  if (page.total > ADMINS_PAGE && page.from > 0) blocks.push(context(mrkdwn`Admins ${page.from}–${page.to} of ${page.total}.`));
  if (page.next) {
    const cursor: AdminsCursor = { accountId: account.id, after: { at: page.next[0], user: page.next[1] } };
    blocks.push(actions('admins:more', [{ label: 'More admins', actionId: adminActionIds.more, value: JSON.stringify(cursor) }]));
  }
  return message(mrkdwn`Admins of ${account.name}: ${count}.`, blocks);
}

/** "2 admins", "2 admins, 1 of them deactivated in Slack", "1 admin, deactivated in Slack". */
export function adminCountWords({ active, deactivated }: AdminCount): string {
  const all = active + deactivated;
  const admins = `${all} admin${all === 1 ? '' : 's'}`;
  if (deactivated === 0) return admins;
  if (active === 0) return `${admins}, ${all === 1 ? '' : 'all '}deactivated in Slack`;
  return `${admins}, ${deactivated} of them deactivated in Slack`;
}

export interface AuditCursor {
  accountId: string;
  olderThan: number;
}

/** The file name of an account's audit trail as CSV: its name, kept to letters and digits, and the date. */
export function auditCsvFileName(accountName: string, upTo: Date): string {
  const slug =
    accountName
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'account';
  return `audit-${slug}-${upTo.toISOString().slice(0, 10)}.csv`;
}

/** The words the CSV file comes with in the reader's DM. */
export const auditCsvComment = (accountName: string, events: number, upTo: Date): Mrkdwn =>
  mrkdwn`:page_facing_up: The audit trail of *${accountName}* as you asked for it: ${events} ${events === 1 ? 'event' : 'events'}, oldest first, up to ${slackDate(upTo)}, each with its codes, ids and values.`;

/** The answer to `/enterprise audit NAME csv`: where the file goes. */
export const auditCsvReply = (accountName: string): SlackMessage =>
  textMessage(mrkdwn`The audit trail of *${accountName}* is on its way to your DM with Vouch as a CSV file.`);

/**
 * One page of the audit trail, newest first: each event a sentence in people's names, with its
 * time and codes small beneath it; a button to the next older page. The whole trail, with every
 * value, is in the CSV (`/enterprise audit NAME csv`).
 */
export function auditMessage(
  account: Account,
  events: AuditEvent[],
  subjects: AuditSubjects,
  olderThan: number | null,
  pageLabel: string,
): SlackMessage {
  const blocks: KnownBlock[] = [
    section(mrkdwn`*Audit trail of ${account.name}*, newest first (${pageLabel})`),
    context(mrkdwn`Every event with its values: ${code(`/enterprise audit ${account.name} csv`)}.`),
  ];
  for (const e of events) blocks.push(section(auditSentence(e, account, subjects)), context(auditDetails(e, account, subjects)));
  if (events.length === 0) blocks.push(context(mrkdwn`No events.`));
  if (olderThan !== null) {
    const cursor: AuditCursor = { accountId: account.id, olderThan };
    blocks.push(actions('audit:older', [{ label: 'Older events', actionId: auditActionIds.older, value: JSON.stringify(cursor) }]));
  }
  return message(mrkdwn`Audit trail of ${account.name}`, blocks);
}
