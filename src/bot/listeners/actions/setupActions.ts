import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { actionIds } from '../../blocks/setupMessages.js';
import { inviteModal, setupModal } from '../../blocks/modals.js';
import { freshInvitationReply, notAdminReply, refusalMessage } from '../../blocks/replies.js';
import { afterCommit, type VouchContext } from '../../context.js';
import { parseButtonValue, refuseDamagedButton, rowId } from '../payload.js';
import { workspaceOf } from '../actor.js';
import { tellClicker } from '../reply.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/** The setup DM's buttons and Start again: each opens a modal once the click is still valid. */
export function register(app: App, ctx: VouchContext): void {
  app.action<BlockAction<ButtonAction>>(actionIds.setUp, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const id = parseButtonValue(rowId, action.value);
    if (!id) return refuseDamagedButton(client, ctx.logger, body, actionIds.setUp, action.value);
    const use = await ctx.workflows.setup.checkUse({ invitationId: id, actor: body.user.id, workspace: workspaceOf(body) });
    if (use.kind !== 'ok') return tellClicker(client, body, refusalMessage(use.refusal));
    const { account, invitation } = use.value;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: setupModal({ invitationId: invitation.id, accountName: account.name, contractNumber: account.contractNumber }),
    });
  });

  app.action<BlockAction<ButtonAction>>(actionIds.invite, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const id = parseButtonValue(rowId, action.value);
    if (!id) return refuseDamagedButton(client, ctx.logger, body, actionIds.invite, action.value);
    const use = await ctx.workflows.setup.checkUse({ invitationId: id, actor: body.user.id, workspace: workspaceOf(body) });
    if (use.kind !== 'ok') return tellClicker(client, body, refusalMessage(use.refusal));
    await client.views.open({
      trigger_id: body.trigger_id,
      view: inviteModal({
        invitationId: use.value.invitation.id,
        accountName: use.value.account.name,
        confirmTtlMs: ctx.ttls.confirmMs,
      }),
    });
  });

  // Get a new invitation: `/enterprise setup` for one account, decided by the database alone, so
  // it commits before the ack; the answer says what happened, the setup message follows by DM.
  app.action<BlockAction<ButtonAction>>(actionIds.renew, async ({ ack, body, action, client }: ButtonArgs) => {
    const accountId = parseButtonValue(rowId, action.value);
    if (!accountId) {
      await ack();
      return refuseDamagedButton(client, ctx.logger, body, actionIds.renew, action.value);
    }
    const result = await ctx.workflows.setup.freshInvitationFor({ accountId, actor: body.user.id, workspace: workspaceOf(body) });
    await ack();
    await tellClicker(
      client,
      body,
      result.kind === 'ok' ? freshInvitationReply([result.value], ctx.ttls.setupInviteMs, ctx.clock()) : notAdminReply(),
    );
    if (result.kind === 'ok') afterCommit(ctx);
  });

  app.action<BlockAction<ButtonAction>>(actionIds.startAgain, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const id = parseButtonValue(rowId, action.value);
    if (!id) return refuseDamagedButton(client, ctx.logger, body, actionIds.startAgain, action.value);
    const restart = await ctx.workflows.delegation.restart({ delegationId: id, actor: body.user.id, workspace: workspaceOf(body) });
    if (restart.kind !== 'ok') return tellClicker(client, body, refusalMessage(restart.refusal));
    const { invitationId, account, inviteeUserId } = restart.value;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: inviteModal({ invitationId, accountName: account.name, confirmTtlMs: ctx.ttls.confirmMs, initialUser: inviteeUserId }),
    });
  });
}
