/**
 * Where a person is. With one workspace (SLACK_BOT_TOKEN) everyone is in it; distributed (Slack
 * OAuth), a person is a (workspace, user) pair: the same user id in two workspaces is two people.
 * On Enterprise Grid a user id is the organization's, so there the organization decides.
 */
export interface Workspace {
  teamId: string | null;
  enterpriseId: string | null;
}

/** One workspace (SLACK_BOT_TOKEN), or many (distributed). */
export type WorkspaceMode = 'one' | 'many';

export const noWorkspace: Workspace = { teamId: null, enterpriseId: null };

/**
 * Whether someone acting from `actor`'s workspace is in the workspace of a record that belongs
 * to `owner` (an account, a recovery request's requester). Distributed, both must be known and
 * the same (the organization when both have one, else the team): a user of workspace B never
 * acts on workspace A's records, whatever user id they share. With one workspace there is only
 * one, so an unknown side matches.
 */
export function sameWorkspace(mode: WorkspaceMode, owner: Workspace, actor: Workspace | undefined): boolean {
  if (mode === 'one' && (!actor || owner.teamId === null || actor.teamId === null)) return true;
  if (!actor) return false;
  if (owner.enterpriseId && actor.enterpriseId) return owner.enterpriseId === actor.enterpriseId;
  return owner.teamId !== null && owner.teamId === actor.teamId;
}
