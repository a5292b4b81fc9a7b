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

/**
 * The workspace of the person a `user_change` event is about: Slack's user object names its team
 * (and, on Enterprise Grid, its organization); the event's envelope names the workspace it came from.
 */
export function changedUserWorkspace(
  user: { team_id?: string; enterprise_user?: { enterprise_id?: string } },
  envelope: { team_id?: string; enterprise_id?: string },
): Workspace {
  return {
    teamId: user.team_id || envelope.team_id || null,
    enterpriseId: user.enterprise_user?.enterprise_id || envelope.enterprise_id || null,
  };
}
