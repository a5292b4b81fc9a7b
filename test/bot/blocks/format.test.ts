import { describe, expect, it } from 'vitest';
import {
  actions,
  button,
  context,
  describeDuration,
  describePeriod,
  escapeText,
  header,
  limits,
  mention,
  message,
  modalTitle,
  mrkdwn,
  section,
  sections,
  slackDate,
  validFor,
  validForMore,
  wholeFields,
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
      confirmTitle: slackLimits.confirmTitle,
      confirmText: slackLimits.confirmText,
      confirmButton: slackLimits.confirmButton,
      privateMetadata: slackLimits.privateMetadataBytes,
      headerText: slackLimits.headerText,
      sectionText: slackLimits.text,
      fieldText: slackLimits.fieldText,
      messageText: slackLimits.messageText,
    });
  });

  it('shows text people type as typed: no mention, link or channel ping can come alive', () => {
    expect(escapeText('<!here> & <https://evil.example|Acme> & <@U0PAT000001>')).toBe(
      '&lt;!here&gt; &amp; &lt;https://evil.example|Acme&gt; &amp; &lt;@U0PAT000001&gt;',
    );
    expect(escapeText('Acme Corp')).toBe('Acme Corp');
  });

  it('mentions a person by id', () => {
    expect(mention('U0PAT000001').text).toBe('<@U0PAT000001>');
  });

  it('shows a time in each reader’s own time zone, with UTC where Slack cannot', () => {
    expect(slackDate(now).text).toBe('<!date^1795424400^{date_short_pretty} at {time}|2026-11-23 09:00 UTC>');
  });

  it('says durations in words', () => {
    expect(describeDuration(30 * DAY)).toBe('30 days');
    expect(describeDuration(DAY)).toBe('1 day');
    expect(describeDuration(24 * HOUR + HOUR)).toBe('25 hours');
    expect(describeDuration(15 * 60_000)).toBe('15 minutes');
    expect(describeDuration(90_000)).toBe('90 seconds');
    expect(describeDuration(1_500)).toBe('2 seconds');
  });

  it('says a period in words, rounded to days or hours, with “about” when rounding moved it more than 1%', () => {
    expect(describePeriod(30 * DAY)).toBe('30 days');
    expect(describePeriod(30 * DAY - HOUR)).toBe('30 days');
    expect(describePeriod(29 * DAY + 12 * HOUR)).toBe('about 30 days');
    expect(describePeriod(DAY)).toBe('24 hours');
    expect(describePeriod(36 * HOUR)).toBe('36 hours');
    expect(describePeriod(2 * HOUR)).toBe('2 hours');
    expect(describePeriod(90 * 60_000)).toBe('90 minutes');
    expect(describePeriod(30_000)).toBe('less than a minute');
    expect(describePeriod(61_000)).toBe('about 1 minute');
    expect(describePeriod(3 * DAY - 60_000, { more: true })).toBe('3 more days');
    expect(describePeriod(HOUR, { more: true })).toBe('60 more minutes');
  });

  it('says how long something works and until when, each reader in their own time zone', () => {
    expect(validFor(now, new Date(now.getTime() + 24 * HOUR)).text).toBe(
      'for 24 hours, until <!date^1795510800^{date_short_pretty} at {time}|2026-11-24 09:00 UTC>',
    );
    expect(validForMore(now, new Date(now.getTime() + 3 * DAY)).text).toBe(
      'for 3 more days, until <!date^1795683600^{date_short_pretty} at {time}|2026-11-26 09:00 UTC>',
    );
  });

  it('builds headers, sections, fields and context as Slack expects them, every mrkdwn text verbatim', () => {
    const hi = { type: 'mrkdwn', text: '*Hi*', verbatim: true };
    expect(header('Vouch')).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Vouch', emoji: true } });
    expect(section(mrkdwn`*Hi*`)).toEqual({ type: 'section', text: hi });
    expect(section(mrkdwn`*Hi*`, 'greeting')).toEqual({ type: 'section', block_id: 'greeting', text: hi });
    expect(sections(mrkdwn`*Hi*`)).toEqual([{ type: 'section', text: hi }]);
    expect(wholeFields([['Account', 'Acme Corp']])).toEqual([
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Account*\nAcme Corp', verbatim: true }] },
    ]);
    expect(context(mrkdwn`Small print`)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Small print', verbatim: true }] });
  });

  it('takes only made markup: a raw string in a block does not compile', () => {
    const name = '<!here>';
    // @ts-expect-error a template literal is a string, not Mrkdwn
    expect(() => section(`*${name}*`)).toThrow('built with the mrkdwn template');
    // @ts-expect-error the same for context and notices
    expect(() => context(name)).toThrow('built with the mrkdwn template');
    // @ts-expect-error and for a message's notification text
    expect(() => message(name, [])).toThrow('built with the mrkdwn template');
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
    expect(section(mrkdwn`${'x'.repeat(3001)}`).text?.text).toHaveLength(3000);
    expect(context(mrkdwn`${'x'.repeat(3001)}`).elements[0]).toMatchObject({ text: `${'x'.repeat(2999)}…` });
    expect(button({ label: 'x'.repeat(76), actionId: 'a', value: 'v' }).text.text).toHaveLength(75);
    expect(modalTitle('Reject the recovery request')).toEqual({ type: 'plain_text', text: 'Reject the recovery req…' });
  });

  it('cuts between whole characters and whole escapes, counting the escaped length', () => {
    // 😀 is two UTF-16 units: a cut by unit would leave half of one.
    expect(header(`${'x'.repeat(148)}😀😀`).text.text).toBe(`${'x'.repeat(148)}…`);
    expect(button({ label: `${'x'.repeat(73)}😀`, actionId: 'a', value: 'v' }).text.text).toBe(`${'x'.repeat(73)}😀`);
    expect(button({ label: `${'x'.repeat(73)}👩‍👩‍👧`, actionId: 'a', value: 'v' }).text.text).toBe(`${'x'.repeat(73)}…`);
    // An `&` is five characters once escaped; 3,000 of them are cut at 599 whole ones and the ellipsis.
    expect(section(mrkdwn`${'&'.repeat(3000)}`).text?.text).toBe(`${'&amp;'.repeat(599)}…`);
    expect(section(mrkdwn`${`${'x'.repeat(2998)}😀😀`}`).text?.text).toBe(`${'x'.repeat(2998)}…`);
    const dated = section(mrkdwn`${'x'.repeat(2990)} ${slackDate(now)}`).text?.text ?? '';
    expect(dated).toBe(`${'x'.repeat(2990)}…`);
  });

  it('splits a long text over sections instead of cutting it', () => {
    const long = mrkdwn`*Why*\n${'word '.repeat(1000)}`;
    const pieces = sections(long);
    expect(pieces.length).toBe(2);
    for (const piece of pieces) {
      expect(piece.text?.text.length).toBeLessThanOrEqual(3000);
      expect(piece.text?.text).not.toContain('…');
    }
    expect(pieces.map((p) => p.text?.text).join(' ')).toBe(`*Why*\n${'word '.repeat(1000).trimEnd()}`);
  });

  it('puts a value too long for a field in a section of its own, whole', () => {
    const long = '&'.repeat(500);
    const blocks = wholeFields([
      ['Short', 'Acme'],
      ['Long', long],
    ]);
    expect(blocks).toEqual([
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Short*\nAcme', verbatim: true }] },
      { type: 'section', text: { type: 'mrkdwn', text: `*Long*\n${'&amp;'.repeat(500)}`, verbatim: true } },
    ]);
    const many = wholeFields(Array.from({ length: 12 }, (_, i): [string, string] => [`F${i}`, 'x']));
    expect(many.map((b) => b.fields?.length)).toEqual([10, 2]);
  });

  it('keeps a message to 50 blocks, saying that more was not shown', () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => section(mrkdwn`Line ${i + 1}`));
    expect(message(mrkdwn`Fifty`, blocks(50)).blocks).toHaveLength(50);
    const long = message(mrkdwn`Sixty`, blocks(60));
    expect(long.blocks).toHaveLength(50);
    expect(long.blocks[48]).toEqual(section(mrkdwn`Line 49`));
    expect(long.blocks[49]).toEqual(context(mrkdwn`…and more not shown here.`));
    assertWithinSlackLimits(long);
  });

  it('cuts the notification text to the 4,000 characters Slack advises, with an ellipsis, never inside an escape', () => {
    const m = message(mrkdwn`${'&'.repeat(1000)}`, [section(mrkdwn`Body`)]);
    expect(m.text).toBe(`${'&amp;'.repeat(799)}…`);
    expect(m.text.length).toBeLessThanOrEqual(4000);
    assertWithinSlackLimits(m);
  });
});
