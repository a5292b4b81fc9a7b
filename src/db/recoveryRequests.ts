import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from './client.js';
import { recoveryApprovals, recoveryRequests, type Account, type RecoveryRequest } from './schema.js';
import { activeAdmins, findAccountByName } from './accounts.js';
import { recoveryMachine } from '../domain/recovery.js';

/** The queries of admin recovery; the recovery workflow decides and stores with them. */

export async function findRecoveryRequest(db: Executor, id: string): Promise<RecoveryRequest | undefined> {
  const [row] = await db.select().from(recoveryRequests).where(eq(recoveryRequests.id, id));
  return row;
}

/** Requests waiting for support, oldest first. */
export async function openRecoveryRequests(db: Executor): Promise<RecoveryRequest[]> {
  return db.select().from(recoveryRequests).where(eq(recoveryRequests.status, 'open')).orderBy(asc(recoveryRequests.createdAt));
}

/**
 * The oldest request still in play for this account and e-mail address, if any: the account the
 * name matched, or, when none did, the same name (compared case-insensitively, as account names
 * are). E-mail addresses are compared case-insensitively too.
 */
export async function earlierOpenRequest(
  db: Executor,
  target: { accountId: string } | { accountName: string },
  emailToAdd: string,
): Promise<{ reference: string } | undefined> {
  const sameAccount =
    'accountId' in target
      ? eq(recoveryRequests.accountId, target.accountId)
      : and(isNull(recoveryRequests.accountId), sql`lower(${recoveryRequests.accountName}) = lower(${target.accountName.trim()})`);
  const [earlier] = await db
    .select({ reference: recoveryRequests.reference })
    .from(recoveryRequests)
    .where(
      and(
        sameAccount,
        inArray(recoveryRequests.status, [...recoveryMachine.liveStates]),
        sql`lower(${recoveryRequests.emailToAdd}) = lower(${emailToAdd.trim()})`,
      ),
    )
    .orderBy(asc(recoveryRequests.createdAt))
    .limit(1);
  return earlier;
}

/** What a new request's form names, as the database knows it: the account, its admins, an earlier request still in play. */
export async function recoveryTarget(
  db: Executor,
  input: { accountName: string; emailToAdd: string },
): Promise<{ account: Account | null; activeAdmins: number; earlierOpenReference: string | null }> {
  const account = (await findAccountByName(db, input.accountName)) ?? null;
  const [admins, earlier] = await Promise.all([
    account ? activeAdmins(db, account.id) : [],
    earlierOpenRequest(db, account ? { accountId: account.id } : { accountName: input.accountName }, input.emailToAdd),
  ]);
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
