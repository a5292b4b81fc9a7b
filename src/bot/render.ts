import type { MessageSubject } from '../db/messages.js';
import type { MessageSurface } from '../db/schema.js';
import { confirmationMessage, inviteeMessage, movedMessage, setupExpiredMessage, setupMessage } from './blocks/setupMessages.js';
import type { SlackMessage } from './blocks/format.js';
import { recoveryMessage } from './blocks/recoveryMessages.js';
import { recoveryQuestionMessage, recoveryReceipt } from './blocks/recoveryRequester.js';

export interface RenderSettings {
  setupInviteTtlMs: number;
}

/** Draws one surface of a record from its current state: the same call posts and edits. */
export function renderSurface(subject: MessageSubject, surface: MessageSurface, settings: RenderSettings): SlackMessage {
  if (subject.kind === 'recovery_request') {
    if (surface === 'recovery') return recoveryMessage(subject);
    if (surface === 'recovery_receipt') return recoveryReceipt(subject);
    throw new Error(`a recovery request has no ${surface} message`);
  }
  if (subject.kind === 'recovery_question') {
    if (surface !== 'recovery_question') throw new Error(`a recovery question has no ${surface} message`);
    return recoveryQuestionMessage(subject);
  }
  if (subject.kind === 'setup_invitation') {
    const data = { account: subject.account, invitation: subject.invitation, setupInviteTtlMs: settings.setupInviteTtlMs };
    if (surface === 'setup') return setupMessage(data);
    if (surface === 'setup_expired') return setupExpiredMessage(data);
    throw new Error(`a setup invitation has no ${surface} message`);
  }
  const data = { account: subject.account, delegation: subject.delegation };
  if (surface === 'confirmation') return confirmationMessage(data);
  if (surface === 'invitee') return inviteeMessage(data);
  throw new Error(`a delegation has no ${surface} message`);
}

/** An older copy of a message that was sent again: it only points to the newest copy. */
export function renderMoved(subject: MessageSubject, newestLink: string | null): SlackMessage {
  const accountName = subject.kind === 'setup_invitation' || subject.kind === 'delegation' ? subject.account.name : null;
  return movedMessage(accountName, newestLink);
}
