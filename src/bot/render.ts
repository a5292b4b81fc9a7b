import type { MessageSubject } from '../db/messages.js';
import type { MessageSurface } from '../db/schema.js';
import { confirmationMessage, inviteeMessage, setupMessage } from './blocks/setupMessages.js';
import type { SlackMessage } from './blocks/format.js';
import { recoveryMessage } from './blocks/recoveryMessages.js';

export interface RenderSettings {
  setupInviteTtlMs: number;
}

/** Draws one surface of a record from its current state: the same call posts and edits. */
export function renderSurface(subject: MessageSubject, surface: MessageSurface, settings: RenderSettings): SlackMessage {
  if (subject.kind === 'recovery_request') {
    if (surface !== 'recovery') throw new Error(`a recovery request has no ${surface} message`);
    return recoveryMessage({ request: subject.request, approverUserIds: subject.approverUserIds });
  }
  if (subject.kind === 'setup_invitation') {
    if (surface !== 'setup') throw new Error(`a setup invitation has no ${surface} message`);
    return setupMessage({ account: subject.account, invitation: subject.invitation, setupInviteTtlMs: settings.setupInviteTtlMs });
  }
  const data = { account: subject.account, delegation: subject.delegation };
  if (surface === 'confirmation') return confirmationMessage(data);
  if (surface === 'invitee') return inviteeMessage(data);
  throw new Error(`a delegation has no ${surface} message`);
}
