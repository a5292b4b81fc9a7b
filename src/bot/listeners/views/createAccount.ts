import type { AllMiddlewareArgs, App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { callbackIds, fieldIds, fieldLimits } from '../../blocks/modals.js';
import { noticeModal } from '../../blocks/noticeModal.js';
import { mention, mrkdwn } from '../../blocks/format.js';
import { afterCommit, type VouchContext } from '../../context.js';
import { resolvePerson } from '../../people.js';
import { textValue, userValue } from './values.js';
import { workspaceOf } from '../actor.js';

/**
 * Distributed, an account belongs to a customer's workspace, whose people the provider's support
 * cannot pick from here: the provider's systems provision it through the API, naming the workspace.
 */
export const distributedCreateText = mrkdwn`Each customer’s account belongs to their own Slack workspace, whose people cannot be chosen from here: provision it through the provisioning API (POST /api/accounts) with the customer’s workspace id (slackTeamId). Nothing was created.`;

type SubmitArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/** Support provisions an account from Slack: the same rules as the provisioning API. */
export function register(app: App, ctx: VouchContext): void {
  app.view<ViewSubmitAction>(callbackIds.createAccount, async ({ ack, body, view, client }: SubmitArgs) => {
    // Membership is checked again at submit time: the modal may have been open for a while.
    const workspace = workspaceOf(body);
    if (ctx.workspaces) {
      return ack({ response_action: 'update', view: noticeModal('New Enterprise Account', distributedCreateText) });
    }
    if (!(await ctx.support.isMember(body.user.id, workspace))) {
      return ack({
        response_action: 'update',
        view: noticeModal('New Enterprise Account', mrkdwn`Only members of the support channel can create accounts; nothing was created.`),
      });
    }
    const name = textValue(view, fieldIds.accountName);
    const contractNumber = textValue(view, fieldIds.contractNumber);
    const errors: Record<string, string> = {};
    if (!name || name.length > fieldLimits.accountName)
      errors[fieldIds.accountName] = `Enter a name of 1 to ${fieldLimits.accountName} characters.`;
    if (!contractNumber || contractNumber.length > fieldLimits.contractNumber)
      errors[fieldIds.contractNumber] = `Enter a contract number of 1 to ${fieldLimits.contractNumber} characters.`;
    const contact = await resolvePerson(client, {
      userId: userValue(view, fieldIds.contactUser),
      email: textValue(view, fieldIds.contactEmail) || null,
    });
    if (!contact.ok) errors[contact.field === 'user' ? fieldIds.contactUser : fieldIds.contactEmail] = contact.message;
    else if (contact.person.isBot || contact.person.deactivated)
      errors[fieldIds.contactUser] = 'The primary contact must be an active person, not an app.';
    if (Object.keys(errors).length > 0 || !contact.ok) return ack({ response_action: 'errors', errors });

    const result = await ctx.workflows.provisioning.provision({
      name,
      contractNumber,
      primaryContactUserId: contact.person.userId,
      actor: body.user.id,
      // One workspace: the account's is the one everyone is in.
      workspace: ctx.homeWorkspace() ?? workspace,
      actorWorkspace: workspace,
    });
    if (result.kind !== 'ok')
      return ack({ response_action: 'errors', errors: { [fieldIds.accountName]: 'Another Enterprise Account already has this name.' } });
    await ack({
      response_action: 'update',
      view: noticeModal(
        'Account created',
        mrkdwn`:white_check_mark: *${result.value.account.name}* is provisioned. ${mention(result.value.account.primaryContactUserId)} is its admin and gets the setup message in a DM.`,
      ),
    });
    afterCommit(ctx);
  });
}
