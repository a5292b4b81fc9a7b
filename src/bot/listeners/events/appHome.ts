import type { App } from '@slack/bolt';
import { recordHomeViewer } from '../../../db/home.js';
import { publishHome } from '../../delivery.js';
import type { VouchContext } from '../../context.js';

/** The Home tab is drawn fresh each time it is opened, and kept fresh afterwards. */
export function register(app: App, ctx: VouchContext): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await recordHomeViewer(ctx.db, event.user, ctx.clock());
    await publishHome(event.user, ctx.outbox.deliveryDeps);
  });
}
