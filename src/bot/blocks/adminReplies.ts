import type { KnownBlock } from '@slack/types';
import type { Account, AuditEvent } from '../../db/schema.js';
import { actions, code, context, joinMrkdwn, mention, message, mrkdwn, section, slackDate, type SlackMessage } from './format.js';

export const auditActionIds = { older: 'audit.older' } as const;

export function adminsMessage(account: Account, admins: Array<{ userId: string; grantedAt: Date; grantedBy: string }>): SlackMessage {
  const lines = admins.map((a) =>
    a.grantedBy.startsWith('U')
      ? mrkdwn`• ${mention(a.userId)}, since ${slackDate(a.grantedAt)} (added by ${mention(a.grantedBy)})`
      : mrkdwn`• ${mention(a.userId)}, since ${slackDate(a.grantedAt)}`,
  );
  const list = lines.length > 0 ? joinMrkdwn(lines, '\n') : mrkdwn`None: support can add one through ${code('/enterprise recover')}.`;
  return message(mrkdwn`Admins of ${account.name}: ${admins.length}.`, [
    section(mrkdwn`*Admins of ${account.name}* (${admins.length})\n${list}`),
  ]);
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
