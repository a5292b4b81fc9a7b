import type { KnownBlock } from '@slack/types';
import type { Refusal } from '../../domain/refusal.js';
import type { FreshInvitationOutcome } from '../../domain/setup.js';
import type { Account } from '../../db/schema.js';
import {
  actions,
  code,
  context,
  joinMrkdwn,
  type Mrkdwn,
  mention,
  message,
  mrkdwn,
  section,
  limits,
  sections,
  slackDate,
  type SlackMessage,
  textMessage,
  validFor,
  validForMore,
} from './format.js';
import { actionIds, labels } from './setupMessages.js';

/** One sentence for a click that no longer works; nothing changed. */
export function refusalText(refusal: Refusal): Mrkdwn {
  switch (refusal.reason) {
    case 'expired':
      return mrkdwn`This expired on ${slackDate(refusal.at)}, so nothing was changed.`;
    case 'holder_removed':
      return mrkdwn`This no longer works: you are no longer an admin of this account.`;
    case 'inviter_removed':
      return mrkdwn`This invitation no longer works: the person who invited you is no longer an admin of the account.`;
    case 'not_yours':
      return mrkdwn`This button is meant for someone else, so nothing was changed.`;
    case 'already_completed':
    case 'account_active':
      return mrkdwn`This account has already been set up, so nothing was changed.`;
    case 'already_approved':
      return mrkdwn`This was already approved; the invitee has been asked to accept.`;
    case 'already_accepted':
      return mrkdwn`This invitation was already accepted.`;
    case 'cancelled':
      return mrkdwn`This invitation was cancelled, so nothing was changed.`;
    case 'declined':
      return mrkdwn`This invitation was declined, so nothing was changed.`;
    case 'superseded':
      return mrkdwn`A newer invitation replaced this one, so nothing was changed.`;
    case 'not_found':
      return mrkdwn`This item no longer exists.`;
  }
}

/** The ephemeral reply to a refused click; an expired confirmation also offers Start again. */
export function refusalMessage(refusal: Refusal, restartDelegationId?: string): SlackMessage {
  const text = refusalText(refusal);
  const blocks: KnownBlock[] = [section(text)];
  if (refusal.reason === 'expired' && restartDelegationId) {
    blocks.push(
      actions(`restart:${restartDelegationId}`, [
        { label: labels.startAgain, actionId: actionIds.startAgain, value: restartDelegationId, style: 'primary' },
      ]),
    );
  }
  return message(text, blocks);
}

/** `/enterprise setup`: one line per account, over as many sections as many accounts need. */
export function freshInvitationReply(outcomes: FreshInvitationOutcome<Account>[], ttlMs: number, now: Date): SlackMessage {
  if (outcomes.length === 0) {
    return textMessage(
      mrkdwn`You are not an admin of any Enterprise Account waiting to be set up, so there is no setup invitation to send. If you should be, ask an admin of the account or support.`,
    );
  }
  const lines = outcomes.map((o) => freshInvitationLine(o, ttlMs, now));
  const shownIn = (n: number) => sections(joinMrkdwn(lines.slice(0, n), '\n'));
  const all = joinMrkdwn(lines, '\n');
  if (shownIn(lines.length).length <= limits.messageBlocks) return message(all, sections(all));
  // More accounts than one message holds: as many as fit whole, then the rest counted by what was
  // done, so no account is cut and the counts say where the rest are.
  let fit = 0;
  for (let step = 2 ** Math.floor(Math.log2(lines.length)); step >= 1; step = Math.floor(step / 2)) {
    if (fit + step <= lines.length && shownIn(fit + step).length <= limits.messageBlocks - 1) fit += step;
  }
  const rest = outcomes.slice(fit);
  const count = (kind: FreshInvitationOutcome<Account>['kind']) => rest.filter((o) => o.kind === kind).length;
  const parts = [
    [count('resent') + count('issued'), 'with a setup message in your DMs'],
    [count('held_by_other'), 'whose setup invitation someone else holds'],
    [count('account_active'), 'already set up'],
  ] as const;
  const summary = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return message(all, [...shownIn(fit), context(mrkdwn`…and ${rest.length} more accounts: ${summary.join(', ')}.`)]);
}

/** Get a new invitation, clicked by someone who is not (any more) an admin of the account. */
export const notAdminReply = (): SlackMessage =>
  textMessage(
    mrkdwn`You are not an admin of this Enterprise Account (any more), so there is no setup invitation to send. If you should be, ask one of its admins or support.`,
  );

function freshInvitationLine(o: FreshInvitationOutcome<{ name: string }>, ttlMs: number, now: Date): Mrkdwn {
  const name = mrkdwn`*${o.account.name}*`;
  switch (o.kind) {
    case 'resent':
      return mrkdwn`${name}: your setup message is in your DMs again; it works ${validForMore(now, o.expiresAt)}.`;
    case 'issued':
      return mrkdwn`${name}: here is a fresh setup invitation in your DMs; it works ${validFor(new Date(o.expiresAt.getTime() - ttlMs), o.expiresAt)}.`;
    case 'held_by_other':
      return mrkdwn`${name}: ${mention(o.holderUserId)} holds the setup invitation; it works ${validForMore(now, o.expiresAt)}. They can hand it to you with *${labels.invite}*.`;
    case 'account_active':
      return mrkdwn`${name} is already set up.`;
  }
}

/** How much of an unknown sub-command the help quotes back. */
export const QUOTED_MAX_CHARS = 40;

/**
 * What someone typed, quoted inline: at most its first 40 characters (whole characters, so an
 * emoji is never cut in half), escaped, and with no backtick left to end the code span early.
 */
export function quoteTyped(typed: string): Mrkdwn {
  const chars = Array.from(new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(typed), (s) => s.segment);
  return code(chars.length > QUOTED_MAX_CHARS ? `${chars.slice(0, QUOTED_MAX_CHARS).join('')}…` : typed);
}

/** The list of commands; with an unknown sub-command, quoted short, so the whole list always fits. */
export function helpMessage(input: { unknown?: string }): SlackMessage {
  const lines: Array<[string, string]> = [
    ['/enterprise setup', 'get your setup message again, or a fresh setup invitation if yours expired'],
    ['/enterprise recover', 'no admin left on an account? How to get access back'],
    ['/enterprise admins NAME', 'list the admins of an account (its admins and support)'],
    ['/enterprise add-admin NAME @person', 'make someone an admin (admins)'],
    ['/enterprise remove-admin NAME @person', 'remove an admin; never the last one (admins)'],
    ['/enterprise audit NAME', 'every change to an account, newest first (its admins and support)'],
    ['/enterprise audit NAME csv', 'the whole audit trail as a CSV file in your DM'],
    ['/enterprise create', 'provision a new Enterprise Account (support only)'],
    ['/enterprise help', 'this list'],
  ];
  const intro = input.unknown
    ? mrkdwn`I don’t know ${quoteTyped(input.unknown)}. Here is what I can do:`
    : mrkdwn`Vouch runs Enterprise Account setup invitations and admin recovery in Slack. Commands:`;
  const list = (bullet: string) =>
    joinMrkdwn(
      lines.map(([command, what]) => mrkdwn`${bullet}${code(command)}: ${what}`),
      '\n',
    );
  return message(mrkdwn`${intro}\n${list('')}`, [
    section(intro),
    section(list('• ')),
    context(mrkdwn`Buttons in your DMs take you through each step.`),
  ]);
}
