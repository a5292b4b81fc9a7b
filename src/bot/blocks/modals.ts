import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { context, describePeriod, limits, modalTitle, mrkdwn, section } from './format.js';

export const callbackIds = {
  setUp: 'setup_account',
  invite: 'invite_someone',
  createAccount: 'create_account',
} as const;

/** Input blocks use the same id for block and action, so errors and values share one name. */
export const fieldIds = {
  accountName: 'account_name',
  contractNumber: 'contract_number',
  inviteeUser: 'invitee_user',
  inviteeEmail: 'invitee_email',
  contactUser: 'primary_contact_user',
  contactEmail: 'primary_contact_email',
} as const;

export const fieldLimits = { accountName: 80, contractNumber: 40 } as const;

function modal(input: { callbackId: string; title: string; submit: string; blocks: KnownBlock[]; metadata: unknown }): ModalView {
  const privateMetadata = JSON.stringify(input.metadata);
  if (privateMetadata.length > limits.privateMetadata) throw new Error('private_metadata over Slack limit');
  if (input.blocks.length > limits.viewBlocks) throw new Error('modal over Slack block limit');
  return {
    type: 'modal',
    callback_id: input.callbackId,
    title: modalTitle(input.title),
    submit: { type: 'plain_text', text: input.submit },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: privateMetadata,
    blocks: input.blocks,
  };
}

const textInput = (
  id: string,
  label: string,
  opts: { initial?: string; max?: number; placeholder?: string; optional?: boolean; hint?: string },
): InputBlock => ({
  type: 'input',
  block_id: id,
  label: { type: 'plain_text', text: label },
  optional: opts.optional ?? false,
  ...(opts.hint ? { hint: { type: 'plain_text', text: opts.hint } } : {}),
  element: {
    type: 'plain_text_input',
    action_id: id,
    ...(opts.initial ? { initial_value: opts.initial } : {}),
    ...(opts.max ? { max_length: opts.max } : {}),
    ...(opts.placeholder ? { placeholder: { type: 'plain_text', text: opts.placeholder } } : {}),
  },
});

const emailInput = (id: string, label: string, hint?: string): InputBlock => ({
  type: 'input',
  block_id: id,
  label: { type: 'plain_text', text: label },
  optional: true,
  ...(hint ? { hint: { type: 'plain_text', text: hint } } : {}),
  element: { type: 'email_text_input', action_id: id, placeholder: { type: 'plain_text', text: 'name@company.com' } },
});

const userInput = (id: string, label: string, initialUser?: string): InputBlock => ({
  type: 'input',
  block_id: id,
  label: { type: 'plain_text', text: label },
  optional: true,
  element: {
    type: 'users_select',
    action_id: id,
    placeholder: { type: 'plain_text', text: 'Choose a person' },
    ...(initialUser ? { initial_user: initialUser } : {}),
  },
});

export interface InvitationMetadata {
  invitationId: string;
}

export function setupModal(input: { invitationId: string; accountName: string; contractNumber: string }): ModalView {
  return modal({
    callbackId: callbackIds.setUp,
    title: 'Set up the account',
    submit: 'Set up',
    metadata: { invitationId: input.invitationId } satisfies InvitationMetadata,
    blocks: [
      section(
        mrkdwn`You are setting up the *${input.accountName}* Enterprise Account (contract ${input.contractNumber}). Confirm its name; it becomes active at once.`,
      ),
      textInput(fieldIds.accountName, 'Account name', { initial: input.accountName, max: fieldLimits.accountName }),
    ],
  });
}

export function inviteModal(input: { invitationId: string; accountName: string; confirmTtlMs: number; initialUser?: string }): ModalView {
  return modal({
    callbackId: callbackIds.invite,
    title: 'Invite someone else',
    submit: 'Continue',
    metadata: { invitationId: input.invitationId } satisfies InvitationMetadata,
    blocks: [
      section(mrkdwn`Who should set up *${input.accountName}*? They will get manage permissions once you confirm in a DM and they accept.`),
      userInput(fieldIds.inviteeUser, 'Person', input.initialUser),
      emailInput(fieldIds.inviteeEmail, 'Or their e-mail address', 'Choose a person or type an e-mail address, not both.'),
      context(mrkdwn`Next, you will get a DM asking you to confirm. It works for ${describePeriod(input.confirmTtlMs)} from then.`),
    ],
  });
}

export function createAccountModal(): ModalView {
  return modal({
    callbackId: callbackIds.createAccount,
    title: 'New Enterprise Account',
    submit: 'Create',
    metadata: {},
    blocks: [
      textInput(fieldIds.accountName, 'Account name', { max: fieldLimits.accountName }),
      textInput(fieldIds.contractNumber, 'Contract number', { max: fieldLimits.contractNumber }),
      userInput(fieldIds.contactUser, 'Primary contact'),
      emailInput(fieldIds.contactEmail, 'Or the primary contact’s e-mail', 'Choose a person or type an e-mail address, not both.'),
      context(mrkdwn`The primary contact becomes an admin and gets the setup message in a DM.`),
    ],
  });
}
