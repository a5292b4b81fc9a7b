import type { AnyBlock, InputBlock, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  answerModal,
  askModal,
  REJECT_REASON_LIMIT,
  recoveryFieldIds,
  recoveryRequestModal,
  rejectModal,
} from '../../../src/bot/blocks/recoveryModals.js';
import { RECOVERY_ANSWER_LIMIT, RECOVERY_QUESTION_LIMIT } from '../../../src/domain/recoveryQuestions.js';
import { recoveryFieldLimits } from '../../../src/domain/recovery.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';
import { ids, longest, people, textsOf } from './data.js';

const inputs = (view: ModalView) => view.blocks.filter((b: AnyBlock): b is InputBlock => b.type === 'input');

describe('the recovery request modal', () => {
  it('asks for exactly the letter’s contents, all required, and the signed letter itself', () => {
    const view = recoveryRequestModal();
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'recovery_request',
      title: { type: 'plain_text', text: 'Request admin access' },
      submit: { type: 'plain_text', text: 'Send to support' },
      close: { type: 'plain_text', text: 'Cancel' },
    });
    expect(view.private_metadata).toBeUndefined();
    expect(inputs(view).map((b) => [b.block_id, b.label.text, b.element.type, b.optional ?? false])).toEqual([
      ['account_name', 'Enterprise Account name', 'plain_text_input', false],
      ['email_to_add', 'E-mail address to add as admin', 'email_text_input', false],
      ['reason', 'Why the change is necessary', 'plain_text_input', false],
      ['contract_number', 'Contract number', 'plain_text_input', false],
      ['officer_name', 'Officer’s name', 'plain_text_input', false],
      ['officer_title', 'Officer’s title', 'plain_text_input', false],
      ['officer_email', 'Officer’s e-mail address', 'email_text_input', false],
      ['letter', 'Signed letter', 'file_input', false],
    ]);
    for (const b of inputs(view)) expect(b.element.action_id).toBe(b.block_id);
  });

  it('lets no field grow past what the request accepts', () => {
    const byId = new Map(inputs(recoveryRequestModal()).map((b) => [b.block_id, b.element]));
    for (const [field, limit] of Object.entries(recoveryFieldLimits)) {
      const element = byId.get(recoveryFieldIds[field as keyof typeof recoveryFieldLimits]);
      if (element?.type === 'plain_text_input') expect(element.max_length, field).toBe(limit);
      else expect(element?.type, field).toBe('email_text_input');
    }
    expect(byId.get('reason')).toMatchObject({ multiline: true });
    expect(byId.get('letter')).toEqual({ type: 'file_input', action_id: 'letter', filetypes: ['pdf', 'png', 'jpg', 'jpeg'], max_files: 1 });
  });

  it('says who the officer must be and how long the reason may be', () => {
    const hints = Object.fromEntries(inputs(recoveryRequestModal()).map((b) => [b.block_id, b.hint?.text]));
    expect(hints).toMatchObject({
      reason: 'Up to 2000 characters.',
      officer_name: 'A C-level executive: CEO, CIO, CFO or business owner.',
      letter: 'The letter with the officer’s handwritten signature in ink: PDF, PNG or JPEG.',
    });
    expect(textsOf(recoveryRequestModal().blocks, 'context')).toEqual([
      'Support reviews the request in its channel; you get the answer in a DM.',
    ]);
  });

  it('fits Slack’s limits', () => {
    assertWithinSlackLimits(recoveryRequestModal());
  });
});

describe('the reject modal', () => {
  it('asks support for the reason the requester will read, remembering which request', () => {
    const view = rejectModal(ids.request, 'REC-7KQ2ZP');
    expect(view).toMatchObject({
      callback_id: 'recovery_reject',
      title: { type: 'plain_text', text: 'Reject REC-7KQ2ZP' },
      submit: { type: 'plain_text', text: 'Reject' },
      close: { type: 'plain_text', text: 'Cancel' },
    });
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ requestId: ids.request });
    expect(textsOf(view.blocks, 'section')).toEqual(['The requester gets this reason by DM, and it is kept in the audit trail.']);
    expect(inputs(view)).toEqual([
      {
        type: 'input',
        block_id: 'rejection_reason',
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: 'rejection_reason', multiline: true, max_length: REJECT_REASON_LIMIT },
      },
    ]);
    assertWithinSlackLimits(view);
  });
});

describe('Ask for more information', () => {
  it('asks support for the question the requester will read, remembering which request', () => {
    const view = askModal(ids.request, 'REC-7KQ2ZP');
    expect(view).toMatchObject({
      callback_id: 'recovery_ask',
      title: { text: 'Ask about REC-7KQ2ZP' },
      submit: { text: 'Send to requester' },
      private_metadata: JSON.stringify({ requestId: ids.request }),
    });
    expect(inputs(view).map((b) => [b.block_id, b.label.text, b.element, b.optional ?? false])).toEqual([
      [
        'recovery_question',
        'Your question',
        { type: 'plain_text_input', action_id: 'recovery_question', multiline: true, max_length: RECOVERY_QUESTION_LIMIT },
        false,
      ],
    ]);
    expect(textsOf(view.blocks, 'section')[0]).toContain('The requester gets your question by DM with a *Reply* button');
    assertWithinSlackLimits(view);
  });
});

describe('the requester’s answer', () => {
  it('shows the question, asks for the answer and takes a corrected letter if there is one', () => {
    const view = answerModal({ questionId: ids.question, reference: 'REC-7KQ2ZP', askedBy: people.sam, question: 'Who signed it?' });
    expect(view).toMatchObject({
      callback_id: 'recovery_answer',
      title: { text: 'Answer about REC-7KQ2ZP' },
      submit: { text: 'Send to support' },
      private_metadata: JSON.stringify({ questionId: ids.question }),
    });
    expect(textsOf(view.blocks, 'section')).toEqual([`<@${people.sam}> from support asks:`, '&gt;Who signed it?']);
    expect(inputs(view).map((b) => [b.block_id, b.element.type, b.optional ?? false])).toEqual([
      ['recovery_answer', 'plain_text_input', false],
      ['corrected_letter', 'file_input', true],
    ]);
    expect(inputs(view)[0]?.element).toMatchObject({ multiline: true, max_length: RECOVERY_ANSWER_LIMIT });
    expect(inputs(view)[1]?.element).toMatchObject({ filetypes: ['pdf', 'png', 'jpg', 'jpeg'], max_files: 1 });
    assertWithinSlackLimits(view);
    assertWithinSlackLimits(
      answerModal({ questionId: ids.question, reference: 'REC-7KQ2ZP', askedBy: people.sam, question: longest.question }),
    );
  });
});
