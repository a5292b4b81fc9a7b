import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Logger } from 'pino';
import { candidateKeys, installKeyOf, type InstallationRecords } from '../../db/installations.js';
import type { WorkspaceTokens } from './tokens.js';

/**
 * Bolt's installation store, in PostgreSQL (`slack_installations`): what the OAuth redirect
 * stores, and what Bolt's `authorize` reads for every request from a workspace.
 *
 * `fetchInstallation` hands Bolt a token made fresh by `WorkspaceTokens` (refreshed once across
 * replicas, under the row lock), and without the refresh token or its expiry: Bolt would otherwise
 * refresh on its own, outside the lock, on the machine's clock, hiding a failed refresh.
 */
export class PostgresInstallationStore implements InstallationStore {
  constructor(
    private readonly records: InstallationRecords,
    private readonly tokens: WorkspaceTokens,
    private readonly clock: () => Date,
    private readonly logger: Logger,
    /** Called once a workspace has installed Vouch (again). */
    private readonly onInstalled?: (teamIds: string[]) => Promise<void>,
  ) {}

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(installation: Installation<AuthVersion, boolean>): Promise<void> {
    const { bot } = installation;
    if (!bot?.token || !bot.userId) throw new Error('The install granted no bot token: Vouch needs its bot');
    const now = this.clock();
    // Bolt states the expiry on the machine's clock (its `Date.now()` + expires_in); Vouch decides on its own clock.
    const expiresAt = bot.expiresAt === undefined ? null : new Date(now.getTime() + (bot.expiresAt - Math.floor(Date.now() / 1000)) * 1000);
    const isEnterpriseInstall = installation.isEnterpriseInstall === true;
    const saved = await this.records.save(
      {
        teamId: installation.team?.id ?? null,
        teamName: installation.team?.name ?? null,
        enterpriseId: installation.enterprise?.id ?? null,
        enterpriseName: installation.enterprise?.name ?? null,
        enterpriseUrl: (installation.enterpriseUrl as string | undefined) ?? null,
        isEnterpriseInstall,
        appId: (installation.appId as string | undefined) ?? null,
        botId: bot.id ?? null,
        botUserId: bot.userId,
        botScopes: bot.scopes ?? [],
        installerUserId: installation.user.id,
        botToken: bot.token,
        botRefreshToken: bot.refreshToken ?? null,
        botTokenExpiresAt: expiresAt,
      },
      now,
    );
    this.logger.info(
      {
        install: saved.installKey,
        team: saved.teamId,
        enterprise: saved.enterpriseId,
        installer: saved.installerUserId,
        rotating: saved.botRefreshToken !== null,
        reinstall: saved.installedAt.getTime() !== now.getTime(),
      },
      'Vouch installed',
    );
    // Installed again: support's messages of the workspace's requests in play no longer say it is disconnected.
    if (saved.teamId && !isEnterpriseInstall) await this.onInstalled?.([saved.teamId]);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v2', boolean>> {
    const auth = await this.tokens.tokenFor(query);
    const { install } = auth;
    return {
      team: install.teamId ? { id: install.teamId, ...(install.teamName ? { name: install.teamName } : {}) } : undefined,
      enterprise: install.enterpriseId
        ? { id: install.enterpriseId, ...(install.enterpriseName ? { name: install.enterpriseName } : {}) }
        : undefined,
      user: { id: install.installerUserId, token: undefined, scopes: undefined },
      bot: { token: auth.botToken, id: install.botId ?? '', userId: install.botUserId, scopes: install.botScopes },
      tokenType: 'bot',
      isEnterpriseInstall: install.isEnterpriseInstall,
      authVersion: 'v2',
      ...(install.appId ? { appId: install.appId } : {}),
      ...(install.enterpriseUrl ? { enterpriseUrl: install.enterpriseUrl } : {}),
    } as Installation<'v2', boolean>;
  }

  /** Forgets the install serving the query (its row, tokens and all). */
  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const install = await this.records.find(candidateKeys(query));
    if (!install) return;
    await this.records.delete(installKeyOf(install));
    this.logger.info({ install: install.installKey }, 'Vouch install deleted');
  }
}
