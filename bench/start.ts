// Benchmark 6 (start-up).
//
// Every start is a new OS process, timed from spawn until it answers: Vouch until GET /readyz
// answers 200 (database reachable, migrations current, support channel private), the bare Bolt
// app (`bareBolt.mjs`) until it answers HTTP at all. Medians of `reps` starts each, the two sides
// taking turns:
// - a second `npm start` (dist/ already built from the current sources) against a plain
//   `node dist/main.js`, both on PostgreSQL;
// - a cold start of the Procfile's web command on PostgreSQL against the bare Bolt app, run with
//   the same heap flags;
// - PGlite (no DATABASE_URL): the first start in a new data directory (it creates the database
//   and runs every migration), then a restart on that directory.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/ports.js';
import { BOT_ID, BOT_TOKEN, BOT_USER_ID, SIGNING_SECRET } from './common.js';
import { productionCommand } from './interaction.js';
import { log, median } from './stats.js';

export interface StartResult {
  reps: number;
  /** Each: median ms from spawn to the first answer that counts. */
  npmStart: number;
  plainNode: number;
  procfilePostgres: number;
  bareBolt: number;
  pgliteFirst: number;
  pgliteRestart: number;
  runs: Record<string, number[]>;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Spawns `command`, polls `path` on its port every 5 ms until `ready(status)`, then stops it; returns the ms it took. */
async function timeStart(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { cwd: string; path: string; ready: (status: number) => boolean },
): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited with ${child.exitCode}`);
      if (performance.now() - started > 120_000) throw new Error(`${command} ${args.join(' ')} did not start in 2 minutes`);
      const status = await fetch(`http://127.0.0.1:${port}${options.path}`).then(
        async (res) => {
          await res.arrayBuffer();
          return res.status;
        },
        () => 0,
      );
      if (status !== 0 && options.ready(status)) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    // npm start runs node under npm (and a shell): stop the whole process group.
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
}

export async function runStart(options: { databaseUrl: string; slackApiUrl: string; reps: number }): Promise<StartResult> {
  log('start: building (node scripts/build.mjs --if-stale)');
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const vouchEnv = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    SUPPORT_CHANNEL_ID: 'C0SUPPORT',
    PROVISIONING_TOKEN: 'bench-provisioning-token-0123456789',
    LOG_LEVEL: 'warn',
  };
  const postgresEnv = { ...vouchEnv, DATABASE_URL: options.databaseUrl };
  const readyz = { path: '/readyz', ready: (status: number) => status === 200 };
  const web = productionCommand();
  const runs: Record<string, number[]> = {
    npmStart: [],
    plainNode: [],
    procfilePostgres: [],
    bareBolt: [],
    pgliteFirst: [],
    pgliteRestart: [],
  };
  const dataDirs: string[] = [];
  try {
    for (let rep = 0; rep < options.reps; rep++) {
      runs.plainNode!.push(await timeStart(process.execPath, ['dist/main.js'], postgresEnv, { cwd: repoRoot, ...readyz }));
      runs.npmStart!.push(await timeStart('npm', ['start', '--silent'], postgresEnv, { cwd: repoRoot, ...readyz }));
      runs.bareBolt!.push(
        await timeStart(
          process.execPath,
          [...web.nodeFlags, fileURLToPath(new URL('./bareBolt.mjs', import.meta.url))],
          { ...vouchEnv, BOT_ID, BOT_USER_ID },
          {
            cwd: '/',
            path: '/',
            ready: () => true,
          },
        ),
      );
      runs.procfilePostgres!.push(
        await timeStart(process.execPath, [...web.nodeFlags, join(repoRoot, web.script)], postgresEnv, { cwd: '/', ...readyz }),
      );
      const dataDir = mkdtempSync(join(tmpdir(), 'vouch-bench-pglite-'));
      dataDirs.push(dataDir);
      const pgliteEnv = { ...vouchEnv, DATA_DIR: dataDir };
      runs.pgliteFirst!.push(
        await timeStart(process.execPath, [...web.nodeFlags, join(repoRoot, web.script)], pgliteEnv, { cwd: '/', ...readyz }),
      );
      runs.pgliteRestart!.push(
        await timeStart(process.execPath, [...web.nodeFlags, join(repoRoot, web.script)], pgliteEnv, { cwd: '/', ...readyz }),
      );
      log(
        `start rep ${rep + 1}/${options.reps}: ` +
          Object.entries(runs)
            .map(([k, v]) => `${k} ${v.at(-1)!.toFixed(0)} ms`)
            .join(', '),
      );
    }
  } finally {
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
  const m = (k: string) => median(runs[k]!);
  return {
    reps: options.reps,
    npmStart: m('npmStart'),
    plainNode: m('plainNode'),
    procfilePostgres: m('procfilePostgres'),
    bareBolt: m('bareBolt'),
    pgliteFirst: m('pgliteFirst'),
    pgliteRestart: m('pgliteRestart'),
    runs,
  };
}
