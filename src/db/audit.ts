import { and, desc, eq, lt } from 'drizzle-orm';
import type { Executor } from './client.js';
import { auditEvents, type AuditEvent } from './schema.js';
import type { AuditEntry } from '../domain/effects.js';

/** Records a change in the same transaction as the change itself. */
export async function audit(tx: Executor, entries: AuditEntry | AuditEntry[], now: Date): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  await tx.insert(auditEvents).values(
    list.map((e) => ({
      accountId: e.accountId,
      actor: e.actor,
      action: e.action,
      subjectKind: e.subjectKind,
      subjectId: e.subjectId,
      before: e.before ?? null,
      after: e.after ?? null,
      at: now,
    })),
  );
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
