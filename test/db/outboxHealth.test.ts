import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf, type DatabaseHandle } from '../../src/db/client.js';
import { enqueue, markFailed, markSent, outboxStats, outboxStatsWith, pruneDead } from '../../src/db/outbox.js';
import { outbox } from '../../src/db/schema.js';
import { emptyDatabase } from '../support/database.js';

let handle: DatabaseHandle;
beforeEach(async () => {
  handle = await emptyDatabase();
});

const start = new Date('2026-11-23T09:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

/** Queues a notice row under `key` at `when`; returns its id. */
async function queued(key: string, when: Date): Promise<string> {
  await enqueue(handle.db, key, { type: 'redraw', subjectId: 'S1' }, when);
  const rows = await handle.db.select().from(outbox);
  return rows.find((r) => r.key === key)!.id;
}

/** The plan of `query` with sequential scans priced out: whatever still reads the table whole has no index to use. */
async function seqScansOf(query: string): Promise<string[]> {
  return handle.db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    const plan = JSON.stringify(rowsOf(await tx.execute(sql.raw(`explain (format json) ${query}`))));
    return [...plan.matchAll(/"Node Type":"Seq Scan"[^}]*?"Relation Name":"(\w+)"/g)].map((m) => m[1]!);
  });
}

describe('the outbox figures of /healthz, /readyz and /metrics', () => {
  it('count waiting and dead rows and the oldest waiting row’s age, whatever the delivered history', async () => {
    expect(await outboxStats(handle.db, start)).toEqual({ pending: 0, dead: 0, oldestPendingSeconds: null });
    for (let i = 0; i < 5; i++) await markSent(handle.db, await queued(`sent:${i}`, at(0)), at(1));
    await queued('pending:old', at(2));
    await queued('pending:new', at(5));
    await markFailed(handle.db, await queued('dead:1', at(3)), { error: 'channel_not_found', retryAt: null });
    const retrying = await queued('retrying', at(4));
    await markFailed(handle.db, retrying, { error: 'HTTP 500', retryAt: at(60) });
    expect(await outboxStats(handle.db, at(10))).toEqual({ pending: 3, dead: 1, oldestPendingSeconds: 8 * 60 });
    const withMigrations = await outboxStatsWith(handle.db, at(10), true);
    expect(withMigrations.appliedMigrations).toBeGreaterThanOrEqual(2);
    expect(withMigrations.stats.pending).toBe(3);
  });

  it('have an index path for every figure, and so does pruning: none reads the outbox whole', async () => {
    const stats = `select (select count(*) from outbox where status = 'pending'),
      (select count(*) from outbox where status = 'dead'),
      (select min(created_at) from outbox where status = 'pending')`;
    expect(await seqScansOf(stats)).toEqual([]);
    expect(await seqScansOf(`select id from outbox where status = 'sent' and sent_at < now() order by sent_at limit 1000`)).toEqual([]);
    // The check can fail: a filter no index covers still reads the table.
    expect(await seqScansOf(`select count(*) from outbox where last_error = 'x'`)).toEqual(['outbox']);
  });

  it('an operator prunes dead rows, all or by key prefix (its _ and % taken literally); other rows stay', async () => {
    for (const key of ['post:setup:a', 'post:setup:b', 'postXsetup:c', 'notice:x']) {
      await markFailed(handle.db, await queued(key, at(0)), { error: 'channel_not_found', retryAt: null });
    }
    await queued('post:setup:pending', at(0));
    expect(await pruneDead(handle.db, 'post:setup')).toBe(2);
    expect(await pruneDead(handle.db, 'post_')).toBe(0);
    expect(await pruneDead(handle.db)).toBe(2);
    expect((await handle.db.select().from(outbox)).map((r) => [r.key, r.status])).toEqual([['post:setup:pending', 'pending']]);
  });
});
