import { z } from 'zod';
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { findAccount, isAdmin } from '../../../db/accounts.js';
import { auditPage } from '../../../db/adminWorkflow.js';
import { mayReadAccount } from '../../../domain/admins.js';
import { auditActionIds, auditMessage, type AuditCursor } from '../../blocks/adminReplies.js';
import { mrkdwn, textMessage } from '../../blocks/format.js';
import type { VouchContext } from '../../context.js';
import { parseJsonButtonValue, refuseDamagedButton, rowId } from '../payload.js';
import { tellClicker } from '../reply.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

const auditCursor = z.object({ accountId: rowId, olderThan: z.int() }) satisfies z.ZodType<AuditCursor>;

/** "Older events" under an audit page: the button carries only where to continue, never rights. */
export function register(app: App, ctx: VouchContext): void {
  app.action<BlockAction<ButtonAction>>(auditActionIds.older, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const cursor = parseJsonButtonValue(auditCursor, action.value);
    if (!cursor) return refuseDamagedButton(client, ctx.logger, body, auditActionIds.older, action.value);
    const account = await findAccount(ctx.db, cursor.accountId);
    const admin = account ? await isAdmin(ctx.db, account.id, body.user.id) : false;
    const allowed = account && mayReadAccount({ isAdmin: admin, isSupport: !admin && (await ctx.support.isMember(body.user.id)) });
    if (!account || !allowed) {
      return tellClicker(client, body, textMessage(mrkdwn`You can no longer read this audit trail.`));
    }
    const page = await auditPage(ctx.db, account.id, cursor.olderThan);
    await tellClicker(client, body, auditMessage(account, page.events, page.olderThan, 'older'));
  });
}
