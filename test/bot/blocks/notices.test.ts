import { describe, expect, it } from 'vitest';
import { escapeText } from '../../../src/bot/blocks/format.js';
import { noticeMessage } from '../../../src/bot/blocks/notices.js';
import type { Notice } from '../../../src/domain/notice.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';
import { dateToken, longest, now, people, squash } from './data.js';

const at = now.toISOString();
const on = dateToken(now);
const { pat, cole, sam, riley, support } = people;

/** Every kind of notice, the notification text and the one section it shows. */
const cases: Array<[Notice, string, string]> = [
  [
    { kind: 'invitee_accepted', accountName: 'Acme Corp', inviteeUserId: cole, at },
    'Your invitation to set up Acme Corp was accepted.',
    `:white_check_mark: <@${cole}> accepted your invitation on ${on}. They now hold manage permissions on *Acme Corp* and will set it up.`,
  ],
  [
    { kind: 'invitee_declined', accountName: 'Acme Corp', inviteeUserId: cole, at },
    'Your invitation to set up Acme Corp was declined.',
    `<@${cole}> declined your invitation to set up *Acme Corp* on ${on}. You can still set it up yourself or invite someone else from your setup message.`,
  ],
  [
    { kind: 'invitation_expired_unanswered', accountName: 'Acme Corp', inviteeUserId: cole, at },
    'Your invitation to set up Acme Corp expired unanswered.',
    `<@${cole}> did not answer your invitation to set up *Acme Corp*; it expired on ${on}.`,
  ],
  [
    { kind: 'account_set_up', accountName: 'Acme Corp', byUserId: cole, at },
    'Acme Corp is set up.',
    `:white_check_mark: <@${cole}> set up the *Acme Corp* Enterprise Account on ${on}.`,
  ],
  [
    { kind: 'setup_reminder', accountName: 'Acme Corp', expiresAt: at, at: new Date(Date.parse(at) - 3 * 86_400_000).toISOString() },
    'Reminder: set up Acme Corp.',
    `:hourglass: Reminder: your invitation to set up *Acme Corp* works for 3 more days, until ${on}. Use the buttons in your setup message above, or \`/enterprise setup\` to see it again.`,
  ],
  [
    {
      kind: 'confirmation_reminder',
      accountName: 'Acme Corp',
      inviteeUserId: cole,
      expiresAt: at,
      at: new Date(Date.parse(at) - 2 * 3_600_000).toISOString(),
    },
    'Reminder: confirm Acme Corp.',
    `:hourglass: Reminder: confirm that <@${cole}> should get manage permissions on *Acme Corp*. The confirmation works for 2 more hours, until ${on}, then it expires.`,
  ],
  [
    { kind: 'admin_added', accountName: 'Acme Corp', byUserId: pat },
    'You are now an admin of Acme Corp.',
    `<@${pat}> made you an admin (manage permissions) of *Acme Corp*.`,
  ],
  [
    { kind: 'admin_removed', accountName: 'Acme Corp', byUserId: pat },
    'You are no longer an admin of Acme Corp.',
    `<@${pat}> removed you as an admin of *Acme Corp*. Your setup buttons for it no longer work.`,
  ],
  [
    { kind: 'recovery_vote', reference: 'REC-7KQ2ZP', byUserId: support, approvals: 1, required: 2 },
    'REC-7KQ2ZP: approval 1 of 2.',
    `<@${support}> approved (1 of 2 approvals).`,
  ],
  [
    {
      kind: 'recovery_approved',
      reference: 'REC-7KQ2ZP',
      byUserId: support,
      addedUserId: riley,
      accountName: 'Acme Corp',
      requesterUserId: riley,
      officer: { userId: pat },
    },
    'REC-7KQ2ZP approved.',
    `:white_check_mark: Approved by <@${support}>. <@${riley}> is now an admin of *Acme Corp*. Told by DM: the requester <@${riley}> (the new admin) and the officer <@${pat}>.`,
  ],
  [
    {
      kind: 'recovery_approved',
      reference: 'REC-7KQ2ZP',
      byUserId: support,
      addedUserId: sam,
      accountName: 'Acme Corp',
      requesterUserId: riley,
      officer: { email: 'dana@acme.example' },
    },
    'REC-7KQ2ZP approved.',
    `:white_check_mark: Approved by <@${support}>. <@${sam}> is now an admin of *Acme Corp*. Told by DM: the requester <@${riley}> and the new admin <@${sam}>. The officer (dana@acme.example) is not in this workspace, so they were not told: tell them by e-mail.`,
  ],
  [
    { kind: 'recovery_blocked', reference: 'REC-7KQ2ZP', problem: 'No one in this workspace has the e-mail address riley@acme.example.' },
    'REC-7KQ2ZP could not be completed.',
    ':warning: The approval could not be completed, so the request stays open: No one in this workspace has the e-mail address riley@acme.example.',
  ],
  [
    { kind: 'recovery_rejected', reference: 'REC-7KQ2ZP', byUserId: support, reason: 'The letter is not signed.' },
    'REC-7KQ2ZP rejected.',
    `:x: Rejected by <@${support}>: The letter is not signed.`,
  ],
  [
    { kind: 'recovery_reminder', reference: 'REC-7KQ2ZP', openSince: at },
    'REC-7KQ2ZP is still open.',
    `:hourglass: Still waiting for a decision: open since ${on}.`,
  ],
  [
    { kind: 'recovery_declined', reference: 'REC-7KQ2ZP', accountName: 'Acme Corp', reason: 'The letter is not signed.' },
    'Request REC-7KQ2ZP was not approved.',
    'Support did not approve your request REC-7KQ2ZP for *Acme Corp*: The letter is not signed.',
  ],
  [
    { kind: 'recovery_info_reminder', reference: 'REC-7KQ2ZP', askedAt: at },
    'Support is waiting for your answer on REC-7KQ2ZP.',
    `:hourglass: Support is still waiting for your answer to their question about request REC-7KQ2ZP, asked ${on}. Use *Reply* on the question in this conversation.`,
  ],
];

/** Notices of several sections: a question and its answer in the request's thread. */
const sectionsOf = (notice: Notice) => noticeMessage(notice).blocks.map((b) => (b.type === 'section' ? b.text?.text : b.type));
const answered = (over: Partial<Extract<Notice, { kind: 'recovery_info_provided' }>> = {}): Notice => ({
  kind: 'recovery_info_provided',
  reference: 'REC-7KQ2ZP',
  requesterUserId: riley,
  askedBy: sam,
  question: 'Who signed it?',
  answer: 'Our CIO,\n> Dana.',
  letter: null,
  withdrawnApprovers: [],
  ...over,
});

describe('support’s question and the requester’s answer, in the request’s thread', () => {
  it('the question, quoted as typed, and that the approvals so far keep counting', () => {
    const notice: Notice = {
      kind: 'recovery_info_requested',
      reference: 'REC-7KQ2ZP',
      byUserId: sam,
      requesterUserId: riley,
      question: 'Who *signed* it?\n<!here>',
    };
    expect(noticeMessage(notice).text).toBe('REC-7KQ2ZP: more information asked.');
    expect(sectionsOf(notice)).toEqual([
      `:speech_balloon: <@${sam}> asked <@${riley}> for more information:`,
      `&gt;${escapeText('Who *signed* it?')}\n&gt;&lt;!here&gt;`,
      'The request waits for their answer; the approvals given so far keep counting.',
    ]);
  });

  it('the answer under the question; a line of the answer that starts with > stays a character', () => {
    expect(noticeMessage(answered()).text).toBe('REC-7KQ2ZP: the requester answered.');
    expect(sectionsOf(answered())).toEqual([
      `:speech_balloon: <@${riley}> answered <@${sam}>’s question:`,
      '&gt;Who signed it?',
      `*Answer*\n&gt;Our CIO,\n&gt;${escapeText('> Dana.')}`,
      'The request is back for review.',
    ]);
  });

  it('a corrected letter with its fingerprint, and the approvals it voided', () => {
    const letter = { name: 'signed.pdf', sha256: 'b'.repeat(64) };
    expect(sectionsOf(answered({ letter, withdrawnApprovers: [support] })).at(-1)).toBe(
      `With a corrected letter, *signed.pdf* (SHA-256 \`${'b'.repeat(64)}\`), uploaded below: it replaces the letter under review. The approval of <@${support}> was for the previous letter and no longer counts. The request is back for review.`,
    );
    expect(sectionsOf(answered({ letter, withdrawnApprovers: [support, pat] })).at(-1)).toContain(
      `The approvals of <@${support}> and <@${pat}> were for the previous letter and no longer count.`,
    );
    expect(sectionsOf(answered({ letter })).at(-1)).toBe(
      `With a corrected letter, *signed.pdf* (SHA-256 \`${'b'.repeat(64)}\`), uploaded below: it replaces the letter under review. The request is back for review.`,
    );
  });

  it('the longest question and answer fit, shown whole', () => {
    const m = noticeMessage(
      answered({ question: longest.question, answer: longest.answer, letter: { name: 'x.pdf', sha256: 'b'.repeat(64) } }),
    );
    assertWithinSlackLimits(m);
    const all = squash(sectionsOf(answered({ question: longest.question, answer: longest.answer })).join(''));
    expect(all).toContain(squash(escapeText(longest.question)));
    expect(all).toContain(squash(escapeText(longest.answer)));
  });
});

const granted = (audience: 'requester' | 'new_admin' | 'officer', accountName = 'Acme Corp'): Notice => ({
  kind: 'recovery_granted',
  audience,
  reference: 'REC-7KQ2ZP',
  accountName,
  addedUserId: sam,
  requesterUserId: riley,
  officerName: 'Dana Whitfield',
});

describe('the notices people get about someone else’s action', () => {
  it.each(cases.map(([notice, text, mrkdwn]) => ({ kind: notice.kind, notice, text, mrkdwn })))(
    '$kind says what happened in one section',
    ({ notice, text, mrkdwn }) => {
      expect(noticeMessage(notice)).toEqual({
        text,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn, verbatim: true } }],
      });
    },
  );

  it('a reminder queued before reminders said how long is left still says until when', () => {
    const old: Notice = { kind: 'setup_reminder', accountName: 'Acme Corp', expiresAt: at };
    expect(noticeMessage(old).blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:hourglass: Reminder: your invitation to set up *Acme Corp* works until ${on}. Use the buttons in your setup message above, or \`/enterprise setup\` to see it again.`,
          verbatim: true,
        },
      },
    ]);
  });

  it('an approved recovery is told to the requester, the new admin and the officer, each in their own words', () => {
    const section = (audience: 'requester' | 'new_admin' | 'officer') => {
      const m = noticeMessage(granted(audience));
      expect(m.text).toBe('Request REC-7KQ2ZP approved.');
      return m.blocks[0]?.type === 'section' ? m.blocks[0].text?.text : undefined;
    };
    expect(section('requester')).toBe(
      `:white_check_mark: Support approved your request REC-7KQ2ZP: <@${sam}> is now an admin of *Acme Corp*.`,
    );
    expect(section('new_admin')).toBe(
      `:white_check_mark: You are now an admin of *Acme Corp* (request REC-7KQ2ZP by <@${riley}>, approved by support).`,
    );
    expect(section('officer')).toBe(
      `Your letter authorised a change on *Acme Corp*: support approved request REC-7KQ2ZP by <@${riley}>, and <@${sam}> is now an admin.`,
    );
  });

  it('shows names and reasons as typed: a mention or link in them stays text', () => {
    const m = noticeMessage({
      kind: 'recovery_declined',
      reference: 'REC-7KQ2ZP',
      accountName: '<!channel>',
      reason: '<https://evil.example|here>',
    });
    expect(m.blocks[0]).toMatchObject({
      text: { text: 'Support did not approve your request REC-7KQ2ZP for *&lt;!channel&gt;*: &lt;https://evil.example|here&gt;' },
    });
  });
});

/** Every notice with the longest name, address and reason Vouch accepts. */
const longestNotices = (): Notice[] =>
  cases
    .map(([notice]): Notice => {
      const n = { ...notice } as Record<string, unknown>;
      if ('accountName' in n) n.accountName = longest.accountName;
      if ('officerEmail' in n) n.officerEmail = longest.officerEmail;
      if (n.kind === 'recovery_approved' && 'email' in (n.officer as object)) n.officer = { email: longest.officerEmail };
      if ('reason' in n) n.reason = longest.rejectionReason;
      if ('problem' in n)
        n.problem = `No one in this workspace has the e-mail address ${longest.emailToAdd}. Ask them to join Slack, then approve again.`;
      return n as Notice;
    })
    .concat([
      granted('requester', longest.accountName),
      granted('new_admin', longest.accountName),
      granted('officer', longest.accountName),
    ]);

describe('the notices within Slack’s limits', () => {
  it.each(longestNotices().map((notice) => ({ kind: notice.kind, notice })))(
    '$kind fits with the longest name, address and reason, shown whole',
    ({ notice }) => {
      const m = noticeMessage(notice);
      assertWithinSlackLimits(m);
      const shown = m.blocks.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : '')).join(' ');
      expect(shown).not.toMatch(/…$/);
      if ('accountName' in notice) expect(squash(shown)).toContain(squash(`*${escapeText(notice.accountName)}*`));
      if ('reason' in notice) expect(squash(shown)).toContain(squash(escapeText(notice.reason)));
    },
  );
});
