import { beforeEach, describe, expect, it } from 'vitest';
import { claimDue, enqueue } from '../../src/db/outbox.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { emptyDatabase } from '../support/database.js';

let handle: DatabaseHandle;
beforeEach(async () => {
  handle = await emptyDatabase();
});

const tick = new Date('2026-11-23T10:00:00Z');

describe('outbox claims', () => {
  it('concurrent workers claim disjoint rows, and a claimed row is not claimed again while its lease holds', async () => {
    for (let i = 0; i < 30; i++) await enqueue(handle.db, `notice:${i}`, { type: 'home', userId: `U${i}` }, tick);
    const claims = await Promise.all([1, 2, 3].map(() => claimDue(handle.db, tick, 12, 60_000)));
    const ids = claims.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(30);
    expect(await claimDue(handle.db, new Date(tick.getTime() + 59_000), 50, 60_000)).toHaveLength(0);
    // A worker that crashed holding rows: they come back once its lease lapses.
    expect(await claimDue(handle.db, new Date(tick.getTime() + 60_000), 50, 60_000)).toHaveLength(30);
  });

  it('queuing the same key twice queues one row', async () => {
    await enqueue(handle.db, 'post:setup:x', { type: 'home', userId: 'U1' }, tick);
    await enqueue(handle.db, 'post:setup:x', { type: 'home', userId: 'U1' }, tick);
    expect(await claimDue(handle.db, tick, 10, 1000)).toHaveLength(1);
  });
});
