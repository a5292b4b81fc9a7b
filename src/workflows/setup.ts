import { accountsAdministeredBy, findAccountByName, isAdmin, lockAccount } from '../db/accounts.js';
import type { Executor } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { loadInvitation, lockLiveDelegations, lockPendingInvitations } from '../db/invitations.js';
import type { Account, SetupInvitation } from '../db/schema.js';
import { invalid, ok, refused, type Ok, type Outcome } from '../domain/outcome.js';
import { refuse, type Refusal } from '../domain/refusal.js';
import { decideCompleteSetup, freshInvitationEffects, isRename, type FreshInvitationOutcome } from '../domain/setup.js';
import { checkSetupInvitation, decideFreshInvitation } from '../domain/setupInvitation.js';
import { invitationFacts } from '../domain/delegation.js';
import { applyEffects, effectScope } from './applyEffects.js';
import type { WorkflowDeps } from './deps.js';
import { sameWorkspace, type Workspace, type WorkspaceMode } from '../domain/workspace.js';

export type { FreshInvitationOutcome } from '../domain/setup.js';
export type CompleteSetupOutcome = Outcome<{ id: string; name: string; status: 'active' }, Refusal, 'accountName', 'taken'>;

export type InvitationUse = Outcome<{ account: Account; invitation: SetupInvitation }>;

/** Whether `actor` may use the invitation at `now`: read without locks, for a modal about to open. */
export async function checkInvitationUse(
  db: Executor,
  invitationId: string,
  actor: string,
  now: Date,
  mode: WorkspaceMode = 'one',
  workspace?: Workspace,
): Promise<InvitationUse> {
  const loaded = await loadInvitation(db, { id: invitationId }, false);
  if (!loaded) return refused(refuse('not_found'));
  if (!sameWorkspace(mode, loaded.account, workspace)) return refused(refuse('not_yours'));
  const refusal = checkSetupInvitation(invitationFacts(loaded), actor, now);
  return refusal ? refused(refusal) : ok({ account: loaded.account, invitation: loaded.invitation });
}

/**
 * `/enterprise setup` for one account, whose row the caller has locked: re-send the actor's live
 * setup message, or issue a fresh invitation; null when they are not its admin.
 */
async function freshInvitation(
  tx: Executor,
  account: Account,
  actor: string,
  actorIsAdmin: boolean,
  now: Date,
  { ttls, newId }: Pick<WorkflowDeps, 'ttls' | 'newId'>,
  scope: Parameters<typeof applyEffects>[3],
): Promise<FreshInvitationOutcome<Account> | null> {
  const [live = null] = await lockPendingInvitations(tx, account.id);
  const decision = decideFreshInvitation(
    { actorUserId: actor, actorIsAdmin, accountStatus: account.status, live },
    now,
    ttls.setupInviteMs,
  );
  // A pending invitation past its deadline expires before a fresh one is issued, with its delegation.
  const liveDelegations = decision.kind === 'issue' && live ? await lockLiveDelegations(tx, account.id) : [];
  const { outcome, effects } = freshInvitationEffects(
    decision,
    { account, live, liveDelegations },
    actor,
    { newInvitationId: newId() },
    now,
    ttls.setupInviteMs,
  );
  await applyEffects(tx, effects, now, scope);
  return outcome;
}

/** The setup invitation's own buttons, and `/enterprise setup`. */
export function createSetupWorkflow({ db, clock, ttls, newId, workspaces = 'one' }: WorkflowDeps) {
  return {
    /** Whether `actor` may use the invitation now (before a modal opens); changes nothing. */
    checkUse(input: { invitationId: string; actor: string; workspace?: Workspace }): Promise<InvitationUse> {
      return checkInvitationUse(db, input.invitationId, input.actor, clock(), workspaces, input.workspace);
    },

    /** "Set up the account": the holder confirms the account's details and it becomes active. */
    async complete(input: {
      invitationId: string;
      actor: string;
      workspace?: Workspace;
      accountName: string;
    }): Promise<CompleteSetupOutcome> {
      const now = clock();
      try {
        return await db.transaction(async (tx): Promise<CompleteSetupOutcome> => {
          const loaded = await loadInvitation(tx, { id: input.invitationId }, true);
          if (!loaded) return refused(refuse('not_found'));
          if (!sameWorkspace(workspaces, loaded.account, input.workspace)) return refused(refuse('not_yours'));
          const [liveDelegations, nameTakenByOther] = await Promise.all([
            lockLiveDelegations(tx, loaded.account.id),
            isRename(loaded.account.name, input.accountName)
              ? findAccountByName(tx, input.accountName).then((other) => other !== undefined)
              : false,
          ]);
          const decision = decideCompleteSetup({ ...loaded, liveDelegations, nameTakenByOther }, input, now);
          if (decision.kind !== 'ok') return decision;
          await applyEffects(
            tx,
            decision.value.effects,
            now,
            effectScope(workspaces, loaded.account.teamId, input.workspace?.teamId ?? null),
          );
          return ok(decision.value.next);
        });
      } catch (error) {
        if (isUniqueViolation(error, 'accounts_name_unique')) return invalid({ accountName: 'taken' });
        throw error;
      }
    },

    /**
     * `/enterprise setup`: for every account the caller administers, re-send their live setup
     * message, or issue a fresh invitation when theirs is gone and the account is still not set up.
     */
    freshInvitations(input: { actor: string; workspace?: Workspace }): Promise<Ok<FreshInvitationOutcome<Account>[]>> {
      const now = clock();
      return db.transaction(async (tx) => {
        const outcomes: FreshInvitationOutcome<Account>[] = [];
        for (const account of await accountsAdministeredBy(tx, input.actor, { lock: true })) {
          // The same user id in another workspace is someone else.
          if (!sameWorkspace(workspaces, account, input.workspace)) continue;
          const scope = effectScope(workspaces, account.teamId, input.workspace?.teamId ?? null);
          const outcome = await freshInvitation(tx, account, input.actor, true, now, { ttls, newId }, scope);
          if (outcome) outcomes.push(outcome);
        }
        return ok(outcomes);
      });
    },

    /**
     * Get a new invitation (on the DM saying one expired, or on the Home tab): `/enterprise setup`
     * for that one account, with the same rules; refused to anyone who is not its admin now.
     */
    freshInvitationFor(input: {
      accountId: string;
      actor: string;
      workspace?: Workspace;
    }): Promise<Outcome<FreshInvitationOutcome<Account>, { reason: 'not_admin' }>> {
      const now = clock();
      return db.transaction(async (tx) => {
        const account = await lockAccount(tx, input.accountId);
        // The same user id in another workspace is someone else: not this account's admin.
        const admin =
          account !== undefined && sameWorkspace(workspaces, account, input.workspace) && (await isAdmin(tx, account.id, input.actor));
        const scope = account ? effectScope(workspaces, account.teamId, input.workspace?.teamId ?? null) : undefined;
        const outcome = account ? await freshInvitation(tx, account, input.actor, admin, now, { ttls, newId }, scope) : null;
        return outcome ? ok(outcome) : refused({ reason: 'not_admin' as const });
      });
    },
  };
}

export type SetupWorkflow = ReturnType<typeof createSetupWorkflow>;
