import type { App } from '@slack/bolt';
import { recordHomeViewer } from '../../../db/home.js';
import { publishHome } from '../../delivery.js';
import type { VouchContext } from '../../context.js';
import { slackUserId } from '../payload.js';

/** The Home tab is drawn fresh each time it is opened, and kept fresh afterwards. */
export function register(app: App, ctx: VouchContext): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    const user = slackUserId.safeParse(event.user);
    if (!user.success) return ctx.logger.warn({ user: String(event.user).slice(0, 80) }, 'app_home_opened with a malformed user ignored');
    await recordHomeViewer(ctx.db, user.data, ctx.clock());
    await publishHome(user.data, ctx.outbox.deliveryDeps);
  });
}
