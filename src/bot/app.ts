import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel, type AnyMiddlewareArgs, type CodedError, type Context } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { ConfigError, slackMode, tunableDefaults, type Config, type Tunables } from '../config.js';
import type { Database } from '../db/client.js';
import { slackLogger, withSafeErrors } from '../logger.js';
import type { VouchContext } from './context.js';
import { OutboxWorker } from './delivery.js';
import { defaultRetryPolicy } from '../domain/retry.js';
import { LETTER_TIMEOUT_MS, slackFileOrigins } from '../domain/letter.js';
import { reminderLeadMs } from '../domain/reminders.js';
import { provisioningRoute } from './http/provisioningApi.js';
import { healthRoutes } from './http/health.js';
import { Jobs } from './jobs.js';
import { registerListeners } from './listeners/index.js';
import { SupportDirectory } from './supportDirectory.js';
import { Metrics } from './metrics.js';
import { SlackIdentity, type BotIdentity, type SlackStatus } from './slackIdentity.js';
import { classifyStartupFailure, refusedTokenProblem, type SlackCallError } from '../domain/slackStartup.js';
import { createWorkflows } from '../workflows/index.js';
import { slackPeopleDirectory, supportChannelPort } from './slackDirectory.js';
import { createDistribution, isWorkspaceUnavailable, type Distribution } from './installations/index.js';

export type VouchConfig = Pick<
  Config,
  'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL' | 'SUPPORT_CHANNEL_ID' | 'PROVISIONING_TOKEN'
> &
  // One workspace: SLACK_BOT_TOKEN. Distribution: SLACK_CLIENT_ID and the settings it needs.
  Partial<
    Pick<
      Config,
      | 'SLACK_BOT_TOKEN'
      | 'SLACK_CLIENT_ID'
      | 'SLACK_CLIENT_SECRET'
      | 'SLACK_STATE_SECRET'
      | 'SLACK_AUTHORIZE_URL'
      | 'SUPPORT_TEAM_ID'
      | 'INSTALLATION_ENCRYPTION_KEY'
      | 'INSTALLATION_ENCRYPTION_PREVIOUS_KEYS'
    >
  > &
  Partial<Pick<Config, 'METRICS_TOKEN' | 'SUPPORT_CHANNEL_ALLOW_PUBLIC'>> &
  Partial<Tunables>;

export interface VouchOptions {
  config: VouchConfig;
  db: Database;
  logger: Logger;
  /** The time every rule is decided at; tests and the sandbox move it. */
  clock?: () => Date;
  /** Known bot identity spares the auth.test call at start-up (tests, the sandbox). */
  botId?: string;
  botUserId?: string;
  /** The start-up's question to Slack, when it was asked before Vouch was built (main.ts). One workspace only. */
  identity?: SlackIdentity;
  /** Run the node-cron timers (off in tests, which run jobs by hand). */
  timers?: boolean;
  /** In Socket Mode, the port of the HTTP routes (provisioning API, health). */
  socketModeHttpPort?: number;
  /** The deadline of the letter's download (default: LETTER_TIMEOUT_MS of real time); tests end it by hand. */
  letterDeadline?: (ms: number) => AbortSignal;
  /** Gap between two messages the outbox posts to one channel (default 1 s, Slack's pace). */
  channelGapMs?: number;
}

export interface Vouch {
  app: App;
  /** Distributed (Slack OAuth): the installs and every workspace's token; undefined for one workspace. */
  distribution: Distribution | undefined;
  jobs: Jobs;
  outbox: OutboxWorker;
  context: VouchContext;
  /** Where start-up stands with Slack (auth.test of SLACK_BOT_TOKEN); undefined when distributed (no one token). */
  slack(): SlackStatus | undefined;
  /** Listens on `host` when given (the sandbox: loopback only), else on every interface. */
  start(port: number, host?: string): Promise<{ port: number; address: string | undefined }>;
  stop(): Promise<void>;
  /**
   * Resolves once every listener in flight has finished and the outbox has nothing due, nor any
   * message waiting only for its channel's pace.
   */
  idle(): Promise<void>;
}

/** What bolt-js hands an error handler when `extendedErrorHandler` is on (its package exports no name for it). */
interface ErrorHandlerArgs {
  error: CodedError;
  context: Context;
  body: AnyMiddlewareArgs['body'];
}

/** Asks Slack who the bot is (auth.test), with a client of its own that leaves retrying to it. */
export function createSlackIdentity(config: VouchConfig, logger: Logger, known?: BotIdentity): SlackIdentity {
  const client = new WebClient(config.SLACK_BOT_TOKEN, {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    logger: slackLogger(logger),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
  return new SlackIdentity(client, logger, {
    timeoutMs: config.SLACK_STARTUP_TIMEOUT ?? tunableDefaults.SLACK_STARTUP_TIMEOUT,
    apiUrl: config.SLACK_API_URL,
    known,
  });
}

export function createVouch(options: VouchOptions): Vouch {
  // Errors are logged without their SQL parameters' values, whatever logger was passed in.
  const logger = withSafeErrors(options.logger);
  const config = { ...tunableDefaults, ...options.config };
  const clock = options.clock ?? (() => new Date());
  const slackApiUrl = config.SLACK_API_URL;
  const apiOptions = { ...(slackApiUrl ? { slackApiUrl } : {}), logger: slackLogger(logger) };

  // Listeners answer people within Slack's 3 seconds, so their own retries are few and short.
  // Outbox writes retry through the outbox, so that client does not retry on its own at all.
  const listenerClientOptions = {
    ...apiOptions,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
    timeout: 2500,
  };
  const distribution = slackMode(config) === 'distributed' ? distributionOf(config, options, apiOptions) : undefined;
  if (!distribution && !config.SLACK_BOT_TOKEN)
    throw new ConfigError(['SLACK_BOT_TOKEN is missing (or SLACK_CLIENT_ID, for distribution)']);
  const outboxOptions = { ...apiOptions, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000 };
  // Distributed, the support channel is in the provider's workspace, reached with its install's current token.
  // Until every outbox row and person names their workspace, the outbox and the people directory use that workspace too.
  const workspaceClient = (clientOptions: typeof outboxOptions | typeof listenerClientOptions) =>
    distribution
      ? distribution.tokens.clientFor({ teamId: distribution.supportTeamId }, clientOptions)
      : new WebClient(config.SLACK_BOT_TOKEN, clientOptions);
  const outboxClient = workspaceClient(outboxOptions);

  const ttls = { setupInviteMs: config.SETUP_INVITE_TTL, confirmMs: config.CONFIRM_TTL };
  // A lead not shorter than the validity would remind at once: then at half the validity.
  const reminders = {
    setupBeforeMs: reminderLeadMs(config.SETUP_INVITE_TTL, config.SETUP_REMIND_BEFORE),
    confirmBeforeMs: reminderLeadMs(config.CONFIRM_TTL, config.CONFIRM_REMIND_BEFORE),
  };
  const support = new SupportDirectory(outboxClient, config.SUPPORT_CHANNEL_ID, clock, {
    allowPublic: config.SUPPORT_CHANNEL_ALLOW_PUBLIC ?? false,
    logger,
    // Distributed: only people of the provider's workspace can be support.
    ...(distribution ? { teamId: distribution.supportTeamId } : {}),
  });
  /** Distributed: a client for one customer's workspace, with its install's current token. */
  const teamClient = (clientOptions: typeof outboxOptions | typeof listenerClientOptions) =>
    distribution ? (teamId: string) => distribution.tokens.clientFor({ teamId }, clientOptions) : undefined;
  const outboxTeamClient = teamClient(outboxOptions);
  const listenerTeamClient = teamClient(listenerClientOptions);
  const metrics = new Metrics(options.db, clock);
  const letters = {
    maxBytes: config.LETTER_MAX_BYTES,
    timeoutMs: LETTER_TIMEOUT_MS,
    origins: slackFileOrigins(config.SLACK_API_URL),
    ...(options.letterDeadline ? { deadline: options.letterDeadline } : {}),
  };
  const outbox = new OutboxWorker({
    db: options.db,
    client: outboxClient,
    ...(outboxTeamClient ? { clientFor: outboxTeamClient } : {}),
    clock,
    logger,
    support,
    letters,
    settings: { setupInviteTtlMs: ttls.setupInviteMs },
    policy: { ...defaultRetryPolicy, maxAttempts: config.OUTBOX_MAX_ATTEMPTS },
    ...(options.channelGapMs !== undefined ? { channelGapMs: options.channelGapMs } : {}),
    metrics,
  });
  const context: VouchContext = {
    db: options.db,
    workflows: createWorkflows({
      db: options.db,
      clock,
      ttls,
      // Asked while a person waits for an answer: the listeners' short retries.
      people: slackPeopleDirectory(workspaceClient(listenerClientOptions), logger),
      ...(listenerTeamClient
        ? {
            peopleIn: (teamId: string) => slackPeopleDirectory(listenerTeamClient(teamId), logger),
            workspaces: 'many' as const,
          }
        : {}),
      support: supportChannelPort(support, logger),
      recovery: { approvalsRequired: config.RECOVERY_APPROVALS, remindAfterMs: config.RECOVERY_REMIND_AFTER },
      reminders,
    }),
    clock,
    ttls,
    logger,
    outbox,
    client: outboxClient,
    workspaces: distribution?.tokens,
    homeWorkspace: () => identity?.workspace,
    support,
    metrics,
    retention: { outboxMs: config.OUTBOX_RETENTION },
    letters,
  };
  // One workspace: its token is asked about once at start-up. Distributed, every workspace's
  // install is authorized by Bolt through the installation store (no one token to ask about).
  const identity = distribution
    ? undefined
    : (options.identity ??
      createSlackIdentity(config, logger, options.botUserId ? { botUserId: options.botUserId, botId: options.botId } : undefined));
  const customRoutes = [
    provisioningRoute(context, config.PROVISIONING_TOKEN),
    ...healthRoutes(context, { metricsToken: config.METRICS_TOKEN, ...(identity ? { slack: () => identity.status } : {}) }),
  ];
  const common = {
    // Bolt would call auth.test itself when it is built, and crash the process on a bad token;
    // start() asks Slack instead, and until Slack answered no request is served.
    ...(identity
      ? {
          authorize: async () => {
            const bot = identity.identity();
            if (!bot) throw new Error('Slack has not confirmed the bot token yet');
            return { botToken: config.SLACK_BOT_TOKEN, botUserId: bot.botUserId, ...(bot.botId ? { botId: bot.botId } : {}) };
          },
        }
      : {}),
    extendedErrorHandler: true as const,
    logger: slackLogger(logger),
    logLevel: LogLevel.INFO,
    clientOptions: listenerClientOptions,
  };
  let server: Server | undefined;
  let listening = false;
  const app = config.SLACK_APP_TOKEN
    ? // Socket Mode still serves the provisioning API and health on an HTTP port of its own.
      new App({
        ...common,
        appToken: config.SLACK_APP_TOKEN,
        socketMode: true,
        customRoutes,
        // The Socket Mode client opens its connection through these options (SLACK_API_URL too).
        installerOptions: { port: options.socketModeHttpPort ?? 3000, clientOptions: apiOptions },
      })
    : new App({
        ...common,
        receiver: new HTTPReceiver({
          signingSecret: config.SLACK_SIGNING_SECRET,
          endpoints: '/slack/events',
          customRoutes,
          logger: slackLogger(logger),
          // Distributed: Bolt's install page and OAuth redirect, with Vouch's store, state and pages.
          ...distribution?.receiverOptions,
          // The error handler below has logged it. Not acked yet: tell Slack at once, which shows
          // the person an error, rather than let the request run into Slack's 3 seconds.
          processEventErrorHandler: async ({ response }) => {
            if (!response.headersSent) response.writeHead(500).end();
            return false;
          },
        }),
      });

  const inFlight = new Set<Promise<unknown>>();
  app.use(async ({ next, body, context: requestContext }) => {
    const requestId = randomUUID();
    requestContext.requestId = requestId;
    const type =
      (body as { type?: string; command?: string }).type ?? ((body as { command?: string }).command ? 'slash_command' : 'unknown');
    const started = performance.now();
    const work = next();
    inFlight.add(work);
    try {
      await work;
      metrics.requests.inc({ type, outcome: 'ok' });
    } catch (error) {
      metrics.requests.inc({ type, outcome: 'error' });
      throw error;
    } finally {
      inFlight.delete(work);
      logger.debug({ requestId, type, ms: Math.round(performance.now() - started) }, 'Slack request handled');
    }
  });
  registerListeners(app, context);
  // extendedErrorHandler is on, so the handler gets the request's context and body too.
  app.error(async ({ error, context: requestContext, body }: ErrorHandlerArgs) => {
    const e = error as Error & { original?: unknown; code?: string };
    // A request from a workspace where Vouch is not installed (or no longer is): nothing to do, answered at once.
    const unavailable = causes(error).find(isWorkspaceUnavailable);
    if (unavailable) {
      logger.warn({ requestId: requestContext?.requestId, reason: unavailable.reason }, `request ignored: ${unavailable.message}`);
      return;
    }
    logger.error(
      {
        err: e.original ?? e,
        code: e.code,
        requestId: requestContext?.requestId,
        user: (body as { user?: { id?: string }; user_id?: string } | undefined)?.user?.id,
      },
      'Slack listener failed',
    );
    throw error; // on to the receiver, which answers Slack if the listener had not acked
  });

  const jobs = new Jobs(context, { sweep: config.SWEEP_SCHEDULE, reconcile: config.RECONCILE_SCHEDULE });
  const timers = options.timers ?? true;

  return {
    app,
    distribution,
    jobs,
    outbox,
    context,
    slack: () => identity?.status,
    async start(port, host) {
      const listen = async () => {
        // Socket Mode's own HTTP server takes no host; the sandbox, which needs one, uses HTTP.
        const started = await app.start(host && !config.SLACK_APP_TOKEN ? { port, host } : port).catch((error: unknown) => {
          // Socket Mode opens its connection with the app-level token, which Slack may refuse.
          const failure = classifyStartupFailure(error as SlackCallError);
          if (config.SLACK_APP_TOKEN && failure.kind === 'refused')
            throw new ConfigError([refusedTokenProblem('SLACK_APP_TOKEN', failure.code)]);
          throw error;
        });
        listening = true;
        server = (started as Server | undefined) ?? undefined;
        // The HTTP response to Slack is the ack: time it where it leaves.
        server?.on?.('request', (req, res) => {
          if (req.method !== 'POST' || !req.url?.startsWith('/slack/events')) return;
          const end = metrics.ackSeconds.startTimer();
          res.on('finish', () => end());
        });
      };
      try {
        // Over HTTP the port opens first, so /healthz answers and /readyz says 503 while Slack is
        // asked; Socket Mode's connection needs Slack anyway, so there it opens once Slack answered.
        if (!config.SLACK_APP_TOKEN) await listen();
        await identity?.verify();
        // A public support channel would make anyone who joins it support: refuse to start.
        // (Distributed, until the provider has installed Vouch the channel cannot be read: a warning.)
        const channel = await support.verdict();
        if (!channel.ok && channel.permanent) throw new ConfigError([channel.problem]);
        if (!channel.ok) logger.warn({ channel: config.SUPPORT_CHANNEL_ID }, `${channel.problem} Starting anyway; /readyz reports it.`);
        if (channel.ok && channel.warning) logger.warn({ channel: config.SUPPORT_CHANNEL_ID }, channel.warning);
        if (config.SLACK_APP_TOKEN) await listen();
      } catch (error) {
        if (listening) await app.stop().catch(() => undefined);
        listening = false;
        throw error;
      }
      outbox.start();
      if (timers) jobs.start();
      await outbox.kick(); // deliver what a previous run left behind
      const address = server?.address?.() as AddressInfo | null | undefined;
      return { port: address?.port ?? port, address: address?.address };
    },
    async stop() {
      identity?.stop(); // a start-up still waiting for Slack gives up
      // Stop taking work first, then let what was started finish, then stop delivering.
      await Promise.all([jobs.stop(), app.stop().catch(() => undefined)]);
      await Promise.allSettled([...inFlight]);
      await outbox.stop();
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await outbox.settle();
    },
  };
}

/** The error and what it wraps (Bolt wraps a failed authorization twice). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let e = error;
    e && chain.length < 5;
    e = (e as { original?: unknown; cause?: unknown }).original ?? (e as { cause?: unknown }).cause
  ) {
    chain.push(e);
  }
  return chain;
}

function distributionOf(config: VouchConfig, options: VouchOptions, clientOptions: { slackApiUrl?: string }): Distribution {
  const missing = (['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SUPPORT_TEAM_ID', 'INSTALLATION_ENCRYPTION_KEY'] as const).filter(
    (name) => !config[name],
  );
  if (missing.length > 0) throw new ConfigError(missing.map((name) => `${name} is missing (distribution needs it)`));
  if (config.SLACK_APP_TOKEN) throw new ConfigError(['SLACK_APP_TOKEN cannot be used with distribution']);
  return createDistribution({
    settings: {
      clientId: config.SLACK_CLIENT_ID as string,
      clientSecret: config.SLACK_CLIENT_SECRET as string,
      stateSecret: config.SLACK_STATE_SECRET as string,
      supportTeamId: config.SUPPORT_TEAM_ID as string,
      encryptionKey: config.INSTALLATION_ENCRYPTION_KEY as string,
      previousEncryptionKeys: config.INSTALLATION_ENCRYPTION_PREVIOUS_KEYS ?? [],
      ...(config.SLACK_AUTHORIZE_URL ? { authorizeUrl: config.SLACK_AUTHORIZE_URL } : {}),
      ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    },
    db: options.db,
    clock: options.clock ?? (() => new Date()),
    logger: options.logger,
    clientOptions,
  });
}
