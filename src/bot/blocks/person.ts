import type { WorkspaceInWords } from '../../domain/workspace.js';
import { mention, type Mrkdwn, mrkdwn } from './format.js';

/**
 * A person as the reader sees them: a mention, in the reader's own workspace; in words when
 * `elsewhere` says they are of another workspace, where a mention of them would not resolve:
 * their Slack name and their workspace's name, or their user id when their workspace did not say
 * their name. Both names are what people typed into Slack, so they are escaped like any text.
 */
export function person(userId: string, elsewhere?: WorkspaceInWords | null): Mrkdwn {
  if (!elsewhere || !userId) return mention(userId);
  const name = elsewhere.names[userId];
  const workspace = elsewhere.teamName ?? elsewhere.teamId;
  return name ? mrkdwn`${name} (Slack workspace: ${workspace})` : mrkdwn`Slack user ${userId} (Slack workspace: ${workspace})`;
}

/** A workspace in words, for a reader in another one. */
export const workspaceWords = (w: WorkspaceInWords): Mrkdwn => mrkdwn`the ${w.teamName ?? w.teamId} Slack workspace`;
