import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from './client.js';
import { homeViewersOnly, queueRow } from './outbox.js';
import { build, runBuilt, type BuiltQuery } from './prepared.js';
import { delegations, recoveryQuestions, recoveryRequests, setupInvitations } from './schema.js';
import type { AuditEntry, QueuedWrite } from '../domain/effects.js';
import { auditRow } from './audit.js';

const tables = {
  setup_invitation: setupInvitations,
  delegation: delegations,
  recovery_request: recoveryRequests,
  recovery_question: recoveryQuestions,
} as const;

/** A guarded state change as the statement writes it: the machine's `from` and `to` already looked up. */
export interface Transition {
  record: keyof typeof tables;
  id: string;
  /** The version the decision saw; the row moves to the next one. */
  version: number;
  from: readonly string[];
  to: string;
  /** Into a closed state: `closed_at` is stamped. */
  closes: boolean;
  /** Further fields (of the record's table) the move sets. */
  set: Record<string, unknown>;
}

/**
 * What a decision made without locks read besides the moved record, required unchanged when its
 * move is written: the statement then stands for the whole transaction the decision would
 * otherwise have run under locks.
 */
export interface ReadGuard {
  /** The setup invitation the record hangs on: locked before the record (the lock order), and still at this version. */
  invitation: { id: string; version: number };
  /** The invitation's account: still in this status. */
  account: { status: string };
  /** Whether this person held `manage` on the account (an active admin membership): still so. */
  admin: { userId: string; isAdmin: boolean };
}

const statements = new Map<string, BuiltQuery>();

/**
 * With a guard, the invitation is locked in a CTE the update's condition reads (a one-time check,
 * made before the update locks its row), so the lock order stays invitation, then record; the
 * account's status and the holder's membership are read in the same step. A row changed by a
 * transaction that committed meanwhile is checked again at its newest version, so a guard that no
 * longer holds writes nothing. (The membership is read by a scalar subquery: an EXISTS here may be
 * planned as a hash of every active membership.)
 */
const guardCte = `
    locked as (
      select i.id from t, setup_invitations i
      join accounts a on a.id = i.account_id
      where i.id = (t.j->'guard'->'invitation'->>'id')::uuid and i.version = (t.j->'guard'->'invitation'->>'version')::int
        and a.status = t.j->'guard'->'account'->>'status'
        and coalesce((
          select true from admin_memberships m
          where m.account_id = i.account_id and m.user_id = t.j->'guard'->'admin'->>'userId' and m.removed_at is null
          limit 1
        ), false) = (t.j->'guard'->'admin'->>'isAdmin')::boolean
      for update of i
    ),`;
const guardCondition = `
        and exists (select 1 from locked)`;

/** The statement of one shape of transition (record, closing or not, fields set, guarded or not), built on first use. */
function statementFor(record: Transition['record'], closes: boolean, fields: string[], guarded: boolean): BuiltQuery {
  const shape = `${record}:${closes}:${fields.join(',')}:${guarded}`;
  const known = statements.get(shape);
  if (known) return known;
  const table = tables[record];
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const assignments = fields.map((field) => {
    const column = columns[field];
    if (!column || !/^[A-Za-z]+$/.test(field)) throw new Error(`${record} has no field ${field}`);
    return `, "${column.name}" = (t.j->'set'->>'${field}')::${column.getSQLType()}`;
  });
  const text = `
    with t as (select $$::text::jsonb as j),${guarded ? guardCte : ''}
    moved as (
      update "${getTableName(table)}" r
      set status = t.j->>'to', version = r.version + 1${closes ? `, closed_at = (t.j->>'now')::timestamptz` : ''}${assignments.join('')}
      from t
      where r.id = (t.j->>'id')::uuid and r.version = (t.j->>'version')::int
        and r.status in (select jsonb_array_elements_text(t.j->'from'))${guarded ? guardCondition : ''}
      returning r.id
    ), audited as (
      insert into audit_events (account_id, actor, actor_team_id, action, subject_kind, subject_id, before, after, at)
      select e.account_id, e.actor, e.actor_team_id, e.action, e.subject_kind, e.subject_id, e.before, e.after, (t.j->>'now')::timestamptz
      from t, jsonb_to_recordset(t.j->'audit') as e(account_id uuid, actor text, actor_team_id text, action text, subject_kind text, subject_id text, before jsonb, after jsonb)
      where exists (select 1 from moved)
    ), queued as (
      insert into outbox (key, payload, channel, team_id, created_at, next_attempt_at)
      select q.key, q.payload, q.channel, q.team_id, (t.j->>'now')::timestamptz, (t.j->>'now')::timestamptz
      from t, jsonb_to_recordset(t.j->'queue') as q(key text, payload jsonb, channel text, team_id text)
      where exists (select 1 from moved) and ${homeViewersOnly('q.payload', 'q.team_id')}
      on conflict (key) do nothing
    )
    select count(*)::int as moved from moved`;
  const [before, after] = text.split('$$');
  const built = build(sql`${sql.raw(before!)}${sql.placeholder('j')}${sql.raw(after!)}`);
  statements.set(shape, built);
  return built;
}

/**
 * The guarded update of one record, its audit entries and its outbox rows, in one statement: the
 * entries and rows are written only if the update found the record at the version and in a state
 * the decision saw (and, with `guard`, everything else the decision read as it was). False when it
 * did not (nothing was written).
 */
export async function writeTransition(
  tx: Executor,
  move: Transition,
  entries: readonly AuditEntry[],
  writes: readonly QueuedWrite[],
  now: Date,
  /** Distributed: the workspace the writes go to, and the one the actor acted from. */
  scope: { teamId: string | null; actorTeamId: string | null } = { teamId: null, actorTeamId: null },
  guard?: ReadGuard,
): Promise<boolean> {
  const set = Object.fromEntries(Object.entries(move.set).filter(([, value]) => value !== undefined));
  const fields = Object.keys(set).sort();
  const document = {
    id: move.id,
    version: move.version,
    from: move.from,
    to: move.to,
    now: now.toISOString(),
    set,
    audit: entries.map((e) => auditRow(e, scope.actorTeamId)),
    queue: writes.map((w) => queueRow(w, scope.teamId)),
    ...(guard ? { guard } : {}),
  };
  const statement = statementFor(move.record, move.closes, fields, guard !== undefined);
  const [row] = await runBuilt<{ moved: number }>(tx, statement, { j: JSON.stringify(document) });
  return (row?.moved ?? 0) > 0;
}
