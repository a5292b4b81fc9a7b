import { describe, expect, it } from 'vitest';
import { delegationDeadlines, delegationMachine, isDelegationDue, type DelegationRecord } from '../../src/domain/delegation.js';
import type { Effect } from '../../src/domain/effects.js';
import { expireDelegation, expireSetupInvitation } from '../../src/domain/expiry.js';
import {
  isSetupInvitationDue,
  setupInvitationDeadlines,
  setupInvitationMachine,
  type SetupInvitationRecord,
} from '../../src/domain/setupInvitation.js';

const DAY = 86_400_000;
const now = new Date('2026-12-23T09:00:00Z');
const invitation: SetupInvitationRecord = {
  id: 'inv-1',
  version: 1,
  accountId: 'acc-1',
  status: 'pending',
  holderUserId: 'UPAT',
  expiresAt: now,
};
const delegation = (status: DelegationRecord['status']): DelegationRecord => ({
  id: 'del-1',
  version: 2,
  accountId: 'acc-1',
  setupInvitationId: 'inv-1',
  status,
  inviterUserId: 'UPAT',
  inviteeUserId: 'UCOLE',
  confirmExpiresAt: new Date(now.getTime() - DAY),
  acceptExpiresAt: now,
});
const keys = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'queue' ? [e.write.key] : []));
const actions = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'audit' ? [e.entry.action] : []));

describe('the deadline tables', () => {
  it('name exactly the states the machines let expire', () => {
    expect(Object.keys(setupInvitationDeadlines).sort()).toEqual([...setupInvitationMachine.transitions.expire.from].sort());
    expect(Object.keys(delegationDeadlines).sort()).toEqual([...delegationMachine.transitions.expire.from].sort());
  });

  it('make a record due at its deadline, not a millisecond before, and never once closed', () => {
    expect(isSetupInvitationDue(invitation, new Date(now.getTime() - 1))).toBe(false);
    expect(isSetupInvitationDue(invitation, now)).toBe(true);
    expect(isSetupInvitationDue({ ...invitation, status: 'completed' }, now)).toBe(false);
    expect(isDelegationDue(delegation('awaiting_acceptance'), new Date(now.getTime() - 1))).toBe(false);
    expect(isDelegationDue(delegation('awaiting_acceptance'), now)).toBe(true);
    expect(isDelegationDue(delegation('awaiting_confirmation'), new Date(now.getTime() - DAY))).toBe(true);
    expect(isDelegationDue({ ...delegation('awaiting_acceptance'), acceptExpiresAt: null }, now)).toBe(false);
    expect(isDelegationDue(delegation('declined'), now)).toBe(false);
  });
});

describe('what expiry does', () => {
  it('an invitation that ran out closes with the delegation live on its account, as the system', () => {
    const effects = expireSetupInvitation(invitation, [delegation('awaiting_acceptance')]);
    expect(effects.flatMap((e) => (e.type === 'move' ? [e.move] : []))).toEqual([
      { record: 'setup_invitation', id: 'inv-1', event: 'expire', version: 1, set: { closedBy: 'system' } },
      { record: 'delegation', id: 'del-1', event: 'expire', version: 2, set: { closedBy: 'system' } },
    ]);
    expect(actions(effects)).toEqual(['setup_invitation.expired', 'delegation.expired']);
    expect(keys(effects)).toEqual([
      'post:setup_expired:inv-1',
      'redraw:inv-1:2',
      'home:UPAT:inv-1:2',
      'redraw:del-1:3',
      'home:UPAT:del-1:3',
      'home:UCOLE:del-1:3',
    ]);
    // The holder gets a new DM saying so (Get a new invitation), unless a fresh invitation follows at once.
    expect(effects[0]).toEqual({
      type: 'queue',
      write: {
        key: 'post:setup_expired:inv-1',
        payload: { type: 'post', surface: 'setup_expired', subjectId: 'inv-1', channel: 'UPAT' },
      },
    });
    expect(keys(expireSetupInvitation(invitation, [], { tellHolder: false }))).toEqual(['redraw:inv-1:2', 'home:UPAT:inv-1:2']);
  });

  it('a delegation the invitee never answered tells the inviter; an unconfirmed one tells no one', () => {
    const unanswered = expireDelegation(delegation('awaiting_acceptance'), 'Acme Corp', now);
    expect(unanswered.find((e) => e.type === 'queue' && e.write.payload.type === 'notice')).toEqual({
      type: 'queue',
      write: {
        key: 'notice:unanswered:del-1',
        payload: {
          type: 'notice',
          channel: 'UPAT',
          notice: { kind: 'invitation_expired_unanswered', accountName: 'Acme Corp', inviteeUserId: 'UCOLE', at: now.toISOString() },
        },
      },
    });
    const unconfirmed = expireDelegation(delegation('awaiting_confirmation'), 'Acme Corp', now);
    expect(keys(unconfirmed).filter((k) => k.startsWith('notice:'))).toEqual([]);
    expect(actions(unconfirmed)).toEqual(['delegation.expired']);
  });
});
