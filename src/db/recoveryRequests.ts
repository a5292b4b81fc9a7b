import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { rowsOf, type Executor } from './client.js';
import { sqlOutboxKey } from './sqlOutboxKey.js';
import { outboxKeyParts } from '../domain/outboxKeys.js';
import {
  recoveryApprovals,
  recoveryQuestions,
  recoveryRequests,
  slackInstallations,
  type Account,
  type RecoveryQuestion,
  type RecoveryRequest,
} from './schema.js';
import { currentAdmins, findAccountByName, type CurrentAdmin } from './accounts.js';
import { recoveryMachine } from '../domain/recovery.js';
import type { CrossWorkspace } from '../domain/workspace.js';

/** The queries of admin recovery; the recovery workflow decides and stores with them. */

export async function findRecoveryRequest(db: Executor, id: string): Promise<RecoveryRequest | undefined> {
  const [row] = await db.select().from(recoveryRequests).where(eq(recoveryRequests.id, id));
  return row;
}

/** A workspace's name as its install says (null: no install of it, or Slack gave none). */
export async function workspaceName(db: Executor, teamId: string): Promise<string | null> {
  const [row] = await db
    .select({ teamName: slackInstallations.teamName })
    .from(slackInstallations)
    .where(eq(slackInstallations.teamId, teamId))
    .orderBy(sql`${slackInstallations.updatedAt} desc`)
    .limit(1);
  return row?.teamName ?? null;
}

/** Stores the names each side of a request shows of the other's people (see `CrossWorkspace`). */
export async function storeCrossWorkspace(db: Executor, id: string, cross: CrossWorkspace): Promise<void> {
  await db.update(recoveryRequests).set({ crossWorkspace: cross }).where(eq(recoveryRequests.id, id));
}

/** The account's approved requests that were read across workspaces: who each added, and each side's people in words. */
export async function crossWorkspaceGrants(
  db: Executor,
  accountId: string,
): Promise<Array<{ addedUserId: string; cross: CrossWorkspace }>> {
  const rows = await db
    .select({ addedUserId: recoveryRequests.addedUserId, cross: recoveryRequests.crossWorkspace })
    .from(recoveryRequests)
    .where(and(eq(recoveryRequests.accountId, accountId), eq(recoveryRequests.status, 'approved')));
  return rows.flatMap((r) => (r.addedUserId && r.cross ? [{ addedUserId: r.addedUserId, cross: r.cross }] : []));
}

const inPlay = () => inArray(recoveryRequests.status, [...recoveryMachine.liveStates]);

/** Requests still in play (waiting for support, or for the requester's answer), oldest first. */
export async function openRecoveryRequests(db: Executor): Promise<RecoveryRequest[]> {
  return db.select().from(recoveryRequests).where(inPlay()).orderBy(asc(recoveryRequests.createdAt));
}

/** A question and the request it is about. */
export async function findRecoveryQuestion(
  db: Executor,
  id: string,
): Promise<{ question: RecoveryQuestion; request: RecoveryRequest } | undefined> {
  const [row] = await db
    .select({ question: recoveryQuestions, request: recoveryRequests })
    .from(recoveryQuestions)
    .innerJoin(recoveryRequests, eq(recoveryRequests.id, recoveryQuestions.requestId))
    .where(eq(recoveryQuestions.id, id));
  return row;
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
    .where(and(sameAccount, inPlay(), sql`lower(${recoveryRequests.emailToAdd}) = lower(${emailToAdd.trim()})`))
    .orderBy(asc(recoveryRequests.createdAt))
    .limit(1);
  return earlier;
}

/** What a new request's form names, as the database knows it: the account, its admins, an earlier request still in play. */
export async function recoveryTarget(
  db: Executor,
  input: { accountName: string; emailToAdd: string },
): Promise<{ account: Account | null; admins: CurrentAdmin[]; earlierOpenReference: string | null }> {
  const account = (await findAccountByName(db, input.accountName)) ?? null;
  const [admins, earlier] = await Promise.all([
    account ? currentAdmins(db, account.id) : [],
    earlierOpenRequest(db, account ? { accountId: account.id } : { accountName: input.accountName }, input.emailToAdd),
  ]);
  return { account, admins, earlierOpenReference: earlier?.reference ?? null };
}

/**
 * A request, its approvals and the question waiting for the requester's answer (if any), the
 * request and the question locked for a decision until the transaction ends.
 */
export async function lockRecoveryRequest(
  tx: Executor,
  id: string,
): Promise<{ request: RecoveryRequest; approverUserIds: string[]; question: RecoveryQuestion | null } | undefined> {
  const [request] = await tx.select().from(recoveryRequests).where(eq(recoveryRequests.id, id)).for('update');
  if (!request) return undefined;
  const [approvals, [question]] = await Promise.all([
    tx
      .select({ approverUserId: recoveryApprovals.approverUserId })
      .from(recoveryApprovals)
      .where(eq(recoveryApprovals.requestId, id))
      .orderBy(asc(recoveryApprovals.at)),
    tx
      .select()
      .from(recoveryQuestions)
      .where(and(eq(recoveryQuestions.requestId, id), eq(recoveryQuestions.status, 'asked')))
      .for('update'),
  ]);
  return { request, approverUserIds: approvals.map((a) => a.approverUserId), question: question ?? null };
}

/**
 * Requests in play whose wait (since filed, asked or answered) and last reminder are both at
 * least `periodMs` old, locked; rows another replica holds are skipped. The domain's
 * `recoveryReminderDue` decides each one again.
 */
export async function lockRequestsDueForReminder(tx: Executor, now: Date, periodMs: number): Promise<RecoveryRequest[]> {
  const cutoff = new Date(now.getTime() - periodMs);
  return tx
    .select()
    .from(recoveryRequests)
    .where(
      and(
        inPlay(),
        sql`coalesce(${recoveryRequests.waitingSince}, ${recoveryRequests.createdAt}) <= ${cutoff.toISOString()}::timestamptz`,
        or(isNull(recoveryRequests.lastRemindedAt), lte(recoveryRequests.lastRemindedAt, cutoff)),
      ),
    )
    .orderBy(asc(recoveryRequests.createdAt))
    .for('update', { skipLocked: true });
}

/**
 * Redraws support's message (and the Home tabs) of every request still in play from these
 * workspaces: their workspace was disconnected (uninstalled, tokens revoked) or installed again,
 * which support's message shows. A version bump, as for any change, so each message is edited once.
 */
export async function redrawWorkspaceRequests(db: Executor, teamIds: readonly string[], now: Date): Promise<number> {
  if (teamIds.length === 0) return 0;
  const at = sql`${now.toISOString()}::timestamptz`;
  const col = (name: string) => sql.raw(name);
  const result = await db.execute(sql`
    with touched as (
      update recovery_requests set version = version + 1
      where ${inArray(recoveryRequests.requesterTeamId, [...teamIds])}
        and ${inArray(recoveryRequests.status, [...recoveryMachine.liveStates])}
      returning id, version
    ), queued as (
      insert into outbox (key, payload, channel, team_id, created_at, next_attempt_at)
      select ${sqlOutboxKey(outboxKeyParts.redraw(col('id'), col('version')))}, jsonb_build_object('type', 'redraw', 'subjectId', id), null, null, ${at}, ${at}
      from touched
      union all
      select ${sqlOutboxKey(outboxKeyParts.supportHomes(col('id'), col('version')))}, jsonb_build_object('type', 'support_homes'), null, null, ${at}, ${at}
      from touched
      on conflict (key) do nothing
    )
    select count(*)::int as n from touched`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}
