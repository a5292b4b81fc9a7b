import { z } from 'zod';
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import {
  adminActionIds,
  adminsMessage,
  auditActionIds,
  auditMessage,
  type AdminsCursor,
  type AuditCursor,
} from '../../blocks/adminReplies.js';
import { mrkdwn, textMessage } from '../../blocks/format.js';
import type { VouchContext } from '../../context.js';
import { parseJsonButtonValue, refuseDamagedButton, rowId, slackUserId } from '../payload.js';
import { workspaceOf } from '../actor.js';
import { tellClicker } from '../reply.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

const auditCursor = z.object({ accountId: rowId, olderThan: z.int() }) satisfies z.ZodType<AuditCursor>;
const adminsCursor = z.object({
  accountId: rowId,
  after: z.object({ at: z.int(), user: slackUserId }),
}) satisfies z.ZodType<AdminsCursor>;

/** "Older events" under an audit page and "More admins" under a page of admins: the button carries only where to continue, never rights. */
export function register(app: App, ctx: VouchContext): void {
  app.action<BlockAction<ButtonAction>>(auditActionIds.older, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const cursor = parseJsonButtonValue(auditCursor, action.value);
    if (!cursor) return refuseDamagedButton(client, ctx.logger, body, auditActionIds.older, action.value);
    const workspace = workspaceOf(body);
    const reader = { userId: body.user.id, workspace, isSupport: () => ctx.support.isMember(body.user.id, workspace) };
    const read = await ctx.workflows.admins.audit({ accountId: cursor.accountId, reader, beforeSeq: cursor.olderThan });
    if (read.kind !== 'ok') {
      return tellClicker(client, body, textMessage(mrkdwn`You can no longer read this audit trail.`));
    }
    const { account, page, subjects } = read.value;
    await tellClicker(client, body, auditMessage(account, page.events, subjects, page.olderThan, 'older'));
  });

  app.action<BlockAction<ButtonAction>>(adminActionIds.more, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const cursor = parseJsonButtonValue(adminsCursor, action.value);
    if (!cursor) return refuseDamagedButton(client, ctx.logger, body, adminActionIds.more, action.value);
    const workspace = workspaceOf(body);
    const reader = { userId: body.user.id, workspace, isSupport: () => ctx.support.isMember(body.user.id, workspace) };
    const listed = await ctx.workflows.admins.list({ accountId: cursor.accountId, reader });
    if (listed.kind !== 'ok') {
      return tellClicker(client, body, textMessage(mrkdwn`You can no longer read this account’s admins.`));
    }
    await tellClicker(client, body, adminsMessage(listed.value.account, listed.value.admins, cursor.after, listed.value.words));
  });
}
