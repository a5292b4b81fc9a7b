import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clipMrkdwn,
  code,
  escapeText,
  joinMrkdwn,
  link,
  Mrkdwn,
  mention,
  mrkdwn,
  slackDate,
  splitMrkdwn,
} from '../../../src/bot/blocks/mrkdwn.js';
import { mrkdwnProblems } from '../../support/liveMarkup.js';
import { now } from './data.js';

const asTyped = (marks: string) => `<!date^00000000^{_}|${marks}>`;
/** No one is in this workspace: any mention, channel or link left alive is a problem. */
const nobody = {
  userIds: new Set<string>(),
  channelIds: new Set<string>(),
  filesUrl: 'https://files.example/',
  archivesUrl: 'https://files.example/archives/',
};
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('the mrkdwn template', () => {
  it('escapes every value it is given and keeps the markup it made', () => {
    const name = '<!here> & <https://evil.example|Acme> <@U0PAT000001>';
    const m = mrkdwn`*${name}* (${3}) was set up by ${mention('U0PAT000001')} on ${slackDate(now)}.`;
    expect(m.text).toBe(
      `*&lt;!here&gt; &amp; &lt;https://evil.example|Acme&gt; &lt;@U0PAT000001&gt;* (3) was set up by <@U0PAT000001> on <!date^1795424400^{date_short_pretty} at {time}|2026-11-23 09:00 UTC>.`,
    );
    expect(mrkdwn`${mrkdwn`*${'a'}*`} and ${'*b*'}`.text).toBe(`*a* and ${asTyped('*')}b${asTyped('*')}`);
    // Vouch's own words format, but cannot hold a control sequence written by hand.
    expect(mrkdwn`Q&A <!here> <@U0PAT000001>`.text).toBe('Q&amp;A &lt;!here&gt; &lt;@U0PAT000001&gt;');
  });

  it('shows Slack’s formatting characters as typed, through the fallback of a date Slack cannot format', () => {
    expect(escapeText('*Bold* ~strike~ _it_ `code` ```block```')).toBe(
      `${asTyped('*')}Bold${asTyped('*')} ${asTyped('~')}strike${asTyped('~')} ${asTyped('_')}it${asTyped('_')} ${asTyped('`')}code${asTyped('`')} ${asTyped('```')}block${asTyped('```')}`,
    );
    // An emoji’s name keeps its underscores, so the emoji still shows.
    expect(escapeText(':white_check_mark: done_')).toBe(`:white_check_mark: done${asTyped('_')}`);
  });

  it('keeps a `>` at the start of a line a character, not a quote', () => {
    expect(escapeText('> quoted\nnot > quoted\n  > again')).toBe('\u00AD&gt; quoted\nnot &gt; quoted\n  \u00AD&gt; again');
  });

  it('is the only way to make markup', () => {
    expect(() => new Mrkdwn(Symbol('forged') as never, '<!here>')).toThrow('made by the mrkdwn template');
    const forged = Object.assign(['<!here>'], { raw: undefined });
    expect(() => mrkdwn(forged as never)).toThrow('template tag');
    // Interpolated into a plain template by mistake, it refuses rather than turning into a string.
    const made = mrkdwn`*x*`;
    expect(() => `${made}`).toThrow('interpolate Mrkdwn into the mrkdwn template');
    expect(JSON.stringify({ made })).toBe('{"made":"*x*"}');
  });

  it('joins made pieces with an escaped separator', () => {
    expect(joinMrkdwn([mention('U0A1'), mention('U0B2')], ', ').text).toBe('<@U0A1>, <@U0B2>');
    expect(joinMrkdwn([mrkdwn`a`, mrkdwn`b`], '<!here>').text).toBe('a&lt;!here&gt;b');
  });
});

describe('the sequences Vouch writes on purpose', () => {
  it('mentions only what is a user id, and shows anything else as text', () => {
    expect(mention('U0PAT000001').text).toBe('<@U0PAT000001>');
    expect(mention('U0X>|<!here').text).toBe('U0X&gt;|&lt;!here');
    expect(mention('').text).toBe('someone');
  });

  it('links only an https address that cannot break out, and labels it as typed', () => {
    expect(link('https://files.example/F1/letter.pdf?a=1&b=2', '*signed* <letter>.pdf').text).toBe(
      '<https://files.example/F1/letter.pdf?a=1&amp;b=2|∗signed∗ &lt;letter&gt;.pdf>',
    );
    expect(link('https://evil.example/x|<!here>', 'letter.pdf').text).toBe('letter.pdf');
    expect(link('javascript:alert(1)', 'x_y').text).toBe(`x${asTyped('_')}y`);
  });

  it('quotes text in a code span: a backtick cannot end it, and a cut keeps it closed', () => {
    expect(code('a`b <!here> & *c*').text).toBe('`aˋb &lt;!here&gt; &amp; *c*`');
    expect(code('').text).toBe('` `');
    const cut = code(`${'&'.repeat(100)}`, 50).text;
    expect(cut).toBe(`\`${'&amp;'.repeat(9)}…\``);
    expect(cut.length).toBeLessThanOrEqual(50);
  });
});

describe('the length of markup', () => {
  it('cuts between whole pieces: never inside an escape, a sequence or a character', () => {
    const m = mrkdwn`${'&'.repeat(3)}${slackDate(now)}😀`;
    expect(clipMrkdwn(m, 14).text).toBe('&amp;&amp;…');
    expect(clipMrkdwn(m, 20).text).toBe('&amp;&amp;&amp;…');
    expect(clipMrkdwn(mrkdwn`ab😀😀`, 5).text).toBe('ab😀…');
    expect(clipMrkdwn(mrkdwn`ab😀😀`, 4).text).toBe('ab…');
    expect(clipMrkdwn(mrkdwn`ab`, 5).text).toBe('ab');
  });

  it('splits at a line break, else at a space, and keeps a quote mark a character at the start of a piece', () => {
    const lines = splitMrkdwn(mrkdwn`${'a'.repeat(8)}\n${'b'.repeat(8)}`, 12);
    expect(lines.map((p) => p.text)).toEqual(['a'.repeat(8), 'b'.repeat(8)]);
    const words = splitMrkdwn(mrkdwn`${'aaaa bbbb cccc'}`, 10);
    expect(words.map((p) => p.text)).toEqual(['aaaa bbbb', 'cccc']);
    const quote = splitMrkdwn(mrkdwn`${'aaaaaa >b'}`, 8);
    expect(quote.map((p) => p.text)).toEqual(['aaaaaa', '\u00AD&gt;b']);
  });

  it('for any text typed, the markup has nothing alive, and every cut or split piece is whole and within its length', () => {
    const typed = fc.string({
      maxLength: 200,
      size: 'max',
      unit: fc.oneof(
        fc.constantFrom('<', '>', '&', '|', '*', '_', '~', '`', '\n', ' ', '!', '@', ':', '😀', '👩‍👩‍👧'),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      ),
    });
    fc.assert(
      fc.property(typed, fc.integer({ min: 30, max: 400 }), (text, max) => {
        const m = mrkdwn`*${text}*: ${text}`;
        expect(mrkdwnProblems(m.text, 'escaped', nobody)).toEqual([]);
        const clipped = clipMrkdwn(m, max).text;
        expect(clipped.length).toBeLessThanOrEqual(max);
        expect(mrkdwnProblems(clipped, 'clipped', nobody)).toEqual([]);
        expect(LONE_SURROGATE.test(clipped)).toBe(false);
        for (const piece of splitMrkdwn(m, max)) {
          expect(piece.text.length).toBeLessThanOrEqual(max);
          expect(mrkdwnProblems(piece.text, 'piece', nobody)).toEqual([]);
          expect(LONE_SURROGATE.test(piece.text)).toBe(false);
          expect(piece.text).not.toMatch(/(^|\n)[ \t]*&gt;/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
