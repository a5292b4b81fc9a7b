// The server side of the interaction benchmark, run in a child process so that its memory is
// its own: `vouch` is the real bot (createVouch, timers off) on the real database and the fake
// Slack; `bare` is a Bolt App with the same HTTPReceiver whose listener only acks.
//
// Parent → child messages: 'idle' (answer once every listener in flight and the outbox are done),
// 'stop'. Child → parent: { type: 'ready', port }, { type: 'idle', ...stats }, { type: 'stopped', ...stats }.

import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import pino from 'pino';
import { BOT_ID, BOT_TOKEN, BOT_USER_ID, SIGNING_SECRET } from './workspace.js';

export interface ChildStats {
  /** RSS once the server was listening, before any request, in MB. */
  startRssMb: number;
  /**
   * Peak RSS of this process (the kernel's high-water mark, VmHWM) in MB; where /proc is missing,
   * the sampled peak. Not getrusage's maxRSS: that keeps the parent's size from before exec.
   */
  peakRssMb: number;
  /** Peak of process.memoryUsage().rss sampled every 50 ms, in MB, and what it was made of. */
  sampledPeakRssMb: number;
  atPeak: { heapTotalMb: number; heapUsedMb: number; externalMb: number };
  /** Log lines at warn or above (each is a failed request or Slack write). */
  warnings: number;
}

async function main(): Promise<void> {
  const mode = process.env.BENCH_MODE;
  const send = (message: object) => process.send?.(message);

  const mb = (bytes: number) => bytes / 2 ** 20;
  let peak = process.memoryUsage();
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    if (now.rss > peak.rss) peak = now;
  }, 50);
  sampler.unref();
  let warnings = 0;
  let startRss = 0;
  const stats = (): ChildStats => ({
    startRssMb: mb(startRss),
    peakRssMb: highWaterMark() ?? mb(peak.rss),
    sampledPeakRssMb: mb(peak.rss),
    atPeak: { heapTotalMb: mb(peak.heapTotal), heapUsedMb: mb(peak.heapUsed), externalMb: mb(peak.external) },
    warnings,
  });
  // Warnings go nowhere but are counted, so a run that went wrong shows in the results.
  const logger = pino({ level: 'warn' }, { write: () => void warnings++ });

  let stop: () => Promise<void>;
  let idle: () => Promise<void>;
  let port: number;
  if (mode === 'bare') {
    const app = new App({
      token: BOT_TOKEN,
      botId: BOT_ID,
      botUserId: BOT_USER_ID,
      logLevel: LogLevel.ERROR,
      receiver: new HTTPReceiver({ signingSecret: SIGNING_SECRET, endpoints: '/slack/events' }),
    });
    // Any action; only Bolt is loaded, so this process's memory is Bolt's own.
    app.action(/.*/, async ({ ack }) => {
      await ack();
    });
    const server = (await app.start(0)) as unknown as Server;
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
    stop = () => app.stop() as Promise<void>;
    idle = async () => {};
  } else {
    // Loaded here so the bare server does not carry Vouch's modules.
    const { createVouch } = await import('../src/bot/app.js');
    const { openDatabase } = await import('../src/db/client.js');
    const { vouchConfig } = await import('./common.js');
    const database = await openDatabase({ url: process.env.DATABASE_URL as string });
    const vouch = createVouch({
      config: vouchConfig(process.env.SLACK_API_URL),
      db: database.db,
      logger,
      botId: BOT_ID,
      botUserId: BOT_USER_ID,
      timers: false,
    });
    ({ port } = await vouch.start(0));
    stop = async () => {
      await vouch.stop();
      await database.close();
    };
    idle = () => vouch.idle();
  }

  process.on('message', (message: unknown) => {
    if (message === 'idle') void idle().then(() => send({ type: 'idle', ...stats() }));
    if (message === 'stop') {
      void stop().then(() => {
        send({ type: 'stopped', ...stats() });
        process.exit(0);
      });
    }
  });
  startRss = process.memoryUsage().rss;
  send({ type: 'ready', port });
}

function highWaterMark(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

main().catch((error: unknown) => {
  console.error('bench server failed:', error);
  process.exit(1);
});
