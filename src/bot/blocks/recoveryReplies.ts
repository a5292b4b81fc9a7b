import type { RecoveryRefusal } from '../../domain/recovery.js';
import { describeBytes, type LetterProblem } from '../../domain/letter.js';
import { describeDuration, message, section, type SlackMessage } from './format.js';

export function recoveryRefusalText(refusal: RecoveryRefusal): string {
  switch (refusal.reason) {
    case 'not_support':
      return 'Only members of the support channel can decide recovery requests, so nothing was changed.';
    case 'own_request':
      return 'You cannot decide your own request (or one that adds your own address), so nothing was changed.';
    case 'already_voted':
      return 'You already approved this request; it needs another support member’s approval.';
    case 'already_decided':
      return `This request was already ${refusal.status}, so nothing was changed.`;
    case 'slack_unavailable':
      return 'Slack did not answer; try again. Nothing was recorded.';
    case 'not_found':
      return 'This request no longer exists.';
  }
}

export const recoveryRefusalMessage = (refusal: RecoveryRefusal): SlackMessage => {
  const text = recoveryRefusalText(refusal);
  return message(text, [section(text)]);
};

/** Why the letter was not read, in the requester's terms. */
function letterProblemText(problem: LetterProblem): string {
  switch (problem.kind) {
    case 'not_on_slack':
      return 'the attached letter is a link to a file outside Slack, so Vouch did not download it. Attach the letter file itself.';
    case 'too_large':
      return `the attached letter is larger than ${describeBytes(problem.maxBytes)}. Attach a smaller file (a PDF, or a scan at a lower resolution).`;
    case 'timeout':
      return `downloading the attached letter from Slack took longer than ${describeDuration(problem.afterMs)}.`;
    case 'refused':
      return `Slack did not let Vouch download the attached letter (HTTP ${problem.status}).`;
    case 'unreadable':
      return 'the attached letter could not be read, or Slack could not be reached.';
  }
}

/** The request could not be filed after the modal closed: tell the requester what went wrong, and to try again. */
export function recoveryNotFiled(reference: string, problem: LetterProblem = { kind: 'unreadable' }): SlackMessage {
  const text = `Your request ${reference} could not be sent to support: ${letterProblemText(problem)} Nothing was filed; please try again with \`/enterprise recover\`.`;
  return message(text, [section(text)]);
}
