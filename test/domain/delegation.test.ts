import { describe, expect, it } from 'vitest';
import {
  checkDelegation,
  checkInvitee,
  confirmationExpiresAt,
  delegationMachine,
  isDelegationDue,
  type Delegation,
} from '../../src/domain/delegation.js';
import type { SetupInvitationFacts } from '../../src/domain/setupInvitation.js';

const HOUR = 3_600_000;
const requestedAt = new Date('2026-11-23T09:00:00Z');
const later = (hours: number) => new Date(requestedAt.getTime() + hours * HOUR);
const invitationExpiresAt = later(24 * 20);

const invitation = (over: Partial<SetupInvitationFacts> = {}): SetupInvitationFacts => ({
  invitation: { status: 'pending', holderUserId: 'UINVITER', expiresAt: invitationExpiresAt },
  accountStatus: 'pending_setup',
  holderIsAdmin: true,
  ...over,
});

const delegation = (over: Partial<Delegation> = {}): Delegation => ({
  status: 'awaiting_confirmation',
  inviterUserId: 'UINVITER',
  inviteeUserId: 'UINVITEE',
  confirmExpiresAt: confirmationExpiresAt(requestedAt, 24 * HOUR),
  acceptExpiresAt: null,
  ...over,
});
const approved = (over: Partial<Delegation> = {}) =>
  delegation({ status: 'awaiting_acceptance', acceptExpiresAt: invitationExpiresAt, ...over });

describe('delegation state machine', () => {
  it('has exactly two live states', () => {
    expect(delegationMachine.liveStates).toEqual(['awaiting_confirmation', 'awaiting_acceptance']);
  });
  it('approve leads to awaiting acceptance, and accept can only follow it', () => {
    expect(delegationMachine.next('awaiting_confirmation', 'approve')).toBe('awaiting_acceptance');
    expect(delegationMachine.next('awaiting_confirmation', 'accept')).toBeNull();
    expect(delegationMachine.next('awaiting_acceptance', 'accept')).toBe('accepted');
    expect(delegationMachine.next('awaiting_acceptance', 'cancel')).toBeNull();
  });
});

describe('the confirmation works for 24 hours', () => {
  it('can be approved at 23h59 and not at 24h', () => {
    expect(checkDelegation(delegation(), 'approve', 'UINVITER', invitation(), new Date(later(24).getTime() - 60_000))).toBeNull();
    expect(checkDelegation(delegation(), 'approve', 'UINVITER', invitation(), later(24))).toEqual({ reason: 'expired', at: later(24) });
  });
  it('is due for the sweep at 24h, and the invitee window follows the setup invitation', () => {
    expect(isDelegationDue(delegation(), later(23))).toBe(false);
    expect(isDelegationDue(delegation(), later(24))).toBe(true);
    expect(isDelegationDue(approved(), later(24 * 19))).toBe(false);
    expect(isDelegationDue(approved(), later(24 * 20))).toBe(true);
  });
});

describe('when the confirmation and invitee buttons stop working', () => {
  const now = later(1);
  it('only the inviter approves or cancels; only the invitee accepts or declines', () => {
    expect(checkDelegation(delegation(), 'approve', 'UINVITEE', invitation(), now)).toEqual({ reason: 'not_yours' });
    expect(checkDelegation(approved(), 'accept', 'UINVITER', invitation(), now)).toEqual({ reason: 'not_yours' });
  });
  it('already used', () => {
    expect(checkDelegation(approved(), 'approve', 'UINVITER', invitation(), now)).toEqual({ reason: 'already_approved' });
    expect(checkDelegation(approved({ status: 'accepted' }), 'accept', 'UINVITEE', invitation(), now)).toEqual({
      reason: 'already_accepted',
    });
  });
  it('cancelled, declined, or replaced by a newer invitation', () => {
    expect(checkDelegation(delegation({ status: 'cancelled' }), 'approve', 'UINVITER', invitation(), now)).toEqual({ reason: 'cancelled' });
    expect(checkDelegation(approved({ status: 'declined' }), 'accept', 'UINVITEE', invitation(), now)).toEqual({ reason: 'declined' });
    expect(checkDelegation(delegation({ status: 'superseded' }), 'approve', 'UINVITER', invitation(), now)).toEqual({
      reason: 'superseded',
    });
  });
  it('someone has removed the inviter as an admin', () => {
    expect(checkDelegation(delegation(), 'approve', 'UINVITER', invitation({ holderIsAdmin: false }), now)).toEqual({
      reason: 'holder_removed',
    });
    expect(checkDelegation(approved(), 'accept', 'UINVITEE', invitation({ holderIsAdmin: false }), now)).toEqual({
      reason: 'inviter_removed',
    });
  });
  it('the setup invitation it hangs on expired or was used', () => {
    const expired = invitation({ invitation: { status: 'pending', holderUserId: 'UINVITER', expiresAt: later(2) } });
    expect(checkDelegation(delegation(), 'approve', 'UINVITER', expired, later(3))).toEqual({ reason: 'expired', at: later(2) });
    expect(checkDelegation(approved(), 'accept', 'UINVITEE', invitation({ accountStatus: 'active' }), now)).toEqual({
      reason: 'account_active',
    });
  });
});

describe('who can be invited', () => {
  const ok = { inviteeUserId: 'U2', inviterUserId: 'U1', inviteeIsBot: false, inviteeDeactivated: false };
  it('anyone active, an existing admin too (the holder hands them the setup)', () => expect(checkInvitee(ok)).toBeNull());
  it('not yourself, not an app, not a deactivated account', () => {
    expect(checkInvitee({ ...ok, inviteeUserId: 'U1' })).toBe('self');
    expect(checkInvitee({ ...ok, inviteeIsBot: true })).toBe('bot');
    expect(checkInvitee({ ...ok, inviteeDeactivated: true })).toBe('deactivated');
  });
});

describe('a delegation closed by the account being set up', () => {
  it('says the account is set up rather than "replaced"', () => {
    const superseded = delegation({ status: 'superseded', acceptExpiresAt: invitationExpiresAt });
    expect(checkDelegation(superseded, 'accept', 'UINVITEE', invitation({ accountStatus: 'active' }), later(1))).toEqual({
      reason: 'account_active',
    });
    expect(checkDelegation(superseded, 'accept', 'UINVITEE', invitation(), later(1))).toEqual({ reason: 'superseded' });
  });
});
