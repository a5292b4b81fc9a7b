import { describe, expect, it } from 'vitest';
import { activeOnes, countAdmins, decidePersonChange } from '../../src/domain/people.js';

const now = new Date('2026-11-23T09:00:00Z');
const administered = [
  { accountId: 'acc-1', adminUserIds: ['UPAT', 'UCOLE'] },
  { accountId: 'acc-2', adminUserIds: ['UCOLE'] },
];

describe('people deactivated in Slack', () => {
  it('are not active admins, and are counted apart', () => {
    const admins = [
      { userId: 'UPAT', deactivated: false },
      { userId: 'UCOLE', deactivated: true },
    ];
    expect(activeOnes(admins).map((a) => a.userId)).toEqual(['UPAT']);
    expect(countAdmins(admins)).toEqual({ active: 1, deactivated: 1 });
    expect(countAdmins([])).toEqual({ active: 0, deactivated: 0 });
  });

  it('a deactivation keeps the flag and, on each account they administer, an audit entry and the admins’ Home tabs', () => {
    const effects = decidePersonChange(
      { wasDeactivated: null, administered },
      { workspaceKey: '', userId: 'UCOLE', deactivated: true },
      now,
    );
    expect(effects[0]).toEqual({ type: 'person_status', workspaceKey: '', userId: 'UCOLE', deactivated: true });
    expect(effects.flatMap((e) => (e.type === 'audit' ? [[e.entry.accountId, e.entry.action, e.entry.actor]] : []))).toEqual([
      ['acc-1', 'admin.deactivated_in_slack', 'slack'],
      ['acc-2', 'admin.deactivated_in_slack', 'slack'],
    ]);
    expect(effects.flatMap((e) => (e.type === 'queue' ? [e.write.key] : []))).toEqual([
      `home:UPAT:UCOLE:${now.getTime()}`,
      `home:UCOLE:UCOLE:${now.getTime()}`,
    ]);
  });

  it('back in Slack: the flag is cleared and the trail says so', () => {
    const effects = decidePersonChange(
      { wasDeactivated: true, administered },
      { workspaceKey: '', userId: 'UCOLE', deactivated: false },
      now,
    );
    expect(effects[0]).toEqual({ type: 'person_status', workspaceKey: '', userId: 'UCOLE', deactivated: false });
    expect(effects.filter((e) => e.type === 'audit').map((e) => e.type === 'audit' && e.entry.action)).toEqual([
      'admin.reactivated_in_slack',
      'admin.reactivated_in_slack',
    ]);
  });

  it('what changes nothing Vouch knew writes nothing: a profile edit, a repeat, someone never seen deactivated', () => {
    expect(
      decidePersonChange({ wasDeactivated: null, administered }, { workspaceKey: '', userId: 'UCOLE', deactivated: false }, now),
    ).toEqual([]);
    expect(
      decidePersonChange({ wasDeactivated: false, administered }, { workspaceKey: '', userId: 'UCOLE', deactivated: false }, now),
    ).toEqual([]);
    expect(
      decidePersonChange({ wasDeactivated: true, administered }, { workspaceKey: '', userId: 'UCOLE', deactivated: true }, now),
    ).toEqual([]);
  });
});
