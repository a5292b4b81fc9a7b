// Start-up against Slack, as an OS process (src/main.ts) against the Slack stand-in: a token Slack
// refuses stops the process with one line naming the setting, exit 1, no stack; Slack not
// answering is asked again with backoff (warnings), /readyz saying 503 meanwhile, and after
// SLACK_STARTUP_TIMEOUT the process stops the same way. Each process keeps its data in an
// embedded database of its own, or in a fresh PostgreSQL database when DATABASE_URL is set.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../../src/sandbox/slack/index.js';
import { freshDatabase } from '../support/database.js';
import { freePort } from '../support/ports.js';
import { killAllBots, launchBot, startBot, waitFor, type BotProcess, type BotSettings } from '../support/processes.js';

const BOT_TOKEN = 'xoxb-startup-test-token';
const SUPPORT_CHANNEL = 'C0SUPPORT';

let slack: FakeSlack | undefined;
let database: Awaited<ReturnType<typeof freshDatabase>> | undefined;

/** The stand-in (started unless told not to: Slack unreachable) and the settings of a bot process. */
async function world(options: { start?: boolean } = {}): Promise<{ slack: FakeSlack; settings: BotSettings; port: number }> {
  slack = new FakeSlack({ botToken: BOT_TOKEN });
  slack.addUser({ id: 'U0SUPPORTA', name: 'sam' });
  slack.addChannel({ id: SUPPORT_CHANNEL, name: 'enterprise-support', isPrivate: true, members: ['U0SUPPORTA'] });
  const port = await freePort();
  if (options.start !== false) await slack.start(port);
  if (process.env.DATABASE_URL) database = await freshDatabase();
  const settings: BotSettings = {
    slackApiUrl: `http://127.0.0.1:${port}/api/`,
    botToken: BOT_TOKEN,
    signingSecret: 'startup-test-signing-secret-0123',
    supportChannelId: SUPPORT_CHANNEL,
    provisioningToken: 'startup-test-provisioning-token-0123',
    databaseUrl: database?.url ?? '',
    extra: { LOG_LEVEL: 'info' },
  };
  return { slack, settings, port };
}

afterEach(async () => {
  await killAllBots();
  await slack?.stop();
  slack = undefined;
  await database?.close();
  database = undefined;
});

/** What a stopped process said: every line JSON, and one fatal line that says why. */
async function stoppedWith(bot: BotProcess): Promise<Record<string, unknown>> {
  expect(await bot.exit).toEqual({ code: 1, signal: null });
  expect(bot.nonJsonLines()).toEqual([]);
  // One clear line, the only error: no stack, no error object. (The Web API client's own warning
  // about the request it made may come after it.)
  const lines = bot.logLines();
  expect(lines.filter((l) => Number(l.level) >= 50)).toHaveLength(1);
  const at = lines.findIndex((l) => Number(l.level) >= 50);
  const last = lines[at]!;
  expect(last).toMatchObject({ level: 60 });
  expect(lines.slice(at + 1).filter((l) => l.component !== 'slack')).toEqual([]);
  expect(String(last.msg)).not.toContain('\n');
  expect(last).not.toHaveProperty('err');
  expect(bot.output()).not.toMatch(/WebAPIPlatformError|\n\s+at /);
  // It never said it was listening for Slack.
  expect(bot.logLines().some((l) => String(l.msg).startsWith('Vouch is listening'))).toBe(false);
  return last;
}

describe('start-up against Slack', () => {
  it('a token Slack does not know (invalid_auth): one line naming SLACK_BOT_TOKEN, exit 1, and no retry', { timeout: 90_000 }, async () => {
    const { slack, settings } = await world();
    const bot = await launchBot({ ...settings, botToken: 'xoxb-not-this-workspace' }, { name: 'wrong-token' });
    const last = await stoppedWith(bot);
    expect(last.msg).toMatch(
      /^Vouch cannot start: Slack refused SLACK_BOT_TOKEN: the token is not a token of this workspace \(invalid_auth\)\. Fix SLACK_BOT_TOKEN: /,
    );
    expect(slack.calls('auth.test').map((c) => c.response?.error)).toEqual(['invalid_auth']);
  });

  it.each(['account_inactive', 'token_revoked', 'not_authed'])(
    'Slack answering %s is a configuration error too: one line naming SLACK_BOT_TOKEN, exit 1',
    { timeout: 90_000 },
    async (code) => {
      const { slack, settings } = await world();
      slack.failNext('auth.test', { error: code });
      const bot = await launchBot(settings, { name: code });
      const last = await stoppedWith(bot);
      expect(last.msg).toContain('Slack refused SLACK_BOT_TOKEN');
      expect(last.msg).toContain(`(${code})`);
      expect(slack.calls('auth.test')).toHaveLength(1);
    },
  );

  it('Slack answering 500 is asked again with backoff, each time a warning, and then the bot starts', { timeout: 90_000 }, async () => {
    const { slack, settings } = await world();
    slack.failNext('auth.test', { status: 500 }, 2);
    const bot = await startBot(settings, { name: 'flaky-slack', readyTimeoutMs: 60_000 });
    const warnings = bot.logLines().filter((l) => l.level === 40 && String(l.msg).startsWith('Slack did not answer auth.test'));
    expect(warnings.map((w) => [w.attempt, w.reason])).toEqual([
      [1, 'HTTP 500'],
      [2, 'HTTP 500'],
    ]);
    expect(slack.calls('auth.test').map((c) => c.status)).toEqual([500, 500, 200]);
    expect(bot.logLines().find((l) => l.msg === 'Slack accepted the bot token')).toMatchObject({ attempts: 3 });
    expect(bot.nonJsonLines()).toEqual([]);
    expect(bot.exited).toBe(false);
  });

  it('Slack unreachable: /healthz answers, /readyz is 503 until Slack answers, then the bot starts', { timeout: 90_000 }, async () => {
    const { slack, settings, port } = await world({ start: false });
    const bot = await startBot(settings, { name: 'no-slack-yet', until: 'healthy', readyTimeoutMs: 60_000 });
    await waitFor('a warning that Slack did not answer', () =>
      bot.logLines().find((l) => l.level === 40 && String(l.msg).startsWith('Slack did not answer auth.test')),
    );
    const waiting = await fetch(`${bot.baseUrl}/readyz`);
    expect(waiting.status).toBe(503);
    expect(await waiting.json()).toMatchObject({
      ready: false,
      database: true,
      slack: { state: 'waiting', attempts: expect.any(Number), lastProblem: expect.any(String) },
      supportChannel: { ok: false, problem: 'not read yet: Slack has not accepted the bot token' },
    });
    // Slack comes back where Vouch looks for it.
    await slack.start(port);
    const ready = await waitFor(
      '/readyz to say 200',
      async () => {
        const res = await fetch(`${bot.baseUrl}/readyz`);
        return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
      },
      { timeoutMs: 25_000, intervalMs: 200 },
    );
    expect(ready).toMatchObject({ ready: true, slack: { state: 'ok', botUserId: slack.botUserId }, supportChannel: { ok: true } });
    expect(slack.calls('auth.test').map((c) => c.status)).toEqual([200]);
    await waitFor('the listening line', () => bot.logLines().find((l) => String(l.msg).startsWith('Vouch is listening')));
    expect(bot.nonJsonLines()).toEqual([]);
  });

  it('Slack unreachable for longer than SLACK_STARTUP_TIMEOUT: warnings, then one line naming SLACK_API_URL, exit 1', {
    timeout: 90_000,
  }, async () => {
    const { settings, port } = await world({ start: false });
    const bot = await launchBot({ ...settings, extra: { ...settings.extra, SLACK_STARTUP_TIMEOUT: '3s' } }, { name: 'slack-gone' });
    const last = await stoppedWith(bot);
    expect(last.msg).toMatch(
      /^Vouch cannot start: Slack did not answer auth\.test for \d+ s \(\d+ tries, last: [^)]+\)\. Check the network/,
    );
    expect(last.msg).toContain(`SLACK_API_URL (http://127.0.0.1:${port}/api/)`);
    // Asked before the database opened, and again (at least once) once Vouch was up.
    const warnings = bot.logLines().filter((l) => l.level === 40 && String(l.msg).startsWith('Slack did not answer auth.test'));
    expect(warnings[0]).toMatchObject({ attempt: 1, msg: expect.stringContaining('Vouch starts and keeps asking') });
    expect(Number(/\((\d+) tries/.exec(String(last.msg))?.[1])).toBeGreaterThanOrEqual(2);
  });

  it('SIGTERM while start-up waits for Slack: the process stops at once, exit 0', { timeout: 90_000 }, async () => {
    const { settings } = await world({ start: false });
    const bot = await startBot(settings, { name: 'stopped-while-waiting', until: 'healthy', readyTimeoutMs: 60_000 });
    await waitFor('a warning that Slack did not answer', () =>
      bot.logLines().find((l) => l.level === 40 && String(l.msg).startsWith('Slack did not answer auth.test')),
    );
    bot.child.kill('SIGTERM');
    expect(await bot.exit).toEqual({ code: 0, signal: null });
    expect(bot.nonJsonLines()).toEqual([]);
  });
});
