import { beforeEach, describe, expect, it } from 'vitest';
import { acquireLease, releaseLease } from '../../src/db/leases.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { emptyDatabase } from '../support/database.js';

let handle: DatabaseHandle;
beforeEach(async () => {
  handle = await emptyDatabase();
});

const tick = new Date('2026-11-23T10:00:00Z');
const nextTick = new Date('2026-11-23T10:01:00Z');

describe('job leases: one replica per tick', () => {
  it('of two replicas asking for the same tick at once, exactly one runs it', async () => {
    const results = await Promise.all(
      ['replica-a', 'replica-b', 'replica-c'].map((holder) =>
        acquireLease(handle.db, { name: 'sweep', holder, slot: tick, ttlMs: 60_000 }, tick),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('a tick already run never runs again, even after the lease is released', async () => {
    expect(await acquireLease(handle.db, { name: 'sweep', holder: 'a', slot: tick, ttlMs: 60_000 }, tick)).toBe(true);
    await releaseLease(handle.db, { name: 'sweep', holder: 'a' }, tick);
    expect(await acquireLease(handle.db, { name: 'sweep', holder: 'b', slot: tick, ttlMs: 60_000 }, tick)).toBe(false);
    expect(await acquireLease(handle.db, { name: 'sweep', holder: 'b', slot: nextTick, ttlMs: 60_000 }, nextTick)).toBe(true);
  });

  it('a crashed holder’s lease lapses after its time to live, and not before', async () => {
    expect(await acquireLease(handle.db, { name: 'sweep', holder: 'crashed', slot: tick, ttlMs: 5 * 60_000 }, tick)).toBe(true);
    expect(await acquireLease(handle.db, { name: 'sweep', holder: 'b', slot: nextTick, ttlMs: 60_000 }, nextTick)).toBe(false);
    const later = new Date(tick.getTime() + 5 * 60_000);
    expect(await acquireLease(handle.db, { name: 'sweep', holder: 'b', slot: later, ttlMs: 60_000 }, later)).toBe(true);
  });

  it('different jobs have different leases', async () => {
    expect(await acquireLease(handle.db, { name: 'sweep', holder: 'a', slot: tick, ttlMs: 60_000 }, tick)).toBe(true);
    expect(await acquireLease(handle.db, { name: 'reminders', holder: 'a', slot: tick, ttlMs: 60_000 }, tick)).toBe(true);
  });
});
