import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { rowsOf, type Database, type Executor } from './client.js';
import { build, runBuilt, selectedColumns } from './prepared.js';
import { outbox, outboxChannels, type OutboxRow } from './schema.js';
import type { OutboxPayload, QueuedWrite } from '../domain/effects.js';

/** What to write to Slack once the transaction that decided it has committed: the domain's list of writes. */
export type { OutboxPayload, QueuedWrite } from '../domain/effects.js';

/**
 * The channel a payload posts a new message into, if any (a letter's upload is one too). Those
 * writes queue per channel: posted one at a time, in the order they were queued, at Slack's
 * pace. Edits and Home tabs do not.
 */
export function postedChannel(payload: OutboxPayload): string | null {
  if (payload.type === 'audit_csv') return payload.userId; // a new message in their DM
  return payload.type === 'post' || payload.type === 'notice' || payload.type === 'letter' ? payload.channel : null;
}

/**
 * A condition on an outbox row's payload (an SQL expression): a Home tab is refreshed only for
 * people who have opened it (in the row's workspace, `teamId`, an SQL expression; none: the one
 * workspace). Someone who has not gets theirs drawn fresh when they first open it, so a refresh
 * queued for them would only be claimed, looked up and dropped.
 */
export function homeViewersOnly(payload: string, teamId = 'null'): string {
  return `(${payload}->>'type' <> 'home' or exists (select 1 from home_viewers h where h.user_id = ${payload}->>'userId' and h.team_id = coalesce(${teamId}, '')))`;
}

const enqueueStatement = build(sql`
  insert into outbox (key, payload, channel, team_id, created_at, next_attempt_at)
  select q.key, q.payload, q.channel, q.team_id, ${sql.placeholder('now')}::text::timestamptz, ${sql.placeholder('now')}::text::timestamptz
  from jsonb_to_recordset(${sql.placeholder('rows')}::text::jsonb) as q(key text, payload jsonb, channel text, team_id text)
  where ${sql.raw(homeViewersOnly('q.payload', 'q.team_id'))}
  on conflict (key) do nothing`);

/**
 * The queue a new message waits in: its channel, and for a DM (a user id) in a workspace the
 * workspace too, since the same user id in two workspaces is two people with two DMs. The sweep
 * builds the same key in SQL (`queueChannelSql`).
 */
export function queueChannel(channel: string | null, teamId: string | null): string | null {
  return channel !== null && teamId !== null && /^[UW]/.test(channel) ? `${teamId}:${channel}` : channel;
}

/** `queueChannel` in SQL, over a channel and a team column of the query. */
export const queueChannelSql = (channel: string, teamId: string) =>
  sql.raw(`case when ${teamId} is not null and ${channel} ~ '^[UW]' then ${teamId} || ':' || ${channel} else ${channel} end`);

/** A queued write as the inserts read it: its queue, and its workspace (distributed). */
export const queueRow = ({ key, payload }: QueuedWrite, teamId: string | null = null) => ({
  key,
  payload,
  channel: queueChannel(postedChannel(payload), teamId),
  team_id: teamId,
});

/**
 * Queues Slack writes in the caller's transaction, in one statement. Queuing a key again (a
 * replayed transaction or click) is a no-op. `teamId`: the workspace they go to (distributed).
 */
export async function enqueueAll(tx: Executor, writes: QueuedWrite[], now: Date, teamId: string | null = null): Promise<void> {
  if (writes.length === 0) return;
  const rows = writes.map((write) => queueRow(write, teamId));
  await runBuilt(tx, enqueueStatement, { rows: JSON.stringify(rows), now: now.toISOString() });
}

export function enqueue(tx: Executor, key: string, payload: OutboxPayload, now: Date, teamId: string | null = null): Promise<void> {
  return enqueueAll(tx, [{ key, payload }], now, teamId);
}

/**
 * Distributed, the workspaces waiting out a 429, by team id. A row's calls go to its workspace,
 * except the provider's (`provider`): the support channel, support's Home tabs and rows naming no
 * workspace are written there whatever workspace queued them.
 */
export interface PausedWorkspaces {
  teams: readonly string[];
  provider?: { teamId: string; channel: string };
}

const ph = (name: string) => sql.placeholder(name);
const claimedColumns = selectedColumns(outbox, 'outbox', '');

/**
 * Whether a row's calls go to the provider's workspace: rows naming no workspace, and with a
 * provider its own rows, its support channel and support's Home tabs, whatever workspace queued them.
 */
const toProvider = sql`(o.team_id is null or (${ph('providerTeam')}::text is not null and (o.team_id = ${ph('providerTeam')}::text
  or o.channel = ${ph('providerChannel')}::text or o.payload->>'type' = 'support_homes')))`;

/** Built once: the paused workspaces are values of the statement (none paused leaves every row in). */
const claimStatement = build(sql`
  update outbox set locked_until = ${ph('lockedUntil')}::text::timestamptz, attempts = outbox.attempts + 1
  where outbox.id in (
    select o.id from outbox o
    where o.status = 'pending'
      and o.next_attempt_at <= ${ph('now')}::text::timestamptz
      and (o.locked_until is null or o.locked_until <= ${ph('now')}::text::timestamptz)
      and (o.channel is null or (
        not exists (select 1 from outbox earlier where earlier.channel = o.channel and earlier.status = 'pending' and earlier.seq < o.seq)
        and not exists (select 1 from outbox_channels c where c.channel = o.channel and c.next_post_at > clock_timestamp())))
      and (not ${ph('providerPaused')}::boolean or not ${toProvider})
      and (${toProvider} or not (${ph('customers')}::text::jsonb ? o.team_id))
    order by o.next_attempt_at, o.seq
    limit ${ph('limit')}::int
    for update skip locked)
  returning ${sql.raw(claimedColumns.list)}`);

/**
 * Claims up to `limit` due rows for `leaseMs`, in one statement. SKIP LOCKED lets several workers
 * (and replicas) claim disjoint rows; the lease lets another worker take over a row whose claimer
 * crashed.
 *
 * A row that posts into a channel is claimed only as the head of that channel's queue (no earlier
 * row of the channel is pending: not one waiting for a retry, nor one another worker holds) and
 * only once the channel's pace allows (on the database's clock, which every replica shares). So
 * at most one worker serves a channel at a time, in queue order, and a lapsed claim hands the
 * same head on.
 */
export async function claimDue(
  db: Database,
  now: Date,
  limit: number,
  leaseMs: number,
  /** Workspaces waiting out a 429: the rows whose calls go there are left for later (see `PausedWorkspaces`). */
  { teams, provider }: PausedWorkspaces = { teams: [] },
): Promise<OutboxRow[]> {
  const rows = await runBuilt<Record<string, unknown>>(db, claimStatement, {
    now: now.toISOString(),
    lockedUntil: new Date(now.getTime() + leaseMs).toISOString(),
    limit,
    providerTeam: provider?.teamId ?? null,
    providerChannel: provider?.channel ?? null,
    providerPaused: provider !== undefined && teams.includes(provider.teamId),
    customers: JSON.stringify(teams.filter((team) => team !== provider?.teamId)),
  });
  return rows.map((row) => claimedColumns.read(row)).sort((a, b) => a.seq - b.seq);
}

/**
 * Gives claimed rows back untried: no attempt is counted. Only rows still held by the claim that
 * ends at `claimEnds`: one another worker has taken since is not touched.
 */
export async function releaseClaims(db: Database, ids: string[], claimEnds: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(outbox)
    .set({ lockedUntil: null, attempts: sql`${outbox.attempts} - 1` })
    .where(and(inArray(outbox.id, ids), eq(outbox.lockedUntil, claimEnds)));
}

/** After a write into `channel`, the next one waits `gapMs` (Slack's pace). */
export interface Pace {
  channel: string;
  gapMs: number;
}

/**
 * Settles one row, and with `pace` also moves its channel's next allowed post to `gapMs` from
 * now on the database's clock, in the same statement: whoever claims the channel's next row,
 * on any replica, sees both or neither. A failed post paces too (Slack may have taken it).
 * Built once: `status` and `sentAt` null keep the row's, `retryAt` null keeps its next attempt,
 * `paceChannel` null paces nothing.
 */
const settleStatement = build(sql`
  with settled as (
    update outbox set
      status = coalesce(${ph('status')}::text, outbox.status),
      sent_at = coalesce(${ph('sentAt')}::text::timestamptz, outbox.sent_at),
      next_attempt_at = coalesce(${ph('retryAt')}::text::timestamptz, outbox.next_attempt_at),
      last_error = ${ph('lastError')}::text,
      locked_until = null
    where outbox.id = ${ph('id')}::uuid
    returning 1)
  insert into outbox_channels (channel, next_post_at)
  select ${ph('paceChannel')}::text, clock_timestamp() + ${ph('gapMs')}::int * interval '1 millisecond'
  where ${ph('paceChannel')}::text is not null
  on conflict (channel) do update set next_post_at = excluded.next_post_at`);

async function settle(
  db: Database,
  id: string,
  values: { status: 'sent' | 'dead' | null; sentAt: Date | null; retryAt: Date | null; lastError: string | null },
  pace: Pace | undefined,
): Promise<void> {
  await runBuilt(db, settleStatement, {
    id,
    status: values.status,
    sentAt: values.sentAt?.toISOString() ?? null,
    retryAt: values.retryAt?.toISOString() ?? null,
    lastError: values.lastError,
    paceChannel: pace?.channel ?? null,
    gapMs: pace ? Math.max(0, Math.round(pace.gapMs)) : 0,
  });
}

export async function markSent(db: Database, id: string, now: Date, pace?: Pace): Promise<void> {
  await settle(db, id, { status: 'sent', sentAt: now, retryAt: null, lastError: null }, pace);
}

export async function markFailed(db: Database, id: string, failure: { error: string; retryAt: Date | null }, pace?: Pace): Promise<void> {
  await settle(db, id, { status: failure.retryAt ? null : 'dead', sentAt: null, retryAt: failure.retryAt, lastError: failure.error }, pace);
}

/**
 * How long until a channel that has rows due is paced no more, in ms; null when no due row waits
 * for its channel's pace.
 */
export async function nextPaceInMs(db: Database, now: Date): Promise<number | null> {
  const [row] = rowsOf<{ ms: number | null }>(
    await db.execute(sql`
      select ceil(extract(epoch from min(${outboxChannels.nextPostAt}) - clock_timestamp()) * 1000)::int as ms
      from ${outboxChannels}
      where ${outboxChannels.nextPostAt} > clock_timestamp()
        and exists (
          select 1 from ${outbox}
          where ${outbox.channel} = ${outboxChannels.channel} and ${outbox.status} = 'pending' and ${outbox.nextAttemptAt} <= ${now.toISOString()}::timestamptz
        )`),
  );
  return row?.ms ?? null;
}

/** Forgets the pace of channels whose next allowed post has long passed (no row means no wait). */
export async function forgetPastPaces(db: Database): Promise<number> {
  const rows = await db
    .delete(outboxChannels)
    .where(lt(outboxChannels.nextPostAt, sql`clock_timestamp() - interval '1 minute'`))
    .returning({ channel: outboxChannels.channel });
  return rows.length;
}

export interface OutboxStats {
  pending: number;
  dead: number;
  oldestPendingSeconds: number | null;
}

/**
 * The backlog an operator watches: rows waiting, the oldest one's age, and dead rows. Each figure
 * is read through a partial index (`outbox_due` for pending rows, `outbox_dead` for dead ones), so
 * the cost follows the backlog, never the delivered history. With `migrations`, the same round
 * trip also counts the applied migrations (for /readyz).
 */
export async function outboxStats(db: Database, now: Date): Promise<OutboxStats> {
  return (await outboxStatsWith(db, now, false)).stats;
}

export async function outboxStatsWith(
  db: Database,
  now: Date,
  migrations: boolean,
): Promise<{ stats: OutboxStats; appliedMigrations: number | null }> {
  const result = await db.execute(sql`
    select (select count(*) from outbox where status = 'pending')::int as pending,
           (select count(*) from outbox where status = 'dead')::int as dead,
           (select min(created_at) from outbox where status = 'pending') as oldest,
           ${migrations ? sql`(select count(*) from drizzle.__drizzle_migrations)::int` : sql`null::int`} as migrations`);
  const [row] = rowsOf<{ pending: number; dead: number; oldest: Date | string | null; migrations: number | null }>(result);
  const oldest = row?.oldest ? new Date(row.oldest) : null;
  return {
    stats: {
      pending: row?.pending ?? 0,
      dead: row?.dead ?? 0,
      oldestPendingSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : null,
    },
    appliedMigrations: row?.migrations ?? null,
  };
}

/**
 * Deletes delivered rows sent before `before`, oldest first, `batchSize` per statement and at most
 * `maxBatches` statements, so a run never holds many locks or writes much at once: what is left
 * waits for the next run. Pending and dead rows are never touched. Returns how many went.
 */
export async function pruneSent(db: Database, before: Date, options: { batchSize?: number; maxBatches?: number } = {}): Promise<number> {
  const batchSize = options.batchSize ?? 1_000;
  const maxBatches = options.maxBatches ?? 20;
  let pruned = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await db.execute(sql`
      with gone as (
        delete from outbox where id in (
          select id from outbox where status = 'sent' and sent_at < ${before.toISOString()}::timestamptz
          order by sent_at limit ${batchSize}::int)
        returning 1)
      select count(*)::int as n from gone`);
    const n = rowsOf<{ n: number }>(result)[0]?.n ?? 0;
    pruned += n;
    if (n < batchSize) break;
  }
  return pruned;
}

/** An operator's clean-up: deletes dead rows (all, or those whose key starts with `keyPrefix`). */
export async function pruneDead(db: Database, keyPrefix?: string): Promise<number> {
  const rows = await db
    .delete(outbox)
    .where(and(eq(outbox.status, 'dead'), keyPrefix ? sql`${outbox.key} like ${`${likePrefix(keyPrefix)}%`}` : undefined))
    .returning({ id: outbox.id });
  return rows.length;
}

/** A prefix for LIKE, its wildcards taken literally. */
function likePrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** An operator's retry: dead rows (all, or those whose key starts with `keyPrefix`) go back to pending. */
export async function retryDead(db: Database, now: Date, keyPrefix?: string): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null })
    .where(and(eq(outbox.status, 'dead'), keyPrefix ? sql`${outbox.key} like ${`${likePrefix(keyPrefix)}%`}` : undefined))
    .returning({ id: outbox.id });
  return rows.length;
}

/**
 * A workspace uninstalled Vouch (or its tokens were revoked): its writes still waiting are marked
 * dead with `reason`, since no call can be made there any more; `npm run outbox:retry` queues them
 * again once it has installed Vouch again. Left alone: writes to the support channel and support's
 * Home tabs (the provider's workspace, still installed) and redraws, whose delivery skips the
 * messages of a workspace without an install and edits the others. Returns how many were marked.
 */
export async function markWorkspaceRowsDead(
  db: Executor,
  teamIds: readonly string[],
  supportChannelId: string,
  reason: string,
): Promise<number> {
  if (teamIds.length === 0) return 0;
  const marked = await db
    .update(outbox)
    .set({ status: 'dead', lastError: reason, lockedUntil: null })
    .where(
      and(
        eq(outbox.status, 'pending'),
        inArray(outbox.teamId, [...teamIds]),
        or(isNull(outbox.channel), sql`${outbox.channel} <> ${supportChannelId}`),
        sql`${outbox.payload}->>'type' not in ('redraw', 'support_homes')`,
      ),
    )
    .returning({ id: outbox.id });
  return marked.length;
}
