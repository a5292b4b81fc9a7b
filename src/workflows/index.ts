import { randomUUID } from 'node:crypto';
import type { Database } from '../db/client.js';
import { createDelegationWorkflow } from './delegation.js';
import type { Ttls, WorkflowDeps } from './deps.js';

export type { Ttls, WorkflowDeps } from './deps.js';

/** Every workflow, built once with the database, the clock and the settings. */
export function createWorkflows(input: { db: Database; clock: () => Date; ttls: Ttls; newId?: () => string }) {
  const deps: WorkflowDeps = { ...input, newId: input.newId ?? randomUUID };
  return {
    delegation: createDelegationWorkflow(deps),
  };
}

export type Workflows = ReturnType<typeof createWorkflows>;
