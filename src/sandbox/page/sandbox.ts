// Vouch, unchanged, against the Slack stand-in, with a page where one person plays everyone.
// The bot is real Bolt on real HTTP checking real signatures; only its Slack API URL differs.

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createVouch, type Vouch } from '../../bot/app.js';
import { openDatabase } from '../../db/client.js';
import { FakeSlack, SlackDriver } from '../slack/index.js';
import { SandboxClock, SandboxOperations } from './operations.js';
import { startPageServer } from './server.js';
import { seedWorkspace, supportChannel } from './workspace.js';

export interface SandboxOptions {
  /** The page's port; 0 picks a free one. */
  port: number;
  /** Where the embedded database lives; in memory when not given. */
  dataDir?: string;
  logger: Logger;
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
  const slack = new FakeSlack({ botToken: `xoxb-sandbox-${secret()}`, now: () => clock.now().getTime() });
  await slack.start();
  seedWorkspace(slack);

  const database = await openDatabase({ dataDir: options.dataDir ?? 'memory://' });
  await database.migrate();
  const signingSecret = secret();
  const provisioningToken = secret();
  const vouch = createVouch({
    config: {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_APP_TOKEN: undefined,
      SLACK_API_URL: slack.apiUrl,
      SUPPORT_CHANNEL_ID: supportChannel.id,
      PROVISIONING_TOKEN: provisioningToken,
    },
    db: database.db,
    logger: options.logger,
    clock: clock.now,
    botId: slack.botId,
    botUserId: slack.botUserId,
  });
  // Loopback like the page and the stand-in: this API's token is printed, and health and metrics
  // need none.
  const bot = await vouch.start(0, '127.0.0.1');
  const botPort = bot.port;
  const botUrl = `http://127.0.0.1:${botPort}`;
  // Signatures carry real time (Bolt refuses stale ones); only the bot's rules see the moved clock.
  const driver = new SlackDriver({ slack, eventsUrl: `${botUrl}/slack/events`, signingSecret, settle: () => vouch.idle() });
  const provisioning = { url: `${botUrl}/api/accounts`, token: provisioningToken };
  const operations = new SandboxOperations({ slack, driver, vouch, clock, provisioning });
  const page = await startPageServer({ port: options.port, operations, slack });

  return {
    url: page.url,
    vouch,
    slack,
    provisioning,
    listening: { page: page.address, slack: slack.address, bot: { address: bot.address ?? 'unknown', family: 'IPv4', port: botPort } },
    async stop() {
      await page.stop();
      await vouch.stop();
      await slack.stop();
      await database.close();
    },
  };
}
