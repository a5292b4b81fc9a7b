import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Database, Executor } from './client.js';
import { outbox, type MessageSurface, type OutboxRow } from './schema.js';
import type { Notice } from '../domain/notice.js';

/** What to write to Slack once the transaction that decided it has committed. */
export type OutboxPayload =
  /** Render a record into a new message in `channel` (a user id means their DM) and remember it. */
  | { type: 'post'; surface: MessageSurface; subjectId: string; channel: string }
  /** Re-render every stored message that shows this record. */
  | { type: 'redraw'; subjectId: string }
  /** A one-off message telling someone what happened; in the thread of a record's message if `threadOf`. */
  | { type: 'notice'; channel: string; notice: Notice; threadOf?: string }
  /** Re-publish one person's Home tab. */
  | { type: 'home'; userId: string }
  /** Re-publish the Home tab of every support member who has opened it. */
  | { type: 'support_homes' };

/** One Slack write to queue; the key is its identity. */
export interface QueuedWrite {
  key: string;
  payload: OutboxPayload;
}

/**
 * Queues Slack writes in the caller's transaction, in one statement. Queuing a key again (a
 * replayed transaction or click) is a no-op.
 */
export async function enqueueAll(tx: Executor, writes: QueuedWrite[], now: Date): Promise<void> {
  if (writes.length === 0) return;
  await tx
    .insert(outbox)
    .values(writes.map(({ key, payload }) => ({ key, payload, createdAt: now, nextAttemptAt: now })))
    .onConflictDoNothing({ target: outbox.key });
}

export function enqueue(tx: Executor, key: string, payload: OutboxPayload, now: Date): Promise<void> {
  return enqueueAll(tx, [{ key, payload }], now);
}

/**
 * Claims up to `limit` due rows for `leaseMs`. SKIP LOCKED lets several workers (and replicas)
 * claim disjoint rows; the lease lets another worker take over a row whose claimer crashed.
 */
export async function claimDue(db: Database, now: Date, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now), or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now))),
      )
      .orderBy(asc(outbox.nextAttemptAt), asc(outbox.seq))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const claimed = await tx
      .update(outbox)
      .set({ lockedUntil: new Date(now.getTime() + leaseMs), attempts: sql`${outbox.attempts} + 1` })
      .where(
        inArray(
          outbox.id,
          due.map((r) => r.id),
        ),
      )
      .returning();
    return claimed.sort((a, b) => a.seq - b.seq);
  });
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

export async function markSent(db: Database, id: string, now: Date): Promise<void> {
  await db.update(outbox).set({ status: 'sent', sentAt: now, lockedUntil: null, lastError: null }).where(eq(outbox.id, id));
}

export async function markFailed(db: Database, id: string, failure: { error: string; retryAt: Date | null }): Promise<void> {
  await db
    .update(outbox)
    .set(
      failure.retryAt
        ? { lastError: failure.error, nextAttemptAt: failure.retryAt, lockedUntil: null }
        : { lastError: failure.error, status: 'dead', lockedUntil: null },
    )
    .where(eq(outbox.id, id));
}

/** The backlog an operator watches: rows waiting, the oldest one's age, and dead rows. */
export async function outboxStats(
  db: Database,
  now: Date,
): Promise<{ pending: number; dead: number; oldestPendingSeconds: number | null }> {
  const [row] = await db
    .select({
      pending: sql<number>`count(*) filter (where ${outbox.status} = 'pending')::int`,
      dead: sql<number>`count(*) filter (where ${outbox.status} = 'dead')::int`,
      oldest: sql<Date | string | null>`min(${outbox.createdAt}) filter (where ${outbox.status} = 'pending')`,
    })
    .from(outbox);
  const oldest = row?.oldest ? new Date(row.oldest) : null;
  return {
    pending: row?.pending ?? 0,
    dead: row?.dead ?? 0,
    oldestPendingSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : null,
  };
}

/** An operator's retry: dead rows (all, or those whose key starts with `keyPrefix`) go back to pending. */
export async function retryDead(db: Database, now: Date, keyPrefix?: string): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null })
    .where(and(eq(outbox.status, 'dead'), keyPrefix ? sql`${outbox.key} like ${`${keyPrefix}%`}` : undefined))
    .returning({ id: outbox.id });
  return rows.length;
}
