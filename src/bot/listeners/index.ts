import type { App } from '@slack/bolt';
import type { VouchContext } from '../context.js';
import * as enterpriseCommand from './commands/enterprise.js';
import * as setupActions from './actions/setupActions.js';
import * as delegationActions from './actions/delegationActions.js';
import * as setupViews from './views/setupViews.js';
import * as createAccount from './views/createAccount.js';
import * as recoveryActions from './actions/recoveryActions.js';
import * as recoveryViews from './views/recoveryViews.js';
import * as auditActions from './actions/auditActions.js';
import * as adminActions from './actions/adminActions.js';
import * as appHome from './events/appHome.js';
import * as people from './events/people.js';
import * as installation from './events/installation.js';
import { routeByIds } from './router.js';
import { guardShapes } from './shape.js';
import * as homeActions from './actions/homeActions.js';
import * as controlCharacters from './controlCharacters.js';

/** Every listener, grouped by Slack surface; clicks and forms reach theirs through one router. */
export function registerListeners(boltApp: App, ctx: VouchContext): void {
  guardShapes(boltApp, ctx.logger);
  // Then: text with control characters reaches no listener.
  controlCharacters.register(boltApp, ctx);
  const { app, onUnknownAction } = routeByIds(boltApp);
  enterpriseCommand.register(app, ctx);
  setupActions.register(app, ctx);
  delegationActions.register(app, ctx);
  setupViews.register(app, ctx);
  createAccount.register(app, ctx);
  recoveryActions.register(app, ctx);
  recoveryViews.register(app, ctx);
  auditActions.register(app, ctx);
  adminActions.register(app, ctx);
  appHome.register(app, ctx);
  people.register(app, ctx);
  installation.register(app, ctx);
  homeActions.register(app, ctx);

  // A button from an older version of Vouch, or a forged one: answered at once rather than left
  // to time out; nothing happens, and the log says why.
  onUnknownAction(async ({ ack, body }) => {
    await ack();
    ctx.logger.warn(
      { user: body.user.id, action: (body as { actions?: Array<{ action_id?: string }> }).actions?.[0]?.action_id },
      'click on an unknown action ignored',
    );
  });
}
