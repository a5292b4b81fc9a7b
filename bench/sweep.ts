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
  /** The same writes by hand in one statement (target 3's reference). */
  oneStatementMs: number;
  /** What the one statement wrote: the same as the sweep, or the comparison is void. */
  oneStatementWritten: Written;
  rawUpdateMs: number;
  /** sweepExpired / raw UPDATE. */
  ratio: number;
  /** sweepExpired time per due row. */
  sweepMsPerDue: number;
  /** sweepExpired with 100 due at this size: flat across sizes means it follows the number due. */
  sweep100DueMs: number;
  /** What one sweepExpired wrote. */
  written: Written;
  runs: { sweepMs: number[]; oneStatementMs: number[]; rawUpdateMs: number[]; sweep100DueMs: number[] };
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

/**
 * The reference: the sweep's writes by hand in one statement, without batches: every due
 * invitation expired, the live delegations on its account closed, the redraws, the holder's
 * "your invitation expired" DM and the Home tab refreshes (for people who have opened Home)
 * queued, the audit events written.
 */
export async function oneStatement(db: Database, now: Date): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  await db.execute(sql`
    with expired as (
      update setup_invitations i set status = 'expired', version = i.version + 1, closed_at = ${at}, closed_by = 'system'
      where i.status = 'pending' and i.expires_at <= ${at}
      returning i.id, i.account_id, i.holder_user_id, i.version, i.expires_at
    ), closed as (
      update delegations d set status = 'expired', version = d.version + 1, closed_at = ${at}, closed_by = 'system'
      from expired e where d.account_id = e.account_id and d.status in ('awaiting_confirmation', 'awaiting_acceptance')
      returning d.id, d.account_id, d.inviter_user_id, d.invitee_user_id, d.version, 'awaiting_confirmation'::text as before_status
    ), queued as (
      insert into outbox (key, payload, channel, created_at, next_attempt_at)
      select key, payload, channel, ${at}, ${at} from (
        select 'redraw:' || id || ':' || version as key, jsonb_build_object('type', 'redraw', 'subjectId', id) as payload, null as channel, null as home from expired
        union all select 'post:setup_expired:' || id, jsonb_build_object('type', 'post', 'surface', 'setup_expired', 'subjectId', id, 'channel', holder_user_id), holder_user_id, null from expired
        union all select 'home:' || holder_user_id || ':' || id || ':' || version, jsonb_build_object('type', 'home', 'userId', holder_user_id), null, holder_user_id from expired
        union all select 'redraw:' || id || ':' || version, jsonb_build_object('type', 'redraw', 'subjectId', id), null, null from closed
        union all select distinct 'home:' || u || ':' || id || ':' || version, jsonb_build_object('type', 'home', 'userId', u), null, u
          from closed cross join lateral (values (inviter_user_id), (invitee_user_id)) people(u)
      ) rows
      where home is null or exists (select 1 from home_viewers h where h.user_id = home)
      on conflict (key) do nothing
    ), audited as (
      insert into audit_events (account_id, actor, action, subject_kind, subject_id, before, after, at)
      select account_id, 'system', 'setup_invitation.expired', 'setup_invitation', id, jsonb_build_object('status', 'pending'),
        jsonb_build_object('status', 'expired', 'expiresAt', to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), ${at}
      from expired
      union all
      select account_id, 'system', 'delegation.expired', 'delegation', id, jsonb_build_object('status', before_status),
        jsonb_build_object('status', 'expired'), ${at}
      from closed
    )
    select count(*) from expired`);
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
    const runs = { sweepMs: [] as number[], oneStatementMs: [] as number[], rawUpdateMs: [] as number[], sweep100DueMs: [] as number[] };
    let sweepWrote: Written | undefined;
    let oneWrote: Written | undefined;
    for (let rep = 0; rep < reps; rep++) {
      await reset(db);
      const s = await timed(() => sweepExpired(db, base));
      if (s.value.setupInvitations !== due) throw new Error(`sweepExpired expired ${s.value.setupInvitations}, expected ${due}`);
      runs.sweepMs.push(s.ms);
      sweepWrote = await written(db);
      await reset(db);
      runs.oneStatementMs.push((await timed(() => oneStatement(db, base))).ms);
      oneWrote = await written(db);
      await reset(db);
      runs.rawUpdateMs.push((await timed(() => rawUpdate(db, base))).ms);
      await reset(db);
      runs.sweep100DueMs.push((await timed(() => sweepExpired(db, at100))).ms);
      log(
        `sweep: ${total} rep ${rep + 1}/${reps}: sweepExpired ${s.ms.toFixed(0)} ms, one statement ${runs.oneStatementMs.at(-1)!.toFixed(0)} ms, raw ${runs.rawUpdateMs.at(-1)!.toFixed(0)} ms`,
      );
    }
    const sweepMs = median(runs.sweepMs);
    const rawUpdateMs = median(runs.rawUpdateMs);
    const none = { expired: 0, delegationsExpired: 0, outbox: 0, audit: 0 };
    results.push({
      total,
      due,
      sweepMs,
      oneStatementMs: median(runs.oneStatementMs),
      oneStatementWritten: oneWrote ?? none,
      rawUpdateMs,
      ratio: ratio(sweepMs, rawUpdateMs),
      sweepMsPerDue: sweepMs / due,
      sweep100DueMs: median(runs.sweep100DueMs),
      written: sweepWrote ?? none,
      runs,
    });
  }
  await truncateAll(db);
  return results;
}
