import type { App } from '@slack/bolt';
import { inArray } from 'drizzle-orm';
import { afterCommit, type VouchContext } from '../../context.js';
import { redrawWorkspaceRequests } from '../../../db/recoveryRequests.js';
import { markWorkspaceRowsDead } from '../../../db/outbox.js';
import { accounts } from '../../../db/schema.js';
import { WORKSPACE_UNINSTALLED } from '../../delivery.js';

/** The workspaces an install served: its team, or for an org-wide install every workspace of the organization Vouch has accounts in. */
async function workspaceTeams(
  ctx: VouchContext,
  ref: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined },
): Promise<string[]> {
  if (!ref.isEnterpriseInstall || !ref.enterpriseId) return ref.teamId ? [ref.teamId] : [];
  const rows = await ctx.db
    .selectDistinct({ teamId: accounts.teamId })
    .from(accounts)
    .where(inArray(accounts.enterpriseId, [ref.enterpriseId]));
  return rows.flatMap((r) => (r.teamId ? [r.teamId] : []));
}

/**
 * The end of an install. Slack sends `app_uninstalled` when someone removes Vouch from a workspace
 * (or an organization), and `tokens_revoked` when the bot's tokens are revoked; Bolt hands both
 * over without authorizing them (there is no token left to authorize with). Distributed, the
 * install is marked revoked and its tokens erased: no Slack call is made for it until it is
 * installed again. With one workspace, SLACK_BOT_TOKEN has stopped working: that is logged.
 */
export function register(app: App, ctx: VouchContext): void {
  const end = async (
    reason: 'app_uninstalled' | 'tokens_revoked',
    context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean },
  ) => {
    const ref = { teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall };
    if (!ctx.workspaces) {
      ctx.logger.error({ team: ref.teamId, reason }, 'Slack says Vouch was removed from its workspace: SLACK_BOT_TOKEN no longer works');
      return;
    }
    const ended = await ctx.workspaces.revoke(ref, reason);
    if (!ended) ctx.logger.info({ team: ref.teamId, enterprise: ref.enterpriseId, reason }, 'no live install to end');
    // What still waited to be sent there cannot be: dead, for `npm run outbox:retry` after a reinstall.
    const teams = await workspaceTeams(ctx, ref);
    const dead = await markWorkspaceRowsDead(ctx.db, teams, ctx.support.channelId, WORKSPACE_UNINSTALLED);
    if (dead > 0) ctx.logger.warn({ teams, dead }, 'Slack writes for an uninstalled workspace marked dead (workspace_uninstalled)');
    // Support sees "workspace disconnected" on that workspace's requests still in play.
    if ((await redrawWorkspaceRequests(ctx.db, teams, ctx.clock())) > 0) afterCommit(ctx);
  };

  app.event('app_uninstalled', async ({ context }) => {
    await end('app_uninstalled', context);
  });

  app.event('tokens_revoked', async ({ event, context }) => {
    // Only the bot's tokens matter: Vouch keeps no user token.
    if ((event.tokens?.bot ?? []).length === 0) return;
    await end('tokens_revoked', context);
  });
}
