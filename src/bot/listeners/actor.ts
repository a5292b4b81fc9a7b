import type { Workspace } from '../../domain/workspace.js';

/** What an interaction payload (block_actions, view_submission) says about where its user is. */
interface InteractionBody {
  user: { id: string; team_id?: string };
  team?: { id?: string; enterprise_id?: string } | null;
  enterprise?: { id?: string } | null;
}

/**
 * The workspace of the person who clicked or submitted, from the payload's user: `user.team_id`
 * (and the organization), never Bolt's `context.teamId`, which for a modal is the workspace the
 * app was installed in (`view.app_installed_team_id`), not necessarily the person's.
 */
export function workspaceOf(body: InteractionBody): Workspace {
  return {
    teamId: body.user.team_id ?? body.team?.id ?? null,
    enterpriseId: body.enterprise?.id ?? body.team?.enterprise_id ?? null,
  };
}

/** The workspace a slash command was typed in (and its organization). */
export function commandWorkspace(command: { team_id?: string; enterprise_id?: string }): Workspace {
  return { teamId: command.team_id ?? null, enterpriseId: command.enterprise_id || null };
}
