import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database, Executor, Tx } from './client.js';
import { accounts, slackInstallations, type InstallationRevocation, type SlackInstallationRow } from './schema.js';
import type { TokenCipher } from './tokenCipher.js';

/** Which install a workspace's requests belong to: its own, or its organization's org-wide one. */
export interface WorkspaceRef {
  teamId?: string | null | undefined;
  enterpriseId?: string | null | undefined;
  /** The request came through an org-wide install (Slack says so in the payload). */
  isEnterpriseInstall?: boolean | undefined;
}

/** An install as Vouch keeps it, with its tokens in clear (they are sealed only in the database). */
export interface InstallationRecord {
  installKey: string;
  teamId: string | null;
  teamName: string | null;
  enterpriseId: string | null;
  enterpriseName: string | null;
  enterpriseUrl: string | null;
  isEnterpriseInstall: boolean;
  appId: string | null;
  botId: string | null;
  botUserId: string;
  botScopes: string[];
  installerUserId: string;
  /** Null once the install ended (uninstalled, revoked). */
  botToken: string | null;
  botRefreshToken: string | null;
  botTokenExpiresAt: Date | null;
  installedAt: Date;
  updatedAt: Date;
  refreshedAt: Date | null;
  revokedAt: Date | null;
  revokedReason: InstallationRevocation | null;
}

/** What an install (or a reinstall) stores. */
export type NewInstallation = Omit<
  InstallationRecord,
  'installKey' | 'installedAt' | 'updatedAt' | 'refreshedAt' | 'revokedAt' | 'revokedReason' | 'botToken'
> & { botToken: string };

export const teamKey = (teamId: string) => `team:${teamId}`;
export const enterpriseKey = (enterpriseId: string) => `enterprise:${enterpriseId}`;

/** The row of an install: the organization's for an org-wide install, else the workspace's. */
export function installKeyOf(install: { teamId: string | null; enterpriseId: string | null; isEnterpriseInstall: boolean }): string {
  if (install.isEnterpriseInstall) {
    if (!install.enterpriseId) throw new Error('an org-wide install names its organization');
    return enterpriseKey(install.enterpriseId);
  }
  if (!install.teamId) throw new Error('a workspace install names its workspace');
  return teamKey(install.teamId);
}

/**
 * The rows that may serve a request from `ref`, in order: the org-wide install when the request
 * says it came through one, else the workspace's own install and then (a workspace of an Enterprise
 * Grid organization) the organization's.
 */
export function candidateKeys(ref: WorkspaceRef): string[] {
  const keys: string[] = [];
  if (ref.isEnterpriseInstall && ref.enterpriseId) keys.push(enterpriseKey(ref.enterpriseId));
  if (ref.teamId) keys.push(teamKey(ref.teamId));
  if (ref.enterpriseId && !ref.isEnterpriseInstall) keys.push(enterpriseKey(ref.enterpriseId));
  return keys;
}

/**
 * The installs of a distributed Vouch in PostgreSQL. Tokens go in and come out in clear; in the
 * table they are sealed with the cipher, bound to their row.
 */
export class InstallationRecords {
  constructor(
    private readonly db: Database,
    private readonly cipher: TokenCipher,
  ) {}

  /** Stores an install; a reinstall updates its row (new tokens, scopes, installer) and ends a revocation. */
  async save(install: NewInstallation, now: Date): Promise<InstallationRecord> {
    const installKey = installKeyOf(install);
    const values = {
      teamId: install.teamId,
      teamName: install.teamName,
      enterpriseId: install.enterpriseId,
      enterpriseName: install.enterpriseName,
      enterpriseUrl: install.enterpriseUrl,
      isEnterpriseInstall: install.isEnterpriseInstall,
      appId: install.appId,
      botId: install.botId,
      botUserId: install.botUserId,
      botScopes: install.botScopes.join(','),
      installerUserId: install.installerUserId,
      botToken: this.cipher.seal(install.botToken, installKey),
      botRefreshToken: install.botRefreshToken === null ? null : this.cipher.seal(install.botRefreshToken, installKey),
      botTokenExpiresAt: install.botTokenExpiresAt,
      updatedAt: now,
      refreshedAt: null,
      revokedAt: null,
      revokedReason: null,
    };
    const [row] = await this.db
      .insert(slackInstallations)
      .values({ installKey, installedAt: now, ...values })
      .onConflictDoUpdate({ target: slackInstallations.installKey, set: values })
      .returning();
    return this.open(row!);
  }

  /** The first install of `keys` that exists (revoked or not), in the order given. */
  async find(keys: string[], db: Executor = this.db): Promise<InstallationRecord | undefined> {
    if (keys.length === 0) return undefined;
    const rows = await db.select().from(slackInstallations).where(inArray(slackInstallations.installKey, keys));
    const row = keys.map((key) => rows.find((r) => r.installKey === key)).find((r) => r !== undefined);
    if (!row) return undefined;
    await this.sealAgainIfStale(row);
    return this.open(row);
  }

  /** The org-wide installs still live (Enterprise Grid organizations that installed Vouch for all their workspaces). */
  async liveOrgInstalls(): Promise<InstallationRecord[]> {
    const rows = await this.db
      .select()
      .from(slackInstallations)
      .where(and(eq(slackInstallations.isEnterpriseInstall, true), isNull(slackInstallations.revokedAt)));
    return rows.map((row) => this.open(row));
  }

  /** The Enterprise Grid organization of a workspace, as Vouch's accounts there recorded it. */
  async organizationOfTeam(teamId: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ enterpriseId: accounts.enterpriseId })
      .from(accounts)
      .where(and(eq(accounts.teamId, teamId), isNotNull(accounts.enterpriseId)))
      .limit(1);
    return row?.enterpriseId ?? undefined;
  }

  /** Locks an install's row for the rest of the transaction (one refresh at a time, across replicas). */
  async lock(tx: Tx, installKey: string): Promise<InstallationRecord | undefined> {
    const [row] = await tx.select().from(slackInstallations).where(eq(slackInstallations.installKey, installKey)).for('update');
    return row ? this.open(row) : undefined;
  }

  /** New tokens after a refresh. */
  async replaceTokens(
    tx: Tx,
    installKey: string,
    tokens: { botToken: string; botRefreshToken: string | null; botTokenExpiresAt: Date | null },
    now: Date,
  ): Promise<void> {
    await tx
      .update(slackInstallations)
      .set({
        botToken: this.cipher.seal(tokens.botToken, installKey),
        botRefreshToken: tokens.botRefreshToken === null ? null : this.cipher.seal(tokens.botRefreshToken, installKey),
        botTokenExpiresAt: tokens.botTokenExpiresAt,
        refreshedAt: now,
        updatedAt: now,
      })
      .where(eq(slackInstallations.installKey, installKey));
  }

  /**
   * Ends an install: marks it revoked and erases its tokens. False when there was no live install
   * under `installKey` (unknown, or revoked already).
   */
  async revoke(installKey: string, reason: InstallationRevocation, now: Date, db: Executor = this.db): Promise<boolean> {
    const rows = await db
      .update(slackInstallations)
      .set({ revokedAt: now, revokedReason: reason, botToken: null, botRefreshToken: null, botTokenExpiresAt: null, updatedAt: now })
      .where(and(eq(slackInstallations.installKey, installKey), isNull(slackInstallations.revokedAt)))
      .returning({ installKey: slackInstallations.installKey });
    return rows.length > 0;
  }

  async delete(installKey: string): Promise<boolean> {
    const rows = await this.db
      .delete(slackInstallations)
      .where(eq(slackInstallations.installKey, installKey))
      .returning({ installKey: slackInstallations.installKey });
    return rows.length > 0;
  }

  /** How many installs are live and how many ended, for health and metrics. */
  async counts(): Promise<{ live: number; revoked: number }> {
    const [row] = await this.db
      .select({
        live: sql<number>`count(*) filter (where ${slackInstallations.revokedAt} is null)::int`,
        revoked: sql<number>`count(*) filter (where ${slackInstallations.revokedAt} is not null)::int`,
      })
      .from(slackInstallations);
    return { live: Number(row?.live ?? 0), revoked: Number(row?.revoked ?? 0) };
  }

  private open(row: SlackInstallationRow): InstallationRecord {
    const { installKey } = row;
    return {
      installKey,
      teamId: row.teamId,
      teamName: row.teamName,
      enterpriseId: row.enterpriseId,
      enterpriseName: row.enterpriseName,
      enterpriseUrl: row.enterpriseUrl,
      isEnterpriseInstall: row.isEnterpriseInstall,
      appId: row.appId,
      botId: row.botId,
      botUserId: row.botUserId,
      botScopes: row.botScopes.split(',').filter(Boolean),
      installerUserId: row.installerUserId,
      botToken: row.botToken === null ? null : this.cipher.open(row.botToken, installKey),
      botRefreshToken: row.botRefreshToken === null ? null : this.cipher.open(row.botRefreshToken, installKey),
      botTokenExpiresAt: row.botTokenExpiresAt,
      installedAt: row.installedAt,
      updatedAt: row.updatedAt,
      refreshedAt: row.refreshedAt,
      revokedAt: row.revokedAt,
      revokedReason: row.revokedReason,
    };
  }

  /** After a key change: tokens sealed with an older key are sealed again with the current one, once. */
  private async sealAgainIfStale(row: SlackInstallationRow): Promise<void> {
    const stale = [row.botToken, row.botRefreshToken].some((v) => v !== null && !this.cipher.isCurrent(v));
    if (!stale || row.botToken === null) return;
    const { installKey } = row;
    const reseal = (v: string | null) => (v === null ? null : this.cipher.seal(this.cipher.open(v, installKey), installKey));
    // Guarded by the old value: a refresh that got there first is not overwritten.
    await this.db
      .update(slackInstallations)
      .set({ botToken: reseal(row.botToken), botRefreshToken: reseal(row.botRefreshToken) })
      .where(and(eq(slackInstallations.installKey, installKey), eq(slackInstallations.botToken, row.botToken)));
  }
}
