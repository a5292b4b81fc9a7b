import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from './client.js';
import {
  accounts,
  adminMemberships,
  delegations,
  setupInvitations,
  type Account,
  type DelegationRow,
  type SetupInvitation,
} from './schema.js';
import { holdsManage } from './accounts.js';
import { build, runBuilt, selectedColumns, type BuiltQuery } from './prepared.js';
import { setupInvitationMachine } from '../domain/setupInvitation.js';
import { delegationMachine } from '../domain/delegation.js';

/** A setup invitation with its account and whether its holder still holds `manage`. */
export interface LoadedInvitation {
  invitation: SetupInvitation;
  account: Account;
  holderIsAdmin: boolean;
}

/**
 * Loads an invitation, by its id or by a delegation hanging on it, with the facts its rules need,
 * in one statement; `lock` serializes clicks on it. Lock order everywhere: invitation, then
 * delegation.
 */
export async function loadInvitation(
  tx: Executor,
  which: { id: string } | { delegationId: string },
  lock: boolean,
): Promise<LoadedInvitation | undefined> {
  const holderIsAdmin = sql<boolean>`${holdsManage(tx, accounts.id, setupInvitations.holderUserId)}`.mapWith(Boolean);
  const query = tx
    .select({ invitation: setupInvitations, account: accounts, holderIsAdmin })
    .from(setupInvitations)
    .innerJoin(accounts, eq(accounts.id, setupInvitations.accountId))
    .where(
      'id' in which
        ? eq(setupInvitations.id, which.id)
        : inArray(
            setupInvitations.id,
            tx.select({ id: delegations.setupInvitationId }).from(delegations).where(eq(delegations.id, which.delegationId)),
          ),
    );
  const [row] = lock ? await query.for('update', { of: setupInvitations }) : await query;
  return row;
}

const invitationColumns = selectedColumns(setupInvitations, 'i', 'i_');
const accountColumns = selectedColumns(accounts, 'a', 'a_');
const delegationColumns = selectedColumns(delegations, 'd', 'd_');

/**
 * The invitation is locked inside the CTE, before the outer row (and so the delegation's lock)
 * can exist: the lock order stays invitation, then delegation. The outer `for update` of a row
 * changed meanwhile reads its newest version, as a statement of its own would.
 */
const delegationWith = (lock: boolean) =>
  build(sql`
  with i as (
    select * from ${setupInvitations}
    where id = (select setup_invitation_id from ${delegations} where id = ${sql.placeholder('delegationId')}::uuid)
    ${sql.raw(lock ? 'for update' : '')}
  )
  select ${sql.raw(invitationColumns.list)}, ${sql.raw(accountColumns.list)}, ${sql.raw(delegationColumns.list)},
    exists (
      select 1 from ${adminMemberships} m where m.account_id = a.id and m.user_id = i.holder_user_id and m.removed_at is null
    ) as "holderIsAdmin"
  from i
  join ${accounts} a on a.id = i.account_id
  join ${delegations} d on d.id = ${sql.placeholder('delegationId')}::uuid
  ${sql.raw(lock ? 'for update of d' : '')}`);
const delegationWithLocks = delegationWith(true);
const delegationAsItIs = delegationWith(false);

export type LoadedDelegation = LoadedInvitation & { delegation: DelegationRow };

/** A delegation with its invitation and account, both locked (invitation first), in one statement. */
export function loadDelegation(tx: Executor, delegationId: string): Promise<LoadedDelegation | undefined> {
  return readDelegationWith(tx, delegationWithLocks, delegationId);
}

/**
 * The same, read without locks, for a decision whose write then requires all of it unchanged
 * (`ReadGuard`): one statement outside any transaction.
 */
export function readDelegation(db: Executor, delegationId: string): Promise<LoadedDelegation | undefined> {
  return readDelegationWith(db, delegationAsItIs, delegationId);
}

async function readDelegationWith(ex: Executor, statement: BuiltQuery, delegationId: string): Promise<LoadedDelegation | undefined> {
  const [row] = await runBuilt<Record<string, unknown>>(ex, statement, { delegationId });
  if (!row) return undefined;
  return {
    invitation: invitationColumns.read(row),
    account: accountColumns.read(row),
    delegation: delegationColumns.read(row),
    holderIsAdmin: row.holderIsAdmin === true || row.holderIsAdmin === 't',
  };
}

/** An account's pending setup invitation (the schema allows one), locked; only if `holderUserId` holds it, if given. */
export function lockPendingInvitations(tx: Executor, accountId: string, holderUserId?: string): Promise<SetupInvitation[]> {
  return tx
    .select()
    .from(setupInvitations)
    .where(
      and(
        eq(setupInvitations.accountId, accountId),
        inArray(setupInvitations.status, [...setupInvitationMachine.liveStates]),
        holderUserId === undefined ? undefined : eq(setupInvitations.holderUserId, holderUserId),
      ),
    )
    .for('update');
}

/** The delegation still live on an account (the schema allows one), locked; only one `inviterUserId` asked for, if given. */
export function lockLiveDelegations(tx: Executor, accountId: string, inviterUserId?: string): Promise<DelegationRow[]> {
  return tx
    .select()
    .from(delegations)
    .where(
      and(
        eq(delegations.accountId, accountId),
        inArray(delegations.status, [...delegationMachine.liveStates]),
        inviterUserId === undefined ? undefined : eq(delegations.inviterUserId, inviterUserId),
      ),
    )
    .for('update');
}

/** A delegation, without locks (Start again only reads it). */
export async function findDelegation(db: Executor, id: string): Promise<DelegationRow | undefined> {
  const [row] = await db.select().from(delegations).where(eq(delegations.id, id));
  return row;
}

/**
 * What of `userId`'s on an account still offers them a next step after it closed (see
 * `offersNextStep`): their expired setup invitations and their expired confirmations never
 * approved, not yet withdrawn; locked, for their removal as an admin.
 */
export async function lockNextSteps(
  tx: Executor,
  accountId: string,
  userId: string,
): Promise<{ invitations: SetupInvitation[]; confirmations: DelegationRow[] }> {
  const [invitations, confirmations] = await Promise.all([
    tx
      .select()
      .from(setupInvitations)
      .where(
        and(
          eq(setupInvitations.accountId, accountId),
          eq(setupInvitations.holderUserId, userId),
          eq(setupInvitations.status, 'expired'),
          isNull(setupInvitations.holderRemovedAt),
        ),
      )
      .for('update'),
    tx
      .select()
      .from(delegations)
      .where(
        and(
          eq(delegations.accountId, accountId),
          eq(delegations.inviterUserId, userId),
          eq(delegations.status, 'expired'),
          isNull(delegations.approvedAt),
          isNull(delegations.inviterRemovedAt),
        ),
      )
      .for('update'),
  ]);
  return { invitations, confirmations };
}
