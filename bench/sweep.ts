// Benchmark 2 (expiry sweep).
//
// N setup invitations (one pending per account, as the schema allows), 1% of them past their
// deadline, the others due tomorrow or later. Timed: one `sweepExpired(db, now)` (state changes,
// redraw outbox rows, audit events, closing live delegations), against a raw
// `UPDATE ... WHERE status = 'pending' AND expires_at <= now` of the same rows. One due
// invitation in ten has a live delegation awaiting confirmation, which the sweep closes with it.
// The rows are reset and vacuumed before every timed run. A second sweep time, with only 100 rows
// due at every size, shows whether the time follows the number due or the table size.

import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.js';
import { tunableDefaults } from '../src/config.js';
import { createTimersWorkflow } from '../src/workflows/timers.js';
import { truncateAll } from './common.js';
import { log, median, ratio, timed } from './stats.js';

export interface SweepSizeResult {
  total: number;
  due: number;
  sweepMs: number;
  rawUpdateMs: number;
  /** sweepExpired / raw UPDATE. */
  ratio: number;
  /** sweepExpired time per due row. */
  sweepMsPerDue: number;
  /** sweepExpired with 100 due at this size: flat across sizes means it follows the number due. */
  sweep100DueMs: number;
  /** What one sweepExpired wrote. */
  written: Written;
  runs: { sweepMs: number[]; rawUpdateMs: number[]; sweep100DueMs: number[] };
}

const DAY_MS = 86_400_000;

/** The timers' expiry sweep at `now`, as the bot runs it (`workflows.timers.sweep()`). */
function sweepExpired(db: Database, now: Date) {
  const ttls = { setupInviteMs: tunableDefaults.SETUP_INVITE_TTL, confirmMs: tunableDefaults.CONFIRM_TTL };
  const reminders = { setupBeforeMs: tunableDefaults.SETUP_REMIND_BEFORE, confirmBeforeMs: tunableDefaults.CONFIRM_REMIND_BEFORE };
  return createTimersWorkflow({ db, clock: () => now, ttls, reminders, newId: randomUUID }).sweep();
}

async function seed(db: Database, total: number, due: number, base: Date, t0: Date): Promise<void> {
  await truncateAll(db);
  await db.execute(sql`
    insert into accounts (name, contract_number, primary_contact_user_id, created_by, created_at)
    select 'Bench Sweep ' || g, 'C-' || g, 'US' || lpad(g::text, 8, '0'), 'bench', ${t0.toISOString()}::timestamptz
    from generate_series(1, ${total}::int) g`);
  // Due rows are spread over the table (random order) and expire one second apart from t0 on,
  // so a sweep at t0 + k seconds finds exactly k due; the others expire a day after `base` or later.
  await db.execute(sql`
    insert into setup_invitations (account_id, holder_user_id, issued_at, expires_at)
    select id, primary_contact_user_id, ${t0.toISOString()}::timestamptz,
      case when k <= ${due}::int then ${t0.toISOString()}::timestamptz + k * interval '1 second'
           else ${base.toISOString()}::timestamptz + interval '1 day' + k * interval '1 second' end
    from (select id, primary_contact_user_id, row_number() over (order by random()) as k from accounts) s`);
  await db.execute(sql`
    insert into delegations (account_id, setup_invitation_id, inviter_user_id, invitee_user_id, requested_at, confirm_expires_at)
    select account_id, id, holder_user_id, 'UX' || substr(holder_user_id, 3), ${t0.toISOString()}::timestamptz,
           ${base.toISOString()}::timestamptz + interval '1 day'
    from setup_invitations
    where expires_at <= ${base.toISOString()}::timestamptz and extract(epoch from expires_at - ${t0.toISOString()}::timestamptz)::int % 10 = 0`);
  await db.execute(sql`vacuum analyze`);
}

/** Puts every invitation back to pending and empties what a sweep wrote. */
async function reset(db: Database): Promise<void> {
  await db.execute(sql`
    update setup_invitations set status = 'pending', version = 1, closed_at = null, closed_by = null
    where status <> 'pending'`);
  await db.execute(sql`
    update delegations set status = 'awaiting_confirmation', version = 1, closed_at = null, closed_by = null
    where status <> 'awaiting_confirmation'`);
  await db.execute(sql`truncate table outbox, audit_events restart identity`);
  await db.execute(sql`vacuum analyze setup_invitations, delegations, outbox, audit_events`);
}

interface Written {
  expired: number;
  delegationsExpired: number;
  outbox: number;
  audit: number;
}

async function written(db: Database): Promise<Written> {
  const [row] = (await db.execute(sql`
    select (select count(*) from setup_invitations where status = 'expired')::int as "expired",
           (select count(*) from delegations where status = 'expired')::int as "delegationsExpired",
           (select count(*) from outbox)::int as "outbox",
           (select count(*) from audit_events)::int as "audit"`)) as unknown as Written[];
  return row ?? { expired: 0, delegationsExpired: 0, outbox: 0, audit: 0 };
}

export async function rawUpdate(db: Database, now: Date): Promise<void> {
  const at = now.toISOString();
  await db.execute(sql`
    update setup_invitations set status = 'expired', version = version + 1, closed_at = ${at}::timestamptz, closed_by = 'system'
    where status = 'pending' and expires_at <= ${at}::timestamptz`);
}

export async function runSweep(db: Database, sizes: number[], reps: number): Promise<SweepSizeResult[]> {
  const results: SweepSizeResult[] = [];
  const base = new Date(Date.UTC(2030, 0, 15, 12));
  const t0 = new Date(base.getTime() - DAY_MS);
  const at100 = new Date(t0.getTime() + 100_000);
  for (const total of sizes) {
    const due = Math.round(total / 100);
    log(`sweep: ${total} invitations, ${due} due: seeding`);
    await seed(db, total, due, base, t0);
    const runs = { sweepMs: [] as number[], rawUpdateMs: [] as number[], sweep100DueMs: [] as number[] };
    let sweepWrote: Written | undefined;
    for (let rep = 0; rep < reps; rep++) {
      await reset(db);
      const s = await timed(() => sweepExpired(db, base));
      if (s.value.setupInvitations !== due) throw new Error(`sweepExpired expired ${s.value.setupInvitations}, expected ${due}`);
      runs.sweepMs.push(s.ms);
      sweepWrote = await written(db);
      await reset(db);
      runs.rawUpdateMs.push((await timed(() => rawUpdate(db, base))).ms);
      await reset(db);
      runs.sweep100DueMs.push((await timed(() => sweepExpired(db, at100))).ms);
      log(`sweep: ${total} rep ${rep + 1}/${reps}: sweepExpired ${s.ms.toFixed(0)} ms, raw ${runs.rawUpdateMs.at(-1)!.toFixed(0)} ms`);
    }
    const sweepMs = median(runs.sweepMs);
    const rawUpdateMs = median(runs.rawUpdateMs);
    results.push({
      total,
      due,
      sweepMs,
      rawUpdateMs,
      ratio: ratio(sweepMs, rawUpdateMs),
      sweepMsPerDue: sweepMs / due,
      sweep100DueMs: median(runs.sweep100DueMs),
      written: sweepWrote ?? { expired: 0, delegationsExpired: 0, outbox: 0, audit: 0 },
      runs,
    });
  }
  await truncateAll(db);
  return results;
}
