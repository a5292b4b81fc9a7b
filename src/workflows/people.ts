import { administeredWithAdmins, knownStatuses } from '../db/accounts.js';
import type { Executor } from '../db/client.js';
import type { Effect } from '../domain/effects.js';
import { decidePersonChange } from '../domain/people.js';
import { applyEffects } from './applyEffects.js';
import type { WorkflowDeps } from './deps.js';

export interface PersonStatus {
  userId: string;
  deactivated: boolean;
}

/**
 * What follows from Slack's word on people's accounts (deactivated or not), in the caller's
 * transaction: for each person whose state differs from what Vouch knew, the flag, and an audit
 * entry and Home tab refreshes on each account they administer.
 */
export async function statusEffects(tx: Executor, seen: readonly PersonStatus[], now: Date): Promise<Effect[]> {
  const known = await knownStatuses(
    tx,
    seen.map((p) => p.userId),
  );
  const effects: Effect[] = [];
  for (const person of seen) {
    const wasDeactivated = known.get(person.userId) ?? null;
    if ((wasDeactivated ?? false) === person.deactivated) continue;
    const administered = await administeredWithAdmins(tx, person.userId);
    effects.push(...decidePersonChange({ wasDeactivated, administered }, person, now));
  }
  return effects;
}

/** People's Slack accounts: Slack says (the `user_change` event) that one was deactivated or is back. */
export function createPeopleWorkflow({ db, clock }: WorkflowDeps) {
  return {
    /** Keeps what Slack said of the person; a change that alters nothing Vouch knew writes nothing. */
    changed(input: PersonStatus): Promise<void> {
      const now = clock();
      return db.transaction(async (tx) => applyEffects(tx, await statusEffects(tx, [input], now), now));
    },
  };
}

export type PeopleWorkflow = ReturnType<typeof createPeopleWorkflow>;
