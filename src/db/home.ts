import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from './client.js';
import { accountsAdministeredBy } from './accounts.js';
import { openRecoveryRequests } from './recoveryRequests.js';
import { recoveryMachine } from '../domain/recovery.js';
import {
  accounts,
  delegations,
  homeViewers,
  recoveryRequests,
  setupInvitations,
  type Account,
  type DelegationRow,
  type RecoveryRequest,
  type SetupInvitation,
} from './schema.js';

/** What waits for one person, as their Home tab shows it. */
export interface HomeData {
  setupInvitations: Array<{ invitation: SetupInvitation; account: Account }>;
  confirmations: Array<{ delegation: DelegationRow; account: Account }>;
  invitations: Array<{ delegation: DelegationRow; account: Account }>;
  administered: Account[];
  /** The person's recovery requests still in play. */
  myRecoveries: RecoveryRequest[];
  /** Recovery requests still in play; only for support members. */
  supportQueue: RecoveryRequest[] | null;
}

export async function loadHome(db: Database, userId: string, isSupport: boolean): Promise<HomeData> {
  const invitations = await db
    .select({ invitation: setupInvitations, account: accounts })
    .from(setupInvitations)
    .innerJoin(accounts, eq(accounts.id, setupInvitations.accountId))
    .where(and(eq(setupInvitations.holderUserId, userId), eq(setupInvitations.status, 'pending')))
    .orderBy(asc(setupInvitations.expiresAt));
  const confirmations = await db
    .select({ delegation: delegations, account: accounts })
    .from(delegations)
    .innerJoin(accounts, eq(accounts.id, delegations.accountId))
    .where(and(eq(delegations.inviterUserId, userId), eq(delegations.status, 'awaiting_confirmation')))
    .orderBy(asc(delegations.confirmExpiresAt));
  const toAccept = await db
    .select({ delegation: delegations, account: accounts })
    .from(delegations)
    .innerJoin(accounts, eq(accounts.id, delegations.accountId))
    .where(and(eq(delegations.inviteeUserId, userId), eq(delegations.status, 'awaiting_acceptance')))
    .orderBy(asc(delegations.acceptExpiresAt));
  const myRecoveries = await db
    .select()
    .from(recoveryRequests)
    .where(and(eq(recoveryRequests.requesterUserId, userId), inArray(recoveryRequests.status, [...recoveryMachine.liveStates])))
    .orderBy(asc(recoveryRequests.createdAt));
  return {
    setupInvitations: invitations,
    confirmations,
    invitations: toAccept,
    administered: await accountsAdministeredBy(db, userId),
    myRecoveries,
    supportQueue: isSupport ? await openRecoveryRequests(db) : null,
  };
}

export async function recordHomeViewer(db: Database, userId: string, now: Date): Promise<void> {
  await db
    .insert(homeViewers)
    .values({ userId, openedAt: now })
    .onConflictDoUpdate({ target: homeViewers.userId, set: { openedAt: now } });
}

export async function homeViewerIds(db: Database): Promise<string[]> {
  return (await db.select({ userId: homeViewers.userId }).from(homeViewers)).map((r) => r.userId);
}

export async function isHomeViewer(db: Database, userId: string): Promise<boolean> {
  return (await db.select({ userId: homeViewers.userId }).from(homeViewers).where(eq(homeViewers.userId, userId))).length > 0;
}
