import type { SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { escapeText } from '../../../src/bot/blocks/format.js';
import { approveDialog, checksText, recoverAdvice, recoveryMessage } from '../../../src/bot/blocks/recoveryMessages.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';
import {
  buttonsIn,
  checks,
  dateToken,
  ids,
  inHours,
  longestRecoveryRequest,
  now,
  people,
  recoveryQuestion,
  recoveryRequest,
  squash,
  textsOf,
} from './data.js';

const fieldTexts = (blocks: ReturnType<typeof recoveryMessage>['blocks']) =>
  blocks.flatMap((b) => (b.type === 'section' && (b as SectionBlock).fields ? ((b as SectionBlock).fields ?? []).map((f) => f.text) : []));

describe('the recovery request in the support channel', () => {
  it('shows the letter’s contents, the letter, its fingerprint and the checks, with Approve, Ask for more information and Reject', () => {
    const m = recoveryMessage({ request: recoveryRequest(), approverUserIds: [], question: null });
    expect(m.text).toBe('Admin recovery request REC-7KQ2ZP: waiting for support (0 of 1 approvals).');
    expect(textsOf(m.blocks, 'header')).toEqual(['Admin recovery request REC-7KQ2ZP']);
    expect(fieldTexts(m.blocks)).toEqual([
      '*Account*\nAcme Corp',
      '*E-mail to add*\nriley@acme.example',
      '*Contract number*\nC-1042',
      `*Requested by*\n<@${people.riley}>`,
      '*Officer*\nDana Whitfield, CIO',
      '*Officer’s e-mail*\ndana@acme.example',
    ]);
    expect(textsOf(m.blocks, 'section')).toEqual([
      '*Why the change is necessary*\nOur only admin left the company and her mailbox was deleted.',
      '*Signed letter*: <https://acme.slack.com/files/U0RILEY0001/F0LETTER01/letter.pdf|letter.pdf>, uploaded into this request’s thread',
      `*Checks* (when the request came in)\n${checksText(checks).text}`,
    ]);
    expect(textsOf(m.blocks, 'context')).toEqual([
      `SHA-256 of the letter: \`${'a'.repeat(64)}\``,
      `Approvals: 0 of 1. Requested ${dateToken(now)}.`,
    ]);
    expect(buttonsIn(m.blocks)).toEqual([
      { blockId: `recovery:${ids.request}`, label: 'Approve', actionId: 'recovery.approve', value: ids.request, style: 'primary' },
      { blockId: `recovery:${ids.request}`, label: 'Ask for more information', actionId: 'recovery.ask', value: ids.request },
      { blockId: `recovery:${ids.request}`, label: 'Reject', actionId: 'recovery.reject', value: ids.request, style: 'danger' },
    ]);
  });

  it('reads each check without colour: an emoji and a word', () => {
    expect(checksText(checks).text).toBe(
      [
        ':white_check_mark: OK: *Account*: Found: Acme Corp.',
        ':warning: Check: *Active admins*: 1 active admin(s): they could add this person themselves.',
        ':x: Problem: *Contract number*: Does not match the account’s contract number.',
      ].join('\n'),
    );
  });

  it('names the letter without a link when Slack gave none', () => {
    const m = recoveryMessage({
      request: recoveryRequest({ letterPermalink: null, letterFileName: 'a&b.pdf' }),
      approverUserIds: [],
      question: null,
    });
    expect(textsOf(m.blocks, 'section')).toContain('*Signed letter*: a&amp;b.pdf, uploaded into this request’s thread');
  });

  it('counts the approvals so far and says why the last one could not complete', () => {
    const m = recoveryMessage({
      request: recoveryRequest({
        approvalsRequired: 2,
        blockedReason: 'No one in this workspace has the e-mail address riley@acme.example.',
      }),
      approverUserIds: [people.support],
      question: null,
    });
    expect(m.text).toBe('Admin recovery request REC-7KQ2ZP: waiting for support (1 of 2 approvals).');
    expect(textsOf(m.blocks, 'context')).toContain(`Approvals: 1 of 2 (<@${people.support}>). Requested ${dateToken(now)}.`);
    expect(textsOf(m.blocks, 'section')).toContain(
      ':warning: The last approval could not complete: No one in this workspace has the e-mail address riley@acme.example.',
    );
    expect(buttonsIn(m.blocks).map((b) => b.label)).toEqual(['Approve', 'Ask for more information', 'Reject']);
  });

  it('once approved, shows who approved, when, and who is now an admin, with no buttons left', () => {
    const m = recoveryMessage({
      request: recoveryRequest({ status: 'approved', decidedAt: inHours(2), decidedBy: people.support, addedUserId: people.sam }),
      approverUserIds: [people.support, people.pat],
      question: null,
    });
    expect(m.text).toBe('Admin recovery request REC-7KQ2ZP: approved.');
    expect(textsOf(m.blocks, 'section').at(-1)).toBe(
      `:white_check_mark: *Approved* by <@${people.support}>, <@${people.pat}> on ${dateToken(inHours(2))}. <@${people.sam}> is now an admin of *Acme Corp*.`,
    );
    expect(buttonsIn(m.blocks)).toEqual([]);
  });

  it('once rejected, shows who rejected it, when and why, with no buttons left', () => {
    const m = recoveryMessage({
      request: recoveryRequest({
        status: 'rejected',
        decidedAt: inHours(2),
        decidedBy: people.support,
        rejectionReason: 'The letter is not signed.',
      }),
      approverUserIds: [],
      question: null,
    });
    expect(m.text).toBe('Admin recovery request REC-7KQ2ZP: rejected.');
    expect(textsOf(m.blocks, 'section').at(-1)).toBe(
      `:x: *Rejected* by <@${people.support}> on ${dateToken(inHours(2))}: The letter is not signed.`,
    );
    expect(buttonsIn(m.blocks)).toEqual([]);
  });

  it('shows what the requester typed as typed', () => {
    const m = recoveryMessage({
      request: recoveryRequest({ accountName: '<!channel>', reason: 'See <https://evil.example|this> & that' }),
      approverUserIds: [],
      question: null,
    });
    expect(fieldTexts(m.blocks)[0]).toBe('*Account*\n&lt;!channel&gt;');
    expect(textsOf(m.blocks, 'section')[0]).toBe('*Why the change is necessary*\nSee &lt;https://evil.example|this&gt; &amp; that');
  });
});

describe('the recovery request within Slack’s limits', () => {
  const decided = {
    open: { blockedReason: 'Slack could not look up the address (ratelimited). Try approving again in a moment.' },
    approved: { decidedAt: inHours(2), decidedBy: people.support, addedUserId: people.sam },
    rejected: { decidedAt: inHours(2), decidedBy: people.support, rejectionReason: '&'.repeat(500) },
  } as const;
  const tenApprovers = Array.from({ length: 10 }, (_, i) => `U0APPROVER${i}`);

  it.each(['open', 'approved', 'rejected'] as const)('fits when %s, with every field at its longest and ten approvals', (status) => {
    const m = recoveryMessage({
      request: longestRecoveryRequest({ status, approvalsRequired: 10, ...decided[status] }),
      approverUserIds: tenApprovers,
      question: null,
    });
    assertWithinSlackLimits(m);
  });

  it('shows the account, the address, the contract number and the officer whole, at their longest', () => {
    const r = longestRecoveryRequest();
    const m = recoveryMessage({ request: r, approverUserIds: [], question: null });
    // What fits a field (2,000 characters) stays side by side; what does not gets its own section.
    expect(fieldTexts(m.blocks)).toEqual([
      `*Account*\n${escapeText(r.accountName)}`,
      `*Contract number*\n${escapeText(r.contractNumber)}`,
      `*Requested by*\n<@${people.riley}>`,
    ]);
    expect(textsOf(m.blocks, 'section').slice(0, 3)).toEqual([
      `*E-mail to add*\n${escapeText(r.emailToAdd)}`,
      `*Officer*\n${escapeText(r.officerName)}, ${escapeText(r.officerTitle)}`,
      `*Officer’s e-mail*\n${escapeText(r.officerEmail)}`,
    ]);
  });

  it('shows the longest reason in plain words whole', () => {
    const reason = 'x'.repeat(2000);
    const m = recoveryMessage({ request: recoveryRequest({ reason }), approverUserIds: [], question: null });
    expect(textsOf(m.blocks, 'section')[0]).toBe(`*Why the change is necessary*\n${reason}`);
  });

  it('splits a reason longer than a section over several, cut between lines or words, never inside an entity', () => {
    const reason = `${'&'.repeat(300)} ${'word '.repeat(200)}\n${'&lt; '.repeat(100)}`.slice(0, 2000);
    const m = recoveryMessage({ request: recoveryRequest({ reason }), approverUserIds: [], question: null });
    const texts = textsOf(m.blocks, 'section');
    const end = texts.findIndex((t) => t.startsWith('*Signed letter*'));
    const pieces = texts.slice(0, end);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(3000);
      expect(piece).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(piece).not.toMatch(/…$/);
    }
    expect(squash(pieces.join(''))).toBe(squash(`*Why the change is necessary*\n${escapeText(reason)}`));
    assertWithinSlackLimits(m);
  });

  it('splits a reason of 300 `&` then 800 emoji without cutting an emoji in half', () => {
    const reason = `${'&'.repeat(300)}${'😀'.repeat(800)}`;
    const m = recoveryMessage({ request: recoveryRequest({ reason }), approverUserIds: [], question: null });
    assertWithinSlackLimits(m);
    const texts = textsOf(m.blocks, 'section');
    const end = texts.findIndex((t) => t.startsWith('*Signed letter*'));
    expect(texts.slice(0, end).join('')).toBe(`*Why the change is necessary*\n${'&amp;'.repeat(300)}${'😀'.repeat(800)}`);
  });

  it('shows the costliest reason whole, over as many sections as it takes', () => {
    const r = longestRecoveryRequest();
    const m = recoveryMessage({ request: r, approverUserIds: [], question: null });
    const texts = textsOf(m.blocks, 'section');
    const start = texts.findIndex((t) => t.startsWith('*Why the change is necessary*'));
    const end = texts.findIndex((t) => t.startsWith('*Signed letter*'));
    expect(end - start).toBeGreaterThan(1);
    expect(squash(texts.slice(start, end).join(''))).toBe(squash(`*Why the change is necessary*\n${escapeText(r.reason)}`));
    assertWithinSlackLimits(m);
  });
});

describe('the recovery request while a question waits for the requester', () => {
  it('shows the question, who asked it and when, the approvals so far, and Reject alone', () => {
    const m = recoveryMessage({
      request: recoveryRequest({ status: 'awaiting_info', approvalsRequired: 2 }),
      approverUserIds: [people.support],
      question: recoveryQuestion({ askedAt: inHours(1) }),
    });
    expect(m.text).toBe('Admin recovery request REC-7KQ2ZP: waiting for the requester’s answer.');
    expect(textsOf(m.blocks, 'section').slice(-2)).toEqual([
      `:speech_balloon: *Waiting for the requester’s answer* to <@${people.sam}>’s question, asked ${dateToken(inHours(1))}:`,
      '&gt;The letter is not signed.\n&gt;Can you send one signed in ink?',
    ]);
    expect(textsOf(m.blocks, 'context').slice(-2)).toEqual([
      `Approvals: 1 of 2 (<@${people.support}>). Requested ${dateToken(now)}.`,
      'It can be approved, or asked about again, once they answer; their answer comes into this thread.',
    ]);
    expect(buttonsIn(m.blocks)).toEqual([
      { blockId: `recovery:${ids.request}`, label: 'Reject', actionId: 'recovery.reject', value: ids.request, style: 'danger' },
    ]);
    assertWithinSlackLimits(m);
  });
});

describe('/enterprise recover', () => {
  it('gives the advice first, then offers Request admin access', () => {
    const m = recoverAdvice();
    expect(m.text).toBe(
      'Before asking support: work with your IT department to recover the e-mail account of the existing admin, then reset that admin’s password. That admin can then add you with the right permissions.',
    );
    expect(textsOf(m.blocks, 'section')).toEqual([
      `*Lost every admin of an Enterprise Account?*\n${m.text}`,
      'If the admin’s e-mail cannot be recovered, ask support. You will need a letter from a C-level officer (CEO, CIO, CFO or business owner) with their handwritten signature, their title and e-mail address, the account name, the e-mail address to add, why the change is necessary and the contract number.',
    ]);
    expect(buttonsIn(m.blocks)).toEqual([
      { blockId: 'recovery:start', label: 'Request admin access', actionId: 'recovery.request', value: 'start', style: 'primary' },
    ]);
    assertWithinSlackLimits(m);
  });
});

describe('Approve asks first (a confirm object)', () => {
  const confirmOf = (m: ReturnType<typeof recoveryMessage>) =>
    (m.blocks.at(-1) as { elements: Array<{ confirm?: { title: { text: string }; text: { type: string; text: string } } }> }).elements[0]
      ?.confirm;

  it('says who becomes an admin of what, in plain text so the e-mail and the name show as typed', () => {
    const m = recoveryMessage({ request: recoveryRequest({ accountName: '*Acme* <!here>' }), approverUserIds: [], question: null });
    expect(confirmOf(m)?.title.text).toMatch(/^Approve REC-/);
    expect(confirmOf(m)?.text).toEqual({
      type: 'plain_text',
      text: `Once you approve, the person with the e-mail ${recoveryRequest().emailToAdd} becomes an admin of “*Acme* <!here>” (manage permissions), and the requester, the new admin and the officer are told.`,
    });
  });

  it('below the quorum, which approval this is; at its longest it fits Slack’s 300 characters', () => {
    expect(approveDialog({ ...recoveryRequest(), approvalsRequired: 3 }, 1).text).toMatch(
      /^Yours would be approval 2 of 3\. When all 3 are in,/,
    );
    const m = recoveryMessage({ request: longestRecoveryRequest(), approverUserIds: [], question: null });
    expect(confirmOf(m)?.text.text.length).toBeLessThanOrEqual(300);
    assertWithinSlackLimits(m);
  });
});
