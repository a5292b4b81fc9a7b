import type { App } from '@slack/bolt';
import type { VouchContext } from '../../context.js';

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
