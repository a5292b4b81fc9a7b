import { audited, moved, notify, type Effect } from './effects.js';
import { closeDelegation, type DelegationRecord, type DelegationStatus } from './delegation.js';
import { outboxKey } from './outboxKeys.js';
import type { SetupInvitationRecord } from './setupInvitation.js';

/** The actor of what the timers do. */
export const SYSTEM_ACTOR = 'system';

/** A delegation that expires while waiting for the invitee was never answered: the inviter is told. */
export const unansweredIfExpiredFrom = 'awaiting_acceptance' satisfies DelegationStatus;

/**
 * A setup invitation ran out: it closes, and so does the delegation still live on its account
 * (a delegation never outlives the invitation it hangs on). Nobody is told by a notice: the
 * redrawn setup message says it expired.
 */
export function expireSetupInvitation(invitation: SetupInvitationRecord, liveDelegations: readonly DelegationRecord[]): Effect[] {
  return [
    ...moved(
      { record: 'setup_invitation', id: invitation.id, event: 'expire', version: invitation.version, set: { closedBy: SYSTEM_ACTOR } },
      [invitation.holderUserId],
    ),
    audited({
      accountId: invitation.accountId,
      actor: SYSTEM_ACTOR,
      action: 'setup_invitation.expired',
      subjectKind: 'setup_invitation',
      subjectId: invitation.id,
      before: { status: invitation.status },
      after: { status: 'expired', expiresAt: invitation.expiresAt },
    }),
    ...liveDelegations.flatMap((d) => closeDelegation(d, 'expire', SYSTEM_ACTOR)),
  ];
}

/**
 * A delegation ran out by its own deadline. If the invitee had been asked and never answered,
 * the inviter hears of it; an unconfirmed one just shows as expired in the inviter's DM.
 */
export function expireDelegation(d: DelegationRecord, accountName: string, now: Date): Effect[] {
  const unanswered = d.status === unansweredIfExpiredFrom;
  return [
    ...closeDelegation(d, 'expire', SYSTEM_ACTOR),
    ...(unanswered
      ? [
          notify(outboxKey.notice('unanswered', d.id), d.inviterUserId, {
            kind: 'invitation_expired_unanswered',
            accountName,
            inviteeUserId: d.inviteeUserId,
            at: now.toISOString(),
          }),
        ]
      : []),
  ];
}
