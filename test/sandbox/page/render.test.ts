import { describe, expect, it } from 'vitest';
import { mrkdwn, renderBlocks, type Directory } from '../../../src/sandbox/page/render.js';

const directory: Directory = {
  userName: (id) => ({ U0PAT: 'Pat Primary' })[id],
  channelName: (id) => ({ C0SUPPORT: 'enterprise-support' })[id],
  link: (url) => url.replace('https://files.example/', '/files/'),
  people: [{ id: 'U0PAT', realName: 'Pat Primary' }],
};

describe('mrkdwn on the sandbox page', () => {
  it('escapes HTML before adding any markup', () => {
    // Like Slack, <…> is a control sequence: an unknown one shows its text, never a tag.
    expect(mrkdwn('<script>alert(1)</script> & "x"', directory)).toBe('scriptalert(1)/script &amp; &quot;x&quot;');
    expect(mrkdwn('&lt;b&gt;not bold&lt;/b&gt; &amp; co', directory)).toBe('&lt;b&gt;not bold&lt;/b&gt; &amp; co');
    expect(mrkdwn('<javascript:alert(1)|click me>', directory)).toBe('click me');
    expect(mrkdwn('*<img src=x onerror=alert(1)>*', directory)).toBe('<strong>img src=x onerror=alert(1)</strong>');
  });

  it('shows bold, italic, code, emoji and line breaks', () => {
    expect(mrkdwn('*Acme Corp* is _set up_ :white_check_mark:\nrun `/enterprise set_up`', directory)).toBe(
      '<strong>Acme Corp</strong> is <em>set up</em> ✅<br>run <code>/enterprise set_up</code>',
    );
    expect(mrkdwn('snake_case_words and 2*3*4 stay as they are; :unknown_emoji: too', directory)).toBe(
      'snake_case_words and 2*3*4 stay as they are; :unknown_emoji: too',
    );
  });

  it('names people and channels, shows dates by their fallback, and links web addresses only', () => {
    expect(mrkdwn('<@U0PAT> and <@U0GONE> in <#C0SUPPORT>', directory)).toBe(
      '<span class="mention">@Pat Primary</span> and <span class="mention">@U0GONE</span> in <span class="mention">#enterprise-support</span>',
    );
    expect(mrkdwn('until <!date^1795424400^{date_short_pretty} at {time}|2026-11-23 09:00 UTC>', directory)).toBe(
      'until <time datetime="2026-11-23T09:00:00.000Z">2026-11-23 09:00 UTC</time>',
    );
    expect(mrkdwn('<https://example.com/a?b=1&amp;c=2|the *letter*>', directory)).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">the *letter*</a>',
    );
    expect(mrkdwn('<https://files.example/F1/letter.pdf>', directory)).toContain('href="/files/F1/letter.pdf"');
  });
});

describe('Block Kit on the sandbox page', () => {
  it('draws buttons as real buttons that say their style in words', () => {
    const html = renderBlocks(
      [
        {
          type: 'actions',
          block_id: 'b1',
          elements: [
            { type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Approve' }, style: 'primary' },
            {
              type: 'button',
              action_id: 'stop',
              text: { type: 'plain_text', text: 'Reject' },
              style: 'danger',
              confirm: {
                title: { type: 'plain_text', text: 'Sure?' },
                text: { type: 'mrkdwn', text: '*Really*' },
                confirm: { type: 'plain_text', text: 'Yes' },
                deny: { type: 'plain_text', text: 'No' },
              },
            },
          ],
        },
      ],
      directory,
    );
    expect(html).toContain(
      '<button type="button" class="bk-button bk-primary" data-label="Approve" data-action-id="go">Approve<span class="visually-hidden"> (primary)</span></button>',
    );
    expect(html).toContain('class="bk-button bk-danger"');
    expect(html).toContain('(danger)');
    expect(html).toContain(
      'data-confirm="{&quot;title&quot;:&quot;Sure?&quot;,&quot;html&quot;:&quot;&lt;strong&gt;Really&lt;/strong&gt;&quot;',
    );
  });

  it('draws modal inputs with their labels, what was typed, and inline errors', () => {
    const html = renderBlocks(
      [
        {
          type: 'input',
          block_id: 'who',
          label: { type: 'plain_text', text: 'Person' },
          optional: true,
          element: { type: 'users_select', action_id: 'who' },
        },
        {
          type: 'input',
          block_id: 'why',
          label: { type: 'plain_text', text: 'Why' },
          element: { type: 'plain_text_input', action_id: 'why', multiline: true },
        },
      ],
      directory,
      {
        state: {
          who: { who: { type: 'users_select', selected_user: 'U0PAT' } },
          why: { why: { type: 'plain_text_input', value: '<because>' } },
        },
        errors: { why: 'Say why.' },
      },
    );
    expect(html).toContain('<label for="field-who">Person <span class="optional">(optional)</span></label>');
    expect(html).toContain('<option value="U0PAT" selected>Pat Primary</option>');
    expect(html).toContain('&lt;because&gt;</textarea>');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('id="field-why-error"');
    expect(html).toContain('Say why.');
  });

  it('draws selects, numbers, e-mail and file inputs, and says what it cannot draw', () => {
    const input = (id: string, element: Record<string, unknown>) => ({
      type: 'input',
      block_id: id,
      label: { type: 'plain_text', text: id },
      element: { action_id: id, ...element },
    });
    const option = (value: string) => ({ text: { type: 'plain_text', text: `Plan ${value}` }, value });
    const html = renderBlocks(
      [
        input('plan', { type: 'static_select', options: [option('a'), option('b')], initial_option: option('b') }),
        input('seats', { type: 'number_input', is_decimal_allowed: false, min_value: '1' }),
        input('mail', { type: 'email_text_input' }),
        input('letter', { type: 'file_input', filetypes: ['pdf', 'png'], max_files: 1 }),
        input('when', { type: 'datepicker' }),
      ],
      directory,
      { state: { letter: { letter: { type: 'file_input', files: [{ id: 'F1', name: 'letter.pdf' }] } } }, errors: {} },
    );
    expect(html).toContain('<option value="b" selected>Plan b</option>');
    expect(html).toContain('type="number" value="" step="1" min="1" data-field="text"');
    expect(html).toContain('type="email"');
    expect(html).toContain('type="file" accept=".pdf,.png" data-field="files"');
    expect(html).toContain('Attached: letter.pdf');
    expect(html).toContain('[The sandbox does not show this datepicker input.]');
  });
});
