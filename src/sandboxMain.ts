// `npm start` without Slack credentials, and `npm run sandbox`: Vouch against a local stand-in
// for Slack, with a page in the browser where you play every person.

import { existsSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createLogger } from './logger.js';
import { SandboxInstallError, startSandbox, workspaceList } from './sandbox/page/index.js';

function pagePort(): number {
  const port = Number(process.env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${process.env.PORT}".`);
  return port;
}

export async function runSandbox(): Promise<void> {
  const dataDir = `${process.env.DATA_DIR || '.data'}/sandbox-pglite`;
  // The stand-in keeps its messages in memory, so the database starts afresh with it each run.
  rmSync(dataDir, { recursive: true, force: true });
  console.log('Starting the Vouch sandbox…');
  // Vouch starts before the sandbox installs it into the provider's workspace, and rightly warns
  // that the support channel cannot be read yet. The install follows at once: that warning is left out.
  let starting = true;
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', {
    logMethod(args, method) {
      const message = args.find((arg): arg is string => typeof arg === 'string') ?? '';
      if (starting && message.startsWith('SUPPORT_CHANNEL_ID') && message.includes('Vouch is not installed')) return;
      method.apply(this, args);
    },
  });
  const sandbox = await startSandbox({ port: pagePort(), dataDir, logger });
  starting = false;
  console.log(
    [
      `Vouch sandbox: open ${sandbox.url} in your browser.`,
      '  No real Slack is involved: Vouch talks to a stand-in for Slack on this computer, with made-up workspaces and people.',
      '  Vouch runs distributed, installed through its own OAuth routes into three workspaces: Provider Inc (support),',
      '  and two customers, Acme Corp and Globex. On the page, pick a workspace and a person to see what they see.',
      `  Its data is in ${dataDir} and starts empty on every run.`,
      '  To use a real Slack workspace instead, set SLACK_BOT_TOKEN and the other settings of .env.example',
      '  (in .env or the environment): then `npm start` runs Vouch against Slack and the sandbox is off.',
      `  This run's provisioning API: POST ${sandbox.provisioning.url} with "Authorization: Bearer ${sandbox.provisioning.token}";`,
      `  name the customer's workspace in "slackTeamId": ${workspaceList
        .filter((w) => w.kind === 'customer')
        .map((w) => `${w.teamId} (${w.name})`)
        .join(' or ')}.`,
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    const forced = setTimeout(() => process.exit(1), 10_000).unref();
    await sandbox.stop();
    clearTimeout(forced);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  runSandbox().catch((error: unknown) => {
    // An install that failed says where and why in one sentence; anything else is a bug, shown whole.
    console.error('The Vouch sandbox failed to start:', error instanceof SandboxInstallError ? error.message : error);
    process.exit(1);
  });
}
