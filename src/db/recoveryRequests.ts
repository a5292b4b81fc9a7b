import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from './client.js';
import { recoveryApprovals, recoveryRequests, type Account, type RecoveryRequest } from './schema.js';
import { activeAdmins, findAccountByName } from './accounts.js';

/** The queries of admin recovery; the recovery workflow decides and stores with them. */

export async function findRecoveryRequest(db: Executor, id: string): Promise<RecoveryRequest | undefined> {
  const [row] = await db.select().from(recoveryRequests).where(eq(recoveryRequests.id, id));
  return row;
}

/** Requests waiting for support, oldest first. */
export async function openRecoveryRequests(db: Executor): Promise<RecoveryRequest[]> {
  return db.select().from(recoveryRequests).where(eq(recoveryRequests.status, 'open')).orderBy(asc(recoveryRequests.createdAt));
}

/** The oldest open request for this account and e-mail address, if any. */
export async function earlierOpenRequest(db: Executor, accountId: string, emailToAdd: string): Promise<{ reference: string } | undefined> {
  const [earlier] = await db
    .select({ reference: recoveryRequests.reference })
    .from(recoveryRequests)
    .where(
      and(
        eq(recoveryRequests.accountId, accountId),
        eq(recoveryRequests.status, 'open'),
        sql`lower(${recoveryRequests.emailToAdd}) = lower(${emailToAdd.trim()})`,
      ),
    )
    .orderBy(asc(recoveryRequests.createdAt))
    .limit(1);
  return earlier;
}

/** What a new request's form names, as the database knows it: the account, its admins, an earlier open request. */
export async function recoveryTarget(
  db: Executor,
  input: { accountName: string; emailToAdd: string },
): Promise<{ account: Account | null; activeAdmins: number; earlierOpenReference: string | null }> {
  const account = (await findAccountByName(db, input.accountName)) ?? null;
  if (!account) return { account: null, activeAdmins: 0, earlierOpenReference: null };
  const [admins, earlier] = await Promise.all([activeAdmins(db, account.id), earlierOpenRequest(db, account.id, input.emailToAdd)]);
  return { account, activeAdmins: admins.length, earlierOpenReference: earlier?.reference ?? null };
}

/** A request and its approvals, locked for a decision until the transaction ends. */
export async function lockRecoveryRequest(
  tx: Executor,
  id: string,
): Promise<{ request: RecoveryRequest; approverUserIds: string[] } | undefined> {
  const [request] = await tx.select().from(recoveryRequests).where(eq(recoveryRequests.id, id)).for('update');
  if (!request) return undefined;
  const approvals = await tx
    .select({ approverUserId: recoveryApprovals.approverUserId })
    .from(recoveryApprovals)
    .where(eq(recoveryApprovals.requestId, id))
    .orderBy(asc(recoveryApprovals.at));
  return { request, approverUserIds: approvals.map((a) => a.approverUserId) };
}

/**
 * Open requests whose last reminder (or filing) is at least `periodMs` old, locked; rows another
 * replica holds are skipped. The domain's `recoveryReminderDue` decides each one again.
 */
export async function lockRequestsDueForReminder(tx: Executor, now: Date, periodMs: number): Promise<RecoveryRequest[]> {
  const cutoff = new Date(now.getTime() - periodMs);
  return tx
    .select()
    .from(recoveryRequests)
    .where(
      and(
        eq(recoveryRequests.status, 'open'),
        or(
          and(isNull(recoveryRequests.lastRemindedAt), lte(recoveryRequests.createdAt, cutoff)),
          lte(recoveryRequests.lastRemindedAt, cutoff),
        ),
      ),
    )
    .orderBy(asc(recoveryRequests.createdAt))
    .for('update', { skipLocked: true });
}
