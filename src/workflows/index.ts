import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.js';
import type { WorkspaceMode } from '../domain/workspace.js';
import { createAdminsWorkflow } from './admins.js';
import { createDelegationWorkflow } from './delegation.js';
import type { Ttls, WorkflowDeps } from './deps.js';
import type { PeopleDirectory, SupportChannel } from './directory.js';
import { createPeopleWorkflow } from './people.js';
import { createProvisioningWorkflow } from './provisioning.js';
import { createRecoveryWorkflow, type RecoverySettings } from './recovery.js';
import { createSetupWorkflow } from './setup.js';
import { createTimersWorkflow, type ReminderLeads } from './timers.js';

export type { Ttls, WorkflowDeps } from './deps.js';
export type { PeopleDirectory, SupportChannel } from './directory.js';
export type { RecoverySettings } from './recovery.js';
export type { ReminderLeads } from './timers.js';

/** Every workflow, built once with the database, the clock, the settings and the ports to Slack. */
export function createWorkflows(input: {
  db: Database;
  clock: () => Date;
  ttls: Ttls;
  newId?: () => string;
  people: PeopleDirectory;
  support: SupportChannel;
  recovery: RecoverySettings;
  reminders: ReminderLeads;
  /** Distributed: many workspaces (default: one). */
  workspaces?: WorkspaceMode;
  /** Distributed: the people of one customer's workspace. */
  peopleIn?: (teamId: string) => PeopleDirectory;
}) {
  const deps: WorkflowDeps = {
    db: input.db,
    clock: input.clock,
    ttls: input.ttls,
    newId: input.newId ?? randomUUID,
    workspaces: input.workspaces ?? 'one',
  };
  return {
    provisioning: createProvisioningWorkflow(deps),
    setup: createSetupWorkflow(deps),
    delegation: createDelegationWorkflow(deps),
    recovery: createRecoveryWorkflow({
      ...deps,
      people: input.people,
      ...(input.peopleIn ? { peopleIn: input.peopleIn } : {}),
      support: input.support,
      recovery: input.recovery,
    }),
    admins: createAdminsWorkflow(deps),
    people: createPeopleWorkflow(deps),
    timers: createTimersWorkflow({ ...deps, reminders: input.reminders }),
  };
}

export type Workflows = ReturnType<typeof createWorkflows>;
