import { describe, expect, it } from 'vitest';
import {
  actions,
  button,
  context,
  describeDuration,
  escapeText,
  fields,
  header,
  limits,
  mention,
  message,
  modalTitle,
  section,
  slackDate,
} from '../../../src/bot/blocks/format.js';
import { assertWithinSlackLimits, slackLimits } from '../../support/slackLimits.js';
import { DAY, HOUR, now } from './data.js';

describe('the pieces every message is built from', () => {
  it('knows the limits Slack states', () => {
    expect(limits).toEqual({
      messageBlocks: slackLimits.messageBlocks,
      viewBlocks: slackLimits.viewBlocks,
      modalTitle: slackLimits.modalTitle,
      buttonText: slackLimits.buttonText,
      privateMetadata: slackLimits.privateMetadataBytes,
      headerText: slackLimits.headerText,
      sectionText: slackLimits.text,
    });
  });

  it('shows text people type as typed: no mention, link or channel ping can come alive', () => {
    expect(escapeText('<!here> & <https://evil.example|Acme> & <@U0PAT000001>')).toBe(
      '&lt;!here&gt; &amp; &lt;https://evil.example|Acme&gt; &amp; &lt;@U0PAT000001&gt;',
    );
    expect(escapeText('Acme Corp')).toBe('Acme Corp');
  });

  it('mentions a person by id', () => {
    expect(mention('U0PAT000001')).toBe('<@U0PAT000001>');
  });

  it('shows a time in each reader’s own time zone, with UTC where Slack cannot', () => {
    expect(slackDate(now)).toBe('<!date^1795424400^{date_short_pretty} at {time}|2026-11-23 09:00 UTC>');
  });

  it('says durations in words', () => {
    expect(describeDuration(30 * DAY)).toBe('30 days');
    expect(describeDuration(DAY)).toBe('1 day');
    expect(describeDuration(24 * HOUR + HOUR)).toBe('25 hours');
    expect(describeDuration(15 * 60_000)).toBe('15 minutes');
    expect(describeDuration(90_000)).toBe('90 seconds');
    expect(describeDuration(1_500)).toBe('2 seconds');
  });

  it('builds headers, sections, fields and context as Slack expects them', () => {
    expect(header('Vouch')).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Vouch', emoji: true } });
    expect(section('*Hi*')).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Hi*' } });
    expect(section('*Hi*', 'greeting')).toEqual({ type: 'section', block_id: 'greeting', text: { type: 'mrkdwn', text: '*Hi*' } });
    expect(fields([['Account', 'Acme Corp']])).toEqual({ type: 'section', fields: [{ type: 'mrkdwn', text: '*Account*\nAcme Corp' }] });
    expect(context('Small print')).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Small print' }] });
  });

  it('builds buttons with their action id and value, and a style only when one is asked for', () => {
    expect(button({ label: 'Approve', actionId: 'delegation.approve', value: 'd-1', style: 'primary' })).toEqual({
      type: 'button',
      action_id: 'delegation.approve',
      value: 'd-1',
      text: { type: 'plain_text', text: 'Approve', emoji: true },
      style: 'primary',
    });
    expect(button({ label: 'Cancel', actionId: 'delegation.cancel', value: 'd-1' })).not.toHaveProperty('style');
    expect(
      actions('confirm:d-1', [
        { label: 'Approve', actionId: 'delegation.approve', value: 'd-1' },
        { label: 'Cancel', actionId: 'delegation.cancel', value: 'd-1' },
      ]),
    ).toMatchObject({ type: 'actions', block_id: 'confirm:d-1', elements: [{ text: { text: 'Approve' } }, { text: { text: 'Cancel' } }] });
  });

  it('cuts a text that is too long at Slack’s limit, and says so with an ellipsis', () => {
    const cut = (text: string) => text.endsWith('…');
    expect(header('x'.repeat(150)).text.text).toBe('x'.repeat(150));
    expect(header('x'.repeat(151)).text.text).toHaveLength(150);
    expect(cut(header('x'.repeat(151)).text.text)).toBe(true);
    expect(section('x'.repeat(3001)).text?.text).toHaveLength(3000);
    expect(context('x'.repeat(3001)).elements[0]).toMatchObject({ text: `${'x'.repeat(2999)}…` });
    expect(button({ label: 'x'.repeat(76), actionId: 'a', value: 'v' }).text.text).toHaveLength(75);
    expect(modalTitle('Reject the recovery request')).toEqual({ type: 'plain_text', text: 'Reject the recovery req…' });
    const many = fields(Array.from({ length: 12 }, (_, i): [string, string] => [`F${i}`, 'x'.repeat(2100)]));
    expect(many.fields).toHaveLength(10);
    for (const field of many.fields ?? []) expect(field.text).toHaveLength(2000);
  });

  it('keeps a message to 50 blocks, saying that more was not shown', () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => section(`Line ${i + 1}`));
    expect(message('Fifty', blocks(50)).blocks).toHaveLength(50);
    const long = message('Sixty', blocks(60));
    expect(long.blocks).toHaveLength(50);
    expect(long.blocks[48]).toEqual(section('Line 49'));
    expect(long.blocks[49]).toEqual(context('…and more not shown here.'));
    assertWithinSlackLimits(long);
  });
});
