// The real bot as an OS process (`src/main.ts` under tsx), for tests of what only separate
// processes show: a crash between two steps, several replicas on one database.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const mainScript = join(repoRoot, 'src', 'main.ts');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Polls `check` until it returns something other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${options.timeoutMs ?? 10_000} ms waiting for ${what}${cause}`);
    }
    await sleep(options.intervalMs ?? 50);
  }
}

export interface BotSettings {
  /** Base URL of the Slack Web API stand-in (FakeSlack#apiUrl). */
  slackApiUrl: string;
  botToken: string;
  signingSecret: string;
  supportChannelId: string;
  provisioningToken: string;
  databaseUrl: string;
  /** Any other setting of src/config.ts (SWEEP_SCHEDULE, SETUP_INVITE_TTL, LOG_LEVEL…). */
  extra?: Record<string, string>;
}

/**
 * The complete environment of a bot process: nothing is inherited from the test's environment
 * but PATH and HOME, so a developer's shell or `.env` cannot change what the test runs.
 */
export function botEnvironment(settings: BotSettings, port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'test',
    // The child runs in an empty directory (no .env); tsx still uses the project's tsconfig.
    TSX_TSCONFIG_PATH: join(repoRoot, 'tsconfig.json'),
    SLACK_BOT_TOKEN: settings.botToken,
    SLACK_SIGNING_SECRET: settings.signingSecret,
    SLACK_APP_TOKEN: '',
    SLACK_API_URL: settings.slackApiUrl,
    SUPPORT_CHANNEL_ID: settings.supportChannelId,
    PROVISIONING_TOKEN: settings.provisioningToken,
    DATABASE_URL: settings.databaseUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ...settings.extra,
  };
}

export interface BotProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Pino's JSON lines among the output, parsed. */
  logLines(): Array<Record<string, unknown>>;
  /** Lines of the output that are not one JSON object each (a log collector could not read them). */
  nonJsonLines(): string[];
  /** Whether the process has exited. */
  readonly exited: boolean;
  /** Settles when the process has exited. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGKILL unless told) and waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<BotProcess>();

// Should the test runner's worker end without the tests' cleanup, take the children with it.
process.once('exit', () => {
  for (const bot of running) if (!bot.exited) bot.child.kill('SIGKILL');
});

/**
 * Starts `node --import tsx src/main.ts` with the given settings on a free port and waits until
 * `GET /readyz` (or, told so, `GET /healthz`) answers 200. The process is tracked so
 * `killAllBots` can end it after a test.
 */
export async function startBot(
  settings: BotSettings,
  options: { name?: string; readyTimeoutMs?: number; until?: 'ready' | 'healthy' } = {},
): Promise<BotProcess> {
  const bot = await launchBot(settings, options);
  const { name } = bot;
  // Ready: Slack accepted the token and Vouch took up its work. Healthy: the port answers.
  const path = options.until === 'healthy' ? '/healthz' : '/readyz';
  let outcome: 'ready' | 'exited';
  try {
    outcome = await waitFor(
      `${name} to answer GET ${path}`,
      async () => {
        if (bot.exited) return 'exited' as const;
        const res = await fetch(`${bot.baseUrl}${path}`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
        return res?.status === 200 ? ('ready' as const) : undefined;
      },
      { timeoutMs: options.readyTimeoutMs ?? 30_000, intervalMs: 100 },
    );
  } catch (error) {
    await bot.kill();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- output of ${name} ---\n${bot.output()}`);
  }
  if (outcome === 'exited') {
    running.delete(bot);
    const { code, signal } = await bot.exit;
    throw new Error(`${name} exited (code ${code}, signal ${signal}) before it was ready\n--- output of ${name} ---\n${bot.output()}`);
  }
  return bot;
}

/**
 * Starts `node --import tsx src/main.ts` with the given settings on a free port, without waiting
 * for anything (a test of start-up itself waits for what it expects). Tracked like startBot's.
 */
export async function launchBot(settings: BotSettings, options: { name?: string } = {}): Promise<BotProcess> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'vouch-bot-'));
  const child = spawn(process.execPath, ['--import', tsxLoader, mainScript], {
    cwd,
    env: botEnvironment(settings, port),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      exited = true;
      chunks.push(`spawn failed: ${error.message}\n`);
      resolve({ code: null, signal: null });
    });
  });
  void exit.then(() => rmSync(cwd, { recursive: true, force: true }));

  const name = options.name ?? `bot:${port}`;
  const bot: BotProcess = {
    name,
    child,
    pid: child.pid ?? -1,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => chunks.join(''),
    logLines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    nonJsonLines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .filter((line) => {
          try {
            const value: unknown = JSON.parse(line);
            return typeof value !== 'object' || value === null || Array.isArray(value);
          } catch {
            return true;
          }
        }),
    get exited() {
      return exited;
    },
    exit,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      running.delete(bot);
      if (!exited && child.pid !== undefined) {
        try {
          process.kill(child.pid, signal);
        } catch {
          /* already gone */
        }
      }
      await exit;
    },
  };
  running.add(bot);
  return bot;
}

/** Kills (SIGKILL) every bot process still running and waits until they are gone. */
export async function killAllBots(): Promise<void> {
  await Promise.all([...running].map((bot) => bot.kill('SIGKILL')));
}

/** POST /api/accounts on one bot process, as the provider's systems would. */
export async function provisionVia(
  bot: BotProcess,
  token: string,
  body: { name: string; contractNumber: string; primaryContactUserId?: string; primaryContactEmail?: string },
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${bot.baseUrl}/api/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
