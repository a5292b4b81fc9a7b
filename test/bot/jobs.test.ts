import type { RunCoordinator } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { followTicks } from '../../src/bot/jobs.js';

/** A coordinator whose answers the test gives, recording what it was asked. */
function heldCoordinator() {
  const calls: string[] = [];
  let answer!: (allowed: boolean) => void;
  const coordinator: RunCoordinator = {
    shouldRun: (key) => {
      calls.push(`shouldRun ${key}`);
      return new Promise<boolean>((resolve) => {
        answer = resolve;
      });
    },
    onComplete: async (key) => {
      calls.push(`onComplete ${key}`);
    },
  };
  return { coordinator, calls, answer: (allowed: boolean) => answer(allowed) };
}

/** The ticks in flight, as a stopping Jobs waits for them. */
function followed(coordinator: RunCoordinator) {
  let stopping = false;
  const inFlight = new Set<Promise<void>>();
  const wrapped = followTicks(coordinator, {
    stopping: () => stopping,
    track: (tick) => {
      inFlight.add(tick);
      void tick.then(() => inFlight.delete(tick));
    },
  });
  return { wrapped, inFlight, stop: () => (stopping = true) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the timers stopping: no tick runs on a closed database', () => {
  it('a tick is in flight from its lease request to its lease release', async () => {
    const { coordinator, calls, answer } = heldCoordinator();
    const { wrapped, inFlight } = followed(coordinator);
    const asked = wrapped.shouldRun('sweep:2026-12-01T10:00:00.000Z', 0);
    expect(inFlight.size).toBe(1);
    answer(true);
    expect(await asked).toBe(true);
    await settle();
    // Elected: the run and its release are still to come.
    expect(inFlight.size).toBe(1);
    await wrapped.onComplete?.('sweep:2026-12-01T10:00:00.000Z');
    await settle();
    expect(inFlight.size).toBe(0);
    expect(calls).toEqual(['shouldRun sweep:2026-12-01T10:00:00.000Z', 'onComplete sweep:2026-12-01T10:00:00.000Z']);
  });

  it('a tick another replica runs is over when the lease is refused', async () => {
    const { coordinator, answer } = heldCoordinator();
    const { wrapped, inFlight } = followed(coordinator);
    const asked = wrapped.shouldRun('sweep:2026-12-01T10:00:00.000Z', 0);
    answer(false);
    expect(await asked).toBe(false);
    await settle();
    expect(inFlight.size).toBe(0);
  });

  it('once stopping, a tick asks the database nothing and is not run', async () => {
    const { coordinator, calls } = heldCoordinator();
    const { wrapped, inFlight, stop } = followed(coordinator);
    stop();
    expect(await wrapped.shouldRun('sweep:2026-12-01T10:00:01.000Z', 0)).toBe(false);
    expect(calls).toEqual([]);
    expect(inFlight.size).toBe(0);
  });
});
