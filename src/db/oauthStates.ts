import { and, eq, gt, lte } from 'drizzle-orm';
import type { Database } from './client.js';
import { oauthStates } from './schema.js';

/** Keeps an install's state (by its hash) until `expiresAt`; drops the states that have lapsed. */
export async function saveOAuthState(db: Database, stateHash: string, installOptions: unknown, now: Date, expiresAt: Date): Promise<void> {
  await db.delete(oauthStates).where(lte(oauthStates.expiresAt, now));
  await db.insert(oauthStates).values({ stateHash, installOptions, createdAt: now, expiresAt });
}

/**
 * Uses a state up: deletes its row and returns what it carried, or undefined when there is no
 * such state, it has lapsed, or it was used already. One statement, so two replicas handed the
 * same state cannot both use it.
 */
export async function consumeOAuthState(db: Database, stateHash: string, now: Date): Promise<unknown | undefined> {
  const [row] = await db
    .delete(oauthStates)
    .where(and(eq(oauthStates.stateHash, stateHash), gt(oauthStates.expiresAt, now)))
    .returning({ installOptions: oauthStates.installOptions });
  return row?.installOptions;
}
