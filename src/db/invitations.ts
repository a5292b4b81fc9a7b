import { eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from './client.js';
import { accounts, delegations, setupInvitations, type Account, type DelegationRow, type SetupInvitation } from './schema.js';
import { holdsManage } from './accounts.js';

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

/** A delegation with its invitation and account, both locked (invitation first). */
export async function loadDelegation(
  tx: Executor,
  delegationId: string,
): Promise<(LoadedInvitation & { delegation: DelegationRow }) | undefined> {
  const loaded = await loadInvitation(tx, { delegationId }, true);
  if (!loaded) return undefined;
  const [delegation] = await tx.select().from(delegations).where(eq(delegations.id, delegationId)).for('update');
  return delegation ? { ...loaded, delegation } : undefined;
}
