import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { recoveryActionIds } from '../../blocks/recoveryMessages.js';
import { answerModal, askModal, recoveryRequestModal, rejectModal } from '../../blocks/recoveryModals.js';
import { recoveryRefusalMessage } from '../../blocks/recoveryReplies.js';
import { afterCommit, type VouchContext } from '../../context.js';
import { parseButtonValue, refuseDamagedButton, rowId } from '../payload.js';
import { workspaceOf } from '../actor.js';
import { tellClicker } from '../reply.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/**
 * Request admin access; Approve, Ask for more information and Reject in the support channel;
 * Reply on support's question in the requester's DM. A button that opens a form is checked
 * before the form opens, so that nobody writes in vain; its submission checks again.
 */
export function register(app: App, ctx: VouchContext): void {
  app.action<BlockAction<ButtonAction>>(recoveryActionIds.request, async ({ ack, body, client }: ButtonArgs) => {
    await ack();
    await client.views.open({ trigger_id: body.trigger_id, view: recoveryRequestModal() });
  });

  app.action<BlockAction<ButtonAction>>(recoveryActionIds.approve, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const requestId = parseButtonValue(rowId, action.value);
    if (!requestId) return refuseDamagedButton(client, ctx.logger, body, recoveryActionIds.approve, action.value);
    const result = await ctx.workflows.recovery.approve({ requestId, actor: body.user.id, workspace: workspaceOf(body) });
    if (result.kind !== 'ok') return tellClicker(client, body, recoveryRefusalMessage(result.refusal));
    afterCommit(ctx);
  });

  app.action<BlockAction<ButtonAction>>(recoveryActionIds.reject, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const requestId = parseButtonValue(rowId, action.value);
    if (!requestId) return refuseDamagedButton(client, ctx.logger, body, recoveryActionIds.reject, action.value);
    const result = await ctx.workflows.recovery.mayReject({ requestId, actor: body.user.id, workspace: workspaceOf(body) });
    if (result.kind !== 'ok') return tellClicker(client, body, recoveryRefusalMessage(result.refusal));
    await client.views.open({ trigger_id: body.trigger_id, view: rejectModal(result.value.id, result.value.reference) });
  });

  app.action<BlockAction<ButtonAction>>(recoveryActionIds.ask, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const requestId = parseButtonValue(rowId, action.value);
    if (!requestId) return refuseDamagedButton(client, ctx.logger, body, recoveryActionIds.ask, action.value);
    const result = await ctx.workflows.recovery.mayAsk({ requestId, actor: body.user.id, workspace: workspaceOf(body) });
    if (result.kind !== 'ok') return tellClicker(client, body, recoveryRefusalMessage(result.refusal));
    await client.views.open({ trigger_id: body.trigger_id, view: askModal(result.value.id, result.value.reference) });
  });

  app.action<BlockAction<ButtonAction>>(recoveryActionIds.answer, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const questionId = parseButtonValue(rowId, action.value);
    if (!questionId) return refuseDamagedButton(client, ctx.logger, body, recoveryActionIds.answer, action.value);
    const result = await ctx.workflows.recovery.mayAnswer({ questionId, actor: body.user.id, workspace: workspaceOf(body) });
    if (result.kind !== 'ok') return tellClicker(client, body, recoveryRefusalMessage(result.refusal));
    const { question, request } = result.value;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: answerModal({
        questionId: question.id,
        reference: request.reference,
        askedBy: question.askedBy,
        question: question.question,
        supportSide: request.crossWorkspace?.support ?? null,
      }),
    });
  });
}
