import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, slackMode, startupMode } from './config.js';
import { openDatabase } from './db/client.js';
import { createSlackIdentity, createVouch } from './bot/app.js';
import { createLogger } from './logger.js';

// Every line the process prints is JSON, its last words included. Until the settings are read
// (LOG_LEVEL among them) this logger speaks.
let logger: Logger = createLogger('info');

/** Stops the process with one line: what to fix for a configuration error, else the error. */
function fail(error: unknown): never {
  if (error instanceof ConfigError) logger.fatal({ problems: error.problems }, error.line);
  else logger.fatal({ err: error }, 'Vouch failed');
  process.exit(1);
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  if (startupMode(process.env) === 'sandbox') {
    const { runSandbox } = await import('./sandboxMain.js');
    return runSandbox();
  }
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // Listening before anything starts: a signal during start-up waits for it, then shuts down.
  let shutdown: ((signal: string) => Promise<void>) | undefined;
  let signalled: string | undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      signalled ??= signal;
      void shutdown?.(signal);
    });
  }

  const config = loadConfig();
  logger = createLogger(config.LOG_LEVEL);
  // One question to Slack before anything opens: a token Slack refuses stops Vouch here. When
  // Slack does not answer, Vouch starts and keeps asking (its /readyz says 503 meanwhile).
  // (Distributed there is no one token: each workspace's install is checked when it installs.)
  const identity = slackMode(config) === 'single' ? createSlackIdentity(config, logger) : undefined;
  await identity?.checkOnce();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: `${config.DATA_DIR}/pglite` });
  await database.migrate();
  const vouch = createVouch({ config, db: database.db, logger, socketModeHttpPort: config.PORT, ...(identity ? { identity } : {}) });

  // From here a signal stops Vouch at once, even while start-up waits for Slack.
  let stopping = false;
  shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => process.exit(1), 10_000).unref();
    await vouch.stop();
    await database.close();
    clearTimeout(forced);
    process.exit(0);
  };
  if (signalled) return void shutdown(signalled);

  let port: number;
  try {
    ({ port } = await vouch.start(config.PORT));
  } catch (error) {
    if (stopping) return; // a signal ended the start-up; the shutdown exits
    throw error;
  }
  logger.info(
    { port, database: database.kind, mode: config.SLACK_APP_TOKEN ? 'socket' : 'http', slack: slackMode(config) },
    config.SLACK_APP_TOKEN
      ? 'Vouch is running in Socket Mode'
      : slackMode(config) === 'distributed'
        ? `Vouch is listening on http://localhost:${port}/slack/events; workspaces install it from /slack/install`
        : `Vouch is listening on http://localhost:${port}/slack/events`,
  );
}

main().catch(fail);
