import type { KnownBlock } from '@slack/types';
import type { Account, AuditEvent } from '../../db/schema.js';
import { pageAfter } from '../../domain/paging.js';
import { countAdmins, type AdminCount } from '../../domain/people.js';
import { actions, code, context, joinMrkdwn, mention, message, mrkdwn, section, sections, slackDate, type SlackMessage } from './format.js';

export const auditActionIds = { older: 'audit.older' } as const;
export const adminActionIds = { more: 'admins.more' } as const;

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
export function adminsMessage(account: Account, admins: AdminRow[], after: AdminsCursor['after'] | null = null): SlackMessage {
  const page = pageAfter(admins, (a) => [a.grantedAt.getTime(), a.userId], after ? [after.at, after.user] : null, ADMINS_PAGE);
  const lines = page.items.map((a) => {
    const by = a.grantedBy.startsWith('U') ? mrkdwn` (added by ${mention(a.grantedBy)})` : mrkdwn``;
    const state = a.deactivated ? mrkdwn` — _deactivated in Slack: not an active admin_` : mrkdwn``;
    return mrkdwn`• ${mention(a.userId)}, since ${slackDate(a.grantedAt)}${by}${state}`;
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
