import type { ModalView } from '@slack/types';
import { modalTitle, section } from './format.js';

/** A modal that only says something: the end of a form, or why it could not go through. */
export function noticeModal(title: string, text: string): ModalView {
  return {
    type: 'modal',
    title: modalTitle(title),
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(text)],
  };
}
