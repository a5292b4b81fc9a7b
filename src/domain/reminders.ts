import { notify, type Effect } from './effects.js';
import { outboxKey } from './outboxKeys.js';

/**
 * How long before a deadline its one reminder goes out, for something valid `validityMs` from the
 * moment it is issued and a configured lead of `configuredLeadMs`.
 *
 * A lead shorter than the validity is used as configured. A lead as long as the validity or
 * longer would send the "ends soon" reminder the moment the invitation is created, right under the
 * message it reminds of: the reminder then comes at half the validity instead.
 */
export function reminderLeadMs(validityMs: number, configuredLeadMs: number): number {
  return configuredLeadMs < validityMs ? configuredLeadMs : Math.floor(validityMs / 2);
}

/** The one reminder before a setup invitation runs out, to its holder. */
export const setupReminder = (invitation: { id: string; holderUserId: string; expiresAt: Date }, accountName: string, now: Date): Effect =>
  notify(outboxKey.notice('setup_reminder', invitation.id), invitation.holderUserId, {
    kind: 'setup_reminder',
    accountName,
    expiresAt: invitation.expiresAt.toISOString(),
    at: now.toISOString(),
  });

/** The one reminder before a confirmation runs out, to the inviter who has not confirmed yet. */
export const confirmationReminder = (
  d: { id: string; inviterUserId: string; inviteeUserId: string; confirmExpiresAt: Date },
  accountName: string,
  now: Date,
): Effect =>
  notify(outboxKey.notice('confirmation_reminder', d.id), d.inviterUserId, {
    kind: 'confirmation_reminder',
    accountName,
    inviteeUserId: d.inviteeUserId,
    expiresAt: d.confirmExpiresAt.toISOString(),
    at: now.toISOString(),
  });
