import { beforeEach, describe, expect, it } from 'vitest';
import { accounts, adminMemberships, setupInvitations } from '../../src/db/schema.js';
import { DAY } from '../support/clock.js';
import { workflowWorld, type World } from '../support/workflows.js';

let world: World;
beforeEach(async () => {
  // Everyone here has opened their Home tab, so every change that concerns them refreshes it.
  world = await workflowWorld({ homeViewers: ['UPAT', 'USUPPORT', 'UOTHER'] });
});

const input = { name: ' Acme Corp ', contractNumber: 'C-1001', primaryContactUserId: 'UPAT', actor: 'USUPPORT' };

describe('provisioning workflow', () => {
  it('stores the account, its first admin and a setup invitation; queues the setup DM; audits all three', async () => {
    const made = await world.workflows.provisioning.provision(input);
    if (made.kind !== 'ok') throw new Error('refused');
    const { account, invitation } = made.value;
    const { db } = world.handle;
    expect(await db.select().from(accounts)).toMatchObject([
      {
        id: account.id,
        name: 'Acme Corp',
        contractNumber: 'C-1001',
        status: 'pending_setup',
        createdBy: 'USUPPORT',
        createdAt: world.clock.now(),
      },
    ]);
    expect(await db.select().from(adminMemberships)).toMatchObject([{ accountId: account.id, userId: 'UPAT', grantedBy: 'USUPPORT' }]);
    expect(await db.select().from(setupInvitations)).toMatchObject([
      {
        id: invitation.id,
        holderUserId: 'UPAT',
        status: 'pending',
        version: 1,
        expiresAt: new Date(world.clock.now().getTime() + 30 * DAY),
      },
    ]);
    expect(await world.outbox()).toEqual([
      { key: `post:setup:${invitation.id}`, payload: { type: 'post', surface: 'setup', subjectId: invitation.id, channel: 'UPAT' } },
      { key: `home:UPAT:${invitation.id}:1`, payload: { type: 'home', userId: 'UPAT' } },
    ]);
    expect((await world.audit()).map((e) => [e.action, e.actor, e.subjectId])).toEqual([
      ['account.provisioned', 'USUPPORT', account.id],
      ['admin.granted', 'USUPPORT', 'UPAT'],
      ['setup_invitation.issued', 'USUPPORT', invitation.id],
    ]);
  });

  it('a name taken in any case is refused on the name, and nothing is stored twice', async () => {
    await world.workflows.provisioning.provision(input);
    expect(await world.workflows.provisioning.provision({ ...input, name: 'ACME CORP' })).toEqual({
      kind: 'invalid',
      problems: { name: 'taken' },
    });
    expect(await world.handle.db.select().from(accounts)).toHaveLength(1);
  });

  it('of two racing for one name, one wins and the other is told the name is taken', async () => {
    const results = await Promise.all([
      world.workflows.provisioning.provision(input),
      world.workflows.provisioning.provision({ ...input, primaryContactUserId: 'UOTHER' }),
    ]);
    expect(results.map((r) => r.kind).sort()).toEqual(['invalid', 'ok']);
    expect(await world.handle.db.select().from(setupInvitations)).toHaveLength(1);
  });
});
