import { staleRecordVersions } from '../db/reconcile.js';
import { markConfirmationRemindersDue, markSetupRemindersDue } from '../db/reminders.js';
import { queue, type Effect } from '../domain/effects.js';
import { outboxKey } from '../domain/outboxKeys.js';
import { confirmationReminder, setupReminder } from '../domain/reminders.js';
import { applyEffects, effectScope } from './applyEffects.js';
import type { WorkflowDeps } from './deps.js';
import { expireDueDelegations, expireDueSetupInvitations } from './sweep.js';

/** How long before a deadline its one reminder goes out. */
export interface ReminderLeads {
  setupBeforeMs: number;
  confirmBeforeMs: number;
}

export interface SweepResult {
  setupInvitations: number;
  delegations: number;
}

/** What runs on a schedule: the expiry sweep, the reminders before deadlines, and reconcile. */
export function createTimersWorkflow({ db, clock, reminders, workspaces = 'one' }: WorkflowDeps & { reminders: ReminderLeads }) {
  /** Runs `batch` until it does less than a full batch, so that no transaction grows with the backlog. */
  async function inBatches(batch: () => Promise<number>, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await batch();
      total += n;
      if (n < batchSize) return total;
    }
  }

  return {
    /**
     * Expires what is due: setup invitations (with the delegations live on them), then delegations
     * past their own deadline. Their messages are redrawn from the outbox.
     */
    async sweep(batchSize = 500): Promise<SweepResult> {
      const now = clock();
      return {
        setupInvitations: await inBatches(() => expireDueSetupInvitations(db, now, batchSize, workspaces === 'many'), batchSize),
        delegations: await inBatches(() => expireDueDelegations(db, now, batchSize, workspaces === 'many'), batchSize),
      };
    },

    /** One reminder before each deadline, never after the record left its pending state. */
    remind(): Promise<{ setupInvitations: number; confirmations: number }> {
      const now = clock();
      return db.transaction(async (tx) => {
        const setupDue = await markSetupRemindersDue(tx, now, reminders.setupBeforeMs);
        const confirmDue = await markConfirmationRemindersDue(tx, now, reminders.confirmBeforeMs);
        // Each account's reminders go to its own workspace: one batch per workspace.
        const byTeam = new Map<string | null, Effect[]>();
        const add = (teamId: string | null, effects: Effect[]) => byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), ...effects]);
        for (const i of setupDue) add(i.teamId, [setupReminder(i, i.accountName, now)]);
        for (const d of confirmDue) add(d.teamId, [confirmationReminder(d, d.accountName, now)]);
        for (const [teamId, effects] of byTeam) await applyEffects(tx, effects, now, effectScope(workspaces, teamId, null));
        return { setupInvitations: setupDue.length, confirmations: confirmDue.length };
      });
    },

    /** Redraws messages left behind their record (a failed or lost edit), so no stale button survives. */
    async reconcile(): Promise<number> {
      const now = clock();
      const stale = await staleRecordVersions(db);
      await applyEffects(
        db,
        stale.map(({ subjectId, version }) => queue(outboxKey.reconcile(subjectId, version), { type: 'redraw', subjectId })),
        now,
      );
      return stale.length;
    },
  };
}

export type TimersWorkflow = ReturnType<typeof createTimersWorkflow>;
