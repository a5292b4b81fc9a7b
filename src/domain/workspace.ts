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
 * The key of the workspace whose user ids a person's id is unique in, as Vouch keeps what it knows
 * of people (`slack_people`): distributed, the Enterprise Grid organization where there is one
 * (its user ids are the organization's), else the team; '' with one workspace, where a user id
 * alone names a person. An account's people are keyed the same way by the account's workspace.
 */
export function workspaceKey(mode: WorkspaceMode, workspace: Workspace | undefined): string {
  if (mode === 'one' || !workspace) return '';
  return workspace.enterpriseId ?? workspace.teamId ?? '';
}

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

/**
 * The people of one workspace as a reader in another workspace sees them: in words (their Slack
 * name and their workspace's name), since a mention of someone of another workspace does not
 * resolve there. Names are as each person's own workspace said when Vouch looked them up; null
 * when it did not say (then the user id is shown, with the workspace's name).
 */
export interface WorkspaceInWords {
  teamId: string;
  /** The workspace's name as its install says (null: unknown; its id is shown). */
  teamName: string | null;
  /** Slack names by user id. */
  names: Record<string, string | null>;
}

/**
 * Distributed, a recovery request filed from a customer's workspace into the provider's: the
 * requester's side as support reads it, and support's side as the requester's workspace reads it.
 * Absent when both are one workspace (or with one workspace): mentions then.
 */
export interface CrossWorkspace {
  requester: WorkspaceInWords;
  support: WorkspaceInWords;
}

/**
 * Distributed, the admins' list as a reader of `readerTeamId` sees it: `grantedBySupport`, by
 * the admin they added through a recovery request, the provider's support side (named in words
 * unless the reader is of it); `account`, the account's people in words when support reads.
 */
export interface AdminsInWords {
  readerTeamId: string | null;
  grantedBySupport: Record<string, WorkspaceInWords>;
  account?: WorkspaceInWords;
}

/** Slack names are shown on one line, and not at any length. */
export const tidyName = (name: string | null | undefined): string | null => {
  const tidy = (name ?? '').replace(/\s+/g, ' ').trim().slice(0, 80);
  return tidy === '' ? null : tidy;
};

/** `side` with the names of `found` added (a name already known is kept when the new look-up did not say). */
export function withNames(side: WorkspaceInWords, found: Record<string, string | null | undefined>): WorkspaceInWords {
  const names = { ...side.names };
  for (const [userId, name] of Object.entries(found)) {
    const tidy = tidyName(name);
    if (tidy !== null || !(userId in names)) names[userId] = tidy ?? names[userId] ?? null;
  }
  return { ...side, names };
}
