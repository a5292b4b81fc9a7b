import type { Workspace } from '../domain/workspace.js';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { ConfigError } from '../config.js';
import {
  classifyStartupFailure,
  refusedTokenProblem,
  startupRetryDelayMs,
  unansweredProblem,
  type SlackCallError,
} from '../domain/slackStartup.js';

export interface BotIdentity {
  botUserId: string;
  /** Absent for a user token (xoxp-). */
  botId: string | undefined;
}

/** Where start-up stands with Slack; /readyz shows it. */
export type SlackStatus =
  | { state: 'waiting'; attempts: number; lastProblem: string | null }
  | ({ state: 'ok' } & BotIdentity)
  | { state: 'failed'; problem: string };

export interface SlackIdentityOptions {
  /** How long Slack not answering is waited out before Vouch gives up. */
  timeoutMs: number;
  /** SLACK_API_URL, named in the message when Slack does not answer. */
  apiUrl?: string | undefined;
  /** Already known (tests, the sandbox): no auth.test at all. */
  known?: BotIdentity | undefined;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

class StoppedDuringStartup extends Error {
  constructor() {
    super('Vouch was stopped while it waited for Slack');
  }
}

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Who the bot is in Slack, asked once at start-up (auth.test). A token Slack refuses stops Vouch
 * with one line naming the setting; Slack not answering (network, 5xx, rate limit) is asked again
 * with backoff, each time a warning, until `timeoutMs` has passed. Until Slack answered, Vouch is
 * not ready and takes no Slack request.
 */
export class SlackIdentity {
  private current: SlackStatus;
  /** The bot token's workspace, as auth.test named it (unknown until Slack answered, or when the identity was given). */
  workspace: Workspace | undefined;
  private readonly stopping = new AbortController();
  private attempts = 0;
  private firstTriedAt: number | null = null;

  constructor(
    private readonly client: Pick<WebClient, 'auth'>,
    private readonly logger: Logger,
    private readonly options: SlackIdentityOptions,
  ) {
    this.current = options.known ? { state: 'ok', ...options.known } : { state: 'waiting', attempts: 0, lastProblem: null };
  }

  get status(): SlackStatus {
    return this.current;
  }

  /** The bot's identity once Slack confirmed the token, else null. */
  identity(): BotIdentity | null {
    return this.current.state === 'ok' ? { botUserId: this.current.botUserId, botId: this.current.botId } : null;
  }

  /**
   * One question to Slack, before anything else starts: a token Slack refuses throws a
   * ConfigError at once; null means Slack did not answer, and verify() keeps asking.
   */
  async checkOnce(): Promise<BotIdentity | null> {
    const known = this.identity();
    if (known) return known;
    const outcome = await this.attempt();
    if (!('reason' in outcome)) return outcome;
    this.logger.warn(
      { attempt: this.attempts, reason: outcome.reason },
      `Slack did not answer auth.test (${outcome.reason}); Vouch starts and keeps asking`,
    );
    return null;
  }

  /**
   * Resolves once Slack accepted the token; throws a ConfigError when it refused it or did not
   * answer within `timeoutMs` of the first question, asking again with backoff meanwhile (at
   * least once itself, however long start-up took since checkOnce).
   */
  async verify(): Promise<BotIdentity> {
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? abortableSleep;
    for (;;) {
      const known = this.identity();
      if (known) return known;
      if (this.stopping.signal.aborted) throw new StoppedDuringStartup();
      const outcome = await this.attempt();
      if (!('reason' in outcome)) return outcome;
      const waited = now() - (this.firstTriedAt ?? now());
      if (waited >= this.options.timeoutMs) {
        return this.fail(unansweredProblem(waited, this.attempts, outcome.reason, this.options.apiUrl));
      }
      const delay = Math.min(startupRetryDelayMs(this.attempts, this.options.random), this.options.timeoutMs - waited);
      this.logger.warn(
        { attempt: this.attempts, reason: outcome.reason, retryInMs: delay },
        `Slack did not answer auth.test (${outcome.reason}); asking again in ${(delay / 1000).toFixed(1)} s`,
      );
      await sleep(delay, this.stopping.signal);
    }
  }

  /** Ends a wait in progress (a signal during start-up): verify() then throws. */
  stop(): void {
    this.stopping.abort();
  }

  /** One auth.test. A refusal throws; Slack not answering is recorded and returned. */
  private async attempt(): Promise<BotIdentity | { reason: string }> {
    const now = this.options.now ?? Date.now;
    this.firstTriedAt ??= now();
    this.attempts += 1;
    try {
      const answer = await this.client.auth.test();
      if (!answer.user_id) throw Object.assign(new Error('auth.test named no user'), { data: { error: 'no_user_id' } });
      const identity = { botUserId: answer.user_id, botId: answer.bot_id };
      this.current = { state: 'ok', ...identity };
      this.workspace = { teamId: answer.team_id ?? null, enterpriseId: answer.enterprise_id ?? null };
      this.logger.info({ botUserId: answer.user_id, team: answer.team_id, attempts: this.attempts }, 'Slack accepted the bot token');
      return identity;
    } catch (error) {
      const failure = classifyStartupFailure(error as SlackCallError);
      if (failure.kind === 'refused') return this.fail(refusedTokenProblem('SLACK_BOT_TOKEN', failure.code));
      this.current = { state: 'waiting', attempts: this.attempts, lastProblem: failure.reason };
      return { reason: failure.reason };
    }
  }

  private fail(problem: string): never {
    this.current = { state: 'failed', problem };
    throw new ConfigError([problem]);
  }
}
