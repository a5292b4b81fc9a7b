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
import * as appHome from './events/appHome.js';

/** Every listener, grouped by Slack surface. */
export function registerListeners(app: App, ctx: VouchContext): void {
  enterpriseCommand.register(app, ctx);
  setupActions.register(app, ctx);
  delegationActions.register(app, ctx);
  setupViews.register(app, ctx);
  createAccount.register(app, ctx);
  recoveryActions.register(app, ctx);
  recoveryViews.register(app, ctx);
  auditActions.register(app, ctx);
  appHome.register(app, ctx);
}
