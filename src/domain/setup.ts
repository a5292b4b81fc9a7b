import { audited, moved, notify, queue, refreshHomes, type Decision, type Effect } from './effects.js';
import {
  checkInvitee,
  closeDelegation,
  confirmationExpiresAt,
  invitationFacts,
  type DelegationRecord,
  type InviteeProblem,
} from './delegation.js';
import { expireSetupInvitation } from './expiry.js';
import { outboxKey } from './outboxKeys.js';
import { invalid, ok, refused, type Outcome } from './outcome.js';
import type { Refusal } from './refusal.js';
import {
  checkSetupInvitation,
  issueSetupInvitation,
  type AccountStatus,
  type FreshInvitationDecision,
  type SetupInvitationRecord,
} from './setupInvitation.js';

/**
 * What the holder of a setup invitation does with it: set the account up, or name someone else
 * to do it ("invite someone else"); and `/enterprise setup`, which sends an admin their setup
 * message again or a fresh invitation.
 */

export interface AccountRecord {
  id: string;
  name: string;
  status: AccountStatus;
  primaryContactUserId: string;
}

/** A setup invitation as a click on it sees it, read under its lock. */
export interface InvitationState {
  invitation: SetupInvitationRecord;
  account: AccountRecord;
  /** Whether the holder still holds `manage`. */
  holderIsAdmin: boolean;
}

/** Whether the holder typed another name than the account has (names compare regardless of case). */
export const isRename = (currentName: string, requested: string) => requested.trim().toLowerCase() !== currentName.toLowerCase();

/**
 * "Set up the account": the account, under the name the holder confirmed, becomes active. The
 * invitation completes and a delegation still live on the account is superseded; the primary
 * contact hears of it unless they did it themselves.
 */
export function decideCompleteSetup(
  state: InvitationState & { liveDelegations: readonly DelegationRecord[]; nameTakenByOther: boolean },
  input: { actor: string; accountName: string },
  now: Date,
): Outcome<Decision<{ id: string; name: string; status: 'active' }>, Refusal, 'accountName', 'taken'> {
  const refusal = checkSetupInvitation(invitationFacts(state), input.actor, now);
  if (refusal) return refused(refusal);
  if (state.nameTakenByOther) return invalid({ accountName: 'taken' });
  const { account, invitation } = state;
  const name = input.accountName.trim();
  const effects: Effect[] = [
    { type: 'activate_account', accountId: account.id, name, by: input.actor },
    ...moved(
      { record: 'setup_invitation', id: invitation.id, event: 'complete', version: invitation.version, set: { closedBy: input.actor } },
      [invitation.holderUserId],
    ),
    ...state.liveDelegations.flatMap((d) => closeDelegation(d, 'supersede', input.actor)),
    audited({
      accountId: account.id,
      actor: input.actor,
      action: 'account.set_up',
      subjectKind: 'account',
      subjectId: account.id,
      before: { name: account.name, status: account.status },
      after: { name, status: 'active' },
    }),
    audited({
      accountId: account.id,
      actor: input.actor,
      action: 'setup_invitation.completed',
      subjectKind: 'setup_invitation',
      subjectId: invitation.id,
      before: { status: 'pending' },
      after: { status: 'completed' },
    }),
  ];
  if (account.primaryContactUserId !== input.actor) {
    effects.push(
      notify(outboxKey.notice('set_up', account.id), account.primaryContactUserId, {
        kind: 'account_set_up',
        accountName: name,
        byUserId: input.actor,
        at: now.toISOString(),
      }),
    );
  }
  return ok({ next: { id: account.id, name, status: 'active' }, effects });
}

/** The invitee as Slack describes them when the invite modal is submitted. */
export interface InviteeFacts {
  userId: string;
  email: string | null;
  isBot: boolean;
  deactivated: boolean;
}

/**
 * The invite modal was submitted: a delegation awaiting the inviter's confirmation (within
 * `confirmTtlMs`), posted to the inviter as a confirmation DM. It replaces a delegation still
 * live on the account.
 */
export function decideDelegationRequest(
  state: InvitationState & { inviteeIsAdmin: boolean; liveDelegations: readonly DelegationRecord[] },
  input: { actor: string; invitee: InviteeFacts },
  ids: { delegationId: string },
  now: Date,
  confirmTtlMs: number,
): Outcome<Decision<{ delegationId: string; confirmExpiresAt: Date }>, Refusal, 'invitee', InviteeProblem> {
  const refusal = checkSetupInvitation(invitationFacts(state), input.actor, now);
  if (refusal) return refused(refusal);
  const problem = checkInvitee({
    inviteeUserId: input.invitee.userId,
    inviterUserId: input.actor,
    inviteeIsBot: input.invitee.isBot,
    inviteeDeactivated: input.invitee.deactivated,
  });
  if (problem) return invalid({ invitee: problem });

  const id = ids.delegationId;
  const confirmExpiresAt = confirmationExpiresAt(now, confirmTtlMs);
  return ok({
    next: { delegationId: id, confirmExpiresAt },
    effects: [
      ...state.liveDelegations.flatMap((d) => closeDelegation(d, 'supersede', input.actor)),
      {
        type: 'create_delegation',
        delegation: {
          id,
          accountId: state.account.id,
          setupInvitationId: state.invitation.id,
          inviterUserId: input.actor,
          inviteeUserId: input.invitee.userId,
          inviteeEmail: input.invitee.email,
          inviteeIsAdmin: state.inviteeIsAdmin,
          confirmExpiresAt,
        },
      },
      audited({
        accountId: state.account.id,
        actor: input.actor,
        action: 'delegation.requested',
        subjectKind: 'delegation',
        subjectId: id,
        after: { invitee: input.invitee.userId, confirmExpiresAt, ...(state.inviteeIsAdmin ? { inviteeIsAdmin: true } : {}) },
      }),
      queue(outboxKey.post('confirmation', id), { type: 'post', surface: 'confirmation', subjectId: id, channel: input.actor }),
      ...refreshHomes([input.actor], id, 1),
    ],
  });
}

/** What `/enterprise setup` did for one account the caller administers. */
export type FreshInvitationOutcome<A> =
  | { account: A; kind: 'resent'; expiresAt: Date }
  | { account: A; kind: 'issued'; expiresAt: Date }
  | { account: A; kind: 'held_by_other'; holderUserId: string; expiresAt: Date }
  | { account: A; kind: 'account_active' };

/**
 * `/enterprise setup` for one account, once `decideFreshInvitation` has decided: re-send the live
 * setup message, or issue a fresh invitation. A pending invitation past its deadline that the
 * sweep has not reached yet expires first, with the delegation live on it (`liveDelegations`,
 * needed only then).
 */
export function freshInvitationEffects<A extends { id: string }>(
  decision: FreshInvitationDecision,
  facts: { account: A; live: SetupInvitationRecord | null; liveDelegations: readonly DelegationRecord[] },
  actor: string,
  ids: { newInvitationId: string },
  now: Date,
  setupInviteTtlMs: number,
): { outcome: FreshInvitationOutcome<A> | null; effects: Effect[] } {
  const { account, live } = facts;
  switch (decision.kind) {
    case 'not_admin':
      return { outcome: null, effects: [] };
    case 'account_active':
      return { outcome: { account, kind: 'account_active' }, effects: [] };
    case 'held_by_other':
      return {
        outcome: { account, kind: 'held_by_other', holderUserId: decision.holderUserId, expiresAt: decision.expiresAt },
        effects: [],
      };
    case 'resend':
      if (!live) return { outcome: null, effects: [] };
      return {
        outcome: { account, kind: 'resent', expiresAt: live.expiresAt },
        effects: [queue(outboxKey.repost(live.id, now), { type: 'post', surface: 'setup', subjectId: live.id, channel: actor })],
      };
    case 'issue':
      return {
        outcome: { account, kind: 'issued', expiresAt: decision.expiresAt },
        effects: [
          ...(live ? expireSetupInvitation(live, facts.liveDelegations, { tellHolder: false }) : []),
          ...issueSetupInvitation({
            id: ids.newInvitationId,
            accountId: account.id,
            holderUserId: actor,
            actor,
            now,
            ttlMs: setupInviteTtlMs,
          }),
        ],
      };
  }
}
