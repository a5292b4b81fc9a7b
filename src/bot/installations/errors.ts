/** Why a workspace's token cannot be had. */
export type WorkspaceUnavailableReason = 'not_installed' | 'uninstalled' | 'refresh_failed';

const slackLikeErrors: Record<WorkspaceUnavailableReason, string> = {
  not_installed: 'workspace_not_installed',
  uninstalled: 'workspace_uninstalled',
  refresh_failed: 'workspace_token_refresh_failed',
};

/**
 * No Slack call can be made for this workspace: Vouch was never installed there, the install
 * ended (uninstalled, tokens revoked), or its expired token could not be refreshed. Shaped like the
 * Web API's platform errors (`data.error`), so code that reads Slack's error code reads this one:
 * `workspace_not_installed`, `workspace_uninstalled` or `workspace_token_refresh_failed` (the one
 * that may pass: Slack did not answer the refresh).
 */
export class WorkspaceUnavailableError extends Error {
  readonly code = 'vouch_workspace_unavailable';
  readonly data: { ok: false; error: string };

  constructor(
    readonly reason: WorkspaceUnavailableReason,
    readonly workspace: string,
    detail?: string,
  ) {
    super(
      {
        not_installed: `Vouch is not installed in ${workspace}`,
        uninstalled: `Vouch was uninstalled from ${workspace} (or its tokens were revoked)`,
        refresh_failed: `The token of ${workspace} expired and could not be refreshed${detail ? ` (${detail})` : ''}`,
      }[reason],
    );
    this.data = { ok: false, error: slackLikeErrors[reason] };
  }
}

export function isWorkspaceUnavailable(error: unknown): error is WorkspaceUnavailableError {
  return error instanceof WorkspaceUnavailableError;
}

/** The workspace each failed Web API call of a workspace's client went to (see `workspaceOfFailedCall`). */
const failedCalls = new WeakMap<object, string>();

/** Notes which workspace (team id, or organization for an org-wide install) a call that threw went to. */
export function noteFailedCall(error: unknown, workspace: string): void {
  if (typeof error === 'object' && error !== null) failedCalls.set(error, workspace);
}

/**
 * The workspace a failed call went to, when a workspace's client made it (distributed): what a
 * 429 pauses, whichever workspace queued the write (a support-channel post goes to the provider's).
 */
export function workspaceOfFailedCall(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? failedCalls.get(error) : undefined;
}
