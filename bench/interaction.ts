// Benchmark 1 (interaction ack) and 4 (memory).
//
// autocannon sends signed `block_actions` for the Approve button of confirmation DMs at a fixed
// concurrency for a fixed time. Vouch (createVouch, timers off, real PostgreSQL, fake Slack) and a
// bare Bolt App with the same HTTPReceiver whose listener only acks run in child processes of
// their own, alternately, in the same run. Each Vouch repetition targets its own slice of fresh
// delegations awaiting confirmation, so each request approves one (the real transaction: lock,
// guarded update, audit event, outbox rows; then the invitee DM through the fake Slack). A slice
// that runs out is cycled, and the repeated clicks take the refusal path (also a transaction,
// answered with an ephemeral message); the results say how many requests were which.
//
// Vouch acks before it does the work, so at full concurrency the work queues up behind the acks;
// the results give the time that queue took to drain. A steady phase first offers both sides a
// fixed rate Vouch can keep up with (fresh approvals only), and the peak RSS at its end.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { actionIds } from '../src/bot/blocks/setupMessages.js';
import type { Database } from '../src/db/client.js';
import type { FakeSlack } from '../src/sandbox/fakeSlack.js';
import { signSlackRequest } from '../src/sandbox/signing.js';
import type { ChildStats } from './ackServer.js';
import { BOT_ID, BOT_USER_ID, SIGNING_SECRET, truncateAll } from './common.js';
import { log, median, ratio, timed } from './stats.js';

export interface InteractionOptions {
  db: Database;
  databaseUrl: string;
  slack: FakeSlack;
  connections: number;
  durationS: number;
  reps: number;
  /** Fresh delegations prepared for each Vouch repetition (cycled when the run sends more). */
  freshPerRep: number;
  warmupS: number;
  /** The steady phase: a fixed request rate below what Vouch completes per second. */
  steady: { ratePerS: number; durationS: number };
}

export interface SideRun {
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface VouchRun extends SideRun {
  /** Requests that approved a delegation still awaiting confirmation. */
  approved: number;
  /** Requests that found their delegation already approved (the refusal path). */
  refused: number;
  /** After the last response: until every listener in flight and the outbox were done. */
  drainAfterMs: number;
  /** Transactions finished per second, counting that drain. */
  completedPerS: number;
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

export interface InteractionResult {
  steady: SteadyResult;
  connections: number;
  durationS: number;
  reps: number;
  freshPerRep: number;
  bare: { runs: SideRun[]; median: SideRun; memory: ChildStats };
  vouch: { runs: VouchRun[]; median: VouchRun; memory: ChildStats };
  ratios: { p99: number; p50: number; throughput: number };
}

interface Target {
  id: string;
  inviter: string;
  invitee: string;
}

/** N accounts, each with its admin, pending setup invitation and delegation awaiting confirmation. */
async function seedDelegations(db: Database, from: number, count: number): Promise<Target[]> {
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
  return rows.map((r) => ({ id: r.id, inviter: r.inviter_user_id, invitee: r.invitee_user_id })).sort((x, y) => x.inviter.localeCompare(y.inviter));
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
            { type: 'button', action_id: actionIds.approve, text: { type: 'plain_text', text: 'Approve', emoji: true }, value: target.id, style: 'primary' },
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
async function load(port: number, targets: Target[], slack: FakeSlack, connections: number, durationS: number, ratePerS?: number): Promise<SideRun> {
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
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
  return {
    requests: result.requests.total,
    throughput: result.requests.total / durationS,
    p50: pct(50),
    p99: pct(99),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

interface Child {
  port: number;
  ask(message: 'idle' | 'stop'): Promise<ChildStats>;
  process: ChildProcess;
}

async function startChild(mode: 'vouch' | 'bare', env: Record<string, string>): Promise<Child> {
  const child = fork(fileURLToPath(new URL('./ackServer.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env, BENCH_MODE: mode },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters: Array<(m: { type: string } & ChildStats) => void> = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    child.on('message', (m: { type: string; port?: number } & ChildStats) => {
      if (m.type === 'ready') resolve(m.port ?? 0);
      else waiters.shift()?.(m);
    });
  });
  child.removeAllListeners('exit');
  return {
    port,
    process: child,
    ask: (message) =>
      new Promise((resolve) => {
        waiters.push(resolve);
        child.send(message);
      }),
  };
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

/** One Vouch run over `slice`, then the wait until its work is done. */
async function vouchRun(db: Database, vouch: Child, slice: Target[], slack: FakeSlack, connections: number, durationS: number, ratePerS?: number): Promise<VouchRun> {
  const v = await load(vouch.port, slice, slack, connections, durationS, ratePerS);
  const drain = await timed(() => vouch.ask('idle'));
  const approved = await approvedIn(db, slice);
  return {
    ...v,
    approved,
    refused: Math.max(0, v.requests - approved),
    drainAfterMs: drain.ms,
    completedPerS: v.requests / (durationS + drain.ms / 1000),
  };
}

export async function runInteraction(options: InteractionOptions): Promise<InteractionResult> {
  const { db, slack, connections, durationS, reps, freshPerRep: perRep, warmupS, steady } = options;
  await truncateAll(db);
  const steadyCount = Math.ceil(steady.ratePerS * (steady.durationS + 1)) + connections;
  const steadyWarmupCount = Math.ceil(steady.ratePerS * (warmupS + 1)) + connections;
  const sizes = [steadyWarmupCount, steadyCount, perRep, ...Array.from({ length: reps }, () => perRep)];
  const total = sizes.reduce((a, b) => a + b, 0);
  log(`interaction: preparing ${total} delegations awaiting confirmation`);
  const all = await seedDelegations(db, 1, total);
  for (const t of all) {
    slack.addUser({ id: t.inviter, name: t.inviter.toLowerCase() });
    slack.addUser({ id: t.invitee, name: t.invitee.toLowerCase() });
    slack.dmChannelId(t.inviter);
  }
  let offset = 0;
  const [steadyWarmupSlice, steadySlice, warmupSlice, ...repSlices] = sizes.map((n) => all.slice(offset, (offset += n)));
  await db.execute(sql`vacuum analyze`);

  const bare = await startChild('bare', {});
  const vouch = await startChild('vouch', { DATABASE_URL: options.databaseUrl, SLACK_API_URL: slack.apiUrl });
  try {
    log(`interaction: steady phase, ${steady.ratePerS} req/s for ${steady.durationS}s`);
    await load(bare.port, steadyWarmupSlice!, slack, connections, warmupS, steady.ratePerS);
    await load(vouch.port, steadyWarmupSlice!, slack, connections, warmupS, steady.ratePerS);
    await vouch.ask('idle');
    const steadyBare = await load(bare.port, steadySlice!, slack, connections, steady.durationS, steady.ratePerS);
    const steadyVouch = await vouchRun(db, vouch, steadySlice!, slack, connections, steady.durationS, steady.ratePerS);
    const afterSteady = await vouch.ask('idle');
    log(`interaction: steady: bare p99 ${steadyBare.p99.toFixed(1)} ms, vouch p99 ${steadyVouch.p99.toFixed(1)} ms, vouch peak RSS ${afterSteady.peakRssMb.toFixed(0)} MB`);

    log(`interaction: saturation, ${connections} connections: warming up both servers`);
    await load(bare.port, warmupSlice!, slack, connections, warmupS);
    await load(vouch.port, warmupSlice!, slack, connections, warmupS);
    await vouch.ask('idle');

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
    const bareStats = await bare.ask('stop');
    const vouchStats = await vouch.ask('stop');
    const bareMedian = sideMedian(bareRuns);
    const vouchMedian = sideMedian(vouchRuns);
    return {
      steady: {
        ...steady,
        bare: steadyBare,
        vouch: steadyVouch,
        ratios: { p99: ratio(steadyVouch.p99, steadyBare.p99), p50: ratio(steadyVouch.p50, steadyBare.p50) },
        vouchPeakRssMb: afterSteady.peakRssMb,
      },
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
    };
  } finally {
    for (const c of [bare, vouch]) if (c.process.exitCode === null) c.process.kill();
  }
}
