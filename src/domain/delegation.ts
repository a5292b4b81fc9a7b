import { defineMachine } from './stateMachine.js';
import { expiredAt, refuse, type Refusal } from './refusal.js';
import { checkSetupInvitation, issueSetupInvitation, type SetupInvitationFacts, type SetupInvitationRecord } from './setupInvitation.js';
import { audited, moved, notify, queue, type Decision, type Effect, type Move } from './effects.js';
import { outboxKey } from './outboxKeys.js';
import { ok, refused, type Outcome } from './outcome.js';
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

type DeadlineField = 'confirmExpiresAt' | 'acceptExpiresAt';

/**
 * The states whose time runs out, each with the field holding its deadline. The expiry sweep's
 * SQL filter is built from this table, and so is `isDelegationDue`: they cannot disagree.
 */
export const delegationDeadlines = {
  awaiting_confirmation: 'confirmExpiresAt',
  awaiting_acceptance: 'acceptExpiresAt',
} as const satisfies Partial<Record<DelegationStatus, DeadlineField>>;

/** The deadline that applies in the delegation's current state (null once it is closed). */
export function delegationDeadline(d: Pick<Delegation, 'status' | DeadlineField>): Date | null {
  const deadlines: Partial<Record<DelegationStatus, DeadlineField>> = delegationDeadlines;
  const field = deadlines[d.status];
  return field === undefined ? null : d[field];
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

export type InviteeProblem = 'self' | 'bot' | 'deactivated';

/**
 * Who may be invited: a real, active person other than the inviter. An existing admin may be
 * invited too: the holder hands them the setup (they confirm, the admin accepts), and accepting
 * then grants nothing new.
 */
export function checkInvitee(input: {
  inviteeUserId: string;
  inviterUserId: string;
  inviteeIsBot: boolean;
  inviteeDeactivated: boolean;
}): InviteeProblem | null {
  if (input.inviteeUserId === input.inviterUserId) return 'self';
  if (input.inviteeIsBot) return 'bot';
  if (input.inviteeDeactivated) return 'deactivated';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Decisions: what a click on Approve, Cancel, Accept or Decline does.

/** A delegation as a decision sees it, locked by the workflow that loaded it. */
export interface DelegationRecord extends Delegation {
  id: string;
  version: number;
  accountId: string;
  setupInvitationId: string;
}

/** Everything a click on a delegation is decided from, read under lock at click time. */
export interface DelegationState {
  delegation: DelegationRecord;
  invitation: SetupInvitationRecord;
  account: { id: string; name: string; status: SetupInvitationFacts['accountStatus'] };
  /** Whether the invitation's holder (the inviter) still holds `manage`. */
  holderIsAdmin: boolean;
  /** Whether the invitee holds `manage` already, read when they accept (nothing is granted then). */
  inviteeIsAdmin?: boolean;
}

const pastTense: Record<DelegationAction, string> = { approve: 'approved', cancel: 'cancelled', accept: 'accepted', decline: 'declined' };

export const invitationFacts = (state: Pick<DelegationState, 'invitation' | 'account' | 'holderIsAdmin'>): SetupInvitationFacts => ({
  invitation: state.invitation,
  accountStatus: state.account.status,
  holderIsAdmin: state.holderIsAdmin,
});

/**
 * A click on one of the delegation's buttons: refused (nothing changes), or the guarded move with
 * everything it does. Accepting grants `manage` and hands the setup over: the inviter's invitation
 * closes and the invitee gets one of their own (`newInvitationId`, valid for `setupInviteTtlMs`).
 */
export function decideDelegationAction(
  state: DelegationState,
  action: DelegationAction,
  actor: string,
  now: Date,
  handOver: { newInvitationId: string; setupInviteTtlMs: number },
): Outcome<Decision<DelegationStatus>> {
  const { delegation: d, invitation, account } = state;
  const refusal = checkDelegation(d, action, actor, invitationFacts(state), now);
  if (refusal) return refused(refusal);

  const to = delegationMachine.transitions[action].to;
  const at = now.toISOString();
  const concerns = [d.inviterUserId, d.inviteeUserId];
  const record = audited({
    accountId: d.accountId,
    actor,
    action: `delegation.${pastTense[action]}`,
    subjectKind: 'delegation',
    subjectId: d.id,
    before: { status: d.status },
    after: { status: to },
  });
  const move = (set: Extract<Move, { record: 'delegation' }>['set']) =>
    moved({ record: 'delegation', id: d.id, event: action, version: d.version, ...(set ? { set } : {}) }, concerns);

  switch (action) {
    case 'approve':
      // The invitee may accept for as long as the setup invitation itself works.
      return ok({
        next: to,
        effects: [
          ...move({ approvedAt: now, acceptExpiresAt: invitation.expiresAt }),
          record,
          queue(outboxKey.post('invitee', d.id), { type: 'post', surface: 'invitee', subjectId: d.id, channel: d.inviteeUserId }),
        ],
      });
    case 'cancel':
      return ok({ next: to, effects: [...move({ closedBy: actor }), record] });
    case 'decline':
      return ok({
        next: to,
        effects: [
          ...move({ closedBy: actor }),
          record,
          notify(outboxKey.notice('declined', d.id), d.inviterUserId, {
            kind: 'invitee_declined',
            accountName: account.name,
            inviteeUserId: d.inviteeUserId,
            at,
          }),
        ],
      });
    case 'accept':
      return ok({
        next: to,
        effects: [
          ...move({ closedBy: actor }),
          record,
          // An existing admin who takes the setup over keeps the rights they hold: nothing to grant.
          ...(state.inviteeIsAdmin
            ? []
            : [
                { type: 'grant_admin', accountId: d.accountId, userId: d.inviteeUserId, grantedBy: d.inviterUserId } as const,
                audited({
                  accountId: d.accountId,
                  actor,
                  action: 'admin.granted',
                  subjectKind: 'admin',
                  subjectId: d.inviteeUserId,
                  before: { admin: false },
                  after: { admin: true, invitedBy: d.inviterUserId },
                }),
              ]),
          audited({
            accountId: d.accountId,
            actor,
            action: 'setup_invitation.handed_over',
            subjectKind: 'setup_invitation',
            subjectId: invitation.id,
            before: { status: 'pending', holder: invitation.holderUserId },
            after: { status: 'superseded', handedTo: d.inviteeUserId },
          }),
          notify(outboxKey.notice('accepted', d.id), d.inviterUserId, {
            kind: 'invitee_accepted',
            accountName: account.name,
            inviteeUserId: d.inviteeUserId,
            at,
          }),
          // The setup job changes hands: the inviter's invitation closes, the invitee gets their own.
          ...moved(
            {
              record: 'setup_invitation',
              id: invitation.id,
              event: 'supersede',
              version: invitation.version,
              set: { closedBy: actor, handedToUserId: d.inviteeUserId },
            },
            [invitation.holderUserId],
          ),
          ...issueSetupInvitation({
            id: handOver.newInvitationId,
            accountId: d.accountId,
            holderUserId: d.inviteeUserId,
            actor,
            now,
            ttlMs: handOver.setupInviteTtlMs,
          }),
        ],
      });
  }
}

/**
 * A live delegation closed by something else than its own buttons: the account got set up or a
 * newer one replaced it (supersede), its invitation or its deadline ran out (expire), its inviter
 * was removed as an admin (revoke). The guarded move and its audit entry.
 */
export function closeDelegation(d: DelegationRecord, event: 'supersede' | 'expire' | 'revoke', actor: string): Effect[] {
  const to = delegationMachine.transitions[event].to;
  return [
    ...moved({ record: 'delegation', id: d.id, event, version: d.version, set: { closedBy: actor } }, [d.inviterUserId, d.inviteeUserId]),
    audited({
      accountId: d.accountId,
      actor,
      action: `delegation.${to}`,
      subjectKind: 'delegation',
      subjectId: d.id,
      before: { status: d.status },
      after: { status: to },
    }),
  ];
}
