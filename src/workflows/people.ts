import { administeredWithAdmins, knownStatuses } from '../db/accounts.js';
import type { Executor } from '../db/client.js';
import type { Effect } from '../domain/effects.js';
import { decidePersonChange } from '../domain/people.js';
import { workspaceKey, type Workspace } from '../domain/workspace.js';
import { applyEffects, effectScope } from './applyEffects.js';
import type { WorkflowDeps } from './deps.js';

export interface PersonStatus {
  userId: string;
  deactivated: boolean;
}

/**
 * What follows from Slack's word on people's accounts (deactivated or not), in the caller's
 * transaction: for each person whose state differs from what Vouch knew, the flag, and an audit
 * entry and Home tab refreshes on each account they administer. `key`: the workspace the people
 * are users of (`workspaceKey`): distributed, the same user id elsewhere is someone else.
 */
export async function statusEffects(tx: Executor, key: string, seen: readonly PersonStatus[], now: Date): Promise<Effect[]> {
  const known = await knownStatuses(
    tx,
    key,
    seen.map((p) => p.userId),
  );
  const effects: Effect[] = [];
  for (const person of seen) {
    const wasDeactivated = known.get(person.userId) ?? null;
    if ((wasDeactivated ?? false) === person.deactivated) continue;
    const administered = await administeredWithAdmins(tx, key, person.userId);
    effects.push(...decidePersonChange({ wasDeactivated, administered }, { ...person, workspaceKey: key }, now));
  }
  return effects;
}

/** People's Slack accounts: Slack says (the `user_change` event) that one was deactivated or is back. */
export function createPeopleWorkflow({ db, clock, workspaces = 'one' }: WorkflowDeps) {
  return {
    /**
     * Keeps what Slack said of the person (of `workspace`, where Slack said it); a change that
     * alters nothing Vouch knew writes nothing.
     */
    changed(input: PersonStatus & { workspace?: Workspace }): Promise<void> {
      const now = clock();
      const { workspace, ...person } = input;
      const key = workspaceKey(workspaces, workspace);
      // The Home tabs refreshed are those of the person's workspace, where their accounts are.
      const scope = effectScope(workspaces, workspace?.teamId ?? null, null);
      return db.transaction(async (tx) => applyEffects(tx, await statusEffects(tx, key, [person], now), now, scope));
    },
  };
}

export type PeopleWorkflow = ReturnType<typeof createPeopleWorkflow>;
