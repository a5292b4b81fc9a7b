// `npm run bench`: Vouch's benchmarks, each comparison run on both sides in this one run. Starts
// its own PostgreSQL server in a temporary directory and stops it at the end. Prints one table
// and writes the same figures to bench/results.json. BENCH_QUICK=1 shrinks every size for a smoke
// run. Targets that are missed are reported, not turned into a failing exit code.

import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/client.js';
import { FakeSlack } from '../src/sandbox/slack/index.js';
import { BOT_TOKEN } from './common.js';
import { runInteraction, type InteractionResult } from './interaction.js';
import { runOutbox, type OutboxResult } from './outboxDrain.js';
import { startPostgres } from './postgres.js';
import { log, quick, round } from './stats.js';
import { runSweep, type SweepSizeResult } from './sweep.js';

const settings = quick
  ? {
      interaction: { connections: 20, durationS: 2, reps: 2, freshPerRep: 3_000, warmupS: 1, steady: { ratePerS: 25, durationS: 3 } },
      sweep: { sizes: [10_000, 100_000], reps: 2 },
      outbox: { messages: 600, limitPerMinute: 400, calibration: 300, hotChannel: 20 },
    }
  : {
      interaction: { connections: 20, durationS: 5, reps: 3, freshPerRep: 8_000, warmupS: 2, steady: { ratePerS: 25, durationS: 10 } },
      sweep: { sizes: [10_000, 100_000, 1_000_000], reps: 3 },
      outbox: { messages: 5_000, limitPerMinute: 2_000, calibration: 1_000, hotChannel: 60 },
    };

interface Row {
  benchmark: string;
  vouch: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

const fmt = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));
const yes = (ok: boolean) => (ok ? 'yes' : 'NO');

function tableRows(i: InteractionResult, sweep: SweepSizeResult[], o: OutboxResult): Row[] {
  const v = i.vouch.median;
  const b = i.bare.median;
  const rows: Row[] = [
    {
      benchmark: `1 ack throughput, req/s (c=${i.connections}, ${i.durationS}s x${i.reps})`,
      vouch: fmt(v.throughput, 0),
      baseline: `${fmt(b.throughput, 0)} bare Bolt`,
      ratio: fmt(i.ratios.throughput, 2),
      target: '>= 0.5x',
      met: yes(i.ratios.throughput >= 0.5),
    },
    { benchmark: '1 ack latency p50, ms', vouch: fmt(v.p50), baseline: fmt(b.p50), ratio: fmt(i.ratios.p50, 2), target: '', met: '' },
    {
      benchmark: '1 ack latency p99, ms',
      vouch: fmt(v.p99),
      baseline: fmt(b.p99),
      ratio: fmt(i.ratios.p99, 2),
      target: '<= 1.5x',
      met: yes(i.ratios.p99 <= 1.5),
    },
    {
      benchmark: '1 the Approve transaction alone (no HTTP, no Bolt): per s / p99 ms',
      vouch: `${fmt(i.transactionAlone.perSecond, 0)} / ${fmt(i.transactionAlone.p99)}`,
      baseline: '',
      ratio: fmt(i.transactionAlone.perSecond / b.throughput, 2),
      target: '',
      met: '',
    },
    {
      benchmark: '1 requests: approved / refused (per rep)',
      vouch: `${fmt(v.approved, 0)} / ${fmt(v.refused, 0)}`,
      baseline: '',
      ratio: '',
      target: '',
      met: '',
    },
    {
      benchmark: '1 outbox delivered after the last ack, s',
      vouch: fmt(v.drainAfterMs / 1000),
      baseline: '',
      ratio: '',
      target: '',
      met: '',
    },
    {
      benchmark: `1 steady ${i.steady.ratePerS} req/s, 1 connection (${i.steady.durationS}s): ack p50, ms`,
      vouch: fmt(i.steady.vouch.p50),
      baseline: fmt(i.steady.bare.p50),
      ratio: fmt(i.steady.ratios.p50, 2),
      target: '',
      met: '',
    },
    {
      benchmark: `1 steady ${i.steady.ratePerS} req/s: ack p99, ms`,
      vouch: fmt(i.steady.vouch.p99),
      baseline: fmt(i.steady.bare.p99),
      ratio: fmt(i.steady.ratios.p99, 2),
      target: '',
      met: '',
    },
    {
      benchmark: '1 steady: approved / outbox delivered after the last ack, s',
      vouch: `${i.steady.vouch.approved} / ${fmt(i.steady.vouch.drainAfterMs / 1000)}`,
      baseline: '',
      ratio: '',
      target: '',
      met: '',
    },
  ];
  for (const s of sweep) {
    rows.push({
      benchmark: `2 sweep ${s.total.toExponential(0).replace('e+', 'e')} invitations, ${s.due} due, ms`,
      vouch: fmt(s.sweepMs, 0),
      baseline: `${fmt(s.rawUpdateMs, 0)} raw UPDATE`,
      ratio: fmt(s.sweepMs / s.rawUpdateMs, 1),
      target: '<= 1.2x',
      met: yes(s.sweepMs / s.rawUpdateMs <= 1.2),
    });
  }
  rows.push({
    benchmark: '2 sweep per due row, ms (by size)',
    vouch: sweep.map((s) => fmt(s.sweepMsPerDue, 2)).join(' / '),
    baseline: '',
    ratio: '',
    target: 'tracks due',
    met: '',
  });
  const flat = sweep.map((s) => s.sweep100DueMs);
  const tracksDue = flat.length > 0 && Math.max(...flat) <= 2 * Math.min(...flat);
  rows.push({
    benchmark: '2 sweep with 100 due, ms (by size)',
    vouch: flat.map((ms) => fmt(ms, 0)).join(' / '),
    baseline: '',
    ratio: '',
    target: 'flat',
    met: yes(tracksDue),
  });
  const l = o.limited;
  rows.push(
    {
      benchmark: `3 outbox drain, msg/s (${l.messages} DMs, ${l.limitPerMinute}/min)`,
      vouch: fmt(l.perSecond),
      baseline: `${fmt((l.limitPerMinute ?? 0) / 60)} limit`,
      ratio: fmt(l.vsLimit, 2),
      target: '>= 0.9x',
      met: yes((l.vsLimit ?? 0) >= 0.9),
    },
    {
      benchmark: '3 outbox drain time vs ideal under the window, s',
      vouch: fmt(l.drainS),
      baseline: `${fmt(l.idealS)} ideal`,
      ratio: fmt(l.efficiency, 2),
      target: '>= 0.9x',
      met: yes((l.efficiency ?? 0) >= 0.9),
    },
    { benchmark: '3 outbox unthrottled, msg/s', vouch: fmt(o.unthrottled.perSecond), baseline: '', ratio: '', target: '', met: '' },
    {
      benchmark: `3 outbox ${o.hotChannel.messages} DMs behind a hot channel, s`,
      vouch: fmt(o.hotChannel.dmDrainS, 2),
      baseline: `${fmt(o.unthrottled.dmDrainS, 2)} alone`,
      ratio: fmt(o.unthrottled.dmDrainS / o.hotChannel.dmDrainS, 2),
      target: '>= 0.9x',
      met: yes(o.unthrottled.dmDrainS / o.hotChannel.dmDrainS >= 0.9 && o.hotChannel.lost === 0 && o.hotChannel.duplicated === 0),
    },
    {
      benchmark: `3 outbox hot channel: ${o.hotChannel.hot?.messages} messages into one, s`,
      vouch: fmt(o.hotChannel.hot?.drainS),
      baseline: `${fmt(o.hotChannel.hot?.idealS)} at 1/s`,
      ratio: fmt(o.hotChannel.hot?.efficiency, 2),
      target: '>= 0.9x',
      met: yes((o.hotChannel.hot?.efficiency ?? 0) >= 0.9),
    },
    {
      benchmark: '3 outbox hot channel: closest posts, ms / 429s / lost / duplicated',
      vouch: `${fmt(o.hotChannel.hot?.minGapMs, 0)} / ${o.hotChannel.hot?.rateLimited} / ${o.hotChannel.hot?.lost} / ${o.hotChannel.hot?.duplicated}`,
      baseline: '',
      ratio: '',
      target: '>= 1000, 0 / 0 / 0',
      met: yes(
        (o.hotChannel.hot?.minGapMs ?? 0) >= 1000 &&
          o.hotChannel.hot?.rateLimited === 0 &&
          o.hotChannel.hot?.lost === 0 &&
          o.hotChannel.hot?.duplicated === 0,
      ),
    },
    {
      benchmark: '3 outbox 429s / lost / duplicated / dead',
      vouch: `${l.rateLimited} / ${l.lost} / ${l.duplicated} / ${l.dead}`,
      baseline: '',
      ratio: '',
      target: '0 lost, 0 dup',
      met: yes(l.lost === 0 && l.duplicated === 0 && !l.timedOut),
    },
    {
      benchmark: '4 peak RSS during 1, MB (server process)',
      vouch: fmt(i.vouch.memory.peakRssMb, 0),
      baseline: `${fmt(i.bare.memory.peakRssMb, 0)} bare Bolt`,
      ratio: fmt(i.vouch.memory.peakRssMb / i.bare.memory.peakRssMb, 2),
      target: '< 150 MB',
      met: yes(i.vouch.memory.peakRssMb < 150),
    },
    {
      benchmark: '4 peak RSS by the end of the steady phase, MB',
      vouch: fmt(i.steady.vouchPeakRssMb, 0),
      baseline: '',
      ratio: '',
      target: '< 150 MB',
      met: yes(i.steady.vouchPeakRssMb < 150),
    },
    {
      benchmark: '4 RSS when listening, before load, MB',
      vouch: fmt(i.vouch.memory.startRssMb, 0),
      baseline: fmt(i.bare.memory.startRssMb, 0),
      ratio: '',
      target: '',
      met: '',
    },
  );
  return rows;
}

function printTable(rows: Row[]): string {
  const header: Row = { benchmark: 'benchmark', vouch: 'Vouch', baseline: 'baseline', ratio: 'ratio', target: 'target', met: 'met' };
  const keys = Object.keys(header) as Array<keyof Row>;
  const widths = keys.map((k) => Math.max(...[header, ...rows].map((r) => r[k].length)));
  const line = (r: Row) => keys.map((k, n) => (n === 0 ? r[k].padEnd(widths[n]!) : r[k].padStart(widths[n]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
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

  const interaction = await runInteraction({ db: database.db, databaseUrl: pg.url, slack, ...settings.interaction });
  await slack.stop();
  const sweep = await runSweep(database.db, settings.sweep.sizes, settings.sweep.reps);
  const outbox = await runOutbox(database.db, settings.outbox);
  await database.close();

  const rows = tableRows(interaction, sweep, outbox);
  const table = printTable(rows);
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
    table: rows,
    interaction,
    sweep,
    outbox,
  };
  const rounded = JSON.parse(JSON.stringify(results, (_k, value: unknown) => (typeof value === 'number' ? round(value, 3) : value)));
  writeFileSync(fileURLToPath(new URL('./results.json', import.meta.url)), `${JSON.stringify(rounded, null, 2)}\n`);
  console.log(table);
  console.log('\nFigures written to bench/results.json.');
} finally {
  cleanup();
}
