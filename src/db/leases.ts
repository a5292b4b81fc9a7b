import { and, eq, lt, lte } from 'drizzle-orm';
import type { Database } from './client.js';
import { jobLeases } from './schema.js';

/**
 * Takes the lease of job `name` for the tick `slot`: granted only when no one holds it and that
 * tick has not run yet, so each tick runs on exactly one replica and a crashed holder's lease
 * lapses after `ttlMs`.
 */
export async function acquireLease(
  db: Database,
  input: { name: string; holder: string; slot: Date; ttlMs: number },
  now: Date,
): Promise<boolean> {
  const until = new Date(now.getTime() + input.ttlMs);
  const rows = await db
    .insert(jobLeases)
    .values({ name: input.name, holder: input.holder, leasedUntil: until, lastSlot: input.slot })
    .onConflictDoUpdate({
      target: jobLeases.name,
      set: { holder: input.holder, leasedUntil: until, lastSlot: input.slot },
      setWhere: and(lte(jobLeases.leasedUntil, now), lt(jobLeases.lastSlot, input.slot)),
    })
    .returning({ name: jobLeases.name });
  return rows.length > 0;
}

export async function releaseLease(db: Database, input: { name: string; holder: string }, now: Date): Promise<void> {
  await db
    .update(jobLeases)
    .set({ leasedUntil: now })
    .where(and(eq(jobLeases.name, input.name), eq(jobLeases.holder, input.holder)));
}
