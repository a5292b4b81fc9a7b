import { describe, expect, it } from 'vitest';
import { SlackIdentity } from '../../src/bot/slackIdentity.js';
import { ConfigError } from '../../src/config.js';
import { classifyStartupFailure, startupRetryDelayMs } from '../../src/domain/slackStartup.js';
import { capturingLogger } from '../support/logs.js';

const platform = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { error } });
const http = (statusCode: number) => Object.assign(new Error(`HTTP ${statusCode}`), { code: 'slack_webapi_http_error', statusCode });
const network = () =>
  Object.assign(new Error('A request error occurred: connect ECONNREFUSED'), {
    code: 'slack_webapi_request_error',
    original: { code: 'ECONNREFUSED' },
  });

describe('what a failed auth.test means at start-up', () => {
  it.each(['invalid_auth', 'account_inactive', 'token_revoked', 'not_authed'])('%s: the token is refused', (code) => {
    expect(classifyStartupFailure(platform(code))).toEqual({ kind: 'refused', code });
  });

  it('no answer, a 5xx, a rate limit or another error of Slack: asked again', () => {
    expect(classifyStartupFailure(network())).toEqual({ kind: 'unanswered', reason: 'ECONNREFUSED' });
    const fetchFailed = { code: 'slack_webapi_request_error', original: { message: 'fetch failed', cause: { code: 'ENOTFOUND' } } };
    expect(classifyStartupFailure(fetchFailed)).toEqual({ kind: 'unanswered', reason: 'ENOTFOUND' });
    expect(classifyStartupFailure(http(503))).toEqual({ kind: 'unanswered', reason: 'HTTP 503' });
    expect(classifyStartupFailure({ code: 'slack_webapi_rate_limited_error' })).toEqual({ kind: 'unanswered', reason: 'rate limited' });
    expect(classifyStartupFailure(platform('fatal_error'))).toEqual({ kind: 'unanswered', reason: 'Slack answered fatal_error' });
  });

  it('the waits double from 1 s up to 15 s, each jittered within its upper half', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => startupRetryDelayMs(n, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
    expect([1, 2, 3, 4, 5, 6].map((n) => startupRetryDelayMs(n, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 7_500, 7_500]);
  });
});

/** A SlackIdentity on virtual time: sleeping moves the clock, so the minute passes at once. */
function identityOn(answers: Array<() => unknown>, timeoutMs = 60_000) {
  let now = 0;
  const calls: number[] = [];
  const sleeps: number[] = [];
  const logs = capturingLogger('info');
  const client = {
    auth: {
      test: async () => {
        calls.push(now);
        const next = answers.length > 1 ? answers.shift()! : answers[0]!;
        return next();
      },
    },
  };
  const identity = new SlackIdentity(client as never, logs.logger, {
    timeoutMs,
    apiUrl: 'https://slack.example/api/',
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 1,
  });
  const advance = (ms: number) => {
    now += ms;
  };
  return { identity, calls, sleeps, logs, advance };
}

describe('SlackIdentity: start-up asks Slack who the bot is', () => {
  it('a refused token is a ConfigError naming SLACK_BOT_TOKEN at the first answer, with no retry', async () => {
    const { identity, calls } = identityOn([() => Promise.reject(platform('token_revoked'))]);
    const error = await identity.checkOnce().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).line).toBe(
      'Vouch cannot start: Slack refused SLACK_BOT_TOKEN: the token was revoked, or the app was uninstalled (token_revoked). Fix SLACK_BOT_TOKEN: set it to the app’s Bot User OAuth Token (xoxb-…, under OAuth & Permissions), reinstalling the app to the workspace if it was removed.',
    );
    expect(calls).toHaveLength(1);
    expect(identity.status).toMatchObject({ state: 'failed' });
  });

  it('Slack not answering is asked again with backoff for a minute, each time a warning, then a ConfigError naming SLACK_API_URL', async () => {
    const { identity, calls, sleeps, logs } = identityOn([() => Promise.reject(network())]);
    expect(await identity.checkOnce()).toBeNull();
    expect(identity.status).toEqual({ state: 'waiting', attempts: 1, lastProblem: 'ECONNREFUSED' });
    const error = await identity.verify().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    // Asked again at once when Vouch is up, then after 2, 4, 8, 15, 15, 15 s, what is left of
    // the minute, and a last time at 60 s.
    expect(sleeps).toEqual([2_000, 4_000, 8_000, 15_000, 15_000, 15_000, 1_000]);
    expect(calls).toEqual([0, 0, 2_000, 6_000, 14_000, 29_000, 44_000, 59_000, 60_000]);
    expect((error as ConfigError).problems).toEqual([
      'Slack did not answer auth.test for 60 s (9 tries, last: ECONNREFUSED). Check the network between Vouch and Slack, and SLACK_API_URL (https://slack.example/api/).',
    ]);
    const warnings = logs.lines().filter((l) => l.level === 40);
    expect(warnings.map((w) => w.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(warnings[0]).toMatchObject({
      reason: 'ECONNREFUSED',
      msg: 'Slack did not answer auth.test (ECONNREFUSED); Vouch starts and keeps asking',
    });
    expect(warnings[1]).toMatchObject({
      reason: 'ECONNREFUSED',
      retryInMs: 2_000,
      msg: 'Slack did not answer auth.test (ECONNREFUSED); asking again in 2.0 s',
    });
  });

  it('a 5xx and then an answer: the identity, and the status /readyz shows is ok', async () => {
    const { identity, calls } = identityOn([
      () => Promise.reject(http(500)),
      () => Promise.reject(http(502)),
      () => Promise.resolve({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0' }),
    ]);
    expect(identity.identity()).toBeNull();
    expect(await identity.verify()).toEqual({ botUserId: 'U0BOT', botId: 'B0BOT' });
    expect(calls).toHaveLength(3);
    expect(identity.status).toEqual({ state: 'ok', botUserId: 'U0BOT', botId: 'B0BOT' });
  });

  it('however long the rest of start-up took, verify asks Slack once more itself before giving up', async () => {
    const { identity, calls, advance } = identityOn([() => Promise.reject(http(503))], 3_000);
    expect(await identity.checkOnce()).toBeNull();
    advance(20_000); // a slow database
    await expect(identity.verify()).rejects.toThrow(/for 20 s \(2 tries, last: HTTP 503\)/);
    expect(calls).toEqual([0, 20_000]);
  });

  it('stop() ends the wait: verify throws and asks no more', async () => {
    const logs = capturingLogger('info');
    let calls = 0;
    const network_ = () => {
      calls += 1;
      return Promise.reject(network());
    };
    // Real timers: the first wait is at least half a second, and stop() must cut it short.
    const identity = new SlackIdentity({ auth: { test: network_ } } as never, logs.logger, { timeoutMs: 60_000 });
    const waiting = identity.verify();
    await new Promise<void>((resolve) => {
      const check = () => (logs.lines().some((l) => l.level === 40) ? resolve() : setImmediate(check));
      check();
    });
    identity.stop();
    await expect(waiting).rejects.toThrow('Vouch was stopped while it waited for Slack');
    expect(calls).toBe(1);
  });

  it('a known identity asks nothing', async () => {
    const logs = capturingLogger('info');
    const known = new SlackIdentity({ auth: { test: () => Promise.reject(new Error('must not be called')) } } as never, logs.logger, {
      timeoutMs: 1,
      known: { botUserId: 'U0BOT', botId: 'B0BOT' },
    });
    expect(await known.checkOnce()).toEqual({ botUserId: 'U0BOT', botId: 'B0BOT' });
    expect(await known.verify()).toEqual({ botUserId: 'U0BOT', botId: 'B0BOT' });
  });
});
