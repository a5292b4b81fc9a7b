import type { Account } from '../db/schema.js';
import { loadDelegation } from '../db/invitations.js';
import { decideDelegationAction, type DelegationAction } from '../domain/delegation.js';
import { ok, refused, type Outcome } from '../domain/outcome.js';
import { refuse } from '../domain/refusal.js';
import { applyEffects } from './applyEffects.js';
import type { WorkflowDeps } from './deps.js';

/** "Invite someone else", after the invite form: the confirmation and the invitee's answer. */
export function createDelegationWorkflow({ db, clock, ttls, newId }: WorkflowDeps) {
  return {
    /**
     * Approve or Cancel (the inviter), Accept or Decline (the invitee). Decided under the locks of
     * the invitation and the delegation, so a double click or two replicas make one change; the
     * loser is refused like a late click.
     */
    act(input: { delegationId: string; action: DelegationAction; actor: string }): Promise<Outcome<{ account: Account }>> {
      const now = clock();
      return db.transaction(async (tx) => {
        const loaded = await loadDelegation(tx, input.delegationId);
        if (!loaded) return refused(refuse('not_found'));
        const decision = decideDelegationAction(loaded, input.action, input.actor, now, {
          newInvitationId: newId(),
          setupInviteTtlMs: ttls.setupInviteMs,
        });
        if (decision.kind !== 'ok') return decision;
        await applyEffects(tx, decision.value.effects, now);
        return ok({ account: loaded.account });
      });
    },
  };
}

export type DelegationWorkflow = ReturnType<typeof createDelegationWorkflow>;
