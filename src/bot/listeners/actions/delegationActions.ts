import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { DelegationAction } from '../../../domain/delegation.js';
import { actionIds } from '../../blocks/setupMessages.js';
import { refusalMessage } from '../../blocks/replies.js';
import { afterCommit, type VouchContext } from '../../context.js';
import { parseButtonValue, refuseDamagedButton, rowId } from '../payload.js';
import { workspaceOf } from '../actor.js';
import { tellClicker } from '../reply.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

const buttons: Record<DelegationAction, string> = {
  approve: actionIds.approve,
  cancel: actionIds.cancel,
  accept: actionIds.accept,
  decline: actionIds.decline,
};

/** Approve / Cancel on the confirmation DM, Accept / Decline on the invitee's DM. */
export function register(app: App, ctx: VouchContext): void {
  for (const [action, actionId] of Object.entries(buttons) as Array<[DelegationAction, string]>) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action: button, client }: ButtonArgs) => {
      const delegationId = parseButtonValue(rowId, button.value);
      if (!delegationId) {
        await ack();
        return refuseDamagedButton(client, ctx.logger, body, actionId, button.value);
      }
      // The decision commits before Slack hears back: the ack means it happened, a failure shows
      // the person Slack's error, and clicks arriving faster than they commit wait at the door
      // instead of piling up in memory. Only Slack writes happen after the ack.
      const result = await ctx.workflows.delegation.act({ delegationId, action, actor: body.user.id, workspace: workspaceOf(body) });
      await ack();
      if (result.kind === 'refused') {
        const offerRestart = action === 'approve' || action === 'cancel';
        return tellClicker(client, body, refusalMessage(result.refusal, offerRestart ? delegationId : undefined));
      }
      afterCommit(ctx);
    });
  }
}
