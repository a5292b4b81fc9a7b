import type { RecoveryRefusal } from '../../domain/recovery.js';
import { message, section, type SlackMessage } from './format.js';

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

/** The request could not be filed after the modal closed: tell the requester, who must try again. */
export function recoveryNotFiled(reference: string): SlackMessage {
  const text = `Your request ${reference} could not be sent to support: the attached letter could not be read, or Slack could not be reached. Nothing was filed; please try again with \`/enterprise recover\`.`;
  return message(text, [section(text)]);
}
