import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { claimDue, enqueue, enqueueAll, markFailed, markSent, type OutboxPayload } from '../../src/db/outbox.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { homeViewers, outboxChannels } from '../../src/db/schema.js';
import { emptyDatabase } from '../support/database.js';

let handle: DatabaseHandle;
beforeEach(async () => {
  handle = await emptyDatabase();
});

const tick = new Date('2026-11-23T10:00:00Z');
const DAY = 86_400_000;

describe('outbox claims', () => {
  it('concurrent workers claim disjoint rows, and a claimed row is not claimed again while its lease holds', async () => {
    for (let i = 0; i < 30; i++) await enqueue(handle.db, `notice:${i}`, { type: 'redraw', subjectId: `S${i}` }, tick);
    const claims = await Promise.all([1, 2, 3].map(() => claimDue(handle.db, tick, 12, 60_000)));
    const ids = claims.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(30);
    expect(await claimDue(handle.db, new Date(tick.getTime() + 59_000), 50, 60_000)).toHaveLength(0);
    // A worker that crashed holding rows: they come back once its lease lapses.
    expect(await claimDue(handle.db, new Date(tick.getTime() + 60_000), 50, 60_000)).toHaveLength(30);
  });

  it('of the rows into one channel, only the head of its queue is claimed, and only by one worker', async () => {
    const notice = (channel: string): OutboxPayload => ({
      type: 'notice',
      channel,
      notice: { kind: 'admin_added', accountName: 'Acme', byUserId: 'U0ADMIN' },
    });
    for (let i = 1; i <= 3; i++) await enqueue(handle.db, `a${i}`, notice('U0A'), tick);
    await enqueue(handle.db, 'b1', notice('C0B'), tick);
    await enqueue(handle.db, 'edit', { type: 'redraw', subjectId: '00000000-0000-0000-0000-000000000000' }, tick);
    await handle.db.insert(homeViewers).values({ userId: 'U0A', openedAt: tick });
    await enqueue(handle.db, 'home', { type: 'home', userId: 'U0A' }, tick);
    const claims = await Promise.all([1, 2, 3].map(() => claimDue(handle.db, tick, 10, 60_000)));
    const claimed = claims.flat();
    expect(claimed.map((r) => r.key).sort()).toEqual(['a1', 'b1', 'edit', 'home']);
    const a1 = claimed.find((r) => r.key === 'a1')!;
    expect(await claimDue(handle.db, tick, 10, 60_000)).toEqual([]);

    // The head waits for a retry: the rows behind it wait too.
    const retryAt = new Date(tick.getTime() + 30_000);
    await markFailed(handle.db, a1.id, { error: 'HTTP 500', retryAt }, { channel: 'U0A', gapMs: 0 });
    expect(await claimDue(handle.db, new Date(tick.getTime() + 29_999), 10, 60_000)).toEqual([]);
    const again = await claimDue(handle.db, retryAt, 10, 60_000);
    expect(again.map((r) => [r.key, r.attempts])).toEqual([['a1', 2]]);

    // Sent, or given up on: the next row in line is the head.
    await markSent(handle.db, a1.id, retryAt, { channel: 'U0A', gapMs: 0 });
    const [a2] = await claimDue(handle.db, retryAt, 10, 60_000);
    expect(a2?.key).toBe('a2');
    await markFailed(handle.db, a2!.id, { error: 'channel_not_found', retryAt: null }, { channel: 'U0A', gapMs: 0 });
    expect((await claimDue(handle.db, retryAt, 10, 60_000)).map((r) => r.key)).toEqual(['a3']);
  });

  it('a channel just posted to is not claimed again before its pace allows, on any worker', async () => {
    const notice: OutboxPayload = { type: 'notice', channel: 'U0A', notice: { kind: 'admin_added', accountName: 'Acme', byUserId: 'U0X' } };
    await enqueue(handle.db, 'a1', notice, tick);
    await enqueue(handle.db, 'a2', notice, tick);
    const [a1] = await claimDue(handle.db, tick, 10, 60_000);
    await markSent(handle.db, a1!.id, tick, { channel: 'U0A', gapMs: 10 * 60_000 });
    // The pace runs on the database's clock, not the workers': moving theirs changes nothing.
    expect(await claimDue(handle.db, new Date(tick.getTime() + DAY), 10, 60_000)).toEqual([]);
    await handle.db.update(outboxChannels).set({ nextPostAt: sql`now()` });
    expect((await claimDue(handle.db, tick, 10, 60_000)).map((r) => r.key)).toEqual(['a2']);
  });

  it('claims the same rows, read back whole, whether or not some other workspace waits out a 429', async () => {
    const notice = (channel: string): OutboxPayload => ({
      type: 'notice',
      channel,
      notice: { kind: 'admin_added', accountName: 'Acme', byUserId: 'U0ADMIN' },
    });
    // A queue of two, a paced channel, a row due later, single rows into other channels, and an edit.
    await enqueue(handle.db, 'q1', notice('U0Q'), tick);
    await enqueue(handle.db, 'q2', notice('U0Q'), tick);
    await enqueue(handle.db, 'paced', notice('C0PACED'), tick);
    await handle.db.insert(outboxChannels).values({ channel: 'C0PACED', nextPostAt: sql`clock_timestamp() + interval '1 hour'` });
    await enqueue(handle.db, 'later', notice('C0LATER'), new Date(tick.getTime() + 60_000));
    await enqueue(handle.db, 'held', notice('C0HELD'), tick);
    await enqueue(handle.db, 'edit', { type: 'redraw', subjectId: 'S1' }, tick);
    const [held] = await claimDue(handle.db, tick, 1, 60_000, { teams: [] });
    expect(held?.key).toBe('q1');
    await markSent(handle.db, held!.id, tick); // q2 is now its queue's head
    await enqueue(handle.db, 'held2', notice('C0HELD2'), tick);
    const keysOf = (rows: Array<{ key: string }>) => rows.map((r) => r.key);

    // With nothing paused and with another workspace paused, the claim takes the same kinds of rows.
    const usual = await claimDue(handle.db, tick, 2, 60_000);
    const withPause = await claimDue(handle.db, tick, 10, 60_000, { teams: ['T0ELSEWHERE'] });
    expect(keysOf(usual)).toEqual(['q2', 'held']);
    expect(keysOf(withPause)).toEqual(['edit', 'held2']);
    const [q2] = usual;
    expect(q2).toMatchObject({
      key: 'q2',
      payload: notice('U0Q'),
      status: 'pending',
      attempts: 1,
      channel: 'U0Q',
      teamId: null,
      createdAt: tick,
      nextAttemptAt: tick,
      lockedUntil: new Date(tick.getTime() + 60_000),
      sentAt: null,
      lastError: null,
    });
    expect(typeof q2!.seq).toBe('number');
    expect(await claimDue(handle.db, tick, 10, 60_000)).toEqual([]);
    // A minute on, the row due later comes, and the lapsed claims come back.
    const minute = new Date(tick.getTime() + 60_000);
    expect(keysOf(await claimDue(handle.db, minute, 3, 60_000))).toEqual(['q2', 'held', 'edit']);
    expect(keysOf(await claimDue(handle.db, minute, 10, 60_000, { teams: ['T0ELSEWHERE'] }))).toEqual(['later', 'held2']);
  });

  it('a paused workspace keeps its rows; a paused provider keeps the rows written to it, whoever queued them', async () => {
    const notice = (channel: string): OutboxPayload => ({
      type: 'notice',
      channel,
      notice: { kind: 'admin_added', accountName: 'Acme', byUserId: 'U0ADMIN' },
    });
    const provider = { teamId: 'T0PROVIDER', channel: 'C0SUPPORT' };
    await enqueue(handle.db, 'none', { type: 'redraw', subjectId: 'S1' }, tick); // names no workspace: the provider's
    await enqueue(handle.db, 'provider', notice('U0SUPPORT'), tick, 'T0PROVIDER');
    await enqueue(handle.db, 'support-post', notice('C0SUPPORT'), tick, 'T0ACME');
    await enqueue(handle.db, 'support-homes', { type: 'support_homes' }, tick, 'T0ACME');
    await enqueue(handle.db, 'acme', notice('U0ACME'), tick, 'T0ACME');
    await enqueue(handle.db, 'globex', notice('U0GLOBEX'), tick, 'T0GLOBEX');
    const claimable = async (teams: string[]) => {
      const rows = await claimDue(handle.db, tick, 10, 60_000, { teams, provider });
      await handle.db.execute(sql`update outbox set locked_until = null, attempts = 0`); // handed back for the next look
      return rows.map((r) => r.key).sort();
    };
    expect(await claimable([])).toEqual(['acme', 'globex', 'none', 'provider', 'support-homes', 'support-post']);
    expect(await claimable(['T0ACME'])).toEqual(['globex', 'none', 'provider', 'support-homes', 'support-post']);
    expect(await claimable(['T0PROVIDER'])).toEqual(['acme', 'globex']);
    expect(await claimable(['T0PROVIDER', 'T0GLOBEX'])).toEqual(['acme']);
    // Without a provider (one workspace), only rows naming no workspace are its own.
    expect((await claimDue(handle.db, tick, 10, 60_000, { teams: ['T0ACME'] })).map((r) => r.key).sort()).toEqual([
      'globex',
      'none',
      'provider',
    ]);
  });

  it('queuing the same key twice queues one row', async () => {
    await enqueue(handle.db, 'post:setup:x', { type: 'redraw', subjectId: 'S1' }, tick);
    await enqueue(handle.db, 'post:setup:x', { type: 'redraw', subjectId: 'S1' }, tick);
    expect(await claimDue(handle.db, tick, 10, 1000)).toHaveLength(1);
  });

  it('queues a Home tab refresh only for someone who has opened their Home tab; every other row as asked', async () => {
    await handle.db.insert(homeViewers).values({ userId: 'UOPENED', openedAt: tick });
    await enqueueAll(
      handle.db,
      [
        { key: 'home:UOPENED', payload: { type: 'home', userId: 'UOPENED' } },
        { key: 'home:UNEVER', payload: { type: 'home', userId: 'UNEVER' } },
        { key: 'redraw:x', payload: { type: 'redraw', subjectId: 'x' } },
        { key: 'support_homes:x', payload: { type: 'support_homes' } },
      ],
      tick,
    );
    expect((await claimDue(handle.db, tick, 10, 1000)).map((r) => r.key)).toEqual(['home:UOPENED', 'redraw:x', 'support_homes:x']);
  });

  it('a paused workspace holds the rows whose calls go there: the provider’s, whichever workspace queued them', async () => {
    const rows = async (teamId: string | null, writes: Array<[string, OutboxPayload]>) =>
      enqueueAll(
        handle.db,
        writes.map(([key, payload]) => ({ key, payload })),
        tick,
        teamId,
      );
    await rows('T0BETA', [
      ['beta:support', { type: 'notice', channel: 'C0SUPPORT', notice: { kind: 'x' } } as never],
      ['beta:dm', { type: 'notice', channel: 'U1', notice: { kind: 'x' } } as never],
      ['beta:support_homes', { type: 'support_homes' }],
    ]);
    await rows('T0ACME', [['acme:dm', { type: 'notice', channel: 'U1', notice: { kind: 'x' } } as never]]);
    await rows(null, [['none:redraw', { type: 'redraw', subjectId: 'x' }]]);
    const provider = { teamId: 'T0VOUCH', channel: 'C0SUPPORT' };
    const claimed = async (teams: string[]) => {
      const got = (await claimDue(handle.db, tick, 10, 1000, { teams, provider })).map((r) => r.key).sort();
      await handle.db.execute(sql`update outbox set locked_until = null, attempts = 0`);
      return got;
    };
    expect(await claimed(['T0VOUCH'])).toEqual(['acme:dm', 'beta:dm']);
    expect(await claimed(['T0BETA'])).toEqual(['acme:dm', 'beta:support', 'beta:support_homes', 'none:redraw']);
    expect(await claimed(['T0BETA', 'T0VOUCH'])).toEqual(['acme:dm']);
    expect(await claimed([])).toHaveLength(5);
  });
});
