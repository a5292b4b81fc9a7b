import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { postedChannel } from '../../src/db/outbox.js';
import { accounts, auditEvents, delegations, outbox, setupInvitations, slackMessages } from '../../src/db/schema.js';
import { delegationStates, isDelegationDue } from '../../src/domain/delegation.js';
import type { AuditEntry, Effect, OutboxPayload, QueuedWrite } from '../../src/domain/effects.js';
import { outboxKey } from '../../src/domain/outboxKeys.js';
import { expireDelegation, expireSetupInvitation } from '../../src/domain/expiry.js';
import { isSetupInvitationDue, setupInvitationStates } from '../../src/domain/setupInvitation.js';
import { createTimersWorkflow } from '../../src/workflows/timers.js';
import { DAY, HOUR } from '../support/clock.js';
import { openedHome, person, provisioned, reminders, ttls, workflowWorld, type World } from '../support/workflows.js';

let world: World;
beforeEach(async () => {
  world = await workflowWorld();
});

const start = new Date('2026-11-23T09:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);

/** `n` accounts provisioned at `start`; every third one's holder invites someone at day 29.5. */
async function accountsWithDelegations(n: number): Promise<void> {
  world.clock.set(start);
  const made = [];
  for (let i = 0; i < n; i++) made.push(await provisioned(world, i));
  world.clock.set(at(29.5 * DAY));
  for (const [i, { invitationId }] of made.entries()) {
    if (i % 3 !== 0) continue;
    const asked = await world.workflows.delegation.request({ invitationId, actor: `U${i}`, invitee: person(`UINV${i}`) });
    expect(asked.kind).toBe('ok');
  }
}

describe('the expiry sweep', () => {
  it('two sweeps racing in small batches expire each invitation and its live delegation exactly once', async () => {
    const { db } = world.handle;
    await accountsWithDelegations(24);
    world.clock.set(at(30 * DAY));
    const [a, b] = await Promise.all([world.workflows.timers.sweep(5), world.workflows.timers.sweep(5)]);
    expect(a.setupInvitations + b.setupInvitations).toBe(24);
    const expired = await db.select().from(auditEvents).where(eq(auditEvents.action, 'setup_invitation.expired'));
    expect(new Set(expired.map((e) => e.subjectId)).size).toBe(24);
    expect(expired).toHaveLength(24);
    expect(await db.select().from(delegations).where(eq(delegations.status, 'expired'))).toHaveLength(8);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.action, 'delegation.expired'))).toHaveLength(8);
    const redraws = (await db.select().from(outbox)).filter((r) => r.key.startsWith('redraw:'));
    expect(redraws).toHaveLength(24 + 8);
    expect(await world.workflows.timers.sweep(5)).toEqual({ setupInvitations: 0, delegations: 0 });
  });

  it('a sweep racing Approve clicks closes each delegation once, from the state the click left it in', async () => {
    const { db } = world.handle;
    const n = 12;
    world.clock.set(start);
    const made = [];
    for (let i = 0; i < n; i++) made.push(await provisioned(world, i));
    world.clock.set(at(29.5 * DAY));
    const asked = [];
    for (const [i, { invitationId }] of made.entries()) {
      const request = await world.workflows.delegation.request({ invitationId, actor: `U${i}`, invitee: person(`UINV${i}`) });
      if (request.kind !== 'ok') throw new Error('request refused');
      asked.push(request.value.delegationId);
    }
    // The clicks are decided a millisecond before the invitations' deadline; the sweep runs (on
    // another replica, its clock a millisecond ahead) at the deadline, in batches of 5.
    world.clock.set(at(30 * DAY - 1));
    const sweeper = createTimersWorkflow({ db, clock: () => at(30 * DAY), ttls, reminders, newId: randomUUID });
    const [swept, ...clicks] = await Promise.all([
      sweeper.sweep(5),
      ...asked.map((delegationId, i) => world.workflows.delegation.act({ delegationId, action: 'approve', actor: `U${i}` })),
    ]);
    expect(swept.setupInvitations).toBe(n);
    const audit = await world.audit();
    for (const [i, delegationId] of asked.entries()) {
      const expired = audit.filter((e) => e.action === 'delegation.expired' && e.subjectId === delegationId);
      // Approved before the sweep reached it, it was awaiting acceptance; else the click lost to the sweep and was refused.
      const approved = clicks[i]!.kind === 'ok';
      expect(expired).toEqual([
        expect.objectContaining({ before: { status: approved ? 'awaiting_acceptance' : 'awaiting_confirmation' } }),
      ]);
      expect(audit.filter((e) => e.subjectId === delegationId && e.action === 'delegation.approved')).toHaveLength(approved ? 1 : 0);
    }
    expect(await db.select().from(delegations).where(eq(delegations.status, 'expired'))).toHaveLength(n);
    expect(await world.workflows.timers.sweep(5)).toEqual({ setupInvitations: 0, delegations: 0 });
  });

  it('a sweep of many due rows in many batches expires each one once, with its live delegation, DM and redraws', async () => {
    await accountsWithDelegations(60);
    world.clock.set(at(30 * DAY));
    expect(await world.workflows.timers.sweep(7)).toEqual({ setupInvitations: 60, delegations: 0 });
    const audit = await world.audit();
    expect(audit.filter((e) => e.action === 'setup_invitation.expired')).toHaveLength(60);
    expect(new Set(audit.filter((e) => e.action === 'setup_invitation.expired').map((e) => e.subjectId)).size).toBe(60);
    expect(audit.filter((e) => e.action === 'delegation.expired')).toHaveLength(20);
    const keys = (await world.outbox()).map((r) => r.key);
    expect(keys.filter((k) => k.startsWith('redraw:'))).toHaveLength(60 + 20);
    expect(keys.filter((k) => k.startsWith('post:setup_expired:'))).toHaveLength(60);
  });

  it('touches nothing before the deadline', async () => {
    await accountsWithDelegations(3);
    world.clock.set(at(30 * DAY - 1));
    expect(await world.workflows.timers.sweep(5)).toEqual({ setupInvitations: 0, delegations: 0 });
    expect(await world.handle.db.select().from(setupInvitations).where(eq(setupInvitations.status, 'pending'))).toHaveLength(3);
  });
});

// ---------------------------------------------------------------------------------------------
// The sweep's SQL and the domain cannot drift: generated rows, every status, deadlines around now.

const now = start;
/** Deadlines just before, at and just after `now`, and far from it. */
const nearNow = fc.constantFrom(-DAY, -1, 0, 1, DAY).map((ms) => at(ms));

async function newAccount(): Promise<string> {
  const id = randomUUID();
  await world.handle.db.insert(accounts).values({
    id,
    name: `Account ${id}`,
    contractNumber: 'C-1',
    primaryContactUserId: 'UPAT',
    createdBy: 'api',
    createdAt: at(-40 * DAY),
  });
  return id;
}

/** Ids of the rows of `table` whose version the sweep moved. */
async function movedBySweep(table: typeof setupInvitations | typeof delegations): Promise<Set<string>> {
  world.clock.set(now);
  await world.workflows.timers.sweep(4);
  const rows = await world.handle.db.select({ id: table.id, version: table.version }).from(table);
  return new Set(rows.filter((r) => r.version > 1).map((r) => r.id));
}

describe('the sweep expires exactly what the domain calls due', () => {
  it('setup invitations: every status, deadlines around now', async () => {
    const invitation = fc.record({ status: fc.constantFrom(...setupInvitationStates), expiresAt: nearNow });
    await fc.assert(
      fc.asyncProperty(fc.array(invitation, { minLength: 1, maxLength: 12 }), async (generated) => {
        world = await workflowWorld();
        const due = new Set<string>();
        for (const g of generated) {
          const id = randomUUID();
          await world.handle.db.insert(setupInvitations).values({
            id,
            accountId: await newAccount(),
            holderUserId: 'UPAT',
            status: g.status,
            issuedAt: at(-30 * DAY),
            expiresAt: g.expiresAt,
          });
          if (isSetupInvitationDue(g, now)) due.add(id);
        }
        expect(await movedBySweep(setupInvitations)).toEqual(due);
      }),
      { numRuns: 20 },
    );
  });

  it('delegations: every status, both deadlines around now, acceptance deadline possibly unset', async () => {
    const delegation = fc.record({
      status: fc.constantFrom(...delegationStates),
      confirmExpiresAt: nearNow,
      acceptExpiresAt: fc.option(nearNow, { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(delegation, { minLength: 1, maxLength: 12 }), async (generated) => {
        world = await workflowWorld();
        const due = new Set<string>();
        for (const g of generated) {
          const accountId = await newAccount();
          // On a completed invitation, so that only the delegation's own deadline can expire it.
          const [invitation] = await world.handle.db
            .insert(setupInvitations)
            .values({ accountId, holderUserId: 'UPAT', status: 'completed', issuedAt: at(-30 * DAY), expiresAt: at(DAY) })
            .returning();
          const id = randomUUID();
          await world.handle.db.insert(delegations).values({
            id,
            accountId,
            setupInvitationId: invitation!.id,
            inviterUserId: 'UPAT',
            inviteeUserId: 'UCOLE',
            requestedAt: at(-2 * DAY),
            ...g,
          });
          if (isDelegationDue(g, now)) due.add(id);
        }
        expect(await movedBySweep(delegations)).toEqual(due);
      }),
      { numRuns: 20 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The set-based statements write what the domain decides for each row, no more and no less.

const writesOf = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'queue' ? [e.write] : [])).map((w: QueuedWrite) => ({ key: w.key, payload: w.payload }));
const entriesOf = (effects: Effect[]) =>
  effects
    .flatMap((e) => (e.type === 'audit' ? [e.entry] : []))
    .map((e: AuditEntry) => JSON.parse(JSON.stringify({ before: null, after: null, ...e })) as AuditEntry);
const byKey = <T extends { key: string }>(rows: T[]) => [...rows].sort((a, b) => a.key.localeCompare(b.key));
const bySubject = <T extends { subjectId: string; action: string }>(rows: T[]) =>
  [...rows].sort((a, b) => `${a.subjectId}${a.action}`.localeCompare(`${b.subjectId}${b.action}`));

describe('what the sweep writes', () => {
  it('is what expireSetupInvitation and expireDelegation decide, row by row', async () => {
    const { db } = world.handle;
    world.clock.set(start);
    // An invitation running out with a delegation awaiting the invitee, and one with none.
    const a = await provisioned(world, 1);
    const b = await provisioned(world, 2);
    world.clock.set(at(29 * DAY));
    const asked = await world.workflows.delegation.request({ invitationId: a.invitationId, actor: 'U1', invitee: person('UCOLE') });
    if (asked.kind !== 'ok') throw new Error('request refused');
    await world.workflows.delegation.act({ delegationId: asked.value.delegationId, action: 'approve', actor: 'U1' });
    // Delegations past their own deadline, on invitations that stay: one never confirmed, one never answered.
    const c = await provisioned(world, 3);
    const d = await provisioned(world, 4);
    const unconfirmed = await world.workflows.delegation.request({ invitationId: c.invitationId, actor: 'U3', invitee: person('UDAN') });
    const unanswered = await world.workflows.delegation.request({ invitationId: d.invitationId, actor: 'U4', invitee: person('UEVE') });
    if (unconfirmed.kind !== 'ok' || unanswered.kind !== 'ok') throw new Error('request refused');
    await world.workflows.delegation.act({ delegationId: unanswered.value.delegationId, action: 'approve', actor: 'U4' });
    await db
      .update(delegations)
      .set({ acceptExpiresAt: at(29.5 * DAY) })
      .where(eq(delegations.id, unanswered.value.delegationId));
    await db.delete(outbox);
    await db.delete(auditEvents);
    // Two of the people have opened their Home tab: only theirs are refreshed.
    const viewers = new Set(['U1', 'UDAN']);
    await openedHome(world.handle, [...viewers], world.clock.now());
    const shown = (w: { payload: OutboxPayload }) => w.payload.type !== 'home' || viewers.has(w.payload.userId);

    world.clock.set(at(30 * DAY));
    const sweepAt = world.clock.now();
    const invitations = (await db.select().from(setupInvitations)).filter((i) => isSetupInvitationDue(i, sweepAt));
    const live = await db.select().from(delegations);
    const names = new Map((await db.select().from(accounts)).map((x) => [x.id, x.name]));
    const closedWithInvitation = new Set(invitations.map((i) => i.accountId));
    const expected = [
      ...invitations.flatMap((i) =>
        expireSetupInvitation(
          i,
          live.filter((l) => l.accountId === i.accountId && (l.status === 'awaiting_confirmation' || l.status === 'awaiting_acceptance')),
        ),
      ),
      ...live
        .filter((l) => !closedWithInvitation.has(l.accountId) && isDelegationDue(l, sweepAt))
        .flatMap((l) => expireDelegation(l, names.get(l.accountId) ?? '', sweepAt)),
    ];
    expect(invitations.map((i) => i.id).sort()).toEqual([a.invitationId, b.invitationId].sort());
    expect(expected.filter((e) => e.type === 'move')).toHaveLength(2 + 3);

    expect(await world.workflows.timers.sweep()).toEqual({ setupInvitations: 2, delegations: 2 });
    expect(byKey(await world.outbox())).toEqual(byKey(writesOf(expected).filter(shown)));
    expect(writesOf(expected).filter((w) => !shown(w)).length).toBeGreaterThan(0);
    expect((await world.outbox()).map((r) => r.key)).toContain(outboxKey.home('UDAN', unconfirmed.value.delegationId, 2));
    // Each row posts into the channel enqueueAll would give it, so it waits its turn there.
    expect(byKey(await world.outboxChannels())).toEqual(
      byKey(
        writesOf(expected)
          .filter(shown)
          .map((w) => ({ key: w.key, channel: postedChannel(w.payload) })),
      ),
    );
    expect(bySubject(await world.audit())).toEqual(bySubject(entriesOf(expected)));
    expect((await world.outbox()).map((r) => r.key)).toContain(`notice:unanswered:${unanswered.value.delegationId}`);
  });
});

describe('reminders before a deadline', () => {
  it('remind the holder and the inviter once, and never after the deadline', async () => {
    world.clock.set(start);
    const { invitationId } = await provisioned(world, 1);
    world.clock.set(at(27 * DAY - 1));
    expect(await world.workflows.timers.remind()).toEqual({ setupInvitations: 0, confirmations: 0 });
    const asked = await world.workflows.delegation.request({ invitationId, actor: 'U1', invitee: person('UCOLE') });
    if (asked.kind !== 'ok') throw new Error('request refused');
    world.clock.set(at(27 * DAY + 22 * HOUR));
    expect(await world.workflows.timers.remind()).toEqual({ setupInvitations: 1, confirmations: 1 });
    expect(await world.workflows.timers.remind()).toEqual({ setupInvitations: 0, confirmations: 0 });
    const notices = (await world.outbox()).filter((r) => r.key.startsWith('notice:'));
    expect(notices).toEqual([
      {
        key: `notice:setup_reminder:${invitationId}`,
        payload: {
          type: 'notice',
          channel: 'U1',
          // When it was decided, so that it says how long is left.
          notice: {
            kind: 'setup_reminder',
            accountName: 'Account 1',
            expiresAt: at(30 * DAY).toISOString(),
            at: at(27 * DAY + 22 * HOUR).toISOString(),
          },
        },
      },
      {
        key: `notice:confirmation_reminder:${asked.value.delegationId}`,
        payload: {
          type: 'notice',
          channel: 'U1',
          notice: {
            kind: 'confirmation_reminder',
            accountName: 'Account 1',
            inviteeUserId: 'UCOLE',
            expiresAt: asked.value.confirmExpiresAt.toISOString(),
            at: at(27 * DAY + 22 * HOUR).toISOString(),
          },
        },
      },
    ]);
  });
});

describe('reconcile', () => {
  it('queues one redraw per record whose messages lag behind it, once per version', async () => {
    const { invitationId } = await provisioned(world, 1);
    const message = { surface: 'setup' as const, subjectId: invitationId, channelId: 'DU1', postedAt: world.clock.now() };
    await world.handle.db.insert(slackMessages).values([
      { ...message, ts: '1.1', renderedVersion: 1 },
      { ...message, ts: '1.2', renderedVersion: 1 },
    ]);
    expect(await world.workflows.timers.reconcile()).toBe(0);
    await world.handle.db.update(setupInvitations).set({ version: 3 }).where(eq(setupInvitations.id, invitationId));
    expect(await world.workflows.timers.reconcile()).toBe(1);
    expect(await world.workflows.timers.reconcile()).toBe(1);
    expect((await world.outbox()).filter((r) => r.key.startsWith('reconcile:'))).toEqual([
      { key: `reconcile:${invitationId}:3`, payload: { type: 'redraw', subjectId: invitationId } },
    ]);
  });
});
