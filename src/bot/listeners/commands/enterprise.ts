import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { freshSetupInvitations } from '../../../db/setupWorkflow.js';
import { createAccountModal } from '../../blocks/modals.js';
import { freshInvitationReply, helpMessage } from '../../blocks/replies.js';
import { afterCommit, type VouchContext } from '../../context.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;
type Subcommand = (args: CommandArgs, rest: string) => Promise<void>;

/** `/enterprise <sub-command> …`: every answer is ephemeral, and nothing is met with silence. */
export function register(app: App, ctx: VouchContext): void {
  const subcommands: Record<string, Subcommand> = {
    help: async ({ ack }) => {
      const { text, blocks } = helpMessage({});
      await ack({ response_type: 'ephemeral', text, blocks });
    },

    setup: async ({ ack, command }) => {
      const outcomes = await freshSetupInvitations(ctx.db, command.user_id, ctx.clock(), ctx.ttls);
      await ack({ response_type: 'ephemeral', text: freshInvitationReply(outcomes, ctx.ttls.setupInviteMs) });
      await afterCommit(ctx);
    },

    create: async ({ ack, command, client }) => {
      if (!(await ctx.support.isMember(command.user_id))) {
        return ack({ response_type: 'ephemeral', text: `Only members of <#${ctx.support.channelId}> can create Enterprise Accounts.` });
      }
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: createAccountModal() });
    },
  };

  app.command('/enterprise', async (args) => {
    const [word = '', ...rest] = args.command.text.trim().split(/\s+/);
    const name = word.toLowerCase();
    const handler = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
    if (handler) return handler(args, rest.join(' '));
    const { text, blocks } = helpMessage(name && name !== 'help' ? { unknown: word } : {});
    await args.ack({ response_type: 'ephemeral', text, blocks });
  });
}
