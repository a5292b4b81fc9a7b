import { isAdmin } from '../db/accounts.js';
import { findDelegation, loadDelegation, loadInvitation, lockLiveDelegations, readDelegation } from '../db/invitations.js';
import type { Account } from '../db/schema.js';
import { decideDelegationAction, type DelegationAction, type InviteeProblem } from '../domain/delegation.js';
import { ok, refused, type Outcome } from '../domain/outcome.js';
import { refuse, type Refusal } from '../domain/refusal.js';
import { decideDelegationRequest, type InviteeFacts } from '../domain/setup.js';
import { applyEffects, applyOneMove, effectScope, isOneMove } from './applyEffects.js';
import type { WorkflowDeps } from './deps.js';
import { checkInvitationUse } from './setup.js';
import { sameWorkspace, type Workspace } from '../domain/workspace.js';
import type { Account as AccountRow } from '../db/schema.js';

export type { InviteeFacts } from '../domain/setup.js';
/** A click on one of a delegation's buttons. */
export interface ActInput {
  delegationId: string;
  action: DelegationAction;
  actor: string;
  workspace?: Workspace;
}

/** Decisions made without locks whose write found something changed, before the click is decided under locks. */
const OPTIMISTIC_ATTEMPTS = 3;

export type RequestDelegationOutcome = Outcome<{ delegationId: string; confirmExpiresAt: Date }, Refusal, 'invitee', InviteeProblem>;

/** "Invite someone else": the invite form, the confirmation and the invitee's answer. */
export function createDelegationWorkflow({ db, clock, ttls, newId, workspaces = 'one' }: WorkflowDeps) {
  /** A person of another workspace never acts on this account's invitations, whatever user id they share. */
  const outside = (account: AccountRow, workspace: Workspace | undefined) => !sameWorkspace(workspaces, account, workspace);
  const scope = (account: AccountRow, workspace: Workspace | undefined) =>
    effectScope(workspaces, account.teamId, workspace?.teamId ?? null);
  const handOver = () => ({ newInvitationId: newId(), setupInviteTtlMs: ttls.setupInviteMs });

  /** A click decided from one read without locks, written only if nothing it read changed meanwhile ('changed' otherwise). */
  const actUnlocked = async (input: ActInput): Promise<Outcome<{ account: Account }> | 'changed'> => {
    const now = clock();
    const loaded = await readDelegation(db, input.delegationId);
    if (!loaded) return refused(refuse('not_found'));
    if (outside(loaded.account, input.workspace)) return refused(refuse('not_yours'));
    const decision = decideDelegationAction(loaded, input.action, input.actor, now, handOver());
    if (decision.kind !== 'ok') return decision;
    if (!isOneMove(decision.value.effects)) return 'changed'; // not a write this path makes: decided again under locks
    const guard = {
      invitation: { id: loaded.invitation.id, version: loaded.invitation.version },
      account: { status: loaded.account.status },
      admin: { userId: loaded.invitation.holderUserId, isAdmin: loaded.holderIsAdmin },
    };
    const written = await applyOneMove(db, decision.value.effects, now, scope(loaded.account, input.workspace), guard);
    return written ? ok({ account: loaded.account }) : 'changed';
  };

  /** A click decided under the locks of the invitation and the delegation (invitation first). */
  const actLocked = (input: ActInput): Promise<Outcome<{ account: Account }>> => {
    const now = clock();
    return db.transaction(async (tx) => {
      const loaded = await loadDelegation(tx, input.delegationId);
      if (!loaded) return refused(refuse('not_found'));
      if (outside(loaded.account, input.workspace)) return refused(refuse('not_yours'));
      // Accepting grants `manage` unless the invitee holds it already (the setup handed to an admin).
      const inviteeIsAdmin = input.action === 'accept' && (await isAdmin(tx, loaded.account.id, loaded.delegation.inviteeUserId));
      const decision = decideDelegationAction({ ...loaded, inviteeIsAdmin }, input.action, input.actor, now, handOver());
      if (decision.kind !== 'ok') return decision;
      await applyEffects(tx, decision.value.effects, now, scope(loaded.account, input.workspace));
      return ok({ account: loaded.account });
    });
  };

  return {
    /** The invite modal was submitted: record the request and ask the inviter to confirm it. */
    request(input: {
      invitationId: string;
      actor: string;
      workspace?: Workspace;
      invitee: InviteeFacts;
    }): Promise<RequestDelegationOutcome> {
      const now = clock();
      return db.transaction(async (tx): Promise<RequestDelegationOutcome> => {
        const loaded = await loadInvitation(tx, { id: input.invitationId }, true);
        if (!loaded) return refused(refuse('not_found'));
        if (outside(loaded.account, input.workspace)) return refused(refuse('not_yours'));
        const [inviteeIsAdmin, liveDelegations] = await Promise.all([
          isAdmin(tx, loaded.account.id, input.invitee.userId),
          lockLiveDelegations(tx, loaded.account.id),
        ]);
        const decision = decideDelegationRequest(
          { ...loaded, inviteeIsAdmin, liveDelegations },
          input,
          { delegationId: newId() },
          now,
          ttls.confirmMs,
        );
        if (decision.kind !== 'ok') return decision;
        await applyEffects(tx, decision.value.effects, now, scope(loaded.account, input.workspace));
        return ok(decision.value.next);
      });
    },

    /**
     * Approve or Cancel (the inviter), Accept or Decline (the invitee): a double click or two
     * replicas make one change, the loser is refused like a late click. A click that moves the
     * delegation alone (all but Accept) is decided from one read without locks and written by one
     * statement that requires everything it read unchanged: two round trips, no transaction. When
     * that write finds something changed, the click is read and decided again; after a few such
     * losses (or for Accept), it is decided under the locks of the invitation and the delegation.
     */
    async act(input: ActInput): Promise<Outcome<{ account: Account }>> {
      if (input.action !== 'accept') {
        for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
          const outcome = await actUnlocked(input);
          if (outcome !== 'changed') return outcome;
        }
      }
      return actLocked(input);
    },

    /** "Start again" on an expired confirmation: who was invited, if the invitation still works; changes nothing. */
    async restart(input: {
      delegationId: string;
      actor: string;
      workspace?: Workspace;
    }): Promise<Outcome<{ invitationId: string; account: Account; inviteeUserId: string }>> {
      const delegation = await findDelegation(db, input.delegationId);
      if (!delegation) return refused(refuse('not_found'));
      const use = await checkInvitationUse(db, delegation.setupInvitationId, input.actor, clock(), workspaces, input.workspace);
      if (use.kind !== 'ok') return use;
      return ok({ invitationId: delegation.setupInvitationId, account: use.value.account, inviteeUserId: delegation.inviteeUserId });
    },
  };
}

export type DelegationWorkflow = ReturnType<typeof createDelegationWorkflow>;
