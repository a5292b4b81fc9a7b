import type { Executor } from './client.js';
import { auditEvents } from './schema.js';

export interface AuditEntry {
  accountId: string | null;
  /** A Slack user id, or `system` for the timers, or `api` for the provisioning API. */
  actor: string;
  action: string;
  subjectKind: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
}

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
