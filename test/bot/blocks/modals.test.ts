import type { AnyBlock, InputBlock, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { createAccountModal, fieldLimits, inviteModal, setupModal } from '../../../src/bot/blocks/modals.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';
import { HOUR, ids, longest, people, textsOf } from './data.js';

const inputs = (view: ModalView) => view.blocks.filter((b: AnyBlock): b is InputBlock => b.type === 'input');
/** Each input as block id, label, element type, and whether it may be left empty. */
const form = (view: ModalView) =>
  inputs(view).map((b) => ({ id: b.block_id, label: b.label.text, element: b.element.type, optional: b.optional ?? false }));

describe('the setup modal', () => {
  it('asks to confirm the account’s name, remembering only which invitation it came from', () => {
    const view = setupModal({ invitationId: ids.invitation, accountName: 'Acme Corp', contractNumber: 'C-1042' });
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'setup_account',
      title: { type: 'plain_text', text: 'Set up the account' },
      submit: { type: 'plain_text', text: 'Set up' },
      close: { type: 'plain_text', text: 'Cancel' },
    });
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ invitationId: ids.invitation });
    expect(textsOf(view.blocks, 'section')).toEqual([
      'You are setting up the *Acme Corp* Enterprise Account (contract C-1042). Confirm its name; it becomes active at once.',
    ]);
    expect(form(view)).toEqual([{ id: 'account_name', label: 'Account name', element: 'plain_text_input', optional: false }]);
    expect(inputs(view)[0]?.element).toEqual({
      type: 'plain_text_input',
      action_id: 'account_name',
      initial_value: 'Acme Corp',
      max_length: fieldLimits.accountName,
    });
  });

  it('fits Slack’s limits with the longest name the forms accept, shown whole', () => {
    const view = setupModal({ invitationId: ids.invitation, accountName: longest.accountName, contractNumber: longest.contractNumber });
    assertWithinSlackLimits(view);
    expect(inputs(view)[0]?.element).toMatchObject({ initial_value: longest.accountName });
    expect(textsOf(view.blocks, 'section')[0]).not.toMatch(/…$/);
  });
});

describe('the invite modal', () => {
  it('asks for a person or an e-mail address, and says a confirmation DM follows', () => {
    const view = inviteModal({ invitationId: ids.invitation, accountName: 'Acme Corp', confirmTtlMs: 24 * HOUR });
    expect(view).toMatchObject({
      callback_id: 'invite_someone',
      title: { text: 'Invite someone else' },
      submit: { text: 'Continue' },
      close: { text: 'Cancel' },
    });
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ invitationId: ids.invitation });
    expect(textsOf(view.blocks, 'section')).toEqual([
      'Who should set up *Acme Corp*? They will get manage permissions once you confirm in a DM and they accept.',
    ]);
    expect(form(view)).toEqual([
      { id: 'invitee_user', label: 'Person', element: 'users_select', optional: true },
      { id: 'invitee_email', label: 'Or their e-mail address', element: 'email_text_input', optional: true },
    ]);
    expect(inputs(view)[1]?.hint?.text).toBe('Choose a person or type an e-mail address, not both.');
    expect(inputs(view)[0]?.element).not.toHaveProperty('initial_user');
    expect(textsOf(view.blocks, 'context')).toEqual(['Next, you will get a DM asking you to confirm. It works for 24 hours from then.']);
  });

  it('says how long the confirmation works with the configured CONFIRM_TTL', () => {
    const view = inviteModal({ invitationId: ids.invitation, accountName: 'Acme Corp', confirmTtlMs: 90 * 60_000 });
    expect(textsOf(view.blocks, 'context')).toEqual(['Next, you will get a DM asking you to confirm. It works for 90 minutes from then.']);
  });

  it('Start again fills in the same invitee', () => {
    const view = inviteModal({ invitationId: ids.invitation, accountName: 'Acme Corp', confirmTtlMs: 24 * HOUR, initialUser: people.cole });
    expect(inputs(view)[0]?.element).toMatchObject({ type: 'users_select', action_id: 'invitee_user', initial_user: people.cole });
  });

  it('fits Slack’s limits with the longest account name', () => {
    assertWithinSlackLimits(
      inviteModal({ invitationId: ids.invitation, accountName: longest.accountName, confirmTtlMs: 24 * HOUR, initialUser: people.cole }),
    );
  });
});

describe('the create-account modal', () => {
  it('asks support for the name, the contract number and the primary contact, within the API’s lengths', () => {
    const view = createAccountModal();
    expect(view).toMatchObject({
      callback_id: 'create_account',
      title: { text: 'New Enterprise Account' },
      submit: { text: 'Create' },
      private_metadata: '{}',
    });
    expect(form(view)).toEqual([
      { id: 'account_name', label: 'Account name', element: 'plain_text_input', optional: false },
      { id: 'contract_number', label: 'Contract number', element: 'plain_text_input', optional: false },
      { id: 'primary_contact_user', label: 'Primary contact', element: 'users_select', optional: true },
      { id: 'primary_contact_email', label: 'Or the primary contact’s e-mail', element: 'email_text_input', optional: true },
    ]);
    expect(inputs(view).map((b) => (b.element.type === 'plain_text_input' ? b.element.max_length : undefined))).toEqual([
      80,
      40,
      undefined,
      undefined,
    ]);
    expect(textsOf(view.blocks, 'context')).toEqual(['The primary contact becomes an admin and gets the setup message in a DM.']);
    assertWithinSlackLimits(view);
  });

  it('input blocks share their id with their element, so errors and values use one name', () => {
    for (const view of [
      createAccountModal(),
      inviteModal({ invitationId: ids.invitation, accountName: 'Acme Corp', confirmTtlMs: 24 * HOUR }),
    ]) {
      for (const b of inputs(view)) expect(b.element.action_id).toBe(b.block_id);
    }
  });
});
