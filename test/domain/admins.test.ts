import { describe, expect, it } from 'vitest';
import { decideAddAdmin, decideRemoveAdmin, mayReadAccount, offersNextStep, personProblem } from '../../src/domain/admins.js';
import type { DelegationRecord } from '../../src/domain/delegation.js';
import type { Effect } from '../../src/domain/effects.js';
import type { SetupInvitationRecord } from '../../src/domain/setupInvitation.js';

describe('who may read an account’s admins and audit trail', () => {
  it('its admins and support, no one else', () => {
    expect(mayReadAccount({ isAdmin: true, isSupport: false })).toBe(true);
    expect(mayReadAccount({ isAdmin: false, isSupport: true })).toBe(true);
    expect(mayReadAccount({ isAdmin: true, isSupport: true })).toBe(true);
    expect(mayReadAccount({ isAdmin: false, isSupport: false })).toBe(false);
  });
});

describe('who may hold manage', () => {
  it('an active person; not an app, not a deactivated account', () => {
    expect(personProblem({ isBot: false, deactivated: false })).toBeNull();
    expect(personProblem({ isBot: true, deactivated: false })).toBe('bot');
    expect(personProblem({ isBot: false, deactivated: true })).toBe('deactivated');
    expect(personProblem({ isBot: true, deactivated: true })).toBe('bot');
  });
});

const now = new Date('2026-11-23T09:00:00Z');
const account = { id: 'acc-1', name: 'Acme Corp' };
const keys = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'queue' ? [e.write.key] : []));
const actions = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'audit' ? [e.entry.action] : []));
const effectsOf = (outcome: { kind: string; value?: { effects: Effect[] } }) => {
  if (outcome.kind !== 'ok' || !outcome.value) throw new Error(`not ok: ${JSON.stringify(outcome)}`);
  return outcome.value.effects;
};

describe('adding an admin', () => {
  it('grants manage, audits it and tells them by DM and on their Home tab', () => {
    const effects = effectsOf(
      decideAddAdmin({ account, actorIsAdmin: true, targetIsAdmin: false }, { userId: 'UCOLE', actor: 'UPAT' }, now),
    );
    expect(effects[0]).toEqual({ type: 'grant_admin', accountId: 'acc-1', userId: 'UCOLE', grantedBy: 'UPAT' });
    expect(actions(effects)).toEqual(['admin.granted']);
    expect(keys(effects)).toEqual([`notice:admin_added:acc-1:UCOLE:${now.getTime()}`, `home:UCOLE:acc-1:${now.getTime()}`]);
  });

  it('only an admin may, and not for someone who already is one', () => {
    const input = { userId: 'UCOLE', actor: 'UPAT' };
    expect(decideAddAdmin({ account, actorIsAdmin: false, targetIsAdmin: false }, input, now)).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_allowed' },
    });
    expect(decideAddAdmin({ account, actorIsAdmin: true, targetIsAdmin: true }, input, now)).toEqual({
      kind: 'refused',
      refusal: { reason: 'already_admin' },
    });
  });
});

describe('removing an admin', () => {
  const held: SetupInvitationRecord = {
    id: 'inv-1',
    version: 3,
    accountId: 'acc-1',
    status: 'pending',
    holderUserId: 'UPAT',
    expiresAt: new Date(now.getTime() + 86_400_000),
  };
  const asked: DelegationRecord = {
    id: 'del-1',
    version: 2,
    accountId: 'acc-1',
    setupInvitationId: 'inv-1',
    status: 'awaiting_acceptance',
    inviterUserId: 'UPAT',
    inviteeUserId: 'UCOLE',
    confirmExpiresAt: now,
    acceptExpiresAt: held.expiresAt,
  };
  /** Admins by id; a trailing `!` marks one deactivated in Slack. */
  const remove = (admins: string[], input = { userId: 'UPAT', actor: 'UOLIVE' }) =>
    decideRemoveAdmin(
      {
        account,
        admins: admins.map((a) => ({ userId: a.replace('!', ''), deactivated: a.endsWith('!') })),
        held: [held],
        delegations: [asked],
      },
      input,
      now,
    );

  it('revokes manage, the setup invitation they hold and the delegation they asked for; they are told', () => {
    const effects = effectsOf(remove(['UPAT', 'UOLIVE']));
    expect(effects[0]).toEqual({ type: 'remove_admin', accountId: 'acc-1', userId: 'UPAT', removedBy: 'UOLIVE' });
    expect(effects.flatMap((e) => (e.type === 'move' ? [e.move] : []))).toEqual([
      { record: 'setup_invitation', id: 'inv-1', event: 'revoke', version: 3, set: { closedBy: 'UOLIVE' } },
      { record: 'delegation', id: 'del-1', event: 'revoke', version: 2, set: { closedBy: 'UOLIVE' } },
    ]);
    expect(actions(effects)).toEqual(['admin.removed', 'setup_invitation.revoked', 'delegation.revoked']);
    expect(keys(effects)).toContain(`notice:admin_removed:acc-1:UPAT:${now.getTime()}`);
    expect(keys(effects).at(-1)).toBe(`home:UPAT:acc-1:${now.getTime()}`);
  });

  it('their expired setup invitation and expired confirmation stop offering a next step: stamped, versions bumped, redrawn', () => {
    const expiredInvitation = { ...held, id: 'inv-0', status: 'expired' as const, version: 2 };
    const expiredConfirmation = { ...asked, id: 'del-0', status: 'expired' as const, version: 2 };
    const outcome = decideRemoveAdmin(
      {
        account,
        admins: [
          { userId: 'UPAT', deactivated: false },
          { userId: 'UOLIVE', deactivated: false },
        ],
        held: [],
        delegations: [],
        nextSteps: { invitations: [expiredInvitation], confirmations: [expiredConfirmation] },
      },
      { userId: 'UPAT', actor: 'UOLIVE' },
      now,
    );
    const effects = effectsOf(outcome);
    expect(effects.filter((e) => e.type === 'withdraw_next_step')).toEqual([
      { type: 'withdraw_next_step', record: 'setup_invitation', id: 'inv-0', version: 2 },
      { type: 'withdraw_next_step', record: 'delegation', id: 'del-0', version: 2 },
    ]);
    expect(keys(effects)).toEqual(expect.arrayContaining(['redraw:inv-0:3', 'home:UPAT:inv-0:3', 'redraw:del-0:3', 'home:UPAT:del-0:3']));
  });

  it('which closed records offer a next step: an expired invitation, an expired confirmation never approved, until withdrawn', () => {
    expect(offersNextStep({ kind: 'setup_invitation', status: 'expired', holderRemovedAt: null })).toBe(true);
    expect(offersNextStep({ kind: 'setup_invitation', status: 'expired', holderRemovedAt: now })).toBe(false);
    expect(offersNextStep({ kind: 'setup_invitation', status: 'completed', holderRemovedAt: null })).toBe(false);
    expect(offersNextStep({ kind: 'delegation', status: 'expired', approvedAt: null, inviterRemovedAt: null })).toBe(true);
    expect(offersNextStep({ kind: 'delegation', status: 'expired', approvedAt: now, inviterRemovedAt: null })).toBe(false);
    expect(offersNextStep({ kind: 'delegation', status: 'expired', approvedAt: null, inviterRemovedAt: now })).toBe(false);
    expect(offersNextStep({ kind: 'delegation', status: 'cancelled', approvedAt: null, inviterRemovedAt: null })).toBe(false);
  });

  it('someone removing themselves gets no notice', () => {
    const effects = effectsOf(remove(['UPAT', 'UOLIVE'], { userId: 'UPAT', actor: 'UPAT' }));
    expect(keys(effects).filter((k) => k.startsWith('notice:'))).toEqual([]);
  });

  it('counts only active people: the last active admin stays, a deactivated one may go', () => {
    expect(remove(['UPAT', 'UCOLE!'], { userId: 'UPAT', actor: 'UPAT' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'last_admin', deactivated: 1 },
    });
    expect(remove(['UPAT', 'UCOLE!', 'UOLIVE!'], { userId: 'UPAT', actor: 'UPAT' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'last_admin', deactivated: 2 },
    });
    expect(remove(['UPAT!', 'UOLIVE']).kind).toBe('ok');
    expect(remove(['UPAT', 'UOLIVE', 'UCOLE!']).kind).toBe('ok');
  });

  it('never the last admin, never by a non-admin, never someone who is not one', () => {
    expect(remove(['UPAT'], { userId: 'UPAT', actor: 'UPAT' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'last_admin', deactivated: 0 },
    });
    expect(remove(['UPAT', 'UCOLE'])).toEqual({ kind: 'refused', refusal: { reason: 'not_allowed' } });
    expect(remove(['UCOLE', 'UOLIVE'])).toEqual({ kind: 'refused', refusal: { reason: 'not_admin' } });
  });
});
