import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/domain/effects.js';
import { decideProvision } from '../../src/domain/provisioning.js';

const DAY = 86_400_000;
const now = new Date('2026-11-23T09:00:00Z');
const ids = { accountId: 'acc-1', invitationId: 'inv-1' };
const input = { name: '  Acme Corp ', contractNumber: ' C-1001 ', primaryContactUserId: 'UPAT', actor: 'api' };

const effectsOf = (outcome: ReturnType<typeof decideProvision>): Effect[] => {
  if (outcome.kind !== 'ok') throw new Error(`not ok: ${JSON.stringify(outcome)}`);
  return outcome.value.effects;
};

describe('provisioning an account', () => {
  it('creates the account waiting for setup, makes the primary contact its admin and sends them a setup invitation', () => {
    const outcome = decideProvision(input, { nameTaken: false }, ids, now, 30 * DAY);
    const effects = effectsOf(outcome);
    expect(outcome.kind === 'ok' && outcome.value.next).toEqual({
      account: { id: 'acc-1', name: 'Acme Corp', contractNumber: 'C-1001', primaryContactUserId: 'UPAT', status: 'pending_setup' },
      invitation: { id: 'inv-1', expiresAt: new Date(now.getTime() + 30 * DAY) },
    });
    expect(effects.filter((e) => e.type !== 'audit' && e.type !== 'queue')).toEqual([
      {
        type: 'create_account',
        account: { id: 'acc-1', name: 'Acme Corp', contractNumber: 'C-1001', primaryContactUserId: 'UPAT', createdBy: 'api' },
      },
      { type: 'grant_admin', accountId: 'acc-1', userId: 'UPAT', grantedBy: 'api' },
      {
        type: 'issue_setup_invitation',
        invitation: { id: 'inv-1', accountId: 'acc-1', holderUserId: 'UPAT', expiresAt: new Date(now.getTime() + 30 * DAY) },
      },
    ]);
    expect(effects.flatMap((e) => (e.type === 'audit' ? [e.entry.action] : []))).toEqual([
      'account.provisioned',
      'admin.granted',
      'setup_invitation.issued',
    ]);
    expect(effects.flatMap((e) => (e.type === 'queue' ? [e.write] : []))).toEqual([
      { key: 'post:setup:inv-1', payload: { type: 'post', surface: 'setup', subjectId: 'inv-1', channel: 'UPAT' } },
      { key: 'home:UPAT:inv-1:1', payload: { type: 'home', userId: 'UPAT' } },
    ]);
  });

  it('a name another account has is a problem with the name field, and nothing happens', () => {
    expect(decideProvision(input, { nameTaken: true }, ids, now, 30 * DAY)).toEqual({ kind: 'invalid', problems: { name: 'taken' } });
  });
});
