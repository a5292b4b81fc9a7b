import { audited, moved, notify, queue, type Effect } from './effects.js';
import { closeDelegation, type DelegationRecord, type DelegationStatus } from './delegation.js';
import { outboxKey } from './outboxKeys.js';
import type { SetupInvitationRecord } from './setupInvitation.js';

/** The actor of what the timers do. */
export const SYSTEM_ACTOR = 'system';

/** A delegation that expires while waiting for the invitee was never answered: the inviter is told. */
export const unansweredIfExpiredFrom = 'awaiting_acceptance' satisfies DelegationStatus;

/**
 * A setup invitation ran out: it closes, and so does the delegation still live on its account
 * (a delegation never outlives the invitation it hangs on). Its holder gets a short new DM saying
 * so, with Get a new invitation (`setup_expired`), so the last thing in the conversation is not
 * an old reminder; the redrawn setup message says it too. An invitation expired on the way to a
 * fresh one (`/enterprise setup`) tells nobody (`tellHolder: false`): the fresh one follows.
 */
export function expireSetupInvitation(
  invitation: SetupInvitationRecord,
  liveDelegations: readonly DelegationRecord[],
  options: { tellHolder: boolean } = { tellHolder: true },
): Effect[] {
  return [
    ...(options.tellHolder
      ? [
          queue(outboxKey.post('setup_expired', invitation.id), {
            type: 'post',
            surface: 'setup_expired',
            subjectId: invitation.id,
            channel: invitation.holderUserId,
          }),
        ]
      : []),
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
