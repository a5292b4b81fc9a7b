import type { InputBlock, ModalView } from '@slack/types';
import { allowedLetterTypes, recoveryFieldLimits, type RecoveryField } from '../../domain/recovery.js';
import { RECOVERY_ANSWER_LIMIT, RECOVERY_QUESTION_LIMIT } from '../../domain/recoveryQuestions.js';
import { context, limits, modalTitle, mrkdwn, quoted, section, sections } from './format.js';
import { person } from './person.js';
import type { WorkspaceInWords } from '../../domain/workspace.js';

export const recoveryCallbackIds = {
  request: 'recovery_request',
  reject: 'recovery_reject',
  ask: 'recovery_ask',
  answer: 'recovery_answer',
} as const;

/** Input ids: block and action share the name, as in every Vouch modal. */
export const recoveryFieldIds: Record<RecoveryField | 'letter', string> = {
  accountName: 'account_name',
  emailToAdd: 'email_to_add',
  reason: 'reason',
  contractNumber: 'contract_number',
  officerName: 'officer_name',
  officerTitle: 'officer_title',
  officerEmail: 'officer_email',
  letter: 'letter',
};
export const rejectReasonId = 'rejection_reason';
export const REJECT_REASON_LIMIT = 500;
export const questionId = 'recovery_question';
export const answerId = 'recovery_answer';
/** The answer's corrected letter: the same input as the request's letter, but optional. */
export const correctedLetterId = 'corrected_letter';

function input(field: RecoveryField, label: string, opts: { email?: boolean; multiline?: boolean; hint?: string } = {}): InputBlock {
  const id = recoveryFieldIds[field];
  return {
    type: 'input',
    block_id: id,
    label: { type: 'plain_text', text: label },
    ...(opts.hint ? { hint: { type: 'plain_text', text: opts.hint } } : {}),
    element: opts.email
      ? { type: 'email_text_input', action_id: id }
      : { type: 'plain_text_input', action_id: id, max_length: recoveryFieldLimits[field], ...(opts.multiline ? { multiline: true } : {}) },
  };
}

function modal(view: Omit<ModalView, 'type' | 'close'>): ModalView {
  if ((view.private_metadata ?? '').length > limits.privateMetadata) throw new Error('private_metadata over Slack limit');
  return { type: 'modal', close: { type: 'plain_text', text: 'Cancel' }, ...view };
}

/** Exactly the letter's contents, all required. */
export function recoveryRequestModal(): ModalView {
  return modal({
    callback_id: recoveryCallbackIds.request,
    title: modalTitle('Request admin access'),
    submit: { type: 'plain_text', text: 'Send to support' },
    blocks: [
      section(
        mrkdwn`Support adds an admin to an Enterprise Account that has none left when a C-level officer vouches for it in a signed letter. Fill in what the letter says and attach it.`,
      ),
      input('accountName', 'Enterprise Account name'),
      input('emailToAdd', 'E-mail address to add as admin', { email: true }),
      input('reason', 'Why the change is necessary', { multiline: true, hint: `Up to ${recoveryFieldLimits.reason} characters.` }),
      input('contractNumber', 'Contract number'),
      input('officerName', 'Officer’s name', { hint: 'A C-level executive: CEO, CIO, CFO or business owner.' }),
      input('officerTitle', 'Officer’s title'),
      input('officerEmail', 'Officer’s e-mail address', { email: true }),
      {
        type: 'input',
        block_id: recoveryFieldIds.letter,
        label: { type: 'plain_text', text: 'Signed letter' },
        hint: { type: 'plain_text', text: 'The letter with the officer’s handwritten signature in ink: PDF, PNG or JPEG.' },
        element: { type: 'file_input', action_id: recoveryFieldIds.letter, filetypes: [...allowedLetterTypes], max_files: 1 },
      },
      context(mrkdwn`Support reviews the request in its channel; you get the answer in a DM.`),
    ],
  });
}

export function rejectModal(requestId: string, reference: string): ModalView {
  return modal({
    callback_id: recoveryCallbackIds.reject,
    title: modalTitle(`Reject ${reference}`),
    submit: { type: 'plain_text', text: 'Reject' },
    private_metadata: JSON.stringify({ requestId }),
    blocks: [
      section(mrkdwn`The requester gets this reason by DM, and it is kept in the audit trail.`),
      {
        type: 'input',
        block_id: rejectReasonId,
        label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: rejectReasonId, multiline: true, max_length: REJECT_REASON_LIMIT },
      },
    ],
  });
}

/** Support's question to the requester ("Ask for more information"). */
export function askModal(requestId: string, reference: string): ModalView {
  return modal({
    callback_id: recoveryCallbackIds.ask,
    title: modalTitle(`Ask about ${reference}`),
    submit: { type: 'plain_text', text: 'Send to requester' },
    private_metadata: JSON.stringify({ requestId }),
    blocks: [
      section(
        mrkdwn`The requester gets your question by DM with a *Reply* button, and can attach a corrected letter to the answer. The request waits for the answer (approvals so far keep counting); the question and the answer come into the request’s thread and the audit trail.`,
      ),
      {
        type: 'input',
        block_id: questionId,
        label: { type: 'plain_text', text: 'Your question' },
        element: { type: 'plain_text_input', action_id: questionId, multiline: true, max_length: RECOVERY_QUESTION_LIMIT },
      },
    ],
  });
}

/** The requester's answer to support's question, with a corrected letter if they have one. */
export function answerModal(input: {
  questionId: string;
  reference: string;
  askedBy: string;
  question: string;
  /** Distributed, asked from the provider's workspace: support's people in words. */
  supportSide?: WorkspaceInWords | null;
}): ModalView {
  return modal({
    callback_id: recoveryCallbackIds.answer,
    title: modalTitle(`Answer about ${input.reference}`),
    submit: { type: 'plain_text', text: 'Send to support' },
    private_metadata: JSON.stringify({ questionId: input.questionId }),
    blocks: [
      section(mrkdwn`${person(input.askedBy, input.supportSide)} from support asks:`),
      ...sections(quoted(input.question)),
      {
        type: 'input',
        block_id: answerId,
        label: { type: 'plain_text', text: 'Your answer' },
        hint: { type: 'plain_text', text: `Up to ${RECOVERY_ANSWER_LIMIT} characters.` },
        element: { type: 'plain_text_input', action_id: answerId, multiline: true, max_length: RECOVERY_ANSWER_LIMIT },
      },
      {
        type: 'input',
        block_id: correctedLetterId,
        optional: true,
        label: { type: 'plain_text', text: 'Corrected letter (optional)' },
        hint: {
          type: 'plain_text',
          text: 'Only if support asked for a new letter: signed by the officer in ink, PDF, PNG or JPEG. It replaces the one you sent.',
        },
        element: { type: 'file_input', action_id: correctedLetterId, filetypes: [...allowedLetterTypes], max_files: 1 },
      },
      context(mrkdwn`Your answer goes to support in the request’s thread (${input.reference}).`),
    ],
  });
}
