// Vouch, unchanged, against the Slack stand-in, with a page where one person plays everyone.
// The bot is real Bolt on real HTTP checking real signatures; only its Slack API URL differs.
// Vouch runs distributed, as a provider serving its customers would run it: the provider's
// workspace (support) and two customers' workspaces, each installed through Vouch's real OAuth
// routes when the sandbox starts, with secrets made up for this run.

import { randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createVouch, type Vouch } from '../../bot/app.js';
import { openDatabase } from '../../db/client.js';
import { FakeSlack, SlackDriver } from '../slack/index.js';
import { installThroughOAuth } from './install.js';
import { SandboxClock, SandboxOperations } from './operations.js';
import { startPageServer } from './server.js';
import { sandboxWorkspaces, seedWorkspaces, supportChannel, workspaceList, type SandboxWorkspace } from './workspace.js';

export interface SandboxOptions {
  /** The page's port; 0 picks a free one. */
  port: number;
  /** Where the embedded database lives; in memory when not given. */
  dataDir?: string;
  logger: Logger;
  /** Tests: readies the stand-in (a fault, say) before Vouch is installed into its workspaces. */
  beforeInstalls?: (slack: FakeSlack) => void;
}

export interface Sandbox {
  /** The page. */
  url: string;
  vouch: Vouch;
  slack: FakeSlack;
  /** The bot's own provisioning API, for curl. */
  provisioning: { url: string; token: string };
  /** Where each of its servers listens: loopback only, since the sandbox has no logins. */
  listening: { page: AddressInfo; slack: AddressInfo; bot: AddressInfo };
  stop(): Promise<void>;
}

const secret = () => randomBytes(18).toString('base64url');

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const clock = new SandboxClock();
  const { provider } = sandboxWorkspaces;
  const slack = new FakeSlack({
    teamId: provider.teamId,
    teamName: provider.name,
    teamDomain: provider.domain,
    botToken: `xoxb-sandbox-${secret()}`,
    now: () => clock.now().getTime(),
  });
  await slack.start();
  const stops: Array<() => Promise<void>> = [() => slack.stop()];
  const stopAll = async () => {
    for (const stop of [...stops].reverse()) await stop().catch(() => undefined);
  };
  try {
    const teams = seedWorkspaces(slack);
    const database = await openDatabase({ dataDir: options.dataDir ?? 'memory://' });
    stops.push(() => database.close());
    await database.migrate();
    // The app's settings, as its page at api.slack.com would have them: made up for this run.
    const app = {
      clientId: `${randomInt(1e9, 1e10)}.${randomInt(1e9, 1e10)}`,
      clientSecret: randomBytes(16).toString('hex'),
      signingSecret: secret(),
      stateSecret: secret(),
      encryptionKey: randomBytes(32).toString('base64'),
    };
    const provisioningToken = secret();
    const vouch = createVouch({
      config: {
        SLACK_CLIENT_ID: app.clientId,
        SLACK_CLIENT_SECRET: app.clientSecret,
        SLACK_STATE_SECRET: app.stateSecret,
        SLACK_SIGNING_SECRET: app.signingSecret,
        SLACK_APP_TOKEN: undefined,
        // "Add to Slack" leads to the stand-in's authorize page, found beside its Web API.
        SLACK_API_URL: slack.apiUrl,
        SUPPORT_TEAM_ID: provider.teamId,
        SUPPORT_CHANNEL_ID: supportChannel.id,
        INSTALLATION_ENCRYPTION_KEY: app.encryptionKey,
        PROVISIONING_TOKEN: provisioningToken,
      },
      db: database.db,
      logger: options.logger,
      clock: clock.now,
    });
    // Loopback like the page and the stand-in: this API's token is printed, and health and metrics
    // need none.
    const bot = await vouch.start(0, '127.0.0.1');
    stops.push(() => vouch.stop());
    const botPort = bot.port;
    const botUrl = `http://127.0.0.1:${botPort}`;
    slack.configureApp({
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      signingSecret: app.signingSecret,
      redirectUrls: [`${botUrl}/slack/oauth_redirect`],
      eventsUrl: `${botUrl}/slack/events`,
    });
    options.beforeInstalls?.(slack);
    // The provider first (its support channel is where recoveries go), then each customer.
    const install = (workspace: SandboxWorkspace) =>
      installThroughOAuth({ botUrl, slack, teamId: workspace.teamId, teamName: workspace.name, userId: workspace.installer });
    for (const workspace of workspaceList) await install(workspace);
    await vouch.idle();

    // Signatures carry real time (Bolt refuses stale ones); only the bot's rules see the moved clock.
    const drivers = new Map(
      [...teams].map(([teamId, workspace]) => [
        teamId,
        new SlackDriver({
          slack: workspace,
          eventsUrl: `${botUrl}/slack/events`,
          signingSecret: app.signingSecret,
          settle: () => vouch.idle(),
        }),
      ]),
    );
    const provisioning = { url: `${botUrl}/api/accounts`, token: provisioningToken };
    const operations = new SandboxOperations({ slack, teams, drivers, vouch, clock, provisioning, install });
    const page = await startPageServer({ port: options.port, operations, slack });
    stops.push(() => page.stop());

    return {
      url: page.url,
      vouch,
      slack,
      provisioning,
      listening: { page: page.address, slack: slack.address, bot: { address: bot.address ?? 'unknown', family: 'IPv4', port: botPort } },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
