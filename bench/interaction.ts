// Benchmarks 1 and 2 (click throughput and latency) and 7 (memory).
//
// autocannon sends signed `block_actions` for the Approve button of confirmation DMs at a fixed
// concurrency for a fixed time. Vouch runs as production runs it, the Procfile's web command (the
// build comes first), on a real PostgreSQL and the fake Slack; the baseline is a bare Bolt App with the
// same HTTPReceiver whose listener only acks (`bareBolt.mjs`), run with the same node flags (the
// web command's heap bounds). Each is a process of its own,
// measured from outside (/proc), and they take turns in the same run. Each Vouch repetition
// targets its own slice of fresh delegations awaiting confirmation, more than it can approve in
// the time, so every request approves one: the real transaction (locks, guarded update, audit
// event, outbox rows), committed before the ack. The results say how many requests approved and
// how long the outbox then took to deliver what they queued (the invitee DMs).
//
// A steady phase first offers both sides one click at a time at a fixed rate (the latency of a
// click when nothing queues), and gives the peak RSS at its end.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { actionIds } from '../src/bot/blocks/setupMessages.js';
import { tunableDefaults } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { createDelegationWorkflow } from '../src/workflows/delegation.js';
import { createTimersWorkflow } from '../src/workflows/timers.js';
import { signSlackRequest, type FakeSlack } from '../src/sandbox/slack/index.js';
import { BOT_ID, BOT_TOKEN, BOT_USER_ID, SIGNING_SECRET, truncateAll } from './common.js';
import { freePort } from '../test/support/ports.js';
import { approvedSignatures, runMinimal, type MinimalRun } from './minimal.js';
import { log, median, percentile, ratio, timed } from './stats.js';
import postgres from 'postgres';

export interface InteractionOptions {
  db: Database;
  databaseUrl: string;
  slack: FakeSlack;
  connections: number;
  durationS: number;
  reps: number;
  /** Fresh delegations prepared for each Vouch repetition (cycled if the run sends more). */
  freshPerRep: number;
  /** Fresh delegations for each repetition of the hand-written minimal statement, and for the transaction alone. */
  minimalPerRep: number;
  warmupS: number;
  /** The steady phase: one connection at a fixed rate below what Vouch completes per second. */
  steady: { ratePerS: number; durationS: number };
  /** Benchmark 3's guard: steady clicks while the sweep expires `due` of `invitations` setup invitations. */
  expiry: { invitations: number; due: number };
  /** Only the saturating clicks on both sides, the minimal statement and the transaction alone (no steady phase, no expiry guard). */
  saturationOnly?: boolean;
  /** Extra node flags for the Vouch server only (a profile: `--cpu-prof --cpu-prof-dir=…`). */
  vouchNodeFlags?: string[];
}

export interface SideRun {
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The slowest response. */
  max: number;
}

export interface VouchRun extends SideRun {
  /** Requests that approved a delegation still awaiting confirmation. */
  approved: number;
  /** Requests that found their delegation already approved (a slice ran out; the refusal path). */
  refused: number;
  /** After the last response: until the outbox had delivered everything the run queued. */
  drainAfterMs: number;
}

/** A server process's memory, read from /proc: when listening, and the kernel's high-water mark. */
export interface ProcessMemory {
  startRssMb: number;
  peakRssMb: number;
}

/** The Approve transaction alone, called in this process at the same concurrency: no HTTP, no Bolt. */
export interface TransactionAlone {
  perSecond: number;
  p50: number;
  p99: number;
}

export interface SteadyResult {
  ratePerS: number;
  durationS: number;
  bare: SideRun;
  vouch: VouchRun;
  ratios: { p99: number; p50: number };
  /** Vouch's peak RSS by the end of the steady phase (before any saturating load). */
  vouchPeakRssMb: number;
}

/** Steady clicks on Vouch while the sweep expires many invitations, against the same clicks idle. */
export interface ExpiryResult {
  invitations: number;
  due: number;
  idle: SideRun;
  during: SideRun;
  sweepMs: number;
  expired: number;
}

export interface InteractionResult {
  /** Absent when only the saturating clicks ran. */
  steady?: SteadyResult;
  expiry?: ExpiryResult;
  connections: number;
  durationS: number;
  reps: number;
  freshPerRep: number;
  bare: { runs: SideRun[]; median: SideRun; memory: ProcessMemory };
  vouch: { runs: VouchRun[]; median: VouchRun; memory: ProcessMemory };
  ratios: { p99: number; p50: number; throughput: number };
  transactionAlone: TransactionAlone;
  /** The hand-written minimal Approve (one statement via postgres.js), same concurrency, in this process. */
  minimal: { runs: MinimalRun[]; median: MinimalRun };
  /** What each side wrote per approved delegation, ids replaced: the same signature on both sides. */
  sameRows: { vouch: Array<{ signature: string; n: number }>; minimal: Array<{ signature: string; n: number }>; same: boolean };
}

export interface Target {
  id: string;
  inviter: string;
  invitee: string;
}

/** N accounts, each with its admin, pending setup invitation and delegation awaiting confirmation. */
export async function seedDelegations(db: Database, from: number, count: number): Promise<Target[]> {
  const rows = (await db.execute(sql`
    with a as (
      insert into accounts (name, contract_number, primary_contact_user_id, created_by, created_at)
      select 'Bench Ack ' || g, 'C-' || g, 'UA' || lpad(g::text, 8, '0'), 'bench', now()
      from generate_series(${from}::int, ${from + count - 1}::int) g
      returning id, primary_contact_user_id
    ), m as (
      insert into admin_memberships (account_id, user_id, granted_by, granted_at)
      select id, primary_contact_user_id, 'bench', now() from a
    ), i as (
      insert into setup_invitations (account_id, holder_user_id, issued_at, expires_at)
      select id, primary_contact_user_id, now(), now() + interval '30 days' from a
      returning id, account_id, holder_user_id
    )
    insert into delegations (account_id, setup_invitation_id, inviter_user_id, invitee_user_id, requested_at, confirm_expires_at)
    select account_id, id, holder_user_id, 'UI' || substr(holder_user_id, 3), now(), now() + interval '1 day' from i
    returning id, inviter_user_id, invitee_user_id
  `)) as unknown as Array<{ id: string; inviter_user_id: string; invitee_user_id: string }>;
  return rows
    .map((r) => ({ id: r.id, inviter: r.inviter_user_id, invitee: r.invitee_user_id }))
    .sort((x, y) => x.inviter.localeCompare(y.inviter));
}

let stampSeq = 0;

/** A click on Approve as Slack sends it: form-encoded payload, with the confirmation message. */
function approveBody(target: Target, slack: FakeSlack): string {
  const channel = `D${target.inviter.slice(1)}`;
  const nowS = Date.now() / 1000;
  const ts = `${Math.floor(nowS)}.${String(++stampSeq % 1_000_000).padStart(6, '0')}`;
  const confirmText = `Confirm that <@${target.invitee}> should get manage permissions on *Bench Corp*.`;
  const payload = {
    type: 'block_actions',
    user: { id: target.inviter, username: target.inviter.toLowerCase(), name: target.inviter.toLowerCase(), team_id: slack.teamId },
    api_app_id: slack.appId,
    token: 'fake-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: `${stampSeq}.1.${'0'.repeat(32)}`,
    team: { id: slack.teamId, domain: slack.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: 'directmessage' },
    message: {
      type: 'message',
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      app_id: slack.appId,
      team: slack.teamId,
      text: confirmText,
      ts,
      blocks: [
        { type: 'section', block_id: 'b1', text: { type: 'mrkdwn', text: confirmText, verbatim: false } },
        {
          type: 'actions',
          block_id: `confirm:${target.id}`,
          elements: [
            {
              type: 'button',
              action_id: actionIds.approve,
              text: { type: 'plain_text', text: 'Approve', emoji: true },
              value: target.id,
              style: 'primary',
            },
            { type: 'button', action_id: actionIds.cancel, text: { type: 'plain_text', text: 'Cancel', emoji: true }, value: target.id },
          ],
        },
      ],
    },
    state: { values: {} },
    response_url: `${slack.baseUrl}/response/bench`,
    actions: [
      {
        type: 'button',
        action_id: actionIds.approve,
        block_id: `confirm:${target.id}`,
        text: { type: 'plain_text', text: 'Approve', emoji: true },
        value: target.id,
        style: 'primary',
        action_ts: ts,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Runs autocannon over `targets` (cycled), signing each body at the start of the run. */
export async function load(
  port: number,
  targets: Target[],
  slack: FakeSlack,
  connections: number,
  durationS: number,
  ratePerS?: number,
): Promise<SideRun> {
  const bodies = targets.map((t) => approveBody(t, slack));
  const signed = bodies.map((body) => ({ body, headers: signSlackRequest(SIGNING_SECRET, body, Date.now() / 1000) }));
  let next = 0;
  const latencies: number[] = [];
  const options: autocannon.Options = {
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: durationS,
    ...(ratePerS ? { overallRate: ratePerS } : {}),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/slack/events',
        setupRequest: (req) => {
          const pick = signed[next++ % signed.length]!;
          return {
            ...req,
            body: pick.body,
            headers: { ...req.headers, 'content-type': 'application/x-www-form-urlencoded', ...pick.headers },
          };
        },
      },
    ],
  };
  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(options, (error: unknown, result: autocannon.Result) => (error ? reject(error) : resolve(result)));
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
  });
  const result = await finished;
  latencies.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    throughput: result.requests.total / durationS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

export interface Server {
  port: number;
  process: ChildProcess;
  startRssMb: number;
  memory(): ProcessMemory;
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** The Procfile's web command (`node [flags] dist/main.js`): Vouch runs here as it runs in production. */
export function productionCommand(): { nodeFlags: string[]; script: string } {
  const line = readFileSync(`${repoRoot}Procfile`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('web:'));
  const words = line?.slice('web:'.length).trim().split(/\s+/) ?? [];
  const script = words.at(-1);
  if (words[0] !== 'node' || !script) throw new Error(`the Procfile's web command is not "node [flags] script": ${line}`);
  return { nodeFlags: words.slice(1, -1), script };
}

/** A field of /proc/PID/status in MB (Linux; NaN elsewhere). */
function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function waitUntilServing(port: number, child: ChildProcess, name: string): Promise<void> {
  for (let tries = 0; tries < 600; tries++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => true,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${name} did not start listening`);
}

export async function startServer(
  name: 'vouch' | 'bare',
  script: string,
  nodeFlags: string[],
  env: Record<string, string>,
): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeFlags, script], {
    // Not the project directory, so that a developer's .env stays out of it.
    cwd: '/',
    env: { PATH: process.env.PATH ?? '', PORT: String(port), SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitUntilServing(port, child, name);
  const pid = child.pid ?? 0;
  const startRssMb = procStatusMb(pid, 'VmRSS');
  return {
    port,
    process: child,
    startRssMb,
    memory: () => ({ startRssMb, peakRssMb: procStatusMb(pid, 'VmHWM') }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Until the outbox has nothing left to deliver (everything the run queued reached the fake Slack). */
export async function outboxDrained(db: Database): Promise<void> {
  for (;;) {
    const [row] = (await db.execute(sql`select count(*)::int as n from outbox where status = 'pending'`)) as unknown as Array<{
      n: number;
    }>;
    if ((row?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sideMedian = <T extends SideRun>(runs: T[]): T => {
  const keys = Object.keys(runs[0]!) as Array<keyof T>;
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k] as number))])) as unknown as T;
};

/** Approvals counted in the database: delegations of `slice` that moved to awaiting acceptance. */
async function approvedIn(db: Database, slice: Target[]): Promise<number> {
  const [row] = (await db.execute(
    sql`select count(*)::int as n from delegations
        where status = 'awaiting_acceptance' and inviter_user_id between ${slice[0]!.inviter} and ${slice.at(-1)!.inviter}`,
  )) as unknown as Array<{ n: number }>;
  return row?.n ?? 0;
}

/**
 * Benchmark 3's guard: `invitations` more setup invitations (other accounts), `due` of them past
 * their deadline. Steady clicks once idle, then again while the sweep (as the timers run it)
 * expires the due ones: the clicks' p99 and slowest, against idle.
 */
async function clicksDuringExpiry(
  db: Database,
  vouch: Server,
  slack: FakeSlack,
  idleSlice: Target[],
  duringSlice: Target[],
  steady: { ratePerS: number; durationS: number },
  expiry: { invitations: number; due: number },
): Promise<ExpiryResult> {
  log(`interaction: expiry guard: seeding ${expiry.invitations} setup invitations, ${expiry.due} due`);
  await db.execute(sql`
    with a as (
      insert into accounts (name, contract_number, primary_contact_user_id, created_by, created_at)
      select 'Bench Expiry ' || g, 'E-' || g, 'UE' || lpad(g::text, 8, '0'), 'bench', now()
      from generate_series(1, ${expiry.invitations}::int) g
      returning id, primary_contact_user_id
    )
    insert into setup_invitations (account_id, holder_user_id, issued_at, expires_at)
    select id, primary_contact_user_id, now() - interval '31 days',
      case when row_number() over (order by random()) <= ${expiry.due}::int then now() - interval '1 minute' else now() + interval '20 days' end
    from a`);
  await db.execute(sql`vacuum analyze`);
  const idle = await load(vouch.port, idleSlice, slack, 1, steady.durationS, steady.ratePerS);
  await outboxDrained(db);
  const ttls = { setupInviteMs: tunableDefaults.SETUP_INVITE_TTL, confirmMs: tunableDefaults.CONFIRM_TTL };
  const reminders = { setupBeforeMs: tunableDefaults.SETUP_REMIND_BEFORE, confirmBeforeMs: tunableDefaults.CONFIRM_REMIND_BEFORE };
  const timers = createTimersWorkflow({ db, clock: () => new Date(), ttls, reminders, newId: randomUUID });
  const clicks = load(vouch.port, duringSlice, slack, 1, steady.durationS, steady.ratePerS);
  // The sweep starts a second into the clicks and runs as the timers run it.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const swept = await timed(() => timers.sweep());
  const during = await clicks;
  await outboxDrained(db);
  log(
    `interaction: expiry guard: idle p99 ${idle.p99.toFixed(1)} ms; during a ${swept.ms.toFixed(0)} ms sweep of ${swept.value.setupInvitations}: p99 ${during.p99.toFixed(1)} ms, slowest ${during.max.toFixed(0)} ms`,
  );
  return { ...expiry, idle, during, sweepMs: swept.ms, expired: swept.value.setupInvitations };
}

/** The signatures of what was written per approved delegation of `ids` (bench/minimal.ts). */
async function signatures(databaseUrl: string, ids: string[]): Promise<Array<{ signature: string; n: number }>> {
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    // The CTEs it joins carry no statistics: without this the planner may nest loops over the outbox.
    await client`set enable_nestloop = off`;
    return [...(await client.unsafe(approvedSignatures, [ids]))] as unknown as Array<{ signature: string; n: number }>;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** `connections` workers approve the slice's delegations one after another for `durationS`. */
export async function transactionAlone(db: Database, slice: Target[], connections: number, durationS: number): Promise<TransactionAlone> {
  const ttls = { setupInviteMs: tunableDefaults.SETUP_INVITE_TTL, confirmMs: tunableDefaults.CONFIRM_TTL };
  const delegation = createDelegationWorkflow({ db, clock: () => new Date(), ttls, newId: randomUUID });
  const latencies: number[] = [];
  const until = performance.now() + durationS * 1000;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until && next < slice.length) {
        const target = slice[next++]!;
        const t = performance.now();
        const result = await delegation.act({ delegationId: target.id, action: 'approve', actor: target.inviter });
        if (result.kind !== 'ok') throw new Error(`approve refused: ${result.refusal.reason}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** One Vouch run over `slice`, then the wait until the outbox has delivered what it queued. */
async function vouchRun(
  db: Database,
  vouch: Server,
  slice: Target[],
  slack: FakeSlack,
  connections: number,
  durationS: number,
  ratePerS?: number,
): Promise<VouchRun> {
  const v = await load(vouch.port, slice, slack, connections, durationS, ratePerS);
  const drain = await timed(() => outboxDrained(db));
  slack.clearCalls(); // the stand-in records every call: dropped between runs, so this process stays small
  const approved = await approvedIn(db, slice);
  return { ...v, approved, refused: Math.max(0, v.requests - approved), drainAfterMs: drain.ms };
}

export async function runInteraction(options: InteractionOptions): Promise<InteractionResult> {
  const { db, slack, connections, durationS, reps, freshPerRep: perRep, minimalPerRep, warmupS, steady, expiry } = options;
  await truncateAll(db);
  const steadyCount = Math.ceil(steady.ratePerS * (steady.durationS + 1)) + connections;
  const steadyWarmupCount = Math.ceil(steady.ratePerS * (warmupS + 1)) + connections;
  const sizes = [
    steadyWarmupCount,
    steadyCount,
    steadyCount,
    steadyCount,
    perRep,
    minimalPerRep,
    ...Array.from({ length: reps }, () => perRep),
    ...Array.from({ length: reps }, () => minimalPerRep),
  ];
  const total = sizes.reduce((a, b) => a + b, 0);
  log(`interaction: preparing ${total} delegations awaiting confirmation`);
  const all = await seedDelegations(db, 1, total);
  let offset = 0;
  const [steadyWarmupSlice, steadySlice, idleSlice, duringSlice, warmupSlice, aloneSlice, ...rest] = sizes.map((n) => {
    const slice = all.slice(offset, offset + n);
    offset += n;
    return slice;
  });
  const repSlices = rest.slice(0, reps);
  const minimalSlices = rest.slice(reps);
  // The people Vouch's clicks send DMs to (the minimal statement's rows are never delivered).
  for (const t of all.slice(0, all.length - reps * minimalPerRep)) {
    slack.addUser({ id: t.inviter, name: t.inviter.toLowerCase() });
    slack.addUser({ id: t.invitee, name: t.invitee.toLowerCase() });
    slack.dmChannelId(t.inviter);
  }
  await db.execute(sql`vacuum analyze`);

  // First, while this process is small: later the fake Slack holds every message posted.
  const minimalRuns: MinimalRun[] = [];
  for (const [rep, slice] of minimalSlices.entries()) {
    const m = await runMinimal(options.databaseUrl, slice!, connections, durationS);
    minimalRuns.push(m);
    log(
      `interaction: minimal statement rep ${rep + 1}/${reps}: ${m.perSecond.toFixed(0)} per s, p99 ${m.p99.toFixed(1)} ms, ${m.approved} approved`,
    );
  }
  const minimalIds = minimalSlices.flatMap((slice) => slice!.map((t) => t.id));
  const minimalWrote = await signatures(options.databaseUrl, minimalIds);
  // Its outbox rows are only there to be compared: Vouch's outbox worker must not deliver them.
  await db.execute(sql`update outbox set status = 'sent', sent_at = now() where status = 'pending'`);
  log('interaction: the Approve transaction alone, in this process');
  const alone = await transactionAlone(db, aloneSlice!, connections, durationS);
  log(`interaction: transaction alone ${alone.perSecond.toFixed(0)} per s, p99 ${alone.p99.toFixed(1)} ms`);
  log('interaction: building Vouch (npm run build)');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const web = productionCommand();
  // The same heap flags as Vouch's web command, so that peak RSS compares the programs, not V8's defaults.
  const bare = await startServer('bare', fileURLToPath(new URL('./bareBolt.mjs', import.meta.url)), web.nodeFlags, { BOT_ID, BOT_USER_ID });
  const vouch = await startServer('vouch', `${repoRoot}${web.script}`, [...web.nodeFlags, ...(options.vouchNodeFlags ?? [])], {
    DATABASE_URL: options.databaseUrl,
    SLACK_API_URL: slack.apiUrl,
    SUPPORT_CHANNEL_ID: 'C0SUPPORT',
    PROVISIONING_TOKEN: 'bench-provisioning-token-0123456789',
    LOG_LEVEL: 'warn',
    // The expiry guard runs the sweep itself, at a known moment: the server's own timer keeps off.
    SWEEP_SCHEDULE: '0 0 1 1 *',
  });
  try {
    let steadyResult: SteadyResult | undefined;
    let expiryResult: ExpiryResult | undefined;
    if (!options.saturationOnly) {
      log(`interaction: steady phase, one click at a time, ${steady.ratePerS} req/s for ${steady.durationS}s`);
      await load(bare.port, steadyWarmupSlice!, slack, 1, warmupS, steady.ratePerS);
      await load(vouch.port, steadyWarmupSlice!, slack, 1, warmupS, steady.ratePerS);
      await outboxDrained(db);
      const steadyBare = await load(bare.port, steadySlice!, slack, 1, steady.durationS, steady.ratePerS);
      const steadyVouch = await vouchRun(db, vouch, steadySlice!, slack, 1, steady.durationS, steady.ratePerS);
      const afterSteady = vouch.memory();
      log(
        `interaction: steady: bare p99 ${steadyBare.p99.toFixed(1)} ms, vouch p99 ${steadyVouch.p99.toFixed(1)} ms, vouch peak RSS ${afterSteady.peakRssMb.toFixed(0)} MB`,
      );
      steadyResult = {
        ...steady,
        bare: steadyBare,
        vouch: steadyVouch,
        ratios: { p99: ratio(steadyVouch.p99, steadyBare.p99), p50: ratio(steadyVouch.p50, steadyBare.p50) },
        vouchPeakRssMb: afterSteady.peakRssMb,
      };
      expiryResult = await clicksDuringExpiry(db, vouch, slack, idleSlice!, duringSlice!, steady, expiry);
    }

    log(`interaction: saturation, ${connections} connections: warming up both servers`);
    await load(bare.port, warmupSlice!, slack, connections, warmupS);
    await load(vouch.port, warmupSlice!, slack, connections, warmupS);
    await outboxDrained(db);

    const bareRuns: SideRun[] = [];
    const vouchRuns: VouchRun[] = [];
    for (const [rep, slice] of repSlices.entries()) {
      // The bare side gets the same kind of bodies; it ignores what they say.
      const b = await load(bare.port, warmupSlice!, slack, connections, durationS);
      bareRuns.push(b);
      const v = await vouchRun(db, vouch, slice, slack, connections, durationS);
      vouchRuns.push(v);
      log(
        `interaction rep ${rep + 1}/${reps}: bare ${b.throughput.toFixed(0)} req/s p99 ${b.p99.toFixed(1)} ms; ` +
          `vouch ${v.throughput.toFixed(0)} req/s p99 ${v.p99.toFixed(1)} ms, ${v.approved} approved, drained ${v.drainAfterMs.toFixed(0)} ms later`,
      );
    }
    const bareStats = bare.memory();
    const vouchStats = vouch.memory();
    const vouchWrote = await signatures(
      options.databaseUrl,
      repSlices.flatMap((slice) => slice!.map((t) => t.id)),
    );
    const sameRows = {
      vouch: vouchWrote,
      minimal: minimalWrote,
      same: vouchWrote.length === 1 && minimalWrote.length === 1 && vouchWrote[0]!.signature === minimalWrote[0]!.signature,
    };
    log(`interaction: both sides wrote the same rows per approval: ${sameRows.same ? 'yes' : 'NO'}`);
    const bareMedian = sideMedian(bareRuns);
    const vouchMedian = sideMedian(vouchRuns);
    return {
      ...(expiryResult ? { expiry: expiryResult } : {}),
      ...(steadyResult ? { steady: steadyResult } : {}),
      connections,
      durationS,
      reps,
      freshPerRep: perRep,
      bare: { runs: bareRuns, median: bareMedian, memory: bareStats },
      vouch: { runs: vouchRuns, median: vouchMedian, memory: vouchStats },
      ratios: {
        p99: ratio(vouchMedian.p99, bareMedian.p99),
        p50: ratio(vouchMedian.p50, bareMedian.p50),
        throughput: ratio(vouchMedian.throughput, bareMedian.throughput),
      },
      transactionAlone: alone,
      minimal: { runs: minimalRuns, median: sideMedian(minimalRuns as unknown as SideRun[]) as unknown as MinimalRun },
      sameRows,
    };
  } finally {
    await Promise.all([bare.stop(), vouch.stop()]);
  }
}
