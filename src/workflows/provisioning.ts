import { findAccountByName } from '../db/accounts.js';
import { isUniqueViolation } from '../db/errors.js';
import { decideProvision, type ProvisionInput, type Provisioned } from '../domain/provisioning.js';
import { invalid, ok, type Outcome } from '../domain/outcome.js';
import { applyEffects, effectScope } from './applyEffects.js';
import type { WorkflowDeps } from './deps.js';

export type ProvisionOutcome = Outcome<Provisioned, never, 'name'>;

/** A new Enterprise Account, from the provisioning API or support's "New Enterprise Account" modal. */
export function createProvisioningWorkflow({ db, clock, ttls, newId, workspaces = 'one' }: WorkflowDeps) {
  return {
    async provision(input: ProvisionInput): Promise<ProvisionOutcome> {
      const now = clock();
      try {
        return await db.transaction(async (tx) => {
          const decision = decideProvision(
            input,
            { nameTaken: (await findAccountByName(tx, input.name)) !== undefined },
            { accountId: newId(), invitationId: newId() },
            now,
            ttls.setupInviteMs,
          );
          if (decision.kind !== 'ok') return decision;
          // The API has no workspace of its own; support acts from the provider's.
          await applyEffects(
            tx,
            decision.value.effects,
            now,
            effectScope(workspaces, input.workspace?.teamId ?? null, input.actorWorkspace?.teamId ?? null),
          );
          return ok(decision.value.next);
        });
      } catch (error) {
        // Two requests raced for the same name; the loser learns it like a late one would.
        if (isUniqueViolation(error, 'accounts_name_unique')) return invalid({ name: 'taken' });
        throw error;
      }
    },
  };
}

export type ProvisioningWorkflow = ReturnType<typeof createProvisioningWorkflow>;
