import { and, eq, exists, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from './client.js';
import { accounts, adminMemberships, slackPeople, type Account } from './schema.js';

export async function findAccountByName(db: Executor, name: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(sql`lower(${accounts.name}) = lower(${name.trim()})`);
  return row;
}

export async function findAccount(db: Executor, id: string): Promise<Account | undefined> {
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

/** The account, locked: changes to its admins are made one at a time. */
export async function lockAccount(tx: Executor, id: string): Promise<Account | undefined> {
  const [row] = await tx.select().from(accounts).where(eq(accounts.id, id)).for('update');
  return row;
}

/** The membership that gives `userId` manage on the account now (values, or columns of an outer query). */
function activeMembership(accountId: string | PgColumn, userId: string | PgColumn): SQL | undefined {
  return and(eq(adminMemberships.accountId, accountId), eq(adminMemberships.userId, userId), isNull(adminMemberships.removedAt));
}

/** `isAdmin` as a condition, for a query that checks it alongside what it loads. */
export function holdsManage(db: Executor, accountId: string | PgColumn, userId: string | PgColumn): SQL {
  return exists(db.select({ id: adminMemberships.id }).from(adminMemberships).where(activeMembership(accountId, userId)));
}

export async function isAdmin(db: Executor, accountId: string, userId: string): Promise<boolean> {
  const [row] = await db.select({ id: adminMemberships.id }).from(adminMemberships).where(activeMembership(accountId, userId));
  return row !== undefined;
}

export interface CurrentAdmin {
  userId: string;
  grantedAt: Date;
  grantedBy: string;
  /** Slack said their account is deactivated: an admin still, but not an active one. */
  deactivated: boolean;
}

/** The key of an account's workspace, as `slack_people` keys its people (see `workspaceKey`): SQL. */
const accountWorkspaceKey = sql`coalesce(${accounts.enterpriseId}, ${accounts.teamId}, '')`;

/**
 * What Vouch knows of an admin of the account (joined with `accounts` and `admin_memberships`):
 * the same user id in the account's workspace (or, with one workspace, anywhere).
 */
export const adminPersonJoin = and(
  eq(slackPeople.userId, adminMemberships.userId),
  sql`${slackPeople.workspaceKey} in ('', ${accountWorkspaceKey})`,
);

/** Who holds `manage` on the account now, oldest grant first, each with their Slack account's state. */
export async function currentAdmins(db: Executor, accountId: string): Promise<CurrentAdmin[]> {
  return db
    .select({
      userId: adminMemberships.userId,
      grantedAt: adminMemberships.grantedAt,
      grantedBy: adminMemberships.grantedBy,
      deactivated: sql<boolean>`coalesce(${slackPeople.deactivated}, false)`,
    })
    .from(adminMemberships)
    .innerJoin(accounts, eq(accounts.id, adminMemberships.accountId))
    .leftJoin(slackPeople, adminPersonJoin)
    .where(and(eq(adminMemberships.accountId, accountId), isNull(adminMemberships.removedAt)))
    .orderBy(adminMemberships.grantedAt);
}

/**
 * What Vouch knows of these people's Slack accounts (user ids of the workspace of `workspaceKey`):
 * the deactivated flag of each it has one for, their workspace's row, else one kept with one
 * workspace ('', as the admins' joins read it).
 */
export async function knownStatuses(db: Executor, workspaceKey: string, userIds: readonly string[]): Promise<Map<string, boolean>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ key: slackPeople.workspaceKey, userId: slackPeople.userId, deactivated: slackPeople.deactivated })
    .from(slackPeople)
    .where(and(inArray(slackPeople.workspaceKey, [...new Set(['', workspaceKey])]), inArray(slackPeople.userId, [...userIds])));
  // The workspace's own row wins over a '' one.
  const ordered = rows.sort((a, b) => (a.key === workspaceKey ? 1 : 0) - (b.key === workspaceKey ? 1 : 0));
  return new Map(ordered.map((r) => [r.userId, r.deactivated]));
}

/**
 * The accounts `userId` (a person of the workspace of `workspaceKey`; '' with one workspace) holds
 * manage on, each with every one of its current admins.
 */
export async function administeredWithAdmins(
  db: Executor,
  workspaceKey: string,
  userId: string,
): Promise<Array<{ accountId: string; adminUserIds: string[] }>> {
  const rows = await db
    .select({ accountId: adminMemberships.accountId, userId: adminMemberships.userId })
    .from(adminMemberships)
    .where(
      and(
        isNull(adminMemberships.removedAt),
        inArray(
          adminMemberships.accountId,
          db
            .select({ id: adminMemberships.accountId })
            .from(adminMemberships)
            .innerJoin(accounts, eq(accounts.id, adminMemberships.accountId))
            .where(
              and(
                eq(adminMemberships.userId, userId),
                isNull(adminMemberships.removedAt),
                workspaceKey === '' ? undefined : sql`${accountWorkspaceKey} = ${workspaceKey}`,
              ),
            ),
        ),
      ),
    );
  const byAccount = new Map<string, string[]>();
  for (const row of rows) byAccount.set(row.accountId, [...(byAccount.get(row.accountId) ?? []), row.userId]);
  return [...byAccount].map(([accountId, adminUserIds]) => ({ accountId, adminUserIds }));
}

/** Accounts on which `userId` holds manage now, by name; with `lock`, the accounts are locked. */
export async function accountsAdministeredBy(db: Executor, userId: string, options: { lock?: boolean } = {}): Promise<Account[]> {
  const query = db
    .select({ account: accounts })
    .from(adminMemberships)
    .innerJoin(accounts, eq(accounts.id, adminMemberships.accountId))
    .where(and(eq(adminMemberships.userId, userId), isNull(adminMemberships.removedAt)))
    .orderBy(accounts.name);
  const rows = options.lock ? await query.for('update', { of: accounts }) : await query;
  return rows.map((r) => r.account);
}

/** Grants manage; granting it to someone who already holds it changes nothing. */
export async function grantAdmin(
  tx: Executor,
  input: { accountId: string; userId: string; grantedBy: string },
  now: Date,
): Promise<boolean> {
  const inserted = await tx
    .insert(adminMemberships)
    .values({ ...input, grantedAt: now })
    .onConflictDoNothing()
    .returning({ id: adminMemberships.id });
  return inserted.length > 0;
}
