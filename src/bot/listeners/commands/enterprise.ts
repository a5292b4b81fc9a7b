import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Account } from '../../../db/schema.js';
import { personProblem } from '../../../domain/admins.js';
import { createAccountModal } from '../../blocks/modals.js';
import { freshInvitationReply, helpMessage } from '../../blocks/replies.js';
import {
  adminsMessage,
  auditCsvReply,
  auditMessage,
  onlyAdminsText,
  removeAdminPrompt,
  removeAdminRefusalText,
} from '../../blocks/adminReplies.js';
import { recoverAdvice } from '../../blocks/recoveryMessages.js';
import { channelLink, code, Mrkdwn, mention, mrkdwn, type SlackMessage, textMessage } from '../../blocks/format.js';
import { afterCommit, type VouchContext } from '../../context.js';
import { PICK_FROM_LIST } from '../../../domain/typedName.js';
import { personNamed, personProblemText, personWithEmail, resolvePerson, SLACK_DID_NOT_ANSWER } from '../../people.js';
import { accountNameArg, nameAndPerson } from './args.js';
import { commandWorkspace } from '../actor.js';
import { distributedCreateText } from '../views/createAccount.js';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;
type Subcommand = (args: CommandArgs, rest: string) => Promise<void>;

/** Only the person who typed the command sees the answer; it is always a built message. */
const ephemeral = (content: Mrkdwn | SlackMessage) => ({
  response_type: 'ephemeral' as const,
  ...(content instanceof Mrkdwn ? textMessage(content) : content),
});

const reply = (args: CommandArgs, content: Mrkdwn | SlackMessage) => args.ack(ephemeral(content));

/** Answers in the ack while there is one to give, and through the response URL after it. */
function answerer(args: CommandArgs) {
  let acked = false;
  return {
    /** Acks now, before a Slack call that may take longer than Slack's 3 seconds. */
    async ackFirst() {
      if (!acked) await args.ack();
      acked = true;
    },
    async say(content: Mrkdwn | SlackMessage) {
      if (acked) return void (await args.respond(ephemeral(content)));
      acked = true;
      await args.ack(ephemeral(content));
    },
  };
}
type Answerer = ReturnType<typeof answerer>;

/**
 * The person add-admin names, checked as the invite form checks an invitee: someone Slack
 * knows, active, and not an app. Else the invite form's words for why not.
 */
async function newAdmin(
  client: WebClient,
  person: { userId: string } | { email: string },
): Promise<{ ok: true; userId: string } | { ok: false; text: string }> {
  let resolved: Awaited<ReturnType<typeof resolvePerson>>;
  try {
    resolved = await resolvePerson(
      client,
      'userId' in person ? { userId: person.userId, email: null } : { userId: null, email: person.email },
    );
  } catch {
    return { ok: false, text: SLACK_DID_NOT_ANSWER };
  }
  if (!resolved.ok) return { ok: false, text: resolved.message };
  const problem = personProblem(resolved.person);
  return problem ? { ok: false, text: personProblemText[problem] } : { ok: true, userId: resolved.person.userId };
}

/** `/enterprise <sub-command> …`: every answer is ephemeral, and nothing is met with silence. */
export function register(app: App, ctx: VouchContext): void {
  const reader = (command: CommandArgs['command']) => {
    const workspace = commandWorkspace(command);
    return { userId: command.user_id, workspace, isSupport: () => ctx.support.isMember(command.user_id, workspace) };
  };
  const onlyAdmins = onlyAdminsText;

  /**
   * `NAME @person` of add-admin and remove-admin, for an admin of that account; else answers why
   * not. The person is a mention, an e-mail address, or a name typed after @ (looked up in the
   * workspace's directory, which may take longer than Slack's 3 seconds: acked first). add-admin
   * checks them as the invite form does.
   */
  async function adminTarget(
    args: CommandArgs,
    rest: string,
    verb: 'add-admin' | 'remove-admin',
  ): Promise<{ account: Account; userId: string; say: Answerer['say'] } | null> {
    const answers = answerer(args);
    const answer = async (text: Mrkdwn) => {
      await answers.say(text);
      return null;
    };
    const parsed = nameAndPerson(rest);
    if (!parsed) return answer(mrkdwn`Type ${code(`/enterprise ${verb} NAME @person`)}: ${PICK_FROM_LIST}, or type their e-mail address.`);
    const account = await ctx.workflows.admins.administered({
      accountName: parsed.name,
      actor: args.command.user_id,
      workspace: commandWorkspace(args.command),
    });
    if (!account) return answer(onlyAdmins(parsed.name));
    let person: { userId: string } | { email: string };
    if ('typedName' in parsed.person) {
      await answers.ackFirst();
      const found = await personNamed(args.client, parsed.person.typedName);
      if (!found.answered) {
        ctx.logger.warn({ method: 'users.list' }, 'Slack did not answer');
        return answer(mrkdwn`${SLACK_DID_NOT_ANSWER}`);
      }
      const typed = mrkdwn`“@${parsed.person.typedName}”`;
      if (found.value.kind === 'none') return answer(mrkdwn`No one in this workspace is called ${typed}: ${PICK_FROM_LIST}.`);
      if (found.value.kind === 'many') return answer(mrkdwn`More than one person is called ${typed}: ${PICK_FROM_LIST}.`);
      person = { userId: found.value.userId };
    } else person = parsed.person;
    if (verb === 'add-admin') {
      const checked = await newAdmin(args.client, person);
      return checked.ok ? { account, userId: checked.userId, say: answers.say } : answer(mrkdwn`${checked.text}`);
    }
    // Anyone may be removed, a deactivated person or an app included.
    if ('userId' in person) return { account, userId: person.userId, say: answers.say };
    const found = await personWithEmail(args.client, person.email);
    if (!found.answered) return answer(mrkdwn`${SLACK_DID_NOT_ANSWER}`);
    if (!found.value) return answer(mrkdwn`No one in this workspace has the e-mail address ${person.email}.`);
    return { account, userId: found.value, say: answers.say };
  }

  const noSuchAccount = (name: string) =>
    mrkdwn`There is no Enterprise Account named “${name}” that you can see. Admins of an account and support can.`;

  const subcommands: Record<string, Subcommand> = {
    help: (args) => reply(args, helpMessage({})),

    setup: async (args) => {
      const { value: outcomes } = await ctx.workflows.setup.freshInvitations({
        actor: args.command.user_id,
        workspace: commandWorkspace(args.command),
      });
      await reply(args, freshInvitationReply(outcomes, ctx.ttls.setupInviteMs, ctx.clock()));
      afterCommit(ctx);
    },

    create: async (args) => {
      if (ctx.workspaces) return reply(args, distributedCreateText);
      if (!(await ctx.support.isMember(args.command.user_id, commandWorkspace(args.command)))) {
        return reply(args, mrkdwn`Only members of ${channelLink(ctx.support.channelId)} can create Enterprise Accounts.`);
      }
      await args.ack();
      await args.client.views.open({ trigger_id: args.command.trigger_id, view: createAccountModal() });
    },

    recover: (args) => reply(args, recoverAdvice()),

    admins: async (args, rest) => {
      const name = accountNameArg(rest);
      if (!name) return reply(args, mrkdwn`Which account? Type ${code('/enterprise admins NAME')}.`);
      const listed = await ctx.workflows.admins.list({ accountName: name, reader: reader(args.command) });
      if (listed.kind !== 'ok') return reply(args, noSuchAccount(name));
      await reply(args, adminsMessage(listed.value.account, listed.value.admins, null, listed.value.words));
    },

    'add-admin': async (args, rest) => {
      const target = await adminTarget(args, rest, 'add-admin');
      if (!target) return;
      const { account, userId, say } = target;
      const result = await ctx.workflows.admins.add({
        accountId: account.id,
        userId,
        actor: args.command.user_id,
        workspace: commandWorkspace(args.command),
      });
      if (result.kind !== 'ok')
        return say(
          result.refusal.reason === 'already_admin'
            ? userId === args.command.user_id
              ? mrkdwn`You are already an admin of *${account.name}*.`
              : mrkdwn`${mention(userId)} is already an admin of *${account.name}*.`
            : onlyAdmins(account.name),
        );
      await say(mrkdwn`:white_check_mark: ${mention(userId)} is now an admin of *${account.name}*.`);
      afterCommit(ctx);
    },

    'remove-admin': async (args, rest) => {
      const target = await adminTarget(args, rest, 'remove-admin');
      if (!target) return;
      const { account, userId, say } = target;
      const actor = args.command.user_id;
      // Removing admin rights is confirmed first: the answer is a button, with Slack's dialog.
      const check = await ctx.workflows.admins.checkRemove({ accountId: account.id, userId, actor });
      if (check.kind !== 'ok') return say(removeAdminRefusalText(check.refusal, account, userId, actor));
      await say(removeAdminPrompt(account, userId, actor));
    },

    audit: async (args, rest) => {
      // `audit NAME csv`: the whole trail as a file in the reader's DM.
      const csv = /^(.*\S)\s+csv$/i.exec(rest.trim());
      if (csv) {
        const name = accountNameArg(csv[1] ?? '');
        const exported = await ctx.workflows.admins.exportAudit({ accountName: name, reader: reader(args.command) });
        if (exported.kind !== 'ok') return reply(args, noSuchAccount(name));
        await reply(args, auditCsvReply(exported.value.account.name));
        return afterCommit(ctx);
      }
      const name = accountNameArg(rest);
      if (!name) return reply(args, mrkdwn`Which account? Type ${code('/enterprise audit NAME')}.`);
      const read = await ctx.workflows.admins.audit({ accountName: name, reader: reader(args.command), beforeSeq: null });
      if (read.kind !== 'ok') return reply(args, noSuchAccount(name));
      const { account, page, subjects } = read.value;
      await reply(args, auditMessage(account, page.events, subjects, page.olderThan, 'latest'));
    },
  };

  app.command('/enterprise', async (args) => {
    const [word = '', ...rest] = args.command.text.trim().split(/\s+/);
    const name = word.toLowerCase();
    const handler = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
    if (handler) return handler(args, rest.join(' '));
    await reply(args, helpMessage(name && name !== 'help' ? { unknown: word } : {}));
  });
}
