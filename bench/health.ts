// Benchmark 4 (health and metrics as the outbox grows; the reconciliation scan as history grows).
//
// The outbox grows to each size (almost every row delivered, as in production; 100 waiting and
// 100 dead), then is vacuumed as autovacuum would. Timed at each size, medians of many runs:
// the reference, a count of waiting rows through the pending-rows index (index only); the read
// that /healthz, /readyz and /metrics make (`outboxStatsWith`, with the migrations count /readyz
// adds); the whole-table read they made before (informational); and the three endpoints over HTTP
// on a Vouch running in this process, whose reference is the same endpoint with an empty outbox.
// Then one prune run (20 batches of 1,000) at the largest size.
//
// The reconciliation: `live` setup invitations still pending with their DMs, plus `history`
// closed invitations whose DMs show their final state (what pruning deletes). The scan is timed
// at each history size before pruning, then once more after the prune job's query has deleted the
// settled history, against the scan with no history at all.

import { sql } from 'drizzle-orm';
import pino from 'pino';
import { createVouch } from '../src/bot/app.js';
import type { Database } from '../src/db/client.js';
import { pruneSettledMessages } from '../src/db/messages.js';
import { outboxStatsWith, pruneSent } from '../src/db/outbox.js';
import { staleRecordVersions } from '../src/db/reconcile.js';
import type { FakeSlack } from '../src/sandbox/slack/index.js';
import { BOT_ID, BOT_USER_ID, truncateAll, vouchConfig } from './common.js';
import { log, median, timed } from './stats.js';

export interface HealthSize {
  rows: number;
  /** `select count(*) from outbox where status = 'pending'`: an index-only scan. */
  indexOnlyMs: number;
  /** The endpoints' read: pending, dead, oldest pending and the migrations count, one round trip. */
  endpointReadMs: number;
  /** The read the endpoints made before: one pass over the whole table. */
  wholeTableMs: number;
  /** Median time of one GET, over HTTP, in this process. */
  http: { healthz: number; readyz: number; metrics: number };
}

export interface ReconcileSize {
  history: number;
  live: number;
  scanMs: number;
}

export interface HealthResult {
  sizes: HealthSize[];
  /** One prune run (at most 20 statements of 1,000 rows) at the largest size. */
  pruneRun: { rows: number; deleted: number; ms: number };
  reconcile: {
    sizes: ReconcileSize[];
    /** After the prune query deleted the settled history of the largest size (and a vacuum). */
    afterPrune: ReconcileSize & { prunedMessages: number; pruneMs: number };
  };
}

const DAY_MS = 86_400_000;

/** Adds outbox rows `from`..`to` (1-based): the first 100 are waiting, the next 100 dead, the rest sent 8 days ago or earlier. */
async function growOutbox(db: Database, from: number, to: number, now: Date): Promise<void> {
  const at = now.toISOString();
  await db.execute(sql`
    insert into outbox (key, payload, status, attempts, created_at, next_attempt_at, sent_at, last_error)
    select 'bench:health:' || g, jsonb_build_object('type', 'home', 'userId', 'U' || g),
      case when g <= 100 then 'pending' when g <= 200 then 'dead' else 'sent' end,
      1,
      ${at}::timestamptz - (${to}::int - g + 1) * interval '200 milliseconds' - interval '8 days',
      -- The waiting rows retry tomorrow, so the Vouch measured here does not deliver them.
      case when g <= 100 then ${at}::timestamptz + interval '1 day'
           else ${at}::timestamptz - (${to}::int - g + 1) * interval '200 milliseconds' - interval '8 days' end,
      case when g > 200 then ${at}::timestamptz - (${to}::int - g + 1) * interval '200 milliseconds' - interval '8 days' end,
      case when g > 100 and g <= 200 then 'channel_not_found' end
    from generate_series(${from}::int, ${to}::int) g`);
  await db.execute(sql`vacuum analyze outbox`);
}

async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  return (await pairedMedians(runs, [fn]))[0]!;
}

/** Each function `runs` times, taking turns (so that a change in the machine's load hits all alike); their median times. */
async function pairedMedians(runs: number, fns: Array<() => Promise<unknown>>): Promise<number[]> {
  for (let i = 0; i < Math.min(10, runs); i++) for (const fn of fns) await fn();
  const times = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [n, fn] of fns.entries()) times[n]!.push((await timed(fn)).ms);
  }
  return times.map(median);
}

async function get(url: string): Promise<void> {
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
}

/**
 * Live pending invitations and closed ones, each with its DM recorded (`slack_messages`). A closed
 * one's account is set up: an expired invitation of an account still awaiting setup keeps its DM
 * (it offers Get a new invitation), so it is not settled history.
 */
async function growInvitations(db: Database, from: number, to: number, status: 'pending' | 'expired', now: Date): Promise<void> {
  if (to < from) return;
  const at = now.toISOString();
  const version = status === 'pending' ? 1 : 2;
  await db.execute(sql`
    with a as (
      insert into accounts (name, contract_number, primary_contact_user_id, created_by, created_at, status)
      select 'Bench Reconcile ' || g, 'C-' || g, 'UR' || lpad(g::text, 8, '0'), 'bench', ${at}::timestamptz,
        case when ${status} = 'pending' then 'pending_setup' else 'active' end
      from generate_series(${from}::int, ${to}::int) g
      returning id, primary_contact_user_id
    ), i as (
      insert into setup_invitations (account_id, holder_user_id, status, version, issued_at, expires_at, closed_at, closed_by)
      select id, primary_contact_user_id, ${status}, ${version}::int, ${at}::timestamptz - interval '40 days',
        ${at}::timestamptz + case when ${status} = 'pending' then interval '20 days' else interval '-10 days' end,
        case when ${status} = 'expired' then ${at}::timestamptz - interval '10 days' end,
        case when ${status} = 'expired' then 'system' end
      from a
      returning id, holder_user_id
    )
    insert into slack_messages (surface, subject_id, channel_id, ts, rendered_version, posted_at)
    select 'setup', id, 'D' || substr(holder_user_id, 2), '1700000000.000100', ${version}::int, ${at}::timestamptz - interval '40 days' from i`);
  await db.execute(sql`vacuum analyze accounts, setup_invitations, slack_messages`);
}

async function reconcileScanMs(db: Database, runs: number): Promise<number> {
  return medianMs(runs, async () => {
    const stale = (await staleRecordVersions(db)).length;
    if (stale !== 0) throw new Error(`the reconciliation found ${stale} stale messages where none is`);
  });
}

export async function runHealth(
  db: Database,
  slack: FakeSlack,
  options: { sizes: number[]; runs: number; reconcile: { live: number; history: number[]; runs: number } },
): Promise<HealthResult> {
  await truncateAll(db);
  const now = new Date();
  const vouch = createVouch({
    config: vouchConfig(slack.apiUrl),
    db,
    logger: pino({ level: 'silent' }),
    botId: BOT_ID,
    botUserId: BOT_USER_ID,
    timers: false,
  });
  const { port } = await vouch.start(0);
  const base = `http://127.0.0.1:${port}`;
  // Warm: the first requests of a new process compile their code paths.
  for (let i = 0; i < 100; i++) for (const path of ['healthz', 'readyz', 'metrics']) await get(`${base}/${path}`);
  const sizes: HealthSize[] = [];
  let pruneRun = { rows: 0, deleted: 0, ms: 0 };
  try {
    let rows = 0;
    for (const size of [0, ...options.sizes]) {
      if (size > rows) {
        log(`health: outbox grows to ${size} rows`);
        await growOutbox(db, rows + 1, size, now);
        rows = size;
      }
      const [indexOnlyMs = 0, endpointReadMs = 0] = await pairedMedians(options.runs, [
        () => db.execute(sql`select count(*)::int as n from outbox where status = 'pending'`),
        () => outboxStatsWith(db, now, true),
      ]);
      const wholeTableMs = await medianMs(size >= 1_000_000 ? 3 : 10, () =>
        db.execute(sql`
          select count(*) filter (where status = 'pending')::int, count(*) filter (where status = 'dead')::int,
                 min(created_at) filter (where status = 'pending') from outbox`),
      );
      const [healthz = 0, readyz = 0, metrics = 0] = await pairedMedians(
        options.runs,
        ['healthz', 'readyz', 'metrics'].map((path) => () => get(`${base}/${path}`)),
      );
      const http = { healthz, readyz, metrics };
      sizes.push({ rows: size, indexOnlyMs, endpointReadMs, wholeTableMs, http });
      log(
        `health: ${size} rows: index only ${indexOnlyMs.toFixed(2)} ms, endpoints' read ${endpointReadMs.toFixed(2)} ms, whole table ${wholeTableMs.toFixed(1)} ms; ` +
          `GET /healthz ${http.healthz.toFixed(2)}, /readyz ${http.readyz.toFixed(2)}, /metrics ${http.metrics.toFixed(2)} ms`,
      );
    }
    const pruned = await timed(() => pruneSent(db, new Date(now.getTime() - 7 * DAY_MS)));
    pruneRun = { rows, deleted: pruned.value, ms: pruned.ms };
    log(`health: one prune run at ${rows} rows deleted ${pruned.value} in ${pruned.ms.toFixed(0)} ms`);
  } finally {
    await vouch.stop();
  }

  await truncateAll(db);
  const { live, runs } = options.reconcile;
  log(`reconcile: ${live} live invitations with their DMs`);
  await growInvitations(db, 1, live, 'pending', now);
  const reconcileSizes: ReconcileSize[] = [];
  let history = 0;
  for (const size of [0, ...options.reconcile.history]) {
    if (size > history) {
      log(`reconcile: history grows to ${size} closed invitations with settled DMs`);
      await growInvitations(db, live + history + 1, live + size, 'expired', now);
      history = size;
    }
    const scanMs = await reconcileScanMs(db, runs);
    reconcileSizes.push({ history: size, live, scanMs });
    log(`reconcile: ${live} live + ${size} history: scan ${scanMs.toFixed(1)} ms`);
  }
  const prune = await timed(() => pruneSettledMessages(db, now, { maxBatches: Number.MAX_SAFE_INTEGER }));
  await db.execute(sql`vacuum analyze slack_messages`);
  const after = await reconcileScanMs(db, runs);
  log(`reconcile: pruned ${prune.value} settled messages in ${prune.ms.toFixed(0)} ms; scan now ${after.toFixed(1)} ms`);
  await truncateAll(db);
  return {
    sizes,
    pruneRun,
    reconcile: { sizes: reconcileSizes, afterPrune: { history, live, scanMs: after, prunedMessages: prune.value, pruneMs: prune.ms } },
  };
}
