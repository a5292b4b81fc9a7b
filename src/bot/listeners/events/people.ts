import type { App } from '@slack/bolt';
import type { VouchContext } from '../../context.js';
import { changedUserWorkspace } from '../actor.js';
import { slackUserId } from '../payload.js';

/**
 * `user_change`: Slack tells of every change to a person's account, a profile edit as well as a
 * deactivation. Vouch keeps only whether the account is deactivated (`deleted`): a deactivated
 * admin is not an active admin. Distributed, the person is the user of the workspace Slack names
 * (the user's team, else the event's): the same user id in another workspace is someone else.
 */
export function register(app: App, ctx: VouchContext): void {
  app.event('user_change', async ({ event, body }) => {
    const user = slackUserId.safeParse(event.user?.id);
    if (!user.success) return ctx.logger.warn({ user: String(event.user?.id).slice(0, 80) }, 'user_change with a malformed user ignored');
    const workspace = changedUserWorkspace(event.user, body as { team_id?: string; enterprise_id?: string });
    await ctx.workflows.people.changed({ userId: user.data, deactivated: event.user.deleted === true, workspace });
  });
}
