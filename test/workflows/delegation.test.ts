import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { adminMemberships, delegations, setupInvitations } from '../../src/db/schema.js';
import { DAY, HOUR } from '../support/clock.js';
import { person, provisioned, workflowWorld, type World } from '../support/workflows.js';

let world: World;
beforeEach(async () => {
  // Everyone here has opened their Home tab, so every change that concerns them refreshes it.
  world = await workflowWorld({ homeViewers: ['U0', 'U1', 'U8', 'U9'] });
});

describe('delegation workflow: the invite modal', () => {
  it('stores a delegation awaiting confirmation for 24 hours and queues the confirmation DM; a second one replaces it', async () => {
    const { accountId, invitationId } = await provisioned(world, 1);
    const first = await world.workflows.delegation.request({
      invitationId,
      actor: 'U1',
      invitee: { ...person('U9'), email: 'nine@acme.example' },
    });
    if (first.kind !== 'ok') throw new Error('refused');
    const { delegationId } = first.value;
    expect(await world.handle.db.select().from(delegations)).toMatchObject([
      {
        id: delegationId,
        accountId,
        setupInvitationId: invitationId,
        status: 'awaiting_confirmation',
        inviterUserId: 'U1',
        inviteeUserId: 'U9',
        inviteeEmail: 'nine@acme.example',
        requestedAt: world.clock.now(),
        confirmExpiresAt: new Date(world.clock.now().getTime() + 24 * HOUR),
      },
    ]);
    expect((await world.outbox()).slice(-2)).toEqual([
      {
        key: `post:confirmation:${delegationId}`,
        payload: { type: 'post', surface: 'confirmation', subjectId: delegationId, channel: 'U1' },
      },
      { key: `home:U1:${delegationId}:1`, payload: { type: 'home', userId: 'U1' } },
    ]);
    expect((await world.audit()).at(-1)).toMatchObject({ action: 'delegation.requested', actor: 'U1', after: { invitee: 'U9' } });

    const second = await world.workflows.delegation.request({ invitationId, actor: 'U1', invitee: person('U8') });
    expect(second.kind).toBe('ok');
    const rows = await world.handle.db.select().from(delegations).where(eq(delegations.id, delegationId));
    expect(rows).toMatchObject([{ status: 'superseded', closedBy: 'U1', version: 2 }]);
    expect((await world.audit()).slice(-2).map((e) => e.action)).toEqual(['delegation.superseded', 'delegation.requested']);
  });

  it('names what is wrong with the invitee, refuses a click that no longer works, and stores nothing', async () => {
    const { invitationId } = await provisioned(world, 1);
    expect(await world.workflows.delegation.request({ invitationId, actor: 'U1', invitee: person('U1') })).toEqual({
      kind: 'invalid',
      problems: { invitee: 'self' },
    });
    expect(
      await world.workflows.delegation.request({ invitationId, actor: 'U1', invitee: { ...person('U9'), deactivated: true } }),
    ).toEqual({
      kind: 'invalid',
      problems: { invitee: 'deactivated' },
    });
    world.clock.advance(30 * DAY);
    expect(await world.workflows.delegation.request({ invitationId, actor: 'U1', invitee: person('U9') })).toMatchObject({
      kind: 'refused',
      refusal: { reason: 'expired' },
    });
    expect(await world.handle.db.select().from(delegations)).toEqual([]);
  });
});

describe('delegation workflow: the confirmation and the answer', () => {
  it('Accept grants manage to the invitee and hands the setup invitation over to them', async () => {
    const { accountId, invitationId } = await provisioned(world, 1);
    const asked = await world.workflows.delegation.request({ invitationId, actor: 'U1', invitee: person('U9') });
    if (asked.kind !== 'ok') throw new Error('refused');
    const { delegationId } = asked.value;
    expect((await world.workflows.delegation.act({ delegationId, action: 'accept', actor: 'U9' })).kind).toBe('refused');
    expect((await world.workflows.delegation.act({ delegationId, action: 'approve', actor: 'U1' })).kind).toBe('ok');
    world.clock.advance(HOUR);
    expect((await world.workflows.delegation.act({ delegationId, action: 'accept', actor: 'U9' })).kind).toBe('ok');
    const admins = await world.handle.db.select().from(adminMemberships).where(eq(adminMemberships.accountId, accountId));
    expect(admins.map((a) => [a.userId, a.grantedBy]).sort()).toEqual([
      ['U1', 'api'],
      ['U9', 'U1'],
    ]);
    const invitations = await world.handle.db.select().from(setupInvitations);
    expect(invitations.map((i) => [i.holderUserId, i.status]).sort()).toEqual([
      ['U1', 'superseded'],
      ['U9', 'pending'],
    ]);
    expect((await world.outbox()).map((r) => r.key)).toContain(`notice:accepted:${delegationId}`);
  });
});

describe('delegation workflow: Start again', () => {
  it('gives the invitation and the invitee back while the invitation works, and changes nothing', async () => {
    const { invitationId } = await provisioned(world, 1);
    const asked = await world.workflows.delegation.request({ invitationId, actor: 'U1', invitee: person('U9') });
    if (asked.kind !== 'ok') throw new Error('refused');
    const { delegationId } = asked.value;
    world.clock.advance(2 * DAY);
    const restart = await world.workflows.delegation.restart({ delegationId, actor: 'U1' });
    expect(restart).toMatchObject({ kind: 'ok', value: { invitationId, inviteeUserId: 'U9', account: { name: 'Account 1' } } });
    expect(await world.workflows.delegation.restart({ delegationId, actor: 'U9' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_yours' },
    });
    world.clock.advance(28 * DAY);
    expect(await world.workflows.delegation.restart({ delegationId, actor: 'U1' })).toMatchObject({
      kind: 'refused',
      refusal: { reason: 'expired' },
    });
    expect(await world.workflows.delegation.restart({ delegationId: crypto.randomUUID(), actor: 'U1' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_found' },
    });
  });
});
