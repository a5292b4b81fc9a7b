import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { tunableDefaults, type Config, type Tunables } from '../config.js';
import type { Database } from '../db/client.js';
import { slackLogger } from '../logger.js';
import type { VouchContext } from './context.js';
import { OutboxWorker } from './delivery.js';
import { defaultRetryPolicy } from '../domain/retry.js';
import { httpRoutes } from './http/provisioningApi.js';
import { Jobs } from './jobs.js';
import { registerListeners } from './listeners/index.js';
import { SupportDirectory } from './supportDirectory.js';

export type VouchConfig = Pick<
  Config,
  'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL' | 'SUPPORT_CHANNEL_ID' | 'PROVISIONING_TOKEN'
> &
  Partial<Tunables>;

export interface VouchOptions {
  config: VouchConfig;
  db: Database;
  logger: Logger;
  /** The time every rule is decided at; tests and the sandbox move it. */
  clock?: () => Date;
  /** Known bot identity spares an auth.test call. */
  botId?: string;
  botUserId?: string;
  /** Run the node-cron timers (off in tests, which run jobs by hand). */
  timers?: boolean;
  /** Gap between two messages the outbox posts to one channel (default 1 s, Slack's pace). */
  channelGapMs?: number;
}

export interface Vouch {
  app: App;
  jobs: Jobs;
  outbox: OutboxWorker;
  context: VouchContext;
  start(port: number): Promise<{ port: number }>;
  stop(): Promise<void>;
  /** Resolves once every listener in flight has finished and the outbox has nothing due. */
  idle(): Promise<void>;
}

export function createVouch(options: VouchOptions): Vouch {
  const { logger } = options;
  const config = { ...tunableDefaults, ...options.config };
  const clock = options.clock ?? (() => new Date());
  const slackApiUrl = config.SLACK_API_URL;
  const apiOptions = { ...(slackApiUrl ? { slackApiUrl } : {}), logger: slackLogger(logger) };

  // Listeners answer people within Slack's 3 seconds, so their own retries are few and short.
  // Outbox writes retry through the outbox, so that client does not retry on its own at all.
  const listenerClientOptions = { ...apiOptions, retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 }, rejectRateLimitedCalls: true, timeout: 2500 };
  const outboxClient = new WebClient(config.SLACK_BOT_TOKEN, { ...apiOptions, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000 });

  const ttls = { setupInviteMs: config.SETUP_INVITE_TTL, confirmMs: config.CONFIRM_TTL };
  const support = new SupportDirectory(outboxClient, config.SUPPORT_CHANNEL_ID, clock);
  const outbox = new OutboxWorker({
    db: options.db,
    client: outboxClient,
    clock,
    logger,
    support,
    settings: { setupInviteTtlMs: ttls.setupInviteMs },
    policy: { ...defaultRetryPolicy, maxAttempts: config.OUTBOX_MAX_ATTEMPTS },
    ...(options.channelGapMs !== undefined ? { channelGapMs: options.channelGapMs } : {}),
  });
  const context: VouchContext = {
    db: options.db,
    clock,
    ttls,
    logger,
    outbox,
    client: outboxClient,
    support,
    recovery: { approvalsRequired: config.RECOVERY_APPROVALS, remindAfterMs: config.RECOVERY_REMIND_AFTER },
    reminders: { setupBeforeMs: config.SETUP_REMIND_BEFORE, confirmBeforeMs: config.CONFIRM_REMIND_BEFORE },
  };
  const customRoutes = httpRoutes(context, config.PROVISIONING_TOKEN);
  const common = {
    token: config.SLACK_BOT_TOKEN,
    logger: slackLogger(logger),
    logLevel: LogLevel.INFO,
    clientOptions: listenerClientOptions,
    ...(options.botId ? { botId: options.botId } : {}),
    ...(options.botUserId ? { botUserId: options.botUserId } : {}),
  };
  let server: Server | undefined;
  const app = config.SLACK_APP_TOKEN
    ? new App({ ...common, appToken: config.SLACK_APP_TOKEN, socketMode: true, customRoutes })
    : new App({
        ...common,
        receiver: new HTTPReceiver({
          signingSecret: config.SLACK_SIGNING_SECRET,
          endpoints: '/slack/events',
          customRoutes,
          logger: slackLogger(logger),
        }),
      });

  const inFlight = new Set<Promise<unknown>>();
  app.use(async ({ next }) => {
    const work = next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });
  registerListeners(app, context);
  app.error(async (error) => {
    logger.error({ err: error.original ?? error, code: error.code }, 'Slack listener failed');
  });

  const jobs = new Jobs(context, { sweep: config.SWEEP_SCHEDULE, reconcile: config.RECONCILE_SCHEDULE });
  const timers = options.timers ?? true;

  return {
    app,
    jobs,
    outbox,
    context,
    async start(port) {
      const started = await app.start(port);
      server = (started as Server | undefined) ?? undefined;
      outbox.start();
      if (timers) jobs.start();
      await outbox.kick(); // deliver what a previous run left behind
      const address = server?.address?.() as AddressInfo | null | undefined;
      return { port: address?.port ?? port };
    },
    async stop() {
      await jobs.stop();
      await Promise.allSettled([...inFlight]);
      await outbox.stop();
      await app.stop();
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await outbox.kick();
    },
  };
}
