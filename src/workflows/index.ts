import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.js';
import { createDelegationWorkflow } from './delegation.js';
import type { Ttls, WorkflowDeps } from './deps.js';
import type { PeopleDirectory, SupportChannel } from './directory.js';
import { createRecoveryWorkflow, type RecoverySettings } from './recovery.js';

export type { Ttls, WorkflowDeps } from './deps.js';
export type { PeopleDirectory, SupportChannel } from './directory.js';
export type { RecoverySettings } from './recovery.js';

/** Every workflow, built once with the database, the clock, the settings and the ports to Slack. */
export function createWorkflows(input: {
  db: Database;
  clock: () => Date;
  ttls: Ttls;
  newId?: () => string;
  people: PeopleDirectory;
  support: SupportChannel;
  recovery: RecoverySettings;
}) {
  const deps: WorkflowDeps = { db: input.db, clock: input.clock, ttls: input.ttls, newId: input.newId ?? randomUUID };
  return {
    delegation: createDelegationWorkflow(deps),
    recovery: createRecoveryWorkflow({ ...deps, people: input.people, support: input.support, recovery: input.recovery }),
  };
}

export type Workflows = ReturnType<typeof createWorkflows>;
