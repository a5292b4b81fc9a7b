import { and, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { Executor } from './client.js';
import { accounts, delegations, setupInvitations } from './schema.js';
import { setupInvitationMachine } from '../domain/setupInvitation.js';
import { addMs } from '../domain/duration.js';

/**
 * Marks as reminded the pending setup invitations whose deadline is at most `leadMs` away and
 * not yet past, that have had no reminder; returns them with their account's name. Marking and
 * returning in one statement makes each reminder go out once, whichever replica runs the job.
 */
export function markSetupRemindersDue(tx: Executor, now: Date, leadMs: number) {
  return tx
    .update(setupInvitations)
    .set({ remindedAt: now })
    .from(accounts)
    .where(
      and(
        eq(accounts.id, setupInvitations.accountId),
        inArray(setupInvitations.status, [...setupInvitationMachine.liveStates]),
        isNull(setupInvitations.remindedAt),
        lte(setupInvitations.expiresAt, addMs(now, leadMs)),
        gt(setupInvitations.expiresAt, now),
      ),
    )
    .returning({
      id: setupInvitations.id,
      holderUserId: setupInvitations.holderUserId,
      expiresAt: setupInvitations.expiresAt,
      accountName: accounts.name,
      teamId: accounts.teamId,
    });
}

/** The same for delegations still awaiting the inviter's confirmation. */
export function markConfirmationRemindersDue(tx: Executor, now: Date, leadMs: number) {
  return tx
    .update(delegations)
    .set({ remindedAt: now })
    .from(accounts)
    .where(
      and(
        eq(accounts.id, delegations.accountId),
        eq(delegations.status, 'awaiting_confirmation'),
        isNull(delegations.remindedAt),
        lte(delegations.confirmExpiresAt, addMs(now, leadMs)),
        gt(delegations.confirmExpiresAt, now),
      ),
    )
    .returning({
      id: delegations.id,
      inviterUserId: delegations.inviterUserId,
      inviteeUserId: delegations.inviteeUserId,
      confirmExpiresAt: delegations.confirmExpiresAt,
      accountName: accounts.name,
      teamId: accounts.teamId,
    });
}
