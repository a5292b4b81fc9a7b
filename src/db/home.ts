import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { accountsAdministeredBy, adminPersonJoin } from './accounts.js';
import { openRecoveryRequests } from './recoveryRequests.js';
import { recoveryMachine } from '../domain/recovery.js';
import type { AdminCount } from '../domain/people.js';
import {
  accounts,
  adminMemberships,
  delegations,
  homeViewers,
  recoveryRequests,
  setupInvitations,
  slackPeople,
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
  /** How many admins each administered account has, and how many are deactivated in Slack. */
  adminCounts: Record<string, AdminCount>;
  /** Who holds the live setup invitation of each administered account still waiting for setup. */
  setupHolders: Array<{ accountId: string; holderUserId: string; expiresAt: Date }>;
  /** The person's recovery requests still in play. */
  myRecoveries: RecoveryRequest[];
  /** Recovery requests still in play; only for support members. */
  supportQueue: RecoveryRequest[] | null;
}

/**
 * What waits for `userId`. Distributed (`teamId` given), only what belongs to their workspace:
 * the same user id in another workspace is someone else, whose accounts this person never sees.
 */
export async function loadHome(db: Database, userId: string, isSupport: boolean, teamId: string | null = null): Promise<HomeData> {
  const inTeam = teamId === null ? undefined : eq(accounts.teamId, teamId);
  const invitations = await db
    .select({ invitation: setupInvitations, account: accounts })
    .from(setupInvitations)
    .innerJoin(accounts, eq(accounts.id, setupInvitations.accountId))
    .where(and(eq(setupInvitations.holderUserId, userId), eq(setupInvitations.status, 'pending'), inTeam))
    .orderBy(asc(setupInvitations.expiresAt));
  const confirmations = await db
    .select({ delegation: delegations, account: accounts })
    .from(delegations)
    .innerJoin(accounts, eq(accounts.id, delegations.accountId))
    .where(and(eq(delegations.inviterUserId, userId), eq(delegations.status, 'awaiting_confirmation'), inTeam))
    .orderBy(asc(delegations.confirmExpiresAt));
  const toAccept = await db
    .select({ delegation: delegations, account: accounts })
    .from(delegations)
    .innerJoin(accounts, eq(accounts.id, delegations.accountId))
    .where(and(eq(delegations.inviteeUserId, userId), eq(delegations.status, 'awaiting_acceptance'), inTeam))
    .orderBy(asc(delegations.acceptExpiresAt));
  const myRecoveries = await db
    .select()
    .from(recoveryRequests)
    .where(
      and(
        eq(recoveryRequests.requesterUserId, userId),
        inArray(recoveryRequests.status, [...recoveryMachine.liveStates]),
        teamId === null ? undefined : eq(recoveryRequests.requesterTeamId, teamId),
      ),
    )
    .orderBy(asc(recoveryRequests.createdAt));
  const administered = (await accountsAdministeredBy(db, userId)).filter((a) => teamId === null || a.teamId === teamId);
  const waiting = administered.filter((a) => a.status === 'pending_setup').map((a) => a.id);
  const setupHolders =
    waiting.length === 0
      ? []
      : await db
          .select({
            accountId: setupInvitations.accountId,
            holderUserId: setupInvitations.holderUserId,
            expiresAt: setupInvitations.expiresAt,
          })
          .from(setupInvitations)
          .where(and(inArray(setupInvitations.accountId, waiting), eq(setupInvitations.status, 'pending')));
  return {
    setupInvitations: invitations,
    confirmations,
    invitations: toAccept,
    administered,
    adminCounts: await adminCounts(
      db,
      administered.map((a) => a.id),
    ),
    setupHolders,
    myRecoveries,
    supportQueue: isSupport ? await openRecoveryRequests(db) : null,
  };
}

/** Per account: its current admins, active and deactivated in Slack. */
async function adminCounts(db: Database, accountIds: string[]): Promise<Record<string, AdminCount>> {
  if (accountIds.length === 0) return {};
  const rows = await db
    .select({
      accountId: adminMemberships.accountId,
      active: sql<number>`count(*) filter (where ${slackPeople.deactivated} is not true)`.mapWith(Number),
      deactivated: sql<number>`count(*) filter (where ${slackPeople.deactivated})`.mapWith(Number),
    })
    .from(adminMemberships)
    .innerJoin(accounts, eq(accounts.id, adminMemberships.accountId))
    .leftJoin(slackPeople, adminPersonJoin)
    .where(and(inArray(adminMemberships.accountId, accountIds), isNull(adminMemberships.removedAt)))
    .groupBy(adminMemberships.accountId);
  return Object.fromEntries(rows.map((r) => [r.accountId, { active: r.active, deactivated: r.deactivated }]));
}

/** `teamId`: the person's workspace (distributed); null with one workspace. */
export async function recordHomeViewer(db: Database, userId: string, now: Date, teamId: string | null = null): Promise<void> {
  await db
    .insert(homeViewers)
    .values({ teamId: teamId ?? '', userId, openedAt: now })
    .onConflictDoUpdate({ target: [homeViewers.teamId, homeViewers.userId], set: { openedAt: now } });
}

/** Everyone who has opened the Home tab in `teamId`'s workspace (the one workspace when null). */
export async function homeViewerIds(db: Database, teamId: string | null = null): Promise<string[]> {
  return (
    await db
      .select({ userId: homeViewers.userId })
      .from(homeViewers)
      .where(eq(homeViewers.teamId, teamId ?? ''))
  ).map((r) => r.userId);
}

export async function isHomeViewer(db: Database, userId: string, teamId: string | null = null): Promise<boolean> {
  const rows = await db
    .select({ userId: homeViewers.userId })
    .from(homeViewers)
    .where(and(eq(homeViewers.teamId, teamId ?? ''), eq(homeViewers.userId, userId)));
  return rows.length > 0;
}
