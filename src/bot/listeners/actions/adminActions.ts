import { z } from 'zod';
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { adminActionIds, removeAdminRefusalText, removedAdminMessage, type RemoveAdminTarget } from '../../blocks/adminReplies.js';
import { textMessage } from '../../blocks/format.js';
import { afterCommit, type VouchContext } from '../../context.js';
import { workspaceOf } from '../actor.js';
import { parseJsonButtonValue, refuseDamagedButton, rowId, slackUserId } from '../payload.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

const removeTarget = z.object({ accountId: rowId, userId: slackUserId }) satisfies z.ZodType<RemoveAdminTarget>;

/**
 * Remove as admin / Remove me, under `/enterprise remove-admin`'s answer, once its Slack dialog
 * was confirmed. The button says whom; whether the clicker may is read from the database now.
 */
export function register(app: App, ctx: VouchContext): void {
  app.action<BlockAction<ButtonAction>>(adminActionIds.remove, async ({ ack, body, action, client, respond }: ButtonArgs) => {
    const target = parseJsonButtonValue(removeTarget, action.value);
    if (!target) {
      await ack();
      return refuseDamagedButton(client, ctx.logger, body, adminActionIds.remove, action.value);
    }
    const actor = body.user.id;
    // Decided by the database alone: it commits before the ack, like Approve.
    const result = await ctx.workflows.admins.remove({ ...target, actor, workspace: workspaceOf(body) });
    await ack();
    // The answer replaces the question, so its button cannot be clicked twice.
    const reply =
      result.kind === 'ok'
        ? removedAdminMessage(result.value.account, target.userId, actor)
        : textMessage(removeAdminRefusalText(result.refusal, result.refusal.account, target.userId, actor));
    await respond({ replace_original: true, response_type: 'ephemeral', text: reply.text, blocks: reply.blocks });
    if (result.kind === 'ok') afterCommit(ctx);
  });
}
