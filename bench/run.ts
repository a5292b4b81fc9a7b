// `npm run bench`: Vouch's benchmarks, each comparison run on both sides in this one run. Starts
// its own PostgreSQL server in a temporary directory and stops it at the end. Prints one table,
// one line per figure with its reference, ratio, target and whether it is met, and writes the same
// figures (and the raw measurements) to bench/results.json. BENCH_QUICK=1 shrinks every size for a
// smoke run; BENCH_ONLY=health,start (names below) runs some benchmarks only and then writes
// nothing. Targets that are missed are reported, not turned into a failing exit code.

import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/client.js';
import { FakeSlack } from '../src/sandbox/slack/index.js';
import { BOT_TOKEN } from './common.js';
import { runHealth, type HealthResult } from './health.js';
import { runInteraction, type ExpiryResult, type InteractionResult, type SteadyResult } from './interaction.js';
import { runOutbox, type OutboxResult } from './outboxDrain.js';
import { startPostgres } from './postgres.js';
import { checked, compared, measured, printFigures, type Figure } from './report.js';
import { runStart, type StartResult } from './start.js';
import { log, median, quick, round } from './stats.js';
import { runStorage, type StorageResult } from './storage.js';
import { runSweep, type SweepSizeResult } from './sweep.js';

const settings = quick
  ? {
      interaction: {
        connections: 20,
        durationS: 2,
        reps: 2,
        freshPerRep: 5_000,
        minimalPerRep: 10_000,
        warmupS: 1,
        steady: { ratePerS: 25, durationS: 3 },
        expiry: { invitations: 20_000, due: 200 },
      },
      start: { reps: 2 },
      sweep: { sizes: [10_000, 100_000], reps: 2 },
      outbox: { messages: 600, limitPerMinute: 400, calibration: 300, hotChannel: 20 },
      health: { sizes: [100_000, 400_000], runs: 50, reconcile: { live: 2_000, history: [20_000, 100_000], runs: 5 } },
      storage: { workflows: 100, concurrency: 10 },
    }
  : {
      interaction: {
        connections: 20,
        durationS: 5,
        reps: 3,
        freshPerRep: 12_000,
        minimalPerRep: 25_000,
        warmupS: 2,
        steady: { ratePerS: 25, durationS: 10 },
        // Target 3: 10^4 due of 10^6 (seeding the million takes some 30 s on a 2-core machine).
        expiry: { invitations: 1_000_000, due: 10_000 },
      },
      start: { reps: 3 },
      sweep: { sizes: [10_000, 100_000, 1_000_000], reps: 3 },
      outbox: { messages: 5_000, limitPerMinute: 2_000, calibration: 1_000, hotChannel: 60 },
      health: { sizes: [100_000, 1_000_000, 4_000_000], runs: 200, reconcile: { live: 10_000, history: [100_000, 840_000], runs: 5 } },
      storage: { workflows: 1_000, concurrency: 20 },
    };

// `clicks` is the interaction benchmark's saturating clicks alone (both servers, the minimal
// statement, the transaction called directly): a quick look at targets 1 and 2. BENCH_VOUCH_FLAGS
// adds node flags to the Vouch server (a CPU profile, say).
const benchmarks = ['interaction', 'clicks', 'start', 'sweep', 'outbox', 'health', 'storage'] as const;
const only = process.env.BENCH_ONLY?.split(',')
  .map((name) => name.trim())
  .filter(Boolean);
for (const name of only ?? []) {
  if (!(benchmarks as readonly string[]).includes(name)) throw new Error(`BENCH_ONLY: no benchmark "${name}" (${benchmarks.join(', ')})`);
}
const runs = (name: (typeof benchmarks)[number]) => !only || only.includes(name);

const exp = (n: number) => n.toExponential(0).replace('e+', 'e');
const rate = (messages: number, seconds: number | null | undefined) => (seconds ? messages / seconds : Number.NaN);

/** 1, 2 and 7: clicks over HTTP against the hand-written minimal statement and bare Bolt, and the memory that took. */
function interactionFigures(i: InteractionResult): Figure[] {
  const v = i.vouch.median;
  const b = i.bare.median;
  const m = i.minimal.median;
  const bare = (value: number) => ({ label: 'bare Bolt', value });
  const minimal = { label: 'minimal statement', value: m.perSecond };
  return [
    compared(
      `1 click throughput over HTTP (c=${i.connections}, ${i.durationS}s x${i.reps}; stretch 0.5x)`,
      'req/s',
      v.throughput,
      minimal,
      {
        min: 0.4,
      },
    ),
    compared('1 bare Bolt acking a signed click with no work', 'req/s', b.throughput, minimal),
    checked(
      '1 same rows per approval: Vouch / minimal (kinds of row sets)',
      '',
      `${i.sameRows.vouch.reduce((n, r) => n + r.n, 0)} / ${i.sameRows.minimal.reduce((n, r) => n + r.n, 0)} (${i.sameRows.vouch.length} / ${i.sameRows.minimal.length})`,
      'one and the same set of rows',
      i.sameRows.same,
    ),
    measured('1 clicks approved / refused per rep', '', `${v.approved.toFixed(0)} / ${v.refused.toFixed(0)}`),
    measured('1 outbox delivered after the last ack', 's', v.drainAfterMs / 1000),
    compared('2 the Approve transaction called directly (no HTTP, no Bolt)', 'per s', i.transactionAlone.perSecond, minimal, { min: 0.4 }),
    compared('2 click latency p50', 'ms', v.p50, bare(b.p50)),
    compared(`2 click latency p99 (c=${i.connections})`, 'ms', v.p99, bare(b.p99), { max: 3 }),
    compared('2 minimal statement p99, same concurrency', 'ms', m.p99, bare(b.p99)),
    ...(i.steady ? steadyFigures(i.steady) : []),
    ...(i.expiry && i.steady ? expiryFigures(i.expiry, i.steady.ratePerS) : []),
    compared('7 peak RSS under the click load (same heap flags)', 'MB', i.vouch.memory.peakRssMb, bare(i.bare.memory.peakRssMb), {
      max: 1.5,
    }),
    ...(i.steady ? [measured('7 peak RSS by the end of the steady phase', 'MB', i.steady.vouchPeakRssMb)] : []),
    compared('7 RSS listening, before load', 'MB', i.vouch.memory.startRssMb, bare(i.bare.memory.startRssMb)),
  ];
}

/** 2: one click at a time at a steady rate, against bare Bolt. */
function steadyFigures(steady: SteadyResult): Figure[] {
  const bare = (value: number) => ({ label: 'bare Bolt', value });
  return [
    compared(`2 steady ${steady.ratePerS} clicks/s, one at a time: p50`, 'ms', steady.vouch.p50, bare(steady.bare.p50)),
    compared(`2 steady ${steady.ratePerS} clicks/s: p99`, 'ms', steady.vouch.p99, bare(steady.bare.p99)),
    measured(
      '2 steady: approved / outbox delivered after the last ack, s',
      '',
      `${steady.vouch.approved} / ${(steady.vouch.drainAfterMs / 1000).toFixed(1)}`,
    ),
  ];
}

/** 3: steady clicks while the sweep expires many invitations, against the same clicks idle. */
function expiryFigures(expiry: ExpiryResult, ratePerS: number): Figure[] {
  return [
    compared(
      `3 click p99 at a steady ${ratePerS}/s while the sweep expires ${expiry.expired} of ${exp(expiry.invitations)} (sweep ${(expiry.sweepMs / 1000).toFixed(1)} s)`,
      'ms',
      expiry.during.p99,
      { label: 'idle', value: expiry.idle.p99 },
      { max: 1.5 },
    ),
    measured('3 slowest click during that expiry', 'ms', expiry.during.max, { max: 1000 }),
  ];
}

/** 3: the expiry sweep against its one-statement version with the same writes. */
function sweepFigures(sweep: SweepSizeResult[]): Figure[] {
  const flat = sweep.map((s) => s.sweep100DueMs);
  const same = (s: SweepSizeResult) => JSON.stringify(s.written) === JSON.stringify(s.oneStatementWritten);
  return [
    ...sweep.map((s) =>
      compared(
        `3 sweep of ${exp(s.total)} invitations, ${s.due} due`,
        'ms',
        s.sweepMs,
        { label: 'one statement, same writes', value: s.oneStatementMs },
        { max: 1.1 },
      ),
    ),
    checked(
      '3 the one statement wrote what the sweep wrote (expired / delegations / outbox / audit)',
      '',
      sweep.map((s) => `${s.written.expired}/${s.written.delegationsExpired}/${s.written.outbox}/${s.written.audit}`).join(', '),
      'the same at every size',
      sweep.every(same),
    ),
    ...sweep.map((s) =>
      compared(`3 sweep of ${exp(s.total)}, against a bare UPDATE of the invitations`, 'ms', s.sweepMs, {
        label: 'raw UPDATE',
        value: s.rawUpdateMs,
      }),
    ),
    measured('3 sweep per due row, by size', 'ms', sweep.map((s) => s.sweepMsPerDue.toFixed(2)).join(' / ')),
    checked(
      '3 sweep with 100 due, by size, ms',
      '',
      flat.map((ms) => ms.toFixed(0)).join(' / '),
      'flat: max <= 2x min',
      flat.length > 0 && Math.max(...flat) <= 2 * Math.min(...flat),
    ),
  ];
}

/** 4: health, readiness and metrics as the outbox grows; the reconciliation as history grows. */
function healthFigures(h: HealthResult): Figure[] {
  const largest = h.sizes.at(-1)!;
  const empty = h.sizes[0]!;
  const figures: Figure[] = h.sizes
    .filter((s) => s.rows > 0)
    .map((s) =>
      compared(
        `4 outbox read of /healthz, /readyz, /metrics at ${exp(s.rows)} rows`,
        'ms',
        s.endpointReadMs,
        {
          label: 'index-only count',
          value: s.indexOnlyMs,
        },
        { max: 2 },
      ),
    );
  figures.push(
    compared(`4 the whole-table read they made before, at ${exp(largest.rows)} rows`, 'ms', largest.wholeTableMs, {
      label: 'index-only count',
      value: largest.indexOnlyMs,
    }),
  );
  for (const endpoint of ['healthz', 'readyz', 'metrics'] as const) {
    figures.push(
      compared(
        `4 GET /${endpoint} over HTTP at ${exp(largest.rows)} rows`,
        'ms',
        largest.http[endpoint],
        {
          label: 'empty outbox',
          value: empty.http[endpoint],
        },
        { max: 2 },
      ),
    );
  }
  figures.push(measured(`4 one prune run at ${exp(h.pruneRun.rows)} rows (deletes ${h.pruneRun.deleted})`, 'ms', h.pruneRun.ms));
  const r = h.reconcile;
  const none = r.sizes.find((s) => s.history === 0)!;
  for (const s of r.sizes.filter((x) => x.history > 0)) {
    figures.push(
      compared(`4 reconciliation scan, ${s.live} live + ${exp(s.history)} settled, not pruned`, 'ms', s.scanMs, {
        label: 'no history',
        value: none.scanMs,
      }),
    );
  }
  figures.push(
    compared(
      `4 reconciliation scan after pruning ${exp(r.afterPrune.prunedMessages)} settled`,
      'ms',
      r.afterPrune.scanMs,
      {
        label: 'no history',
        value: none.scanMs,
      },
      { max: 1.5 },
    ),
  );
  return figures;
}

/** 5: bytes per 1,000 setup workflows before and after pruning. */
function storageFigures(s: StorageResult): Figure[] {
  const kb = (bytes: number) => bytes / 1024;
  const per = (bytes: number) => kb((bytes / s.workflows) * 1000);
  return [
    compared(`5 storage per 1,000 setup workflows after pruning (${s.workflows} run)`, 'KB', kb(s.perThousand.after), {
      label: 'before pruning',
      value: kb(s.perThousand.before),
    }),
    ...['outbox', 'slack_messages', 'audit_events'].map((table) =>
      compared(`5 ${table} per 1,000 workflows after pruning`, 'KB', per(s.afterPrune[table] ?? 0), {
        label: 'before',
        value: per(s.beforePrune[table] ?? 0),
      }),
    ),
    checked(
      '5 rows left: outbox / message records / audit events (before)',
      '',
      `${s.rows.after.outbox} / ${s.rows.after.slack_messages} / ${s.rows.after.audit_events} (${s.rows.before.outbox} / ${s.rows.before.slack_messages} / ${s.rows.before.audit_events})`,
      '0 / 0 / all kept',
      s.rows.after.outbox === 0 && s.rows.after.slack_messages === 0 && s.rows.after.audit_events === s.rows.before.audit_events,
    ),
  ];
}

/** 6: start-up, to /readyz 200. */
function startFigures(s: StartResult): Figure[] {
  const bare = { label: 'bare Bolt', value: s.bareBolt };
  return [
    compared(
      `6 second npm start, to /readyz 200 (x${s.reps})`,
      'ms',
      s.npmStart,
      { label: 'node dist/main.js', value: s.plainNode },
      { max: 2 },
    ),
    compared('6 cold start on PostgreSQL (web command), to /readyz 200', 'ms', s.procfilePostgres, bare, { max: 2 }),
    compared('6 PGlite, first start (new data directory, migrations)', 'ms', s.pgliteFirst, bare),
    compared('6 PGlite, restart', 'ms', s.pgliteRestart, bare),
  ];
}

/** 8: the outbox drain. */
function outboxFigures(o: OutboxResult): Figure[] {
  const l = o.limited;
  const hot = o.hotChannel.hot;
  return [
    compared(
      `8 outbox drain of ${l.messages} DMs under ${l.limitPerMinute}/min`,
      'msg/s',
      rate(l.messages, l.drainS),
      {
        label: "the window's ideal",
        value: rate(l.messages, l.idealS),
      },
      { min: 0.9 },
    ),
    measured('8 outbox unthrottled', 'msg/s', o.unthrottled.perSecond),
    compared(
      `8 ${o.hotChannel.messages} DMs beside a hot channel (medians of ${o.dmPairs.length})`,
      'msg/s',
      rate(o.hotChannel.messages, median(o.dmPairs.map((p) => p.besideS))),
      {
        label: 'alone',
        value: rate(o.unthrottled.messages, median(o.dmPairs.map((p) => p.aloneS))),
      },
      { min: 0.9 },
    ),
    compared(
      `8 the hot channel: ${hot?.messages} messages into one`,
      'msg/s',
      rate(hot?.messages ?? 0, hot?.drainS),
      {
        label: 'one per second',
        value: rate(hot?.messages ?? 0, hot?.idealS),
      },
      { min: 0.9 },
    ),
    checked(
      '8 hot channel: closest posts, ms / 429s / lost / duplicated',
      '',
      `${hot?.minGapMs.toFixed(0)} / ${hot?.rateLimited} / ${hot?.lost} / ${hot?.duplicated}`,
      '>= 1000 / 0 / 0 / 0',
      (hot?.minGapMs ?? 0) >= 1000 && hot?.rateLimited === 0 && hot?.lost === 0 && hot?.duplicated === 0,
    ),
    checked(
      '8 drain: 429s / lost / duplicated / dead',
      '',
      `${l.rateLimited} / ${l.lost} / ${l.duplicated} / ${l.dead}`,
      '0 lost, 0 duplicated',
      l.lost === 0 && l.duplicated === 0 && !l.timedOut && o.dmPairs.every((p) => p.lost === 0 && p.duplicated === 0),
    ),
  ];
}

const startedAt = new Date();
const pg = await startPostgres();
log(`PostgreSQL: ${pg.version}`);
const cleanup = () => pg.stop();
process.once('SIGINT', () => {
  cleanup();
  process.exit(130);
});
try {
  const database = await openDatabase({ url: pg.url });
  await database.migrate();
  const slack = new FakeSlack({ botToken: BOT_TOKEN });
  await slack.start();
  // Vouch starts only with a private support channel.
  slack.addChannel({ id: 'C0SUPPORT', name: 'enterprise-support', isPrivate: true, members: [] });

  const db = database.db;
  const vouchNodeFlags = process.env.BENCH_VOUCH_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const interaction =
    runs('interaction') || runs('clicks')
      ? await runInteraction({
          db,
          databaseUrl: pg.url,
          slack,
          ...settings.interaction,
          saturationOnly: !runs('interaction'),
          vouchNodeFlags,
        })
      : undefined;
  const start = runs('start') ? await runStart({ databaseUrl: pg.url, slackApiUrl: slack.apiUrl, ...settings.start }) : undefined;
  const health = runs('health') ? await runHealth(db, slack, settings.health) : undefined;
  const storage = runs('storage') ? await runStorage(db, slack, settings.storage) : undefined;
  await slack.stop();
  const sweep = runs('sweep') ? await runSweep(db, settings.sweep.sizes, settings.sweep.reps) : undefined;
  const outbox = runs('outbox') ? await runOutbox(db, settings.outbox) : undefined;
  await database.close();

  const figures = [
    ...(interaction ? interactionFigures(interaction) : []),
    ...(sweep ? sweepFigures(sweep) : []),
    ...(health ? healthFigures(health) : []),
    ...(storage ? storageFigures(storage) : []),
    ...(start ? startFigures(start) : []),
    ...(outbox ? outboxFigures(outbox) : []),
  ].sort((a, b) => Number.parseInt(a.benchmark, 10) - Number.parseInt(b.benchmark, 10));
  const results = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      postgres: pg.version,
      platform: process.platform,
    },
    settings,
    figures,
    interaction,
    start,
    sweep,
    outbox,
    health,
    storage,
  };
  const rounded = JSON.parse(JSON.stringify(results, (_k, value: unknown) => (typeof value === 'number' ? round(value, 3) : value)));
  console.log(printFigures(rounded.figures as Figure[]));
  if (only) {
    console.log(`\nBENCH_ONLY=${only.join(',')}: bench/results.json left as it was.`);
  } else {
    writeFileSync(fileURLToPath(new URL('./results.json', import.meta.url)), `${JSON.stringify(rounded, null, 2)}\n`);
    console.log('\nFigures written to bench/results.json.');
  }
} finally {
  cleanup();
}
