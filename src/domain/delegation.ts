import { defineMachine } from './stateMachine.js';
import { expiredAt, refuse, type Refusal } from './refusal.js';
import { checkSetupInvitation, type SetupInvitationFacts } from './setupInvitation.js';
import { addMs } from './duration.js';

/**
 * A delegation is "invite someone else": the holder of a setup invitation names an invitee,
 * confirms it in a separate DM within CONFIRM_TTL (24 hours by default), and the invitee then
 * accepts before the setup invitation itself runs out.
 */
export const delegationStates = [
  'awaiting_confirmation',
  'awaiting_acceptance',
  'accepted',
  'declined',
  'cancelled',
  'expired',
  'revoked',
  'superseded',
] as const;
export type DelegationStatus = (typeof delegationStates)[number];

export const delegationMachine = defineMachine(delegationStates, {
  /** The inviter confirms: yes, this person should get manage permissions. */
  approve: { from: ['awaiting_confirmation'], to: 'awaiting_acceptance' },
  /** The inviter changes their mind before confirming. */
  cancel: { from: ['awaiting_confirmation'], to: 'cancelled' },
  /** The invitee takes the job (and `manage`). */
  accept: { from: ['awaiting_acceptance'], to: 'accepted' },
  /** The invitee turns it down. */
  decline: { from: ['awaiting_acceptance'], to: 'declined' },
  /** Its deadline passed, or the setup invitation it hangs on expired. */
  expire: { from: ['awaiting_confirmation', 'awaiting_acceptance'], to: 'expired' },
  /** The inviter was removed as an admin of the account. */
  revoke: { from: ['awaiting_confirmation', 'awaiting_acceptance'], to: 'revoked' },
  /** A newer invitation replaced it, or the account was set up meanwhile. */
  supersede: { from: ['awaiting_confirmation', 'awaiting_acceptance'], to: 'superseded' },
});
export type DelegationEvent = keyof typeof delegationMachine.transitions;
export type DelegationAction = 'approve' | 'cancel' | 'accept' | 'decline';

export interface Delegation {
  status: DelegationStatus;
  inviterUserId: string;
  inviteeUserId: string;
  confirmExpiresAt: Date;
  acceptExpiresAt: Date | null;
}

export function confirmationExpiresAt(requestedAt: Date, ttlMs: number): Date {
  return addMs(requestedAt, ttlMs);
}

/** The deadline that applies in the delegation's current state (null once it is closed). */
export function delegationDeadline(d: Pick<Delegation, 'status' | 'confirmExpiresAt' | 'acceptExpiresAt'>): Date | null {
  if (d.status === 'awaiting_confirmation') return d.confirmExpiresAt;
  if (d.status === 'awaiting_acceptance') return d.acceptExpiresAt;
  return null;
}

export function isDelegationDue(d: Pick<Delegation, 'status' | 'confirmExpiresAt' | 'acceptExpiresAt'>, now: Date): boolean {
  const deadline = delegationDeadline(d);
  return deadline !== null && deadline.getTime() <= now.getTime();
}

function refusalForState(d: Delegation, action: DelegationAction): Refusal {
  switch (d.status) {
    case 'awaiting_confirmation':
      return refuse('not_found'); // the invitee has no buttons before the inviter confirms
    case 'awaiting_acceptance':
      return refuse('already_approved');
    case 'accepted':
      return refuse('already_accepted');
    case 'declined':
      return refuse('declined');
    case 'cancelled':
      return refuse('cancelled');
    case 'expired':
      return expiredAt(action === 'approve' || action === 'cancel' ? d.confirmExpiresAt : (d.acceptExpiresAt ?? d.confirmExpiresAt));
    case 'revoked':
      return refuse(action === 'approve' || action === 'cancel' ? 'holder_removed' : 'inviter_removed');
    case 'superseded':
      return refuse('superseded');
  }
}

/**
 * Whether `actorUserId` may take `action` on the delegation now. The setup invitation it hangs
 * on must itself still work for the inviter: a delegation never outlives its invitation.
 */
export function checkDelegation(
  d: Delegation,
  action: DelegationAction,
  actorUserId: string,
  invitation: SetupInvitationFacts,
  now: Date,
): Refusal | null {
  const isInviterAction = action === 'approve' || action === 'cancel';
  const owner = isInviterAction ? d.inviterUserId : d.inviteeUserId;
  if (actorUserId !== owner) return refuse('not_yours');
  if (!delegationMachine.can(d.status, action)) {
    // A delegation closed because the account got set up says that, not "replaced".
    if (d.status === 'superseded' && invitation.accountStatus === 'active') return refuse('account_active');
    return refusalForState(d, action);
  }

  const invitationRefusal = checkSetupInvitation(invitation, d.inviterUserId, now);
  if (invitationRefusal) {
    if (invitationRefusal.reason === 'holder_removed' && !isInviterAction) return refuse('inviter_removed');
    return invitationRefusal;
  }
  const deadline = delegationDeadline(d);
  if (deadline && now.getTime() >= deadline.getTime()) return expiredAt(deadline);
  return null;
}

export type InviteeProblem = 'self' | 'already_admin' | 'bot' | 'deactivated';

/** Who may be invited: a real, active person who is not already an admin and not the inviter. */
export function checkInvitee(input: {
  inviteeUserId: string;
  inviterUserId: string;
  inviteeIsAdmin: boolean;
  inviteeIsBot: boolean;
  inviteeDeactivated: boolean;
}): InviteeProblem | null {
  if (input.inviteeUserId === input.inviterUserId) return 'self';
  if (input.inviteeIsBot) return 'bot';
  if (input.inviteeDeactivated) return 'deactivated';
  if (input.inviteeIsAdmin) return 'already_admin';
  return null;
}
