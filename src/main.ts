import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, startupMode } from './config.js';
import { openDatabase } from './db/client.js';
import { createVouch } from './bot/app.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  if (startupMode(process.env) === 'sandbox') {
    const { runSandbox } = await import('./sandboxMain.js');
    return runSandbox();
  }
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
  const logger = createLogger(config.LOG_LEVEL);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: `${config.DATA_DIR}/pglite` });
  await database.migrate();
  const vouch = createVouch({ config, db: database.db, logger, socketModeHttpPort: config.PORT });
  const { port } = await vouch.start(config.PORT);
  logger.info(
    { port, database: database.kind, mode: config.SLACK_APP_TOKEN ? 'socket' : 'http' },
    config.SLACK_APP_TOKEN ? 'Vouch is running in Socket Mode' : `Vouch is listening on http://localhost:${port}/slack/events`,
  );

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
  if (signalled) void shutdown(signalled);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Vouch failed to start:', error);
  }
  process.exit(1);
});
