import type { KnownBlock } from '@slack/types';
import type { Account, AuditEvent } from '../../db/schema.js';
import { actions, context, escapeText, mention, message, section, slackDate, type SlackMessage } from './format.js';

export const auditActionIds = { older: 'audit.older' } as const;

export function adminsMessage(account: Account, admins: Array<{ userId: string; grantedAt: Date; grantedBy: string }>): SlackMessage {
  const lines = admins.map(
    (a) =>
      `• ${mention(a.userId)}, since ${slackDate(a.grantedAt)}${a.grantedBy.startsWith('U') ? ` (added by ${mention(a.grantedBy)})` : ''}`,
  );
  const text = `Admins of ${account.name}: ${admins.length}.`;
  return message(text, [
    section(
      `*Admins of ${escapeText(account.name)}* (${admins.length})\n${lines.join('\n') || 'None: support can add one through `/enterprise recover`.'}`,
    ),
  ]);
}

const actorName = (actor: string) => (/^[UW][A-Z0-9]+$/.test(actor) ? mention(actor) : `_${actor}_`);
const short = (value: unknown) => {
  const json = JSON.stringify(value);
  return json === undefined || json === 'null' ? '–' : escapeText(json.length > 300 ? `${json.slice(0, 299)}…` : json);
};

export interface AuditCursor {
  accountId: string;
  olderThan: number;
}

/** One page of the audit trail, newest first, with a button to the next older page. */
export function auditMessage(account: Account, events: AuditEvent[], olderThan: number | null, pageLabel: string): SlackMessage {
  const blocks: KnownBlock[] = [section(`*Audit trail of ${escapeText(account.name)}*, newest first (${pageLabel})`)];
  for (const e of events) {
    blocks.push(
      section(
        `*${escapeText(e.action)}* by ${actorName(e.actor)} on ${slackDate(e.at)}\n${escapeText(e.subjectKind)} ${escapeText(e.subjectId)}\nbefore: \`${short(e.before)}\`  after: \`${short(e.after)}\``,
      ),
    );
  }
  if (events.length === 0) blocks.push(context('No events.'));
  if (olderThan !== null) {
    const cursor: AuditCursor = { accountId: account.id, olderThan };
    blocks.push(actions('audit:older', [{ label: 'Older events', actionId: auditActionIds.older, value: JSON.stringify(cursor) }]));
  }
  return message(`Audit trail of ${account.name}`, blocks);
}
