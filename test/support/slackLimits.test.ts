import { describe, expect, it } from 'vitest';
import { assertWithinSlackLimits, slackLimitProblems, type Surface } from './slackLimits.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: 'a',
  text: { type: 'plain_text', text },
  ...extra,
});
const message = (blocks: unknown[]): Surface => ({ text: 'Hello', blocks });
const modal = (extra: Record<string, unknown>, blocks: unknown[] = [section('Hi')]): Surface =>
  ({ type: 'modal', title: { type: 'plain_text', text: 'Title' }, blocks, ...extra }) as Surface;

/** The check itself must fail where Slack would refuse, or the block tests prove nothing. */
describe('the Slack limits check', () => {
  it('takes a message that fits', () => {
    assertWithinSlackLimits(message([section('Hello'), { type: 'actions', elements: [button('OK', { style: 'primary' })] }]));
  });

  it('refuses a message of 51 blocks, and a view of 101', () => {
    expect(slackLimitProblems(message(Array.from({ length: 50 }, () => section('x'))))).toEqual([]);
    expect(slackLimitProblems(message(Array.from({ length: 51 }, () => section('x'))))).toContain('/blocks: 51 blocks, over 50 by 1');
    expect(slackLimitProblems({ type: 'home', blocks: Array.from({ length: 101 }, () => section('x')) })).toContain(
      '/view/blocks: 101 blocks, over 100 by 1',
    );
  });

  it('refuses a text of 3,001 characters, a header of 151 and an empty text', () => {
    expect(slackLimitProblems(message([section('x'.repeat(3000))]))).toEqual([]);
    expect(slackLimitProblems(message([section('x'.repeat(3001))]))).toContain('/blocks/0/text/text: 3001 characters, over 3000 by 1');
    expect(slackLimitProblems(message([{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }]))).toContain(
      '/blocks/0/text/text: 151 characters, over 150 by 1',
    );
    expect(slackLimitProblems(message([{ type: 'context', elements: [{ type: 'mrkdwn', text: '' }] }]))).toContain(
      '/blocks/0/elements/0/text: empty text',
    );
  });

  it('counts an emoji as two characters, and refuses half a character', () => {
    expect(slackLimitProblems(message([section('😀'.repeat(1500))]))).toEqual([]);
    expect(slackLimitProblems(message([section(`x${'😀'.repeat(1500)}`)]))).toContain(
      '/blocks/0/text/text: 3001 characters, over 3000 by 1',
    );
    expect(slackLimitProblems(message([section(`${'x'.repeat(10)}\uD83D…`)]))).toContain(
      '/blocks/0/text/text: half a character (a lone UTF-16 surrogate): not well-formed Unicode',
    );
  });

  it('refuses a button text of 76 characters and an option text of 76', () => {
    expect(slackLimitProblems(message([{ type: 'actions', elements: [button('x'.repeat(75))] }]))).toEqual([]);
    expect(slackLimitProblems(message([{ type: 'actions', elements: [button('x'.repeat(76))] }]))).toContain(
      '/blocks/0/elements/0/text/text: 76 characters, over 75 by 1',
    );
    const select = {
      type: 'static_select',
      action_id: 's',
      options: [{ text: { type: 'plain_text', text: 'x'.repeat(76) }, value: 'v' }],
    };
    expect(slackLimitProblems(message([{ type: 'actions', elements: [select] }]))).toContain(
      '/blocks/0/elements/0/options/0/text/text: 76 characters, over 75 by 1',
    );
  });

  it('refuses a confirmation dialog whose text is over 300 characters', () => {
    const confirm = {
      title: { type: 'plain_text', text: 'Sure?' },
      text: { type: 'mrkdwn', text: 'x'.repeat(301) },
      confirm: { type: 'plain_text', text: 'Yes' },
      deny: { type: 'plain_text', text: 'No' },
    };
    expect(slackLimitProblems(message([{ type: 'actions', elements: [button('OK', { confirm })] }]))).toContain(
      '/blocks/0/elements/0/confirm/text/text: 301 characters, over 300 by 1',
    );
  });

  it('refuses a modal title of 25 characters', () => {
    expect(slackLimitProblems(modal({ title: { type: 'plain_text', text: 'x'.repeat(24) } }))).toEqual([]);
    expect(slackLimitProblems(modal({ title: { type: 'plain_text', text: 'x'.repeat(25) } }))).toContain(
      '/view/title/text: 25 characters, over 24 by 1',
    );
  });

  it('counts private_metadata in bytes: 1,500 two-byte characters fit, 1,501 do not', () => {
    expect(slackLimitProblems(modal({ private_metadata: 'é'.repeat(1500) }))).toEqual([]);
    expect(slackLimitProblems(modal({ private_metadata: 'é'.repeat(1501) }))).toContain(
      '/view/private_metadata: 3002 bytes, over 3000 by 2',
    );
  });

  it('refuses an initial value longer than its input allows, and duplicate block ids', () => {
    const input = {
      type: 'input',
      block_id: 'name',
      label: { type: 'plain_text', text: 'Name' },
      element: { type: 'plain_text_input', action_id: 'name', max_length: 3, initial_value: 'four' },
    };
    expect(slackLimitProblems(modal({ submit: { type: 'plain_text', text: 'Save' } }, [input]))).toContain(
      '/view/blocks/0/element/initial_value: 4 characters, over 3 by 1',
    );
    const twice = { ...section('x'), block_id: 'same' };
    expect(slackLimitProblems(message([twice, twice]))).toContain('/blocks/1/block_id: duplicate block_id same');
  });

  it('names what it fails on', () => {
    expect(() => assertWithinSlackLimits(message([section('x'.repeat(3001))]))).toThrow(/over 3000 by 1/);
  });
});
