import { describe, expect, it } from 'vitest';
import type { DelegationRecord } from '../../src/domain/delegation.js';
import type { Effect } from '../../src/domain/effects.js';
import {
  decideCompleteSetup,
  decideDelegationRequest,
  freshInvitationEffects,
  isRename,
  type InvitationState,
} from '../../src/domain/setup.js';
import { decideFreshInvitation, type SetupInvitationRecord } from '../../src/domain/setupInvitation.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2026-11-23T09:00:00Z');
const invitation: SetupInvitationRecord = {
  id: 'inv-1',
  version: 1,
  accountId: 'acc-1',
  status: 'pending',
  holderUserId: 'UPAT',
  expiresAt: new Date(now.getTime() + 10 * DAY),
};
const state = (over: Partial<InvitationState> = {}): InvitationState => ({
  invitation,
  account: { id: 'acc-1', name: 'Acme Corp', status: 'pending_setup', primaryContactUserId: 'UPAT' },
  holderIsAdmin: true,
  ...over,
});
const live: DelegationRecord = {
  id: 'del-old',
  version: 1,
  accountId: 'acc-1',
  setupInvitationId: 'inv-1',
  status: 'awaiting_confirmation',
  inviterUserId: 'UPAT',
  inviteeUserId: 'UOLD',
  confirmExpiresAt: new Date(now.getTime() + HOUR),
  acceptExpiresAt: null,
};

type Outcome = { kind: string; value?: { effects: Effect[] } };
const effectsOf = (outcome: Outcome): Effect[] => {
  if (outcome.kind !== 'ok' || !outcome.value) throw new Error(`not ok: ${JSON.stringify(outcome)}`);
  return outcome.value.effects;
};
const ofType = <T extends Effect['type']>(effects: Effect[], type: T) =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
const actions = (effects: Effect[]) => ofType(effects, 'audit').map((e) => e.entry.action);
const keys = (effects: Effect[]) => ofType(effects, 'queue').map((e) => e.write.key);

describe('setting the account up', () => {
  const complete = (over: { actor?: string; accountName?: string; nameTakenByOther?: boolean; s?: Partial<InvitationState> } = {}) =>
    decideCompleteSetup(
      { ...state(over.s), liveDelegations: [live], nameTakenByOther: over.nameTakenByOther ?? false },
      { actor: over.actor ?? 'UPAT', accountName: over.accountName ?? ' Acme Corporation ' },
      now,
    );

  it('activates the account under the confirmed name, completes the invitation and supersedes the live delegation', () => {
    const effects = effectsOf(complete());
    expect(effects[0]).toEqual({ type: 'activate_account', accountId: 'acc-1', name: 'Acme Corporation', by: 'UPAT' });
    expect(ofType(effects, 'move').map((e) => [e.move.record, e.move.event])).toEqual([
      ['setup_invitation', 'complete'],
      ['delegation', 'supersede'],
    ]);
    expect(actions(effects)).toEqual(['delegation.superseded', 'account.set_up', 'setup_invitation.completed']);
    expect(keys(effects).some((k) => k.startsWith('notice:'))).toBe(false);
  });

  it('tells the primary contact when someone else set it up', () => {
    const effects = effectsOf(complete({ actor: 'UCOLE', s: { invitation: { ...invitation, holderUserId: 'UCOLE' } } }));
    expect(ofType(effects, 'queue').find((e) => e.write.key === 'notice:set_up:acc-1')?.write.payload).toEqual({
      type: 'notice',
      channel: 'UPAT',
      notice: { kind: 'account_set_up', accountName: 'Acme Corporation', byUserId: 'UCOLE', at: now.toISOString() },
    });
  });

  it('is refused for someone else, and a name another account has is a field problem', () => {
    expect(complete({ actor: 'UCOLE' })).toEqual({ kind: 'refused', refusal: { reason: 'not_yours' } });
    expect(complete({ nameTakenByOther: true })).toEqual({ kind: 'invalid', problems: { accountName: 'taken' } });
    expect(complete({ s: { holderIsAdmin: false }, nameTakenByOther: true })).toEqual({
      kind: 'refused',
      refusal: { reason: 'holder_removed' },
    });
  });

  it('a rename is a different name regardless of case and surrounding spaces', () => {
    expect(isRename('Acme Corp', ' acme corp ')).toBe(false);
    expect(isRename('Acme Corp', 'Acme Corporation')).toBe(true);
  });
});

describe('inviting someone else', () => {
  const request = (invitee = 'UCOLE', over: { inviteeIsAdmin?: boolean; isBot?: boolean } = {}) =>
    decideDelegationRequest(
      { ...state(), inviteeIsAdmin: over.inviteeIsAdmin ?? false, liveDelegations: [live] },
      { actor: 'UPAT', invitee: { userId: invitee, email: null, isBot: over.isBot ?? false, deactivated: false } },
      { delegationId: 'del-new' },
      now,
      DAY,
    );

  it('replaces the live delegation with one awaiting the inviter’s confirmation, posted to the inviter', () => {
    const effects = effectsOf(request());
    expect(ofType(effects, 'move').map((e) => e.move)).toEqual([
      { record: 'delegation', id: 'del-old', event: 'supersede', version: 1, set: { closedBy: 'UPAT' } },
    ]);
    expect(ofType(effects, 'create_delegation')[0]?.delegation).toEqual({
      id: 'del-new',
      accountId: 'acc-1',
      setupInvitationId: 'inv-1',
      inviterUserId: 'UPAT',
      inviteeUserId: 'UCOLE',
      inviteeEmail: null,
      inviteeIsAdmin: false,
      confirmExpiresAt: new Date(now.getTime() + DAY),
    });
    expect(actions(effects)).toEqual(['delegation.superseded', 'delegation.requested']);
    expect(keys(effects)).toContain('post:confirmation:del-new');
    expect(keys(effects)).toContain('home:UPAT:del-new:1');
  });

  it('names what is wrong with the invitee, and changes nothing', () => {
    expect(request('UPAT')).toEqual({ kind: 'invalid', problems: { invitee: 'self' } });
    expect(request('UBOT', { isBot: true })).toEqual({ kind: 'invalid', problems: { invitee: 'bot' } });
  });

  it('an existing admin may be invited: the holder hands them the setup, and the delegation says so', () => {
    const effects = effectsOf(request('UCOLE', { inviteeIsAdmin: true }));
    expect(ofType(effects, 'create_delegation')[0]?.delegation).toMatchObject({ inviteeUserId: 'UCOLE', inviteeIsAdmin: true });
  });
});

describe('/enterprise setup for one account', () => {
  const account = { id: 'acc-1', name: 'Acme Corp' };
  const fresh = (live: SetupInvitationRecord | null, at = now) =>
    freshInvitationEffects(
      decideFreshInvitation({ actorUserId: 'UPAT', actorIsAdmin: true, accountStatus: 'pending_setup', live }, at, 30 * DAY),
      { account, live, liveDelegations: [live ? { ...liveDelegation, setupInvitationId: live.id } : liveDelegation] },
      'UPAT',
      { newInvitationId: 'inv-new' },
      at,
      30 * DAY,
    );
  const liveDelegation = { ...live, status: 'awaiting_acceptance' as const };

  it('sends the live setup message again, once per request time', () => {
    const { outcome, effects } = fresh(invitation);
    expect(outcome).toEqual({ account, kind: 'resent', expiresAt: invitation.expiresAt });
    expect(effects).toEqual([
      {
        type: 'queue',
        write: {
          key: `post:setup:inv-1:resend:${now.getTime()}`,
          payload: { type: 'post', surface: 'setup', subjectId: 'inv-1', channel: 'UPAT' },
        },
      },
    ]);
  });

  it('a pending invitation past its deadline expires with its delegation before a fresh one is issued', () => {
    const later = new Date(invitation.expiresAt.getTime() + 1);
    const { outcome, effects } = fresh(invitation, later);
    expect(outcome).toEqual({ account, kind: 'issued', expiresAt: new Date(later.getTime() + 30 * DAY) });
    expect(ofType(effects, 'move').map((e) => [e.move.id, e.move.event])).toEqual([
      ['inv-1', 'expire'],
      ['del-old', 'expire'],
    ]);
    expect(actions(effects)).toEqual(['setup_invitation.expired', 'delegation.expired', 'setup_invitation.issued']);
    expect(ofType(effects, 'issue_setup_invitation')[0]?.invitation.holderUserId).toBe('UPAT');
  });

  it('with no invitation left, issues one and expires nothing', () => {
    const { outcome, effects } = fresh(null);
    expect(outcome?.kind).toBe('issued');
    expect(ofType(effects, 'move')).toEqual([]);
  });
});
