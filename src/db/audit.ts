import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { build, runBuilt } from './prepared.js';
import type { Executor } from './client.js';
import { auditEvents, type AuditEvent } from './schema.js';
import type { AuditEntry } from '../domain/effects.js';

const auditStatement = build(sql`
  insert into audit_events (account_id, actor, actor_team_id, action, subject_kind, subject_id, before, after, at)
  select e.account_id, e.actor, e.actor_team_id, e.action, e.subject_kind, e.subject_id, e.before, e.after, ${sql.placeholder('now')}::text::timestamptz
  from jsonb_to_recordset(${sql.placeholder('rows')}::text::jsonb)
    as e(account_id uuid, actor text, actor_team_id text, action text, subject_kind text, subject_id text, before jsonb, after jsonb)`);

/**
 * An audit entry as the insert reads it. `actorTeamId`: the workspace of the person who acted
 * (distributed); the entries of `system` and `api` have none.
 */
export const auditRow = (e: AuditEntry, actorTeamId: string | null = null) => ({
  account_id: e.accountId,
  actor: e.actor,
  actor_team_id: e.actor === 'system' || e.actor === 'api' ? null : actorTeamId,
  action: e.action,
  subject_kind: e.subjectKind,
  subject_id: e.subjectId,
  before: e.before ?? null,
  after: e.after ?? null,
});

/** Records a change in the same transaction as the change itself, in one statement. */
export async function audit(tx: Executor, entries: AuditEntry | AuditEntry[], now: Date, actorTeamId: string | null = null): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  await runBuilt(tx, auditStatement, { rows: JSON.stringify(list.map((e) => auditRow(e, actorTeamId))), now: now.toISOString() });
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass back as `beforeSeq` for the next older page; null on the last page. */
  olderThan: number | null;
}

/** The account's audit trail, newest first, a page at a time. */
export async function auditPage(db: Executor, accountId: string, beforeSeq: number | null, pageSize = 10): Promise<AuditPage> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.accountId, accountId), beforeSeq === null ? undefined : lt(auditEvents.seq, beforeSeq)))
    .orderBy(desc(auditEvents.seq))
    .limit(pageSize + 1);
  const events = rows.slice(0, pageSize);
  return { events, olderThan: rows.length > pageSize ? (events.at(-1)?.seq ?? null) : null };
}
