import type { ModalView } from '@slack/types';
import { type Mrkdwn, modalTitle, sections } from './format.js';

/** A modal that only says something: the end of a form, or why it could not go through. */
export function noticeModal(title: string, text: Mrkdwn): ModalView {
  return {
    type: 'modal',
    title: modalTitle(title),
    close: { type: 'plain_text', text: 'Close' },
    blocks: sections(text),
  };
}
