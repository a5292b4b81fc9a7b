import type { Database } from '../db/client.js';
import type { WorkspaceMode } from '../domain/workspace.js';

export interface Ttls {
  setupInviteMs: number;
  confirmMs: number;
}

/** What every workflow is built with, once: callers then pass only what the person did. */
export interface WorkflowDeps {
  db: Database;
  /** The time every rule is decided at; tests and the sandbox move it. */
  clock: () => Date;
  ttls: Ttls;
  /** Ids of records a decision creates, so that decisions stay pure. */
  newId: () => string;
  /** One workspace, or many (distributed): how strictly a person's workspace is matched (`sameWorkspace`). */
  workspaces?: WorkspaceMode;
}
