import type { RecoveryRefusal } from '../../domain/recovery.js';
import { describeBytes, type LetterProblem } from '../../domain/letter.js';
import { code, describeDuration, type Mrkdwn, mrkdwn, type SlackMessage, textMessage } from './format.js';

export function recoveryRefusalText(refusal: RecoveryRefusal): Mrkdwn {
  switch (refusal.reason) {
    case 'not_support':
      return mrkdwn`Only members of the support channel can decide recovery requests, so nothing was changed.`;
    case 'own_request':
      return mrkdwn`You cannot decide your own request (or one that adds your own address), so nothing was changed.`;
    case 'already_voted':
      return mrkdwn`You already approved this request; it needs another support member’s approval.`;
    case 'already_decided':
      return mrkdwn`This request was already ${refusal.status}, so nothing was changed.`;
    case 'awaiting_info':
      return mrkdwn`This request waits for the requester’s answer to support’s question: it can be approved, or asked about again, once they reply. Nothing was changed.`;
    case 'not_requester':
      return mrkdwn`Only the person who sent the request can answer support’s question.`;
    case 'question_closed':
      return refusal.status === 'answered'
        ? mrkdwn`This question was already answered; support has the answer.`
        : mrkdwn`Support decided the request before you answered, so no answer is needed any more. Your receipt shows the outcome.`;
    case 'slack_unavailable':
      return mrkdwn`Slack did not answer; try again. Nothing was recorded.`;
    case 'not_found':
      return mrkdwn`This request no longer exists.`;
  }
}

export const recoveryRefusalMessage = (refusal: RecoveryRefusal): SlackMessage => textMessage(recoveryRefusalText(refusal));

/** Why the letter was not read, in the requester's terms. */
function letterProblemText(problem: LetterProblem): Mrkdwn {
  switch (problem.kind) {
    case 'not_on_slack':
      return mrkdwn`the attached letter is a link to a file outside Slack, so Vouch did not download it. Attach the letter file itself.`;
    case 'too_large':
      return mrkdwn`the attached letter is larger than ${describeBytes(problem.maxBytes)}. Attach a smaller file (a PDF, or a scan at a lower resolution).`;
    case 'timeout':
      return mrkdwn`downloading the attached letter from Slack took longer than ${describeDuration(problem.afterMs)}.`;
    case 'refused':
      return mrkdwn`Slack did not let Vouch download the attached letter (HTTP ${problem.status}).`;
    case 'unreadable':
      return mrkdwn`the attached letter could not be read, or Slack could not be reached.`;
  }
}

/** The request could not be filed after the modal closed: tell the requester what went wrong, and to try again. */
export function recoveryNotFiled(reference: string, problem: LetterProblem = { kind: 'unreadable' }): SlackMessage {
  return textMessage(
    mrkdwn`Your request ${reference} could not be sent to support: ${letterProblemText(problem)} Nothing was filed; please try again with ${code('/enterprise recover')}.`,
  );
}

/** The answer could not be sent after its form closed (its corrected letter could not be read, or it came too late). */
export function recoveryAnswerNotSent(reference: string, why: LetterProblem | RecoveryRefusal): SlackMessage {
  return textMessage(
    'kind' in why
      ? mrkdwn`Your answer about request ${reference} could not be sent to support: ${letterProblemText(why)} Nothing was sent; use *Reply* on support’s question again.`
      : mrkdwn`Your answer about request ${reference} was not sent: ${recoveryRefusalText(why)}`,
  );
}
