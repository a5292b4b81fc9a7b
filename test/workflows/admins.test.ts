import { and, eq, isNull, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { adminMemberships, delegations, setupInvitations, slackPeople } from '../../src/db/schema.js';
import { onRealPostgres } from '../support/database.js';
import { waitFor } from '../support/processes.js';
import { person, provisioned, workflowWorld, type World } from '../support/workflows.js';

let world: World;
beforeEach(async () => {
  // Everyone here has opened their Home tab, so every change that concerns them refreshes it.
  world = await workflowWorld({ homeViewers: ['U0', 'U1', 'U2', 'U7', 'U9', 'USUP'] });
});

const activeAdmins = async (accountId: string) =>
  (
    await world.handle.db
      .select({ userId: adminMemberships.userId })
      .from(adminMemberships)
      .where(and(eq(adminMemberships.accountId, accountId), isNull(adminMemberships.removedAt)))
  )
    .map((a) => a.userId)
    .sort();

const notSupport = async () => false;
const support = async () => true;

describe('admins workflow: adding', () => {
  it('grants manage, audits it, tells them by DM and refreshes their Home tab', async () => {
    const { accountId } = await provisioned(world, 1);
    expect(await world.workflows.admins.add({ accountId, userId: 'U9', actor: 'U1' })).toEqual({ kind: 'ok', value: null });
    expect(await activeAdmins(accountId)).toEqual(['U1', 'U9']);
    const at = world.clock.now().getTime();
    expect((await world.outbox()).slice(-2)).toEqual([
      {
        key: `notice:admin_added:${accountId}:U9:${at}`,
        payload: { type: 'notice', channel: 'U9', notice: { kind: 'admin_added', accountName: 'Account 1', byUserId: 'U1' } },
      },
      { key: `home:U9:${accountId}:${at}`, payload: { type: 'home', userId: 'U9' } },
    ]);
    expect((await world.audit()).at(-1)).toMatchObject({ action: 'admin.granted', actor: 'U1', subjectId: 'U9', after: { admin: true } });
  });

  it('is refused for a non-admin and for someone who already is one', async () => {
    const { accountId } = await provisioned(world, 1);
    expect(await world.workflows.admins.add({ accountId, userId: 'U9', actor: 'U7' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_allowed' },
    });
    expect(await world.workflows.admins.add({ accountId, userId: 'U1', actor: 'U1' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'already_admin' },
    });
    expect(await activeAdmins(accountId)).toEqual(['U1']);
  });

  // Two connections are needed to interleave the two transactions: real PostgreSQL only.
  it.runIf(onRealPostgres)(
    'someone made an admin meanwhile (an Accept not yet committed when add-admin starts) is "already an admin": nothing audited, nobody told',
    async () => {
      const { accountId } = await provisioned(world, 1);
      const before = { audit: (await world.audit()).length, outbox: (await world.outbox()).length };
      let commit!: () => void;
      const committed = new Promise<void>((resolve) => {
        commit = resolve;
      });
      let granted!: () => void;
      const grantWritten = new Promise<void>((resolve) => {
        granted = resolve;
      });
      // The other transaction: writes the grant and holds it uncommitted until told.
      const accept = world.handle.db.transaction(async (tx) => {
        await tx.insert(adminMemberships).values({ accountId, userId: 'U9', grantedBy: 'U1', grantedAt: world.clock.now() });
        granted();
        await committed;
      });
      await grantWritten;
      const adding = world.workflows.admins.add({ accountId, userId: 'U9', actor: 'U1' });
      // add-admin waits for it: its lock of the account conflicts with the key-share lock the grant's
      // foreign key holds on that row, so it decides only once the grant is committed.
      await waitFor('add-admin waiting for the other transaction', async () => {
        const waiting = await world.handle.db.execute(
          sql`select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return rowsOf(waiting).length > 0;
      });
      commit();
      await accept;
      expect(await adding).toEqual({ kind: 'refused', refusal: { reason: 'already_admin' } });
      expect(await activeAdmins(accountId)).toEqual(['U1', 'U9']);
      expect((await world.audit()).length).toBe(before.audit);
      expect((await world.outbox()).length).toBe(before.outbox);
    },
  );
});

describe('admins workflow: removing', () => {
  it('revokes manage, the invitation they hold and the delegation they asked for, in one go', async () => {
    const { accountId, invitationId } = await provisioned(world, 1);
    await world.workflows.admins.add({ accountId, userId: 'U2', actor: 'U1' });
    const asked = await world.workflows.delegation.request({ invitationId, actor: 'U1', invitee: person('U9') });
    if (asked.kind !== 'ok') throw new Error('refused');
    world.clock.advance(1000);
    expect(await world.workflows.admins.remove({ accountId, userId: 'U1', actor: 'U2' })).toMatchObject({
      kind: 'ok',
      value: { account: { id: accountId } },
    });
    expect(await activeAdmins(accountId)).toEqual(['U2']);
    expect(await world.handle.db.select().from(setupInvitations)).toMatchObject([{ status: 'revoked', closedBy: 'U2', version: 2 }]);
    expect(await world.handle.db.select().from(delegations)).toMatchObject([{ status: 'revoked', closedBy: 'U2', version: 2 }]);
    expect((await world.audit()).slice(-3).map((e) => e.action)).toEqual([
      'admin.removed',
      'setup_invitation.revoked',
      'delegation.revoked',
    ]);
    const keys = (await world.outbox()).map((r) => r.key);
    const at = world.clock.now().getTime();
    expect(keys).toContain(`redraw:${invitationId}:2`);
    expect(keys).toContain(`redraw:${asked.value.delegationId}:2`);
    expect(keys.slice(-2)).toEqual([`notice:admin_removed:${accountId}:U1:${at}`, `home:U1:${accountId}:${at}`]);
  });

  it('never the last admin, and only by an admin; asked before the confirmation too', async () => {
    const { accountId } = await provisioned(world, 1);
    expect(await world.workflows.admins.checkRemove({ accountId, userId: 'U1', actor: 'U1' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'last_admin', deactivated: 0 },
    });
    await world.workflows.admins.add({ accountId, userId: 'U2', actor: 'U1' });
    expect(await world.workflows.admins.checkRemove({ accountId, userId: 'U1', actor: 'U1' })).toEqual({ kind: 'ok', value: null });
    expect(await world.workflows.admins.checkRemove({ accountId, userId: 'U1', actor: 'U7' })).toMatchObject({ kind: 'refused' });
    await world.workflows.admins.remove({ accountId, userId: 'U2', actor: 'U1' });
    expect(await world.workflows.admins.remove({ accountId, userId: 'U1', actor: 'U1' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'last_admin', deactivated: 0, account: { name: 'Account 1' } },
    });
    expect(await world.workflows.admins.remove({ accountId, userId: 'U1', actor: 'U7' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_allowed', account: { name: 'Account 1' } },
    });
    expect(await world.workflows.admins.remove({ accountId, userId: 'U7', actor: 'U1' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_admin', account: { name: 'Account 1' } },
    });
    expect(await activeAdmins(accountId)).toEqual(['U1']);
  });
});

describe('admins workflow: people deactivated in Slack', () => {
  it('user_change keeps the flag; the last-admin rule counts only active people; it is audited on each account', async () => {
    const { accountId } = await provisioned(world, 1);
    await world.workflows.admins.add({ accountId, userId: 'U2', actor: 'U1' });
    world.clock.advance(1000);
    await world.workflows.people.changed({ userId: 'U2', deactivated: true });
    expect(await world.handle.db.select({ userId: slackPeople.userId, deactivated: slackPeople.deactivated }).from(slackPeople)).toEqual([
      { userId: 'U2', deactivated: true },
    ]);
    expect((await world.audit()).at(-1)).toEqual({
      accountId,
      actor: 'slack',
      action: 'admin.deactivated_in_slack',
      subjectKind: 'admin',
      subjectId: 'U2',
      before: { deactivated: false },
      after: { deactivated: true },
    });
    const at = world.clock.now().getTime();
    expect((await world.outbox()).slice(-2).map((r) => r.key)).toEqual([`home:U1:U2:${at}`, `home:U2:U2:${at}`]);

    // U1 is the last active admin; U2, deactivated, may be removed.
    expect(await world.workflows.admins.remove({ accountId, userId: 'U1', actor: 'U1' })).toEqual({
      kind: 'refused',
      refusal: { reason: 'last_admin', deactivated: 1, account: { name: 'Account 1' } },
    });
    const listed = await world.workflows.admins.list({ accountId, reader: { userId: 'U1', isSupport: notSupport } });
    expect(listed).toMatchObject({
      value: {
        admins: [
          { userId: 'U1', deactivated: false },
          { userId: 'U2', deactivated: true },
        ],
      },
    });

    // Back in Slack: an active admin again, and U1 may go.
    await world.workflows.people.changed({ userId: 'U2', deactivated: false });
    expect((await world.audit()).at(-1)).toMatchObject({ action: 'admin.reactivated_in_slack', subjectId: 'U2' });
    expect(await world.workflows.admins.remove({ accountId, userId: 'U1', actor: 'U1' })).toMatchObject({
      kind: 'ok',
      value: { account: { id: accountId } },
    });
  });

  it('a profile edit, or news of someone Vouch never saw deactivated, writes nothing', async () => {
    const { accountId } = await provisioned(world, 1);
    const before = { audit: await world.audit(), outbox: await world.outbox() };
    await world.workflows.people.changed({ userId: 'U1', deactivated: false });
    await world.workflows.people.changed({ userId: 'U7', deactivated: false });
    expect({ audit: await world.audit(), outbox: await world.outbox() }).toEqual(before);
    expect(await world.handle.db.select().from(slackPeople)).toEqual([]);
    // Someone who administers nothing: only the flag.
    await world.workflows.people.changed({ userId: 'U7', deactivated: true });
    expect(await world.handle.db.select({ userId: slackPeople.userId }).from(slackPeople)).toEqual([{ userId: 'U7' }]);
    expect(await world.audit()).toEqual(before.audit);
    expect(accountId).toBeTruthy();
  });
});

describe('admins workflow: the audit trail as CSV', () => {
  it('queues the file for the reader’s DM in the same transaction as the audit line; others learn nothing', async () => {
    const { accountId } = await provisioned(world, 1);
    const at = world.clock.now();
    expect(
      await world.workflows.admins.exportAudit({ accountName: 'account 1', reader: { userId: 'USUP', isSupport: support } }),
    ).toMatchObject({
      kind: 'ok',
      value: { account: { id: accountId } },
    });
    expect((await world.outboxChannels()).at(-1)).toEqual({ key: `audit_csv:${accountId}:USUP:${at.getTime()}`, channel: 'USUP' });
    expect((await world.outbox()).at(-1)?.payload).toEqual({ type: 'audit_csv', userId: 'USUP', accountId, upTo: at.toISOString() });
    expect((await world.audit()).at(-1)).toMatchObject({ action: 'audit.exported', actor: 'USUP', subjectId: accountId });

    const before = await world.outbox();
    expect(await world.workflows.admins.exportAudit({ accountName: 'Account 1', reader: { userId: 'U7', isSupport: notSupport } })).toEqual(
      {
        kind: 'refused',
        refusal: { reason: 'not_readable' },
      },
    );
    expect(await world.outbox()).toEqual(before);
  });
});

describe('admins workflow: reading an account', () => {
  it('its admins and support read its admins and audit trail, by name or id; others learn nothing', async () => {
    const { accountId } = await provisioned(world, 1);
    let asked = 0;
    const counting = async () => {
      asked++;
      return false;
    };
    const listed = await world.workflows.admins.list({ accountName: 'account 1', reader: { userId: 'U1', isSupport: counting } });
    expect(listed).toMatchObject({ kind: 'ok', value: { account: { id: accountId }, admins: [{ userId: 'U1', grantedBy: 'api' }] } });
    expect(asked).toBe(0);
    expect((await world.workflows.admins.list({ accountName: 'Account 1', reader: { userId: 'USUP', isSupport: support } })).kind).toBe(
      'ok',
    );
    expect(await world.workflows.admins.list({ accountName: 'Account 1', reader: { userId: 'U7', isSupport: notSupport } })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_readable' },
    });
    expect(await world.workflows.admins.list({ accountName: 'No such', reader: { userId: 'USUP', isSupport: support } })).toEqual({
      kind: 'refused',
      refusal: { reason: 'not_readable' },
    });

    const page = await world.workflows.admins.audit({ accountId, beforeSeq: null, reader: { userId: 'USUP', isSupport: support } });
    if (page.kind !== 'ok') throw new Error('refused');
    expect(page.value.page.events.map((e) => e.action)).toEqual(['setup_invitation.issued', 'admin.granted', 'account.provisioned']);
    expect(page.value.page.olderThan).toBeNull();
    expect((await world.workflows.admins.audit({ accountId, beforeSeq: null, reader: { userId: 'U7', isSupport: notSupport } })).kind).toBe(
      'refused',
    );
  });
});
