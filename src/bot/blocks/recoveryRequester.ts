import type { KnownBlock } from '@slack/types';
import type { RecoveryQuestion, RecoveryRequest } from '../../db/schema.js';
import {
  actions,
  code,
  context,
  header,
  type Mrkdwn,
  mention,
  message,
  mrkdwn,
  quoted,
  section,
  sections,
  slackDate,
  type SlackMessage,
  wholeFields,
} from './format.js';
import { recoveryActionIds, recoveryLabels } from './recoveryMessages.js';
import { person } from './person.js';

/** What the requester sees of their request: the receipt, and support's questions. Each is drawn from the current state. */

export interface RecoveryReceiptData {
  request: RecoveryRequest;
  /** Support's question waiting for the requester's answer, if any. */
  question: RecoveryQuestion | null;
}

/** Where the request stands, in the requester's words: its sections, and the notification's words. */
function standing({ request: r, question }: RecoveryReceiptData): { text: string; blocks: KnownBlock[] } {
  switch (r.status) {
    case 'open':
      return {
        text: 'waiting for support’s review',
        blocks: [
          section(
            mrkdwn`:hourglass_flowing_sand: *Waiting for support’s review.* Support checks your letter against *${r.accountName}* in its own channel.`,
          ),
        ],
      };
    case 'awaiting_info':
      return {
        text: 'support asked for more information',
        blocks: question
          ? [
              section(mrkdwn`:speech_balloon: *Support asked for more information* ${slackDate(question.askedAt)}:`),
              ...sections(quoted(question.question)),
              section(
                mrkdwn`Answer with *${recoveryLabels.answer}* on the question in this conversation; you can attach a corrected letter there.`,
              ),
            ]
          : [
              section(
                mrkdwn`:speech_balloon: *Support asked for more information.* Answer with *${recoveryLabels.answer}* on the question in this conversation.`,
              ),
            ],
      };
    case 'approved':
      return {
        text: 'approved',
        blocks: [
          section(
            mrkdwn`:white_check_mark: *Approved* ${slackDate(r.decidedAt ?? r.createdAt)}: ${mention(r.addedUserId ?? '')} is now an admin of *${r.accountName}*.`,
          ),
        ],
      };
    case 'rejected':
      return {
        text: 'not approved',
        blocks: [
          ...sections(mrkdwn`:x: *Not approved* ${slackDate(r.decidedAt ?? r.createdAt)}: ${r.rejectionReason ?? ''}`),
          section(mrkdwn`You can send a new request with ${code('/enterprise recover')}.`),
        ],
      };
  }
}

/** What happens next, while the request is in play. */
function next(r: RecoveryRequest): Mrkdwn {
  const quorum = r.approvalsRequired > 1 ? mrkdwn` (${r.approvalsRequired} support members must approve it)` : mrkdwn``;
  return mrkdwn`*What happens next*\nSupport reviews the request${quorum}. If it is approved, ${r.emailToAdd} becomes an admin of *${r.accountName}*, and you and the officer are told by DM; if not, you are told why. If support needs more, their question comes here with a *${recoveryLabels.answer}* button. This receipt shows every step.`;
}

/**
 * The requester's receipt, sent by DM when the request is filed and edited as it moves: the
 * reference, what they sent (the letter's six items and the file), where it stands and what
 * happens next.
 */
export function recoveryReceipt(data: RecoveryReceiptData): SlackMessage {
  const { request: r } = data;
  const now = standing(data);
  const blocks: KnownBlock[] = [
    header(`Your admin recovery request ${r.reference}`),
    ...now.blocks,
    section(mrkdwn`*What you sent*`),
    ...wholeFields([
      ['Account', r.accountName],
      ['E-mail to add', r.emailToAdd],
      ['Contract number', r.contractNumber],
      ['Officer', mrkdwn`${r.officerName}, ${r.officerTitle}`],
      ['Officer’s e-mail', r.officerEmail],
      ['Signed letter', r.letterFileName],
    ]),
    ...sections(mrkdwn`*Why the change is necessary*\n${r.reason}`),
    context(
      mrkdwn`SHA-256 of the letter: ${code(r.letterSha256)}. Sent ${slackDate(r.createdAt)}. Quote ${r.reference} if you contact support.`,
    ),
  ];
  if (r.status === 'open' || r.status === 'awaiting_info') blocks.push(section(next(r)));
  return message(mrkdwn`Your request ${r.reference}: ${now.text}.`, blocks);
}

export interface RecoveryQuestionData {
  question: RecoveryQuestion;
  request: RecoveryRequest;
}

/** Support's question, by DM to the requester, with Reply while it waits for the answer. */
export function recoveryQuestionMessage({ question: q, request: r }: RecoveryQuestionData): SlackMessage {
  const title = `Support asks about your request ${r.reference}`;
  const blocks: KnownBlock[] = [
    section(
      mrkdwn`:speech_balloon: ${person(q.askedBy, r.crossWorkspace?.support)} from support asks about your request *${r.reference}* for *${r.accountName}*:`,
    ),
    ...sections(quoted(q.question)),
  ];
  switch (q.status) {
    case 'asked':
      blocks.push(
        context(
          mrkdwn`Support reviews the request again once you answer. You can attach a corrected letter with your answer; it then replaces the one you sent.`,
        ),
        actions(`recovery_question:${q.id}`, [
          { label: recoveryLabels.answer, actionId: recoveryActionIds.answer, value: q.id, style: 'primary' },
        ]),
      );
      return message(mrkdwn`${title}: please answer.`, blocks);
    case 'answered':
      blocks.push(
        section(mrkdwn`:white_check_mark: You answered ${slackDate(q.answeredAt ?? q.askedAt)}:`),
        ...sections(quoted(q.answer ?? '')),
      );
      if (q.letterFileName) {
        blocks.push(context(mrkdwn`With a corrected letter: ${q.letterFileName} (SHA-256 ${code(q.letterSha256 ?? '')}).`));
      }
      blocks.push(context(mrkdwn`Support has your answer; your receipt shows where the request stands.`));
      return message(mrkdwn`${title}: answered.`, blocks);
    case 'withdrawn':
      blocks.push(section(mrkdwn`No answer is needed any more: support decided the request. Your receipt shows the outcome.`));
      return message(mrkdwn`${title}: no answer needed any more.`, blocks);
  }
}
