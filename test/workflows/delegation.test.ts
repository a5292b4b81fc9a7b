import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { readDelegation } from '../../src/db/invitations.js';
import { accounts, adminMemberships, auditEvents, delegations, outbox, setupInvitations } from '../../src/db/schema.js';
import { decideDelegationAction } from '../../src/domain/delegation.js';
import { applyOneMove, oneWorkspace } from '../../src/workflows/applyEffects.js';
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

describe('delegation workflow: a click decided without locks', () => {
  async function awaitingConfirmation() {
    const { accountId, invitationId } = await provisioned(world, 1);
    const asked = await world.workflows.delegation.request({ invitationId, actor: 'U1', invitee: person('U9') });
    if (asked.kind !== 'ok') throw new Error('refused');
    return { accountId, invitationId, delegationId: asked.value.delegationId };
  }

  /** Approve as the workflow decides it from a read without locks: the write and the guard it carries. */
  async function decidedApproval(delegationId: string) {
    const loaded = await readDelegation(world.handle.db, delegationId);
    if (!loaded) throw new Error('no delegation');
    const decision = decideDelegationAction(loaded, 'approve', 'U1', world.clock.now(), {
      newInvitationId: 'unused',
      setupInviteTtlMs: DAY,
    });
    if (decision.kind !== 'ok') throw new Error('refused');
    const guard = {
      invitation: { id: loaded.invitation.id, version: loaded.invitation.version },
      account: { status: loaded.account.status },
      admin: { userId: loaded.invitation.holderUserId, isAdmin: loaded.holderIsAdmin },
    };
    return () => applyOneMove(world.handle.db, decision.value.effects, world.clock.now(), oneWorkspace, guard);
  }

  const written = async () => ({
    delegation: (await world.handle.db.select({ status: delegations.status, version: delegations.version }).from(delegations))[0],
    approvals: (await world.handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'delegation.approved'))).length,
    outbox: (await world.handle.db.select().from(outbox)).length,
  });

  const changes: Array<[string, (ids: { accountId: string; invitationId: string; delegationId: string }) => Promise<unknown>]> = [
    ['the delegation moved', ({ delegationId }) => world.workflows.delegation.act({ delegationId, action: 'approve', actor: 'U1' })],
    [
      'the invitation changed',
      ({ invitationId }) => world.handle.db.update(setupInvitations).set({ version: 2 }).where(eq(setupInvitations.id, invitationId)),
    ],
    [
      "the holder's manage was removed",
      ({ accountId }) =>
        world.handle.db
          .update(adminMemberships)
          .set({ removedAt: world.clock.now(), removedBy: 'U0' })
          .where(eq(adminMemberships.accountId, accountId)),
    ],
    [
      'the account was set up',
      ({ accountId }) => world.handle.db.update(accounts).set({ status: 'active' }).where(eq(accounts.id, accountId)),
    ],
  ];
  for (const [what, change] of changes) {
    it(`writes nothing when ${what} between the read and the write`, async () => {
      const ids = await awaitingConfirmation();
      const write = await decidedApproval(ids.delegationId);
      await change(ids);
      const before = await written();
      expect(await write()).toBe(false);
      expect(await written()).toEqual(before);
    });
  }

  it('writes the move, its audit entry and its outbox rows when nothing changed', async () => {
    const { delegationId } = await awaitingConfirmation();
    const before = await written();
    expect(await (await decidedApproval(delegationId))()).toBe(true);
    expect(await written()).toEqual({
      delegation: { status: 'awaiting_acceptance', version: 2 },
      approvals: 1,
      outbox: before.outbox + 4, // the redraw, the invitee's DM, both people's Home tabs
    });
  });

  it('twenty clicks on Approve at once: one approves, the others are refused as already approved', async () => {
    const { delegationId } = await awaitingConfirmation();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => world.workflows.delegation.act({ delegationId, action: 'approve', actor: 'U1' })),
    );
    expect(outcomes.filter((o) => o.kind === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'refused' && o.refusal.reason === 'already_approved')).toHaveLength(19);
    expect((await written()).approvals).toBe(1);
    expect((await world.outbox()).filter((r) => r.key === `post:invitee:${delegationId}`)).toHaveLength(1);
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
