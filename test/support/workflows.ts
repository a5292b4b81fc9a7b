import { asc } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/db/client.js';
import { auditEvents, homeViewers, outbox } from '../../src/db/schema.js';
import { randomUUID } from 'node:crypto';
import { createAdminsWorkflow } from '../../src/workflows/admins.js';
import { createDelegationWorkflow } from '../../src/workflows/delegation.js';
import { createPeopleWorkflow } from '../../src/workflows/people.js';
import { createProvisioningWorkflow } from '../../src/workflows/provisioning.js';
import { createSetupWorkflow } from '../../src/workflows/setup.js';
import { createTimersWorkflow } from '../../src/workflows/timers.js';
import { DAY, HOUR, TestClock } from './clock.js';
import { emptyDatabase } from './database.js';

export const ttls = { setupInviteMs: 30 * DAY, confirmMs: 24 * HOUR };
export const reminders = { setupBeforeMs: 3 * DAY, confirmBeforeMs: 2 * HOUR };

/** The setup side's workflows, as `createWorkflows` builds them (recovery has tests of its own). */
function setupWorkflows(deps: Parameters<typeof createSetupWorkflow>[0]) {
  return {
    provisioning: createProvisioningWorkflow(deps),
    setup: createSetupWorkflow(deps),
    delegation: createDelegationWorkflow(deps),
    admins: createAdminsWorkflow(deps),
    people: createPeopleWorkflow(deps),
    timers: createTimersWorkflow({ ...deps, reminders }),
  };
}

export interface World {
  handle: DatabaseHandle;
  clock: TestClock;
  workflows: ReturnType<typeof setupWorkflows>;
  /** The outbox rows, oldest first: key and payload. */
  outbox(): Promise<Array<{ key: string; payload: unknown }>>;
  /** The outbox rows, oldest first, with the channel each posts into (null for edits and Home tabs). */
  outboxChannels(): Promise<Array<{ key: string; channel: string | null }>>;
  /** The audit trail, oldest first, without ids and times. */
  audit(): Promise<
    Array<{
      accountId: string | null;
      actor: string;
      action: string;
      subjectKind: string;
      subjectId: string;
      before: unknown;
      after: unknown;
    }>
  >;
}

/**
 * The workflows against the test file's emptied database and a clock that only the test moves.
 * `homeViewers` have opened their Home tab (only theirs get refreshed).
 */
export async function workflowWorld(options: { homeViewers?: readonly string[] } = {}): Promise<World> {
  const handle = await emptyDatabase();
  const clock = new TestClock();
  await openedHome(handle, options.homeViewers ?? [], clock.now());
  const workflows = setupWorkflows({ db: handle.db, clock: clock.now, ttls, newId: randomUUID });
  return {
    handle,
    clock,
    workflows,
    outbox: async () =>
      (await handle.db.select({ key: outbox.key, payload: outbox.payload }).from(outbox).orderBy(asc(outbox.seq))).map((r) => ({
        key: r.key,
        payload: r.payload,
      })),
    outboxChannels: () => handle.db.select({ key: outbox.key, channel: outbox.channel }).from(outbox).orderBy(asc(outbox.seq)),
    audit: () =>
      handle.db
        .select({
          accountId: auditEvents.accountId,
          actor: auditEvents.actor,
          action: auditEvents.action,
          subjectKind: auditEvents.subjectKind,
          subjectId: auditEvents.subjectId,
          before: auditEvents.before,
          after: auditEvents.after,
        })
        .from(auditEvents)
        .orderBy(asc(auditEvents.seq)),
  };
}

/** Provisions "Account i" for primary contact `U<i>`; its id and its setup invitation's. */
export async function provisioned(world: World, i = 0): Promise<{ accountId: string; invitationId: string }> {
  const made = await world.workflows.provisioning.provision({
    name: `Account ${i}`,
    contractNumber: `C-${i}`,
    primaryContactUserId: `U${i}`,
    actor: 'api',
  });
  if (made.kind !== 'ok') throw new Error(`provisioning failed: ${JSON.stringify(made)}`);
  return { accountId: made.value.account.id, invitationId: made.value.invitation.id };
}

export const person = (userId: string) => ({ userId, email: null, isBot: false, deactivated: false });

/** These people have opened their Home tab: changes that concern them refresh it. */
export async function openedHome(handle: DatabaseHandle, userIds: readonly string[], at: Date): Promise<void> {
  if (userIds.length > 0) await handle.db.insert(homeViewers).values(userIds.map((userId) => ({ userId, openedAt: at })));
}
