import { describe, expect, it } from 'vitest';
import { noticeModal } from '../../../src/bot/blocks/noticeModal.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';

describe('the modal that closes a form', () => {
  it('only says something, with Close and no submit button', () => {
    expect(noticeModal('Account set up', ':white_check_mark: *Acme Corp* is set up and active.')).toEqual({
      type: 'modal',
      title: { type: 'plain_text', text: 'Account set up' },
      close: { type: 'plain_text', text: 'Close' },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: *Acme Corp* is set up and active.' } }],
    });
  });

  it('fits Slack’s limits with a long title and a long text', () => {
    const view = noticeModal('Your recovery request was sent', `Your request *REC-7KQ2ZP* ${'&amp;'.repeat(700)}`);
    assertWithinSlackLimits(view);
    expect(view.title.text).toBe('Your recovery request w…');
  });
});
