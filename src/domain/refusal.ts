/**
 * Why a button no longer works. Every "button stops working" case of the setup workflow is one
 * of these; the bot turns each into one sentence for the person who clicked.
 */
export type Refusal =
  | { reason: 'expired'; at: Date }
  | { reason: 'holder_removed' }
  | { reason: 'inviter_removed' }
  | { reason: 'not_yours' }
  | { reason: 'already_completed' }
  | { reason: 'already_approved' }
  | { reason: 'already_accepted' }
  | { reason: 'cancelled' }
  | { reason: 'declined' }
  | { reason: 'superseded' }
  | { reason: 'account_active' }
  | { reason: 'not_found' };

export type RefusalReason = Refusal['reason'];

export const refuse = <R extends Exclude<RefusalReason, 'expired'>>(reason: R) => ({ reason }) as Refusal;
export const expiredAt = (at: Date): Refusal => ({ reason: 'expired', at });
