import { describe, expect, it } from 'vitest';
import {
  checkSetupInvitation,
  decideFreshInvitation,
  isSetupInvitationDue,
  setupInvitationExpiresAt,
  setupInvitationMachine,
  type SetupInvitationFacts,
} from '../../src/domain/setupInvitation.js';

const DAY = 86_400_000;
const issuedAt = new Date('2026-11-01T12:00:00Z');
const expiresAt = setupInvitationExpiresAt(issuedAt, 30 * DAY);
const at = (days: number) => new Date(issuedAt.getTime() + days * DAY);

const facts = (
  over: Partial<SetupInvitationFacts['invitation']> = {},
  rest: Partial<Omit<SetupInvitationFacts, 'invitation'>> = {},
): SetupInvitationFacts => ({
  invitation: { status: 'pending', holderUserId: 'U1', expiresAt, ...over },
  accountStatus: 'pending_setup',
  holderIsAdmin: true,
  ...rest,
});

describe('setup invitation state machine', () => {
  it('names each transition once, and only a pending invitation can move', () => {
    expect(setupInvitationMachine.liveStates).toEqual(['pending']);
    for (const state of ['completed', 'expired', 'revoked', 'superseded'] as const) {
      for (const event of ['complete', 'expire', 'revoke', 'supersede'] as const) {
        expect(setupInvitationMachine.next(state, event)).toBeNull();
      }
    }
    expect(setupInvitationMachine.next('pending', 'complete')).toBe('completed');
    expect(setupInvitationMachine.next('pending', 'supersede')).toBe('superseded');
  });
});

describe('a setup invitation works for 30 days', () => {
  it('works on day 29 and stops at the deadline', () => {
    expect(checkSetupInvitation(facts(), 'U1', at(29))).toBeNull();
    expect(checkSetupInvitation(facts(), 'U1', at(30))).toEqual({ reason: 'expired', at: expiresAt });
    expect(checkSetupInvitation(facts(), 'U1', new Date(expiresAt.getTime() - 1))).toBeNull();
  });

  it('is due for the sweep only once its deadline passed and only while pending', () => {
    expect(isSetupInvitationDue({ status: 'pending', expiresAt }, at(29))).toBe(false);
    expect(isSetupInvitationDue({ status: 'pending', expiresAt }, at(30))).toBe(true);
    expect(isSetupInvitationDue({ status: 'completed', expiresAt }, at(31))).toBe(false);
  });
});

describe('when the setup buttons stop working', () => {
  it('someone has removed you as an admin', () => {
    expect(checkSetupInvitation(facts({}, { holderIsAdmin: false }), 'U1', at(1))).toEqual({ reason: 'holder_removed' });
    expect(checkSetupInvitation(facts({ status: 'revoked' }), 'U1', at(1))).toEqual({ reason: 'holder_removed' });
  });
  it('already used, replaced, or the account is already set up', () => {
    expect(checkSetupInvitation(facts({ status: 'completed' }), 'U1', at(1))).toEqual({ reason: 'already_completed' });
    expect(checkSetupInvitation(facts({ status: 'superseded' }), 'U1', at(1))).toEqual({ reason: 'superseded' });
    expect(checkSetupInvitation(facts({}, { accountStatus: 'active' }), 'U1', at(1))).toEqual({ reason: 'account_active' });
  });
  it('is meant for someone else', () => {
    expect(checkSetupInvitation(facts(), 'U2', at(1))).toEqual({ reason: 'not_yours' });
  });
  it('an expired invitation says when it expired, even after the sweep', () => {
    expect(checkSetupInvitation(facts({ status: 'expired' }), 'U1', at(40))).toEqual({ reason: 'expired', at: expiresAt });
  });
});

describe('/enterprise setup decides between re-sending and a fresh invitation', () => {
  const base = { actorUserId: 'U1', actorIsAdmin: true, accountStatus: 'pending_setup' as const };
  it('re-sends a live invitation held by the caller', () => {
    expect(decideFreshInvitation({ ...base, live: { holderUserId: 'U1', expiresAt } }, at(10), 30 * DAY)).toEqual({ kind: 'resend' });
  });
  it('issues a fresh 30-day invitation when the old one expired', () => {
    expect(decideFreshInvitation({ ...base, live: null }, at(31), 30 * DAY)).toEqual({ kind: 'issue', expiresAt: at(61) });
    // pending but past its deadline: the sweep has not run yet, the rule is the same
    expect(decideFreshInvitation({ ...base, live: { holderUserId: 'U1', expiresAt } }, at(30), 30 * DAY)).toEqual({
      kind: 'issue',
      expiresAt: at(60),
    });
  });
  it('refuses when the caller is no longer an admin or the account is set up', () => {
    expect(decideFreshInvitation({ ...base, actorIsAdmin: false, live: null }, at(31), 30 * DAY)).toEqual({ kind: 'not_admin' });
    expect(decideFreshInvitation({ ...base, accountStatus: 'active', live: null }, at(31), 30 * DAY)).toEqual({ kind: 'account_active' });
  });
  it('names the holder when someone else holds the live invitation', () => {
    expect(decideFreshInvitation({ ...base, live: { holderUserId: 'U2', expiresAt } }, at(3), 30 * DAY)).toEqual({
      kind: 'held_by_other',
      holderUserId: 'U2',
      expiresAt,
    });
  });
});
