import { describe, expect, it } from 'vitest';
import { decideDelegationAction, type DelegationState } from '../../src/domain/delegation.js';
import type { Effect } from '../../src/domain/effects.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2026-11-23T09:00:00Z');
const handOver = { newInvitationId: 'inv-new', setupInviteTtlMs: 30 * DAY };

const state = (over: { status?: DelegationState['delegation']['status']; holderIsAdmin?: boolean } = {}): DelegationState => ({
  delegation: {
    id: 'del-1',
    version: 2,
    accountId: 'acc-1',
    setupInvitationId: 'inv-1',
    status: over.status ?? 'awaiting_acceptance',
    inviterUserId: 'UPAT',
    inviteeUserId: 'UCOLE',
    confirmExpiresAt: new Date(now.getTime() + DAY),
    acceptExpiresAt: new Date(now.getTime() + 20 * DAY),
  },
  invitation: {
    id: 'inv-1',
    version: 1,
    accountId: 'acc-1',
    status: 'pending',
    holderUserId: 'UPAT',
    expiresAt: new Date(now.getTime() + 20 * DAY),
  },
  account: { id: 'acc-1', name: 'Acme Corp', status: 'pending_setup' },
  holderIsAdmin: over.holderIsAdmin ?? true,
});

const effectsOf = (outcome: ReturnType<typeof decideDelegationAction>): Effect[] => {
  if (outcome.kind !== 'ok') throw new Error(`refused: ${JSON.stringify(outcome)}`);
  return outcome.value.effects;
};
const ofType = <T extends Effect['type']>(effects: Effect[], type: T) =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);

describe('what a click on a delegation does', () => {
  it('Accept grants manage to the invitee and hands the setup over to a new invitation of theirs', () => {
    const effects = effectsOf(decideDelegationAction(state(), 'accept', 'UCOLE', now, handOver));
    expect(ofType(effects, 'grant_admin')).toEqual([{ type: 'grant_admin', accountId: 'acc-1', userId: 'UCOLE', grantedBy: 'UPAT' }]);
    expect(ofType(effects, 'move').map((e) => e.move)).toEqual([
      { record: 'delegation', id: 'del-1', event: 'accept', version: 2, set: { closedBy: 'UCOLE' } },
      { record: 'setup_invitation', id: 'inv-1', event: 'supersede', version: 1, set: { closedBy: 'UCOLE', handedToUserId: 'UCOLE' } },
    ]);
    expect(ofType(effects, 'issue_setup_invitation')).toEqual([
      {
        type: 'issue_setup_invitation',
        invitation: { id: 'inv-new', accountId: 'acc-1', holderUserId: 'UCOLE', expiresAt: new Date(now.getTime() + 30 * DAY) },
      },
    ]);
    expect(ofType(effects, 'audit').map((e) => e.entry.action)).toEqual([
      'delegation.accepted',
      'admin.granted',
      'setup_invitation.handed_over',
      'setup_invitation.issued',
    ]);
    const keys = ofType(effects, 'queue').map((e) => e.write.key);
    expect(keys).toContain('notice:accepted:del-1');
    expect(keys).toContain('post:setup:inv-new');
    expect(keys).toContain('redraw:del-1:3');
    expect(keys).toContain('redraw:inv-1:2');
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('Accept by an existing admin (the setup handed to them) grants nothing, and still hands the setup over', () => {
    const effects = effectsOf(decideDelegationAction({ ...state(), inviteeIsAdmin: true }, 'accept', 'UCOLE', now, handOver));
    expect(ofType(effects, 'grant_admin')).toEqual([]);
    expect(ofType(effects, 'audit').map((e) => e.entry.action)).toEqual([
      'delegation.accepted',
      'setup_invitation.handed_over',
      'setup_invitation.issued',
    ]);
    expect(ofType(effects, 'issue_setup_invitation')[0]?.invitation.holderUserId).toBe('UCOLE');
  });

  it('Approve moves to awaiting acceptance until the setup invitation ends, and posts to the invitee', () => {
    const effects = effectsOf(decideDelegationAction(state({ status: 'awaiting_confirmation' }), 'approve', 'UPAT', now, handOver));
    expect(ofType(effects, 'move')[0]?.move).toEqual({
      record: 'delegation',
      id: 'del-1',
      event: 'approve',
      version: 2,
      set: { approvedAt: now, acceptExpiresAt: new Date(now.getTime() + 20 * DAY) },
    });
    expect(ofType(effects, 'queue').find((e) => e.write.payload.type === 'post')?.write).toEqual({
      key: 'post:invitee:del-1',
      payload: { type: 'post', surface: 'invitee', subjectId: 'del-1', channel: 'UCOLE' },
    });
    expect(ofType(effects, 'grant_admin')).toEqual([]);
  });

  it('Decline tells the inviter and grants nothing', () => {
    const effects = effectsOf(decideDelegationAction(state(), 'decline', 'UCOLE', now, handOver));
    expect(ofType(effects, 'grant_admin')).toEqual([]);
    const notice = ofType(effects, 'queue').find((e) => e.write.payload.type === 'notice')?.write;
    expect(notice).toMatchObject({ key: 'notice:declined:del-1', payload: { channel: 'UPAT', notice: { kind: 'invitee_declined' } } });
  });

  it('is refused, with no effects, when the inviter was removed as an admin or someone else clicks', () => {
    expect(decideDelegationAction(state({ holderIsAdmin: false }), 'accept', 'UCOLE', now, handOver)).toEqual({
      kind: 'refused',
      refusal: { reason: 'inviter_removed' },
    });
    expect(decideDelegationAction(state(), 'accept', 'UPAT', now, handOver)).toEqual({ kind: 'refused', refusal: { reason: 'not_yours' } });
  });
});
