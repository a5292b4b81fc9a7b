import type { App } from '@slack/bolt';
import { recordHomeViewer } from '../../../db/home.js';
import { publishHome } from '../../delivery.js';
import type { VouchContext } from '../../context.js';
import { slackUserId } from '../payload.js';

/** The Home tab is drawn fresh each time it is opened, and kept fresh afterwards. */
export function register(app: App, ctx: VouchContext): void {
  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const user = slackUserId.safeParse(event.user);
    if (!user.success) return ctx.logger.warn({ user: String(event.user).slice(0, 80) }, 'app_home_opened with a malformed user ignored');
    // Distributed, the person is a (workspace, user) pair: their Home shows their workspace's records alone.
    const teamId = ctx.workspaces ? ((body as { team_id?: string }).team_id ?? null) : null;
    if (ctx.workspaces && !teamId) return ctx.logger.warn({ user: user.data }, 'app_home_opened without a workspace ignored');
    await recordHomeViewer(ctx.db, user.data, ctx.clock(), teamId);
    await publishHome(user.data, ctx.outbox.deliveryDeps, {}, teamId);
  });
}
