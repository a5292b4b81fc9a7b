import type { HTTPReceiverOptions } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Database } from '../../db/client.js';
import { InstallationRecords } from '../../db/installations.js';
import { redrawWorkspaceRequests } from '../../db/recoveryRequests.js';
import { TokenCipher } from '../../db/tokenCipher.js';
import { PostgresInstallationStore } from './installationStore.js';
import { installCallbacks, installPage } from './pages.js';
import { botScopes } from './scopes.js';
import { OneTimeStateStore } from './stateStore.js';
import { WorkspaceTokens } from './tokens.js';

export { isWorkspaceUnavailable, WorkspaceUnavailableError, type WorkspaceUnavailableReason } from './errors.js';
export { botScopes } from './scopes.js';
export { WorkspaceTokens, type WorkspaceAuth, type WorkspaceRef } from './tokens.js';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** The settings of a distributed Vouch (see `.env.example`). */
export interface DistributionSettings {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** The provider's workspace, where the support channel is. */
  supportTeamId: string;
  encryptionKey: string;
  previousEncryptionKeys?: string[];
  /** Slack's authorize page ("Add to Slack" leads there); default: beside SLACK_API_URL, else slack.com's. */
  authorizeUrl?: string;
  /** SLACK_API_URL, when set. */
  slackApiUrl?: string;
}

/** Everything a distributed Vouch needs for installs and tokens, and what its HTTP receiver is given. */
export interface Distribution {
  supportTeamId: string;
  records: InstallationRecords;
  /** Every workspace's token, for listeners (through the store) and the outbox and jobs alike. */
  tokens: WorkspaceTokens;
  installationStore: PostgresInstallationStore;
  stateStore: OneTimeStateStore;
  /** Bolt's OAuth settings for the HTTPReceiver: its install and redirect routes, state, store and pages. */
  receiverOptions: Pick<
    HTTPReceiverOptions,
    'clientId' | 'clientSecret' | 'stateSecret' | 'installationStore' | 'scopes' | 'installerOptions'
  >;
}

/**
 * Slack's authorize page for a Web API at `slackApiUrl`: the same host, `/oauth/v2/authorize`
 * (slack.com's for https://slack.com/api/, GovSlack's for its API, the stand-in's for the stand-in).
 */
export function authorizeUrlFor(slackApiUrl: string | undefined): string {
  return new URL('../oauth/v2/authorize', slackApiUrl ?? 'https://slack.com/api/').toString();
}

export function createDistribution(options: {
  settings: DistributionSettings;
  db: Database;
  clock: () => Date;
  logger: Logger;
  /** How Slack is reached (SLACK_API_URL, the logger): the code exchange, its auth.test and every refresh go there. */
  clientOptions: WebClientOptions;
}): Distribution {
  const { settings, db, clock, logger, clientOptions } = options;
  const cipher = TokenCipher.fromBase64(settings.encryptionKey, settings.previousEncryptionKeys ?? []);
  const records = new InstallationRecords(db, cipher);
  const tokens = new WorkspaceTokens({
    db,
    records,
    clock,
    logger,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    clientOptions,
  });
  const installationStore = new PostgresInstallationStore(records, tokens, clock, logger, async (teamIds) => {
    await redrawWorkspaceRequests(db, teamIds, clock());
  });
  const stateStore = new OneTimeStateStore(db, settings.stateSecret, clock);
  return {
    supportTeamId: settings.supportTeamId,
    records,
    tokens,
    installationStore,
    stateStore,
    receiverOptions: {
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      stateSecret: settings.stateSecret,
      installationStore,
      scopes: botScopes,
      installerOptions: {
        installPath: INSTALL_PATH,
        redirectUriPath: REDIRECT_PATH,
        stateStore,
        stateVerification: true,
        // Without these, the code exchange, its auth.test and every refresh go to slack.com.
        clientOptions,
        authorizationUrl: settings.authorizeUrl ?? authorizeUrlFor(settings.slackApiUrl),
        renderHtmlForInstallPath: installPage,
        callbackOptions: installCallbacks({ installPath: INSTALL_PATH, logger }),
      },
    },
  };
}
