import type { App } from '@slack/bolt';
import type { VouchContext } from '../context.js';
import { actionIds } from '../blocks/setupMessages.js';
import { recoveryActionIds } from '../blocks/recoveryMessages.js';
import { auditActionIds } from '../blocks/adminReplies.js';
import * as enterpriseCommand from './commands/enterprise.js';
import * as setupActions from './actions/setupActions.js';
import * as delegationActions from './actions/delegationActions.js';
import * as setupViews from './views/setupViews.js';
import * as createAccount from './views/createAccount.js';
import * as recoveryActions from './actions/recoveryActions.js';
import * as recoveryViews from './views/recoveryViews.js';
import * as auditActions from './actions/auditActions.js';
import * as appHome from './events/appHome.js';
import * as installation from './events/installation.js';
import { guardShapes } from './shape.js';

const knownActionIds = [...Object.values(actionIds), ...Object.values(recoveryActionIds), ...Object.values(auditActionIds)];
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Any action id but ours: a button from an older version of Vouch, or a forged one. */
const unknownAction = new RegExp(`^(?!(?:${knownActionIds.map(escapeRegExp).join('|')})$)`);

/** Every listener, grouped by Slack surface. */
export function registerListeners(app: App, ctx: VouchContext): void {
  guardShapes(app, ctx.logger);
  enterpriseCommand.register(app, ctx);
  setupActions.register(app, ctx);
  delegationActions.register(app, ctx);
  setupViews.register(app, ctx);
  createAccount.register(app, ctx);
  recoveryActions.register(app, ctx);
  recoveryViews.register(app, ctx);
  auditActions.register(app, ctx);
  appHome.register(app, ctx);
  installation.register(app, ctx);

  // Answered at once rather than left to time out: nothing happens, and the log says why.
  app.action(unknownAction, async ({ ack, body }) => {
    await ack();
    ctx.logger.warn(
      { user: body.user.id, action: (body as { actions?: Array<{ action_id?: string }> }).actions?.[0]?.action_id },
      'click on an unknown action ignored',
    );
  });
}
