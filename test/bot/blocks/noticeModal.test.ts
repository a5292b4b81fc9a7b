import type { SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { escapeText, mrkdwn } from '../../../src/bot/blocks/format.js';
import { noticeModal } from '../../../src/bot/blocks/noticeModal.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';

describe('the modal that closes a form', () => {
  it('only says something, with Close and no submit button', () => {
    expect(noticeModal('Account set up', mrkdwn`:white_check_mark: *${'Acme Corp'}* is set up and active.`)).toEqual({
      type: 'modal',
      title: { type: 'plain_text', text: 'Account set up' },
      close: { type: 'plain_text', text: 'Close' },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: *Acme Corp* is set up and active.', verbatim: true } }],
    });
  });

  it('fits Slack’s limits with a long title and a long text, shown whole over several sections', () => {
    const long = '&*'.repeat(700);
    const view = noticeModal('Your recovery request was sent', mrkdwn`Your request *REC-7KQ2ZP* ${long}`);
    assertWithinSlackLimits(view);
    expect(view.title.text).toBe('Your recovery request w…');
    expect(view.blocks.length).toBeGreaterThan(1);
    const joined = (view.blocks as SectionBlock[]).map((b) => b.text?.text ?? '').join('');
    expect(joined).toBe(`Your request *REC-7KQ2ZP* ${escapeText(long)}`);
  });
});
