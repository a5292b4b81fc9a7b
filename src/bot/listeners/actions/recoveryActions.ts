import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { recoveryActionIds } from '../../blocks/recoveryMessages.js';
import { recoveryRequestModal, rejectModal } from '../../blocks/recoveryModals.js';
import { recoveryRefusalMessage } from '../../blocks/recoveryReplies.js';
import { afterCommit, type VouchContext } from '../../context.js';
import { parseButtonValue, refuseDamagedButton, rowId } from '../payload.js';
import { tellClicker } from '../reply.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** Request admin access; Approve and Reject in the support channel. */
export function register(app: App, ctx: VouchContext): void {
  app.action<BlockAction<ButtonAction>>(recoveryActionIds.request, async ({ ack, body, client }: ButtonArgs) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: recoveryRequestModal() });
  });

  app.action<BlockAction<ButtonAction>>(recoveryActionIds.approve, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const requestId = parseButtonValue(rowId, action.value);
    if (!requestId) return refuseDamagedButton(client, ctx.logger, body, recoveryActionIds.approve, action.value);
    const result = await ctx.workflows.recovery.approve({ requestId, actor: body.user.id });
    if (result.kind !== 'ok') return tellClicker(client, body, recoveryRefusalMessage(result.refusal));
    afterCommit(ctx);
  });

  app.action<BlockAction<ButtonAction>>(recoveryActionIds.reject, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const requestId = parseButtonValue(rowId, action.value);
    if (!requestId) return refuseDamagedButton(client, ctx.logger, body, recoveryActionIds.reject, action.value);
    // Checked before the reason form opens so that nobody writes a reason in vain; the submit checks again.
    const result = await ctx.workflows.recovery.mayReject({ requestId, actor: body.user.id });
    if (result.kind !== 'ok') return tellClicker(client, body, recoveryRefusalMessage(result.refusal));
    await client.views.open({ trigger_id: body.trigger_id, view: rejectModal(result.value.id, result.value.reference) });
  });
}
