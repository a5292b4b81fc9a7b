import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import {
  accounts,
  adminMemberships,
  delegations,
  recoveryApprovals,
  recoveryQuestions,
  recoveryRequests,
  setupInvitations,
  slackPeople,
} from '../db/schema.js';
import { audit } from '../db/audit.js';
import { enqueueAll } from '../db/outbox.js';
import { writeTransition, type ReadGuard, type Transition } from '../db/transition.js';
import type { AuditEntry, Effect, Move, QueuedWrite } from '../domain/effects.js';
import { setupInvitationMachine } from '../domain/setupInvitation.js';
import { delegationMachine } from '../domain/delegation.js';
import { recoveryMachine } from '../domain/recovery.js';
import { recoveryQuestionMachine } from '../domain/recoveryQuestions.js';
import { vouchError } from '../domain/errors.js';
import type { WorkspaceMode } from '../domain/workspace.js';

/**
 * Stores what a decision does, in the caller's transaction. Records change in the order the
 * decision lists them; the audit events and outbox rows go out together at the end in one
 * pipelined round trip, so a transition costs a statement or two, not one per row.
 */
/**
 * Where a decision's writes go and who made it, when Vouch serves many workspaces: `teamId` is the
 * customer's workspace its messages go to (the support channel's go to the provider's whatever
 * this says), `actorTeamId` the workspace of the person who acted (for the audit trail).
 */
export interface EffectScope {
  teamId: string | null;
  actorTeamId: string | null;
}

export const oneWorkspace: EffectScope = { teamId: null, actorTeamId: null };

/**
 * The scope of a decision in `mode`: with one workspace its writes name none (they all go to the
 * one workspace, queued per channel as they always were); distributed, `teamId`'s.
 */
export function effectScope(mode: WorkspaceMode, teamId: string | null, actorTeamId: string | null): EffectScope {
  return { teamId: mode === 'many' ? teamId : null, actorTeamId };
}

export async function applyEffects(tx: Executor, effects: readonly Effect[], now: Date, scope: EffectScope = oneWorkspace): Promise<void> {
  const entries: AuditEntry[] = [];
  const writes: QueuedWrite[] = [];
  const changes: Array<Exclude<Effect, { type: 'audit' | 'queue' }>> = [];
  for (const effect of effects) {
    if (effect.type === 'audit') entries.push(effect.entry);
    else if (effect.type === 'queue') writes.push(effect.write);
    else changes.push(effect);
  }
  // The common shape, a click moving one record: the move, its audit entries and its outbox rows
  // in one statement.
  const [only, ...more] = changes;
  if (only?.type === 'move' && more.length === 0) {
    if (!(await writeTransition(tx, transition(only.move), entries, writes, now, scope))) throw lostMove(only.move);
    return;
  }
  for (const change of changes) await applyChange(tx, change, now);
  await Promise.all([audit(tx, entries, now, scope.actorTeamId), enqueueAll(tx, writes, now, scope.teamId)]);
}

/** Whether a decision's effects are one move with its audit entries and outbox rows (what `applyOneMove` writes). */
export function isOneMove(effects: readonly Effect[]): boolean {
  const changes = effects.filter((effect) => effect.type !== 'audit' && effect.type !== 'queue');
  return changes.length === 1 && changes[0]!.type === 'move';
}

/**
 * A decision made from rows read without locks, outside any transaction: its one move, audit
 * entries and outbox rows in one statement, which writes them only if the record and everything
 * in `guard` are still as the decision read them. False when something changed meanwhile (nothing
 * was written): read and decide again. Only for effects `isOneMove` accepts.
 */
export async function applyOneMove(
  ex: Executor,
  effects: readonly Effect[],
  now: Date,
  scope: EffectScope,
  guard: ReadGuard,
): Promise<boolean> {
  const move = effects.find((effect) => effect.type === 'move');
  if (move?.type !== 'move' || !isOneMove(effects)) throw new Error('applyOneMove takes one move with its audit entries and outbox rows');
  const entries = effects.flatMap((effect) => (effect.type === 'audit' ? [effect.entry] : []));
  const writes = effects.flatMap((effect) => (effect.type === 'queue' ? [effect.write] : []));
  return writeTransition(ex, transition(move.move), entries, writes, now, scope, guard);
}

/** A move as the one-statement writer takes it: its machine's `from` and `to` looked up. */
function transition(move: Move): Transition {
  const { from, to } = machineOf(move).transitions[move.event as never] as { from: readonly string[]; to: string };
  const closes = move.record === 'setup_invitation' || move.record === 'delegation' ? !machineOf(move).isLive(to as never) : false;
  return { record: move.record, id: move.id, version: move.version, from, to, closes, set: move.set ?? {} };
}

function machineOf(move: Move) {
  switch (move.record) {
    case 'setup_invitation':
      return setupInvitationMachine;
    case 'delegation':
      return delegationMachine;
    case 'recovery_request':
      return recoveryMachine;
    case 'recovery_question':
      return recoveryQuestionMachine;
  }
}

// Decisions are made on rows this transaction has locked, so a miss is a bug, not a race:
// throwing rolls back everything the decision wrote.
const lostMove = (move: Move) =>
  vouchError('db.lost_guarded_update', `${move.record} ${move.id} was not at version ${move.version} in a state allowing ${move.event}`);

async function applyChange(tx: Executor, effect: Exclude<Effect, { type: 'audit' | 'queue' }>, now: Date): Promise<void> {
  switch (effect.type) {
    case 'move':
      return applyMove(tx, effect.move, now);
    case 'create_account': {
      await tx.insert(accounts).values({ ...effect.account, createdAt: now });
      return;
    }
    case 'activate_account': {
      const [row] = await tx
        .update(accounts)
        .set({ name: effect.name, status: 'active', setUpAt: now, setUpBy: effect.by })
        .where(and(eq(accounts.id, effect.accountId), eq(accounts.status, 'pending_setup')))
        .returning({ id: accounts.id });
      if (!row) throw vouchError('db.lost_guarded_update', `account ${effect.accountId} was not waiting for setup`);
      return;
    }
    case 'issue_setup_invitation': {
      await tx.insert(setupInvitations).values({ ...effect.invitation, issuedAt: now });
      return;
    }
    case 'create_delegation': {
      await tx.insert(delegations).values({ ...effect.delegation, requestedAt: now });
      return;
    }
    case 'create_recovery_request': {
      await tx.insert(recoveryRequests).values({ ...effect.request, createdAt: now });
      return;
    }
    case 'create_recovery_question': {
      await tx.insert(recoveryQuestions).values({ ...effect.question, askedAt: now });
      return;
    }
    case 'record_recovery_approval': {
      await tx.insert(recoveryApprovals).values({ requestId: effect.requestId, approverUserId: effect.approverUserId, at: now });
      return;
    }
    case 'withdraw_recovery_approval': {
      const gone = await tx
        .delete(recoveryApprovals)
        .where(and(eq(recoveryApprovals.requestId, effect.requestId), eq(recoveryApprovals.approverUserId, effect.approverUserId)))
        .returning({ approver: recoveryApprovals.approverUserId });
      // Decided under the request's lock from the approvals it read: a miss is a bug.
      if (gone.length === 0) {
        throw vouchError('db.lost_guarded_update', `no approval of ${effect.approverUserId} on recovery request ${effect.requestId}`);
      }
      return;
    }
    case 'grant_admin': {
      await tx
        .insert(adminMemberships)
        .values({ accountId: effect.accountId, userId: effect.userId, grantedBy: effect.grantedBy, grantedAt: now })
        .onConflictDoNothing();
      return;
    }
    case 'person_status': {
      // Distributed, a row of the one-workspace days ('', any workspace) gives way to the person's own.
      if (effect.workspaceKey !== '')
        await tx.delete(slackPeople).where(and(eq(slackPeople.workspaceKey, ''), eq(slackPeople.userId, effect.userId)));
      await tx
        .insert(slackPeople)
        .values({ workspaceKey: effect.workspaceKey, userId: effect.userId, deactivated: effect.deactivated, changedAt: now })
        .onConflictDoUpdate({
          target: [slackPeople.workspaceKey, slackPeople.userId],
          set: { deactivated: effect.deactivated, changedAt: now },
        });
      return;
    }
    case 'withdraw_next_step': {
      const table = effect.record === 'setup_invitation' ? setupInvitations : delegations;
      const stamp = effect.record === 'setup_invitation' ? { holderRemovedAt: now } : { inviterRemovedAt: now };
      const [row] = await tx
        .update(table)
        .set({ ...stamp, version: effect.version + 1 })
        .where(and(eq(table.id, effect.id), eq(table.version, effect.version), eq(table.status, 'expired')))
        .returning({ id: table.id });
      if (!row) throw vouchError('db.lost_guarded_update', `${effect.record} ${effect.id} was not expired at version ${effect.version}`);
      return;
    }
    case 'remove_admin': {
      await tx
        .update(adminMemberships)
        .set({ removedAt: now, removedBy: effect.removedBy })
        .where(
          and(
            eq(adminMemberships.accountId, effect.accountId),
            eq(adminMemberships.userId, effect.userId),
            isNull(adminMemberships.removedAt),
          ),
        );
      return;
    }
  }
}

/** The guarded update of a move: its `WHERE` is the machine's `from` states and the version seen. */
async function applyMove(tx: Executor, move: Move, now: Date): Promise<void> {
  let changed: unknown[];
  switch (move.record) {
    case 'setup_invitation': {
      const { from, to } = setupInvitationMachine.transitions[move.event];
      changed = await tx
        .update(setupInvitations)
        .set({ ...move.set, status: to, version: move.version + 1, ...(setupInvitationMachine.isLive(to) ? {} : { closedAt: now }) })
        .where(
          and(eq(setupInvitations.id, move.id), eq(setupInvitations.version, move.version), inArray(setupInvitations.status, [...from])),
        )
        .returning({ id: setupInvitations.id });
      break;
    }
    case 'delegation': {
      const { from, to } = delegationMachine.transitions[move.event];
      changed = await tx
        .update(delegations)
        .set({ ...move.set, status: to, version: move.version + 1, ...(delegationMachine.isLive(to) ? {} : { closedAt: now }) })
        .where(and(eq(delegations.id, move.id), eq(delegations.version, move.version), inArray(delegations.status, [...from])))
        .returning({ id: delegations.id });
      break;
    }
    case 'recovery_request': {
      const { from, to } = recoveryMachine.transitions[move.event];
      changed = await tx
        .update(recoveryRequests)
        .set({ ...move.set, status: to, version: move.version + 1 })
        .where(
          and(eq(recoveryRequests.id, move.id), eq(recoveryRequests.version, move.version), inArray(recoveryRequests.status, [...from])),
        )
        .returning({ id: recoveryRequests.id });
      break;
    }
    case 'recovery_question': {
      const { from, to } = recoveryQuestionMachine.transitions[move.event];
      changed = await tx
        .update(recoveryQuestions)
        .set({ ...move.set, status: to, version: move.version + 1 })
        .where(
          and(eq(recoveryQuestions.id, move.id), eq(recoveryQuestions.version, move.version), inArray(recoveryQuestions.status, [...from])),
        )
        .returning({ id: recoveryQuestions.id });
      break;
    }
  }
  if (changed.length === 0) throw lostMove(move);
}
