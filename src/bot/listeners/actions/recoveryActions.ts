import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { approveRecovery, findRecoveryRequest } from '../../../db/recoveryWorkflow.js';
import { checkRecoveryDecision } from '../../../domain/recovery.js';
import { recoveryActionIds } from '../../blocks/recoveryMessages.js';
import { recoveryRequestModal, rejectModal } from '../../blocks/recoveryModals.js';
import { recoveryRefusalMessage } from '../../blocks/recoveryReplies.js';
import { afterCommit, type VouchContext } from '../../context.js';
import { emailOf, userByEmail } from '../../letters.js';
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
    const request = await findRecoveryRequest(ctx.db, action.value ?? '');
    if (!request) return tellClicker(client, body, recoveryRefusalMessage({ reason: 'not_found' }));
    const actor = body.user.id;
    const [actorIsSupport, actorEmail, newAdmin, officer] = await Promise.all([
      ctx.support.isMember(actor),
      emailOf(client, actor),
      userByEmail(client, request.emailToAdd),
      userByEmail(client, request.officerEmail),
    ]);
    const result = await approveRecovery(
      ctx.db,
      {
        requestId: request.id,
        actor,
        actorIsSupport,
        actorEmail,
        supportChannelId: ctx.support.channelId,
        newAdmin,
        officerUserId: 'userId' in officer ? officer.userId : null,
      },
      ctx.clock(),
    );
    if (!result.ok) return tellClicker(client, body, recoveryRefusalMessage(result.refusal));
    afterCommit(ctx);
  });

  app.action<BlockAction<ButtonAction>>(recoveryActionIds.reject, async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const request = await findRecoveryRequest(ctx.db, action.value ?? '');
    if (!request) return tellClicker(client, body, recoveryRefusalMessage({ reason: 'not_found' }));
    // Checked here too so that nobody fills in a reason only to be refused; the submit checks again.
    const refusal = checkRecoveryDecision({
      ...request,
      actorUserId: body.user.id,
      actorIsSupport: await ctx.support.isMember(body.user.id),
      actorEmail: await emailOf(client, body.user.id),
      approverUserIds: [],
      action: 'reject',
    });
    if (refusal) return tellClicker(client, body, recoveryRefusalMessage(refusal));
    await client.views.open({ trigger_id: body.trigger_id, view: rejectModal(request.id, request.reference) });
  });
}
