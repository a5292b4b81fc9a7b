import { and, desc, eq, lt } from 'drizzle-orm';
import type { Database } from './client.js';
import { accounts, auditEvents, type AuditEvent } from './schema.js';
import { audit } from './audit.js';
import { enqueue } from './outbox.js';
import { grantAdmin, isAdmin } from './accounts.js';

export type AddAdminResult = { ok: true } | { ok: false; problem: 'not_admin' | 'already_admin' };

/** An admin gives `manage` to someone else; they are told by DM. */
export async function addAdmin(
  db: Database,
  input: { accountId: string; userId: string; actor: string },
  now: Date,
): Promise<AddAdminResult> {
  return db.transaction(async (tx) => {
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, input.accountId)).for('update');
    if (!account || !(await isAdmin(tx, input.accountId, input.actor))) return { ok: false, problem: 'not_admin' } as const;
    if (!(await grantAdmin(tx, { accountId: input.accountId, userId: input.userId, grantedBy: input.actor }, now)))
      return { ok: false, problem: 'already_admin' } as const;
    await audit(
      tx,
      {
        accountId: input.accountId,
        actor: input.actor,
        action: 'admin.granted',
        subjectKind: 'admin',
        subjectId: input.userId,
        before: { admin: false },
        after: { admin: true },
      },
      now,
    );
    await enqueue(
      tx,
      `notice:admin_added:${input.accountId}:${input.userId}:${now.getTime()}`,
      { type: 'notice', channel: input.userId, notice: { kind: 'admin_added', accountName: account.name, byUserId: input.actor } },
      now,
    );
    await enqueue(tx, `home:${input.userId}:${input.accountId}:${now.getTime()}`, { type: 'home', userId: input.userId }, now);
    return { ok: true } as const;
  });
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass back as `beforeSeq` for the next older page; null on the last page. */
  olderThan: number | null;
}

/** The account's audit trail, newest first, a page at a time. */
export async function auditPage(db: Database, accountId: string, beforeSeq: number | null, pageSize = 10): Promise<AuditPage> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.accountId, accountId), beforeSeq === null ? undefined : lt(auditEvents.seq, beforeSeq)))
    .orderBy(desc(auditEvents.seq))
    .limit(pageSize + 1);
  const events = rows.slice(0, pageSize);
  return { events, olderThan: rows.length > pageSize ? (events.at(-1)?.seq ?? null) : null };
}
