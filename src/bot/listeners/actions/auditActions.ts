import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
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
    const reader = { userId: body.user.id, isSupport: () => ctx.support.isMember(body.user.id) };
    const read = cursor ? await ctx.workflows.admins.audit({ accountId: cursor.accountId, reader, beforeSeq: cursor.olderThan }) : null;
    if (read?.kind !== 'ok') {
      return tellClicker(client, body, textMessage(mrkdwn`You can no longer read this audit trail.`));
    }
    const { account, page } = read.value;
    await tellClicker(client, body, auditMessage(account, page.events, page.olderThan, 'older'));
  });
}
