import { WebClient, type WebAPICallResult, type WebClientOptions } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Database } from '../../db/client.js';
import {
  candidateKeys,
  enterpriseKey,
  type InstallationRecord,
  type InstallationRecords,
  type WorkspaceRef,
} from '../../db/installations.js';
import type { InstallationRevocation } from '../../db/schema.js';
import { noteFailedCall, WorkspaceUnavailableError } from './errors.js';

export type { WorkspaceRef } from '../../db/installations.js';

/** What a Slack call for one workspace needs: its install's current bot token and the bot's identity there. */
export interface WorkspaceAuth {
  installKey: string;
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  botToken: string;
  botId: string | null;
  botUserId: string;
  /** With token rotation: when `botToken` stops working. */
  expiresAt: Date | null;
  install: InstallationRecord;
}

export interface WorkspaceTokensOptions {
  db: Database;
  records: InstallationRecords;
  clock: () => Date;
  logger: Logger;
  clientId: string;
  clientSecret: string;
  /** How every Slack client reaches the Web API (SLACK_API_URL, the logger); the refresh goes there too. */
  clientOptions: WebClientOptions;
  /** A rotating token this close to its end is refreshed before use (at most half its life). Default 2 hours. */
  refreshBeforeMs?: number;
}

/** Slack's answers to a refresh that say the install cannot be refreshed, ever. */
const refreshRefusals = new Set(['invalid_refresh_token', 'token_revoked', 'app_uninstalled', 'account_inactive']);
/** Slack's answers to a call that say the token used is dead for good. */
const deadTokenErrors = new Set(['token_revoked', 'account_inactive']);

const describe = (ref: WorkspaceRef) =>
  ref.isEnterpriseInstall && ref.enterpriseId
    ? `organization ${ref.enterpriseId}`
    : `workspace ${ref.teamId ?? ref.enterpriseId ?? '(none)'}`;

function slackErrorCode(error: unknown): string {
  const e = error as { data?: { error?: string }; code?: string };
  return e.data?.error ?? e.code ?? 'unreachable';
}

/**
 * The one source of every workspace's bot token in a distributed Vouch, for listeners (through
 * Bolt's installation store) and for the outbox and the jobs alike (`tokenFor`, `clientFor`).
 *
 * With token rotation, a token near its end is refreshed before it is handed out, and once across
 * every replica: the refresh holds the install's row lock (`select … for update`) while it asks
 * Slack (`oauth.v2.access`, `grant_type=refresh_token`) and stores the new tokens in the same
 * transaction; whoever waited on the lock finds the new token and uses it. Within one process,
 * concurrent callers share one refresh. A refresh Slack refuses for good ends the install; one
 * Slack does not answer is logged, and the current token serves until it actually expires.
 */
export class WorkspaceTokens {
  private readonly refreshing = new Map<string, Promise<WorkspaceAuth>>();
  /** Workspaces served only by their organization's org-wide install: team id → organization id, as learned. */
  private readonly organizations = new Map<string, string>();
  private readonly clients = new Map<string, WebClient>();
  private readonly oauthClient: WebClient;
  private readonly refreshBeforeMs: number;

  constructor(private readonly options: WorkspaceTokensOptions) {
    this.refreshBeforeMs = options.refreshBeforeMs ?? 2 * 3_600_000;
    this.oauthClient = new WebClient(undefined, { ...options.clientOptions, retryConfig: { retries: 1 }, timeout: 5_000 });
  }

  /**
   * The token to call Slack with for a workspace (or an org-wide install's organization): fresh,
   * refreshed first if it is about to expire. Throws WorkspaceUnavailableError when Vouch is not
   * installed there, the install ended, or an expired token could not be refreshed.
   */
  async tokenFor(ref: WorkspaceRef): Promise<WorkspaceAuth> {
    const install = await this.findInstall(ref);
    if (!install) throw new WorkspaceUnavailableError('not_installed', describe(ref));
    const auth = this.usable(install, ref);
    if (!this.needsRefresh(install)) return auth;
    const key = install.installKey;
    let refresh = this.refreshing.get(key);
    if (!refresh) {
      refresh = this.refresh(key, ref).finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, refresh);
    }
    try {
      return await refresh;
    } catch (error) {
      // Slack did not answer: the token still works until it expires.
      if (error instanceof WorkspaceUnavailableError && error.reason === 'refresh_failed' && !this.expired(install)) return auth;
      throw error;
    }
  }

  /** The live install serving a workspace, or undefined when there is none (never installed, or ended). */
  async installed(ref: WorkspaceRef): Promise<InstallationRecord | undefined> {
    const install = await this.findInstall(ref);
    return install && install.revokedAt === null ? install : undefined;
  }

  /**
   * The install serving `ref` (revoked or not): the workspace's own, else its organization's
   * org-wide one. A ref that names only a team (an outbox row, the provisioning API's slackTeamId)
   * does not say whether the team is in an Enterprise Grid organization: when it has no install of
   * its own, its organization is looked up (learned before, Vouch's accounts there, else each live
   * org-wide install's `auth.teams.list`).
   */
  private async findInstall(ref: WorkspaceRef): Promise<InstallationRecord | undefined> {
    const { records } = this.options;
    const found = await records.find(candidateKeys(ref));
    if (found || !ref.teamId || ref.enterpriseId || ref.isEnterpriseInstall) return found;
    const enterpriseId = await this.organizationOf(ref.teamId);
    return enterpriseId ? records.find([enterpriseKey(enterpriseId)]) : undefined;
  }

  private async organizationOf(teamId: string): Promise<string | undefined> {
    const { records, logger } = this.options;
    const known = this.organizations.get(teamId) ?? (await records.organizationOfTeam(teamId));
    if (known) {
      this.organizations.set(teamId, known);
      return known;
    }
    for (const install of await records.liveOrgInstalls()) {
      const enterpriseId = install.enterpriseId!;
      try {
        const teams = await this.teamsOf(enterpriseId);
        for (const team of teams) this.organizations.set(team, enterpriseId);
        if (teams.includes(teamId)) return enterpriseId;
      } catch (error) {
        logger.warn({ install: install.installKey, error: slackErrorCode(error) }, 'Slack did not list the organization’s workspaces');
      }
    }
    return undefined;
  }

  /** The workspaces an org-wide install may act in (`auth.teams.list`, every page). */
  private async teamsOf(enterpriseId: string): Promise<string[]> {
    const { botToken } = await this.tokenFor({ enterpriseId, isEnterpriseInstall: true });
    const teams: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.oauthClient.auth.teams.list({ token: botToken, limit: 1000, ...(cursor ? { cursor } : {}) });
      teams.push(...(page.teams ?? []).flatMap((t) => (t.id ? [t.id] : [])));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return teams;
  }

  /**
   * A Web API client for one workspace that takes the token at each call from `tokenFor`, so it
   * always calls with the current token and never with an ended install's. A call Slack answers
   * with `token_revoked` or `account_inactive` ends the install, if that token is still its own.
   */
  clientFor(ref: WorkspaceRef, options: WebClientOptions = {}): WebClient {
    const cacheKey = JSON.stringify([ref.teamId ?? null, ref.enterpriseId ?? null, ref.isEnterpriseInstall ?? false, options]);
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = new WorkspaceClient(this, ref, { ...this.options.clientOptions, ...options });
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  /**
   * Ends the install serving `ref` (app_uninstalled, tokens_revoked): marked revoked, its tokens
   * erased; no call is made with them again. False when there was no live install.
   */
  async revoke(ref: WorkspaceRef, reason: InstallationRevocation): Promise<boolean> {
    const install = await this.options.records.find(candidateKeys(ref));
    if (!install) return false;
    const ended = await this.options.records.revoke(install.installKey, reason, this.options.clock());
    if (ended)
      this.options.logger.warn(
        { install: install.installKey, reason },
        'Vouch install ended: no Slack call is made for it until it is installed again',
      );
    return ended;
  }

  /** Slack refused `token` for good: ends the install, unless it has a newer token by now (a reinstall, a refresh). */
  async tokenRefused(auth: WorkspaceAuth, error: string): Promise<void> {
    const { db, records, clock, logger } = this.options;
    const ended = await db.transaction(async (tx) => {
      const current = await records.lock(tx, auth.installKey);
      if (!current || current.revokedAt !== null || current.botToken !== auth.botToken) return false;
      return records.revoke(auth.installKey, 'tokens_revoked', clock(), tx);
    });
    if (ended) logger.warn({ install: auth.installKey, error }, 'Slack refused the install’s token: the install is marked revoked');
  }

  private usable(install: InstallationRecord, ref: WorkspaceRef): WorkspaceAuth {
    if (install.revokedAt !== null || install.botToken === null) throw new WorkspaceUnavailableError('uninstalled', describe(ref));
    return {
      installKey: install.installKey,
      teamId: install.teamId,
      enterpriseId: install.enterpriseId,
      isEnterpriseInstall: install.isEnterpriseInstall,
      botToken: install.botToken,
      botId: install.botId,
      botUserId: install.botUserId,
      expiresAt: install.botTokenExpiresAt,
      install,
    };
  }

  /** A rotating token within `refreshBeforeMs` of its end, or past the middle of its life if that is shorter. */
  private needsRefresh(install: InstallationRecord): boolean {
    if (install.botRefreshToken === null || install.botTokenExpiresAt === null) return false;
    const expires = install.botTokenExpiresAt.getTime();
    const issued = (install.refreshedAt ?? install.updatedAt).getTime();
    const margin = Math.min(this.refreshBeforeMs, Math.max(0, expires - issued) / 2);
    return this.options.clock().getTime() >= expires - margin;
  }

  private expired(install: InstallationRecord): boolean {
    return install.botTokenExpiresAt !== null && this.options.clock().getTime() >= install.botTokenExpiresAt.getTime();
  }

  private async refresh(installKey: string, ref: WorkspaceRef): Promise<WorkspaceAuth> {
    const { db, records, clock, logger, clientId, clientSecret } = this.options;
    const outcome = await db.transaction(async (tx): Promise<{ auth: WorkspaceAuth } | { refused: string }> => {
      const install = await records.lock(tx, installKey);
      if (!install) throw new WorkspaceUnavailableError('not_installed', describe(ref));
      const current = this.usable(install, ref);
      // Another replica (or a caller before us) refreshed it while we waited for the lock.
      if (!this.needsRefresh(install)) return { auth: current };
      let answer: WebAPICallResult & { access_token?: string; refresh_token?: string; expires_in?: number };
      try {
        answer = await this.oauthClient.oauth.v2.access({
          client_id: clientId,
          client_secret: clientSecret,
          grant_type: 'refresh_token',
          refresh_token: install.botRefreshToken!,
        });
      } catch (error) {
        const code = slackErrorCode(error);
        if (refreshRefusals.has(code)) {
          await records.revoke(installKey, 'refresh_refused', clock(), tx);
          return { refused: code };
        }
        logger.error({ install: installKey, error: code }, 'Slack did not refresh the install’s token; it is tried again at the next use');
        throw new WorkspaceUnavailableError('refresh_failed', describe(ref), code);
      }
      if (!answer.access_token || answer.expires_in === undefined) {
        throw new WorkspaceUnavailableError('refresh_failed', describe(ref), 'no token in the answer');
      }
      const now = clock();
      const tokens = {
        botToken: answer.access_token,
        botRefreshToken: answer.refresh_token ?? install.botRefreshToken,
        botTokenExpiresAt: new Date(now.getTime() + answer.expires_in * 1000),
      };
      await records.replaceTokens(tx, installKey, tokens, now);
      logger.info({ install: installKey, expiresAt: tokens.botTokenExpiresAt }, 'install token refreshed');
      return {
        auth: {
          ...current,
          botToken: tokens.botToken,
          expiresAt: tokens.botTokenExpiresAt,
          install: { ...install, ...tokens, refreshedAt: now, updatedAt: now },
        },
      };
    });
    if ('refused' in outcome) {
      logger.error(
        { install: installKey, error: outcome.refused },
        'Slack refused to refresh the install’s token: the install is marked revoked',
      );
      throw new WorkspaceUnavailableError('uninstalled', describe(ref));
    }
    return outcome.auth;
  }
}

/** A WebClient whose every call takes the workspace's current token (see `WorkspaceTokens.clientFor`). */
class WorkspaceClient extends WebClient {
  constructor(
    private readonly tokens: WorkspaceTokens,
    private readonly ref: WorkspaceRef,
    options: WebClientOptions,
  ) {
    super(undefined, options);
  }

  /** The token a call would carry now (refreshed first when due), for what is fetched outside the Web API: a file's bytes. */
  async currentToken(): Promise<string> {
    return (await this.tokens.tokenFor(this.ref)).botToken;
  }

  override async apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    const auth = await this.tokens.tokenFor(this.ref);
    // An org-wide install's token acts in the workspace the call names.
    const team = auth.isEnterpriseInstall && this.ref.teamId && options.team_id === undefined ? { team_id: this.ref.teamId } : {};
    try {
      return await super.apiCall(method, { ...options, ...team, token: auth.botToken });
    } catch (error) {
      noteFailedCall(error, this.ref.teamId ?? auth.teamId ?? auth.enterpriseId ?? '');
      const code = slackErrorCode(error);
      if (deadTokenErrors.has(code)) await this.tokens.tokenRefused(auth, code).catch(() => undefined);
      throw error;
    }
  }
}
