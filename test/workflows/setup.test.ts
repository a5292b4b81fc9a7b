import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { accounts, delegations, setupInvitations } from '../../src/db/schema.js';
import { DAY } from '../support/clock.js';
import { person, provisioned, workflowWorld, type World } from '../support/workflows.js';

let world: World;
beforeEach(async () => {
  // Everyone here has opened their Home tab, so every change that concerns them refreshes it.
  world = await workflowWorld({ homeViewers: ['U0', 'U1', 'U2', 'U7', 'U8', 'U9'] });
});

describe('setup workflow: checking a click before a modal opens', () => {
  it('lets the holder through until the deadline, and refuses anyone else; it changes nothing', async () => {
    const { invitationId } = await provisioned(world, 1);
    expect((await world.workflows.setup.checkUse({ invitationId, actor: 'U1' })).kind).toBe('ok');
    expect(await world.workflows.setup.checkUse({ invitationId, actor: 'U2' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_yours' },
    });
    world.clock.advance(30 * DAY);
    expect(await world.workflows.setup.checkUse({ invitationId, actor: 'U1' })).toMatchObject({
      kind: 'refused',
      refusal: { reason: 'expired' },
    });
    expect(await world.workflows.setup.checkUse({ invitationId: crypto.randomUUID(), actor: 'U1' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_found' },
    });
  });
});

describe('setup workflow: setting the account up', () => {
  it('activates the account, completes the invitation, supersedes the live delegation, and tells the primary contact', async () => {
    const { accountId, invitationId } = await provisioned(world, 1);
    // The primary contact hands over to U9, who sets the account up under a new name.
    const asked = await world.workflows.delegation.request({ invitationId, actor: 'U1', invitee: person('U9') });
    if (asked.kind !== 'ok') throw new Error('refused');
    await world.workflows.delegation.act({ delegationId: asked.value.delegationId, action: 'approve', actor: 'U1' });
    await world.workflows.delegation.act({ delegationId: asked.value.delegationId, action: 'accept', actor: 'U9' });
    const [handed] = await world.handle.db.select().from(setupInvitations).where(eq(setupInvitations.holderUserId, 'U9'));
    const again = await world.workflows.delegation.request({ invitationId: handed!.id, actor: 'U9', invitee: person('U8') });
    if (again.kind !== 'ok') throw new Error('refused');
    world.clock.advance(DAY);
    const before = (await world.outbox()).length;

    const done = await world.workflows.setup.complete({ invitationId: handed!.id, actor: 'U9', accountName: 'Acme Corporation' });
    expect(done).toEqual({ kind: 'ok', value: { id: accountId, name: 'Acme Corporation', status: 'active' } });
    const [account] = await world.handle.db.select().from(accounts);
    expect(account).toMatchObject({ name: 'Acme Corporation', status: 'active', setUpBy: 'U9', setUpAt: world.clock.now() });
    expect(await world.handle.db.select().from(setupInvitations).where(eq(setupInvitations.id, handed!.id))).toMatchObject([
      { status: 'completed', version: 2, closedBy: 'U9', closedAt: world.clock.now() },
    ]);
    expect(await world.handle.db.select().from(delegations).where(eq(delegations.id, again.value.delegationId))).toMatchObject([
      { status: 'superseded', closedBy: 'U9' },
    ]);
    const queued = (await world.outbox()).slice(before);
    expect(queued.map((r) => r.key)).toEqual([
      `redraw:${handed!.id}:2`,
      `home:U9:${handed!.id}:2`,
      `redraw:${again.value.delegationId}:2`,
      `home:U9:${again.value.delegationId}:2`,
      `home:U8:${again.value.delegationId}:2`,
      `notice:set_up:${accountId}`,
    ]);
    expect(queued.at(-1)?.payload).toEqual({
      type: 'notice',
      channel: 'U1',
      notice: { kind: 'account_set_up', accountName: 'Acme Corporation', byUserId: 'U9', at: world.clock.now().toISOString() },
    });
    expect((await world.audit()).slice(-3).map((e) => e.action)).toEqual([
      'delegation.superseded',
      'account.set_up',
      'setup_invitation.completed',
    ]);
  });

  it('a name another account has is a problem on the field, and a second submission is refused', async () => {
    await provisioned(world, 2);
    const { invitationId } = await provisioned(world, 1);
    expect(await world.workflows.setup.complete({ invitationId, actor: 'U1', accountName: 'account 2' })).toEqual({
      kind: 'invalid',
      problems: { accountName: 'taken' },
    });
    expect((await world.workflows.setup.complete({ invitationId, actor: 'U1', accountName: 'ACCOUNT 1' })).kind).toBe('ok');
    expect(await world.workflows.setup.complete({ invitationId, actor: 'U1', accountName: 'Account 1' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'already_completed' },
    });
  });
});

describe('setup workflow: /enterprise setup', () => {
  it('sends the live setup message again, once per request', async () => {
    const { invitationId } = await provisioned(world, 1);
    const result = await world.workflows.setup.freshInvitations({ actor: 'U1' });
    expect(result.value.map((o) => [o.account.name, o.kind])).toEqual([['Account 1', 'resent']]);
    expect((await world.outbox()).at(-1)).toEqual({
      key: `post:setup:${invitationId}:resend:${world.clock.now().getTime()}`,
      payload: { type: 'post', surface: 'setup', subjectId: invitationId, channel: 'U1' },
    });
  });

  it('expires an invitation past its deadline that the sweep has not reached, with its delegation, and issues a fresh one', async () => {
    const { invitationId } = await provisioned(world, 1);
    const asked = await world.workflows.delegation.request({ invitationId, actor: 'U1', invitee: person('U9') });
    if (asked.kind !== 'ok') throw new Error('refused');
    world.clock.advance(30 * DAY);
    const result = await world.workflows.setup.freshInvitations({ actor: 'U1' });
    expect(result.value).toMatchObject([{ kind: 'issued', expiresAt: new Date(world.clock.now().getTime() + 30 * DAY) }]);
    const invitations = await world.handle.db.select().from(setupInvitations);
    expect(invitations.map((i) => [i.id === invitationId ? 'old' : 'new', i.status, i.holderUserId]).sort()).toEqual([
      ['new', 'pending', 'U1'],
      ['old', 'expired', 'U1'],
    ]);
    expect((await world.handle.db.select().from(delegations))[0]).toMatchObject({ status: 'expired', closedBy: 'system' });
    expect((await world.audit()).slice(-3).map((e) => [e.action, e.actor])).toEqual([
      ['setup_invitation.expired', 'system'],
      ['delegation.expired', 'system'],
      ['setup_invitation.issued', 'U1'],
    ]);
    const fresh = invitations.find((i) => i.id !== invitationId)!;
    expect((await world.outbox()).map((r) => r.key)).toContain(`post:setup:${fresh.id}`);
  });

  it('reports an account set up, and says nothing of accounts the caller does not administer', async () => {
    const { invitationId } = await provisioned(world, 1);
    await provisioned(world, 2);
    await world.workflows.setup.complete({ invitationId, actor: 'U1', accountName: 'Account 1' });
    expect((await world.workflows.setup.freshInvitations({ actor: 'U1' })).value.map((o) => o.kind)).toEqual(['account_active']);
    expect((await world.workflows.setup.freshInvitations({ actor: 'U7' })).value).toEqual([]);
  });
});

describe('setup workflow: Get a new invitation (one account, the rules of /enterprise setup)', () => {
  it('refuses anyone not its admin now; for its admin, expires what ran out and issues a fresh invitation; then re-sends it', async () => {
    const { accountId, invitationId } = await provisioned(world, 1);
    expect(await world.workflows.setup.freshInvitationFor({ accountId, actor: 'U7' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_admin' },
    });
    world.clock.advance(30 * DAY); // the sweep has not run: the invitation is still pending, past its deadline
    expect(await world.workflows.setup.freshInvitationFor({ accountId, actor: 'U1' })).toMatchObject({
      kind: 'ok',
      value: { kind: 'issued' },
    });
    const rows = await world.handle.db.select().from(setupInvitations).where(eq(setupInvitations.accountId, accountId));
    expect(rows.map((r) => [r.id === invitationId, r.status]).sort()).toEqual([
      [false, 'pending'],
      [true, 'expired'],
    ]);
    // On the way to a fresh one, no DM saying the old one expired.
    expect((await world.outbox()).map((r) => r.key).filter((k) => k.startsWith('post:setup_expired'))).toEqual([]);
    world.clock.advance(1000);
    expect(await world.workflows.setup.freshInvitationFor({ accountId, actor: 'U1' })).toMatchObject({
      kind: 'ok',
      value: { kind: 'resent' },
    });
  });
});
