import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { findAccount, isAdmin } from '../../../db/accounts.js';
import { auditPage } from '../../../db/adminWorkflow.js';
import { mayReadAccount } from '../../../domain/admins.js';
import { auditActionIds, auditMessage, type AuditCursor } from '../../blocks/adminReplies.js';
import { mrkdwn, textMessage } from '../../blocks/format.js';
import type { VouchContext } from '../../context.js';
import { tellClicker } from '../reply.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

function parseCursor(value: string | undefined): AuditCursor | null {
  try {
    const cursor = JSON.parse(value ?? '') as AuditCursor;
    return typeof cursor.accountId === 'string' && Number.isInteger(cursor.olderThan) ? cursor : null;
  } catch {
    return null;
  }
}

/** "Older events" under an audit page: the button carries only where to continue, never rights. */
export function register(app: App, ctx: VouchContext): void {
  app.action<BlockAction<ButtonAction>>(auditActionIds.older, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const cursor = parseCursor(action.value);
    const account = cursor ? await findAccount(ctx.db, cursor.accountId) : undefined;
    const admin = account ? await isAdmin(ctx.db, account.id, body.user.id) : false;
    const allowed = account && mayReadAccount({ isAdmin: admin, isSupport: !admin && (await ctx.support.isMember(body.user.id)) });
    if (!cursor || !account || !allowed) {
      return tellClicker(client, body, textMessage(mrkdwn`You can no longer read this audit trail.`));
    }
    const page = await auditPage(ctx.db, account.id, cursor.olderThan);
    await tellClicker(client, body, auditMessage(account, page.events, page.olderThan, 'older'));
  });
}
