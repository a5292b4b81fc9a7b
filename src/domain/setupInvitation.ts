import { defineMachine } from './stateMachine.js';
import { expiredAt, refuse, type Refusal } from './refusal.js';
import { addMs } from './duration.js';
import { audited, queue, refreshHomes, type Effect } from './effects.js';
import { outboxKey } from './outboxKeys.js';

/**
 * A setup invitation lets its holder (first the primary contact) set the account up or hand
 * that job to someone else. It works for SETUP_INVITE_TTL (30 days by default).
 */
export const setupInvitationStates = ['pending', 'completed', 'expired', 'revoked', 'superseded'] as const;
export type SetupInvitationStatus = (typeof setupInvitationStates)[number];

export const setupInvitationMachine = defineMachine(setupInvitationStates, {
  /** The holder set the account up. */
  complete: { from: ['pending'], to: 'completed' },
  /** Its 30 days ran out. */
  expire: { from: ['pending'], to: 'expired' },
  /** Its holder was removed as an admin of the account. */
  revoke: { from: ['pending'], to: 'revoked' },
  /** Handed over to an invitee who accepted, or replaced by a fresh invitation. */
  supersede: { from: ['pending'], to: 'superseded' },
});
export type SetupInvitationEvent = keyof typeof setupInvitationMachine.transitions;

export type AccountStatus = 'pending_setup' | 'active';

export interface SetupInvitationFacts {
  invitation: { status: SetupInvitationStatus; holderUserId: string; expiresAt: Date };
  accountStatus: AccountStatus;
  /** Whether the holder still holds `manage` on the account, read at click time. */
  holderIsAdmin: boolean;
}

export function setupInvitationExpiresAt(issuedAt: Date, ttlMs: number): Date {
  return addMs(issuedAt, ttlMs);
}

/** Why a stored invitation in this state no longer works (null while it is pending). */
function refusalForClosed(status: SetupInvitationStatus, expiresAt: Date): Refusal | null {
  switch (status) {
    case 'pending':
      return null;
    case 'completed':
      return refuse('already_completed');
    case 'expired':
      return expiredAt(expiresAt);
    case 'revoked':
      return refuse('holder_removed');
    case 'superseded':
      return refuse('superseded');
  }
}

/**
 * Whether `actorUserId` may use the setup invitation now (set up, invite someone else, start
 * again). Decided from the database's facts at click time, never from the button.
 */
export function checkSetupInvitation(facts: SetupInvitationFacts, actorUserId: string, now: Date): Refusal | null {
  const { invitation } = facts;
  if (invitation.holderUserId !== actorUserId) return refuse('not_yours');
  const closed = refusalForClosed(invitation.status, invitation.expiresAt);
  if (closed) return closed;
  if (!facts.holderIsAdmin) return refuse('holder_removed');
  if (facts.accountStatus === 'active') return refuse('account_active');
  if (now.getTime() >= invitation.expiresAt.getTime()) return expiredAt(invitation.expiresAt);
  return null;
}

export type FreshInvitationDecision =
  | { kind: 'resend' }
  | { kind: 'issue'; expiresAt: Date }
  | { kind: 'held_by_other'; holderUserId: string; expiresAt: Date }
  | { kind: 'not_admin' }
  | { kind: 'account_active' };

/**
 * `/enterprise setup` for one account: re-send the caller's live invitation, or issue a fresh one
 * while they are still an admin and the account is not yet set up.
 */
export function decideFreshInvitation(
  input: {
    actorUserId: string;
    actorIsAdmin: boolean;
    accountStatus: AccountStatus;
    live: { holderUserId: string; expiresAt: Date } | null;
  },
  now: Date,
  ttlMs: number,
): FreshInvitationDecision {
  if (!input.actorIsAdmin) return { kind: 'not_admin' };
  if (input.accountStatus === 'active') return { kind: 'account_active' };
  const live = input.live && now.getTime() < input.live.expiresAt.getTime() ? input.live : null;
  if (live && live.holderUserId === input.actorUserId) return { kind: 'resend' };
  if (live) return { kind: 'held_by_other', holderUserId: live.holderUserId, expiresAt: live.expiresAt };
  return { kind: 'issue', expiresAt: setupInvitationExpiresAt(now, ttlMs) };
}

/**
 * The states whose time runs out, each with the field holding its deadline. The expiry sweep's
 * SQL filter is built from this table, and so is `isSetupInvitationDue`: they cannot disagree.
 */
export const setupInvitationDeadlines = { pending: 'expiresAt' } as const satisfies Partial<Record<SetupInvitationStatus, 'expiresAt'>>;

/** Whether an invitation is due for the expiry sweep: in a state that runs out, at or past its deadline. */
export function isSetupInvitationDue(invitation: { status: SetupInvitationStatus; expiresAt: Date }, now: Date): boolean {
  const deadlines: Partial<Record<SetupInvitationStatus, 'expiresAt'>> = setupInvitationDeadlines;
  const field = deadlines[invitation.status];
  return field !== undefined && invitation[field].getTime() <= now.getTime();
}

/** The invitation as a decision sees it: the facts above plus its identity. */
export interface SetupInvitationRecord {
  id: string;
  version: number;
  accountId: string;
  status: SetupInvitationStatus;
  holderUserId: string;
  expiresAt: Date;
}

/**
 * A new setup invitation for `holderUserId`: stored, audited, posted to the holder's DM, shown on
 * their Home tab. `id` comes from the caller, so the decision stays pure.
 */
export function issueSetupInvitation(input: {
  id: string;
  accountId: string;
  holderUserId: string;
  actor: string;
  now: Date;
  ttlMs: number;
}): Effect[] {
  const expiresAt = setupInvitationExpiresAt(input.now, input.ttlMs);
  return [
    {
      type: 'issue_setup_invitation',
      invitation: { id: input.id, accountId: input.accountId, holderUserId: input.holderUserId, expiresAt },
    },
    audited({
      accountId: input.accountId,
      actor: input.actor,
      action: 'setup_invitation.issued',
      subjectKind: 'setup_invitation',
      subjectId: input.id,
      after: { holder: input.holderUserId, expiresAt },
    }),
    queue(outboxKey.post('setup', input.id), { type: 'post', surface: 'setup', subjectId: input.id, channel: input.holderUserId }),
    ...refreshHomes([input.holderUserId], input.id, 1),
  ];
}
