import { z } from 'zod';
import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { callbackIds, fieldIds, fieldLimits, type InvitationMetadata } from '../../blocks/modals.js';
import { refusalText } from '../../blocks/replies.js';
import { noticeModal } from '../../blocks/noticeModal.js';
import { mention, mrkdwn } from '../../blocks/format.js';
import { afterCommit, type VouchContext } from '../../context.js';
import { personProblemText, resolvePerson } from '../../people.js';
import { damagedFormText, parseMetadata, rowId, warnDamaged } from '../payload.js';
import { workspaceOf } from '../actor.js';
import { textValue, userValue } from './values.js';

type SubmitArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

const invitationMetadata = z.object({ invitationId: rowId }) satisfies z.ZodType<InvitationMetadata>;

const inviteeProblems = {
  self: 'That is you. Choose someone else, or use “Set up the account” to do it yourself.',
  ...personProblemText,
} as const;

export function register(app: App, ctx: VouchContext): void {
  app.view<ViewSubmitAction>(callbackIds.setUp, async ({ ack, body, view }: SubmitArgs) => {
    const meta = parseMetadata(invitationMetadata, view);
    if (!meta) {
      warnDamaged(ctx.logger, { user: body.user.id, id: view.callback_id, kind: 'form' }, view.private_metadata);
      return ack({
        response_action: 'update',
        view: noticeModal('Set up the account', mrkdwn`${damagedFormText} Open it again from your setup message.`),
      });
    }
    const name = textValue(view, fieldIds.accountName);
    if (!name || name.length > fieldLimits.accountName) {
      return ack({
        response_action: 'errors',
        errors: { [fieldIds.accountName]: `Enter a name of 1 to ${fieldLimits.accountName} characters.` },
      });
    }
    const result = await ctx.workflows.setup.complete({
      invitationId: meta.invitationId,
      actor: body.user.id,
      workspace: workspaceOf(body),
      accountName: name,
    });
    switch (result.kind) {
      case 'invalid':
        return ack({ response_action: 'errors', errors: { [fieldIds.accountName]: 'Another Enterprise Account already has this name.' } });
      case 'refused':
        return ack({ response_action: 'update', view: noticeModal('Set up the account', refusalText(result.refusal)) });
    }
    await ack({
      response_action: 'update',
      view: noticeModal('Account set up', mrkdwn`:white_check_mark: *${result.value.name}* is set up and active.`),
    });
    afterCommit(ctx);
  });

  app.view<ViewSubmitAction>(callbackIds.invite, async ({ ack, body, view, client }: SubmitArgs) => {
    const meta = parseMetadata(invitationMetadata, view);
    if (!meta) {
      warnDamaged(ctx.logger, { user: body.user.id, id: view.callback_id, kind: 'form' }, view.private_metadata);
      return ack({
        response_action: 'update',
        view: noticeModal('Invite someone else', mrkdwn`${damagedFormText} Open it again from your setup message.`),
      });
    }
    const resolved = await resolvePerson(client, {
      userId: userValue(view, fieldIds.inviteeUser),
      email: textValue(view, fieldIds.inviteeEmail) || null,
    });
    if (!resolved.ok) {
      const block = resolved.field === 'user' ? fieldIds.inviteeUser : fieldIds.inviteeEmail;
      return ack({ response_action: 'errors', errors: { [block]: resolved.message } });
    }
    const result = await ctx.workflows.delegation.request({
      invitationId: meta.invitationId,
      actor: body.user.id,
      workspace: workspaceOf(body),
      invitee: resolved.person,
    });
    switch (result.kind) {
      case 'invalid': {
        const block = resolved.person.email ? fieldIds.inviteeEmail : fieldIds.inviteeUser;
        const problem = result.problems.invitee;
        return ack({ response_action: 'errors', errors: { [block]: problem ? inviteeProblems[problem] : 'Choose someone else.' } });
      }
      case 'refused':
        return ack({ response_action: 'update', view: noticeModal('Invite someone else', refusalText(result.refusal)) });
    }
    await ack({
      response_action: 'update',
      view: noticeModal(
        'Confirm in your DMs',
        mrkdwn`Almost done: confirm in the DM we just sent you that ${mention(resolved.person.userId)} should get manage permissions.`,
      ),
    });
    afterCommit(ctx);
  });
}
