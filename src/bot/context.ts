import type { Logger } from 'pino';
import type { WebClient } from '@slack/web-api';
import type { Database } from '../db/client.js';
import type { Ttls, Workflows } from '../workflows/index.js';
import type { OutboxWorker } from './delivery.js';
import type { SupportDirectory } from './supportDirectory.js';
import type { Metrics } from './metrics.js';
import type { LetterLimits } from './letters.js';
import type { WorkspaceTokens } from './installations/tokens.js';
import type { Workspace } from '../domain/workspace.js';

/** What every listener needs; built once in `createVouch` and passed to each `register`. */
export interface VouchContext {
  db: Database;
  /** Every workflow, built once with the database, the clock and the settings. */
  workflows: Workflows;
  clock: () => Date;
  ttls: Ttls;
  logger: Logger;
  outbox: OutboxWorker;
  support: SupportDirectory;
  client: WebClient;
  /**
   * Distributed (Slack OAuth): every workspace's install and current token (`tokenFor`,
   * `clientFor`); undefined when Vouch serves one workspace with SLACK_BOT_TOKEN.
   */
  workspaces: WorkspaceTokens | undefined;
  metrics: Metrics;
  /**
   * The workspace of the one workspace Vouch serves (SLACK_BOT_TOKEN), as auth.test named it;
   * undefined when unknown, and when distributed (each account names its own).
   */
  homeWorkspace: () => Workspace | undefined;
  /** How long delivered outbox rows are kept (and the messages their replies may thread under). */
  retention: { outboxMs: number };
  /** The recovery letter's download: size limit, deadline, and where the bot token may go. */
  letters: LetterLimits;
}

/**
 * Call after a transaction that queued Slack writes has committed: starts a drain without waiting
 * for it, so that a request is done (and its memory free) while the outbox works at Slack's pace.
 */
export function afterCommit(ctx: VouchContext): void {
  void ctx.outbox.kick();
}
