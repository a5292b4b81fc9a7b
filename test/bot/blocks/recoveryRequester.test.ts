import type { SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { escapeText } from '../../../src/bot/blocks/format.js';
import { recoveryQuestionMessage, recoveryReceipt } from '../../../src/bot/blocks/recoveryRequester.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';
import {
  buttonsIn,
  dateToken,
  ids,
  inHours,
  longest,
  longestRecoveryRequest,
  now,
  people,
  recoveryQuestion,
  recoveryRequest,
  squash,
  textsOf,
} from './data.js';

const fieldTexts = (blocks: ReturnType<typeof recoveryReceipt>['blocks']) =>
  blocks.flatMap((b) => (b.type === 'section' && (b as SectionBlock).fields ? ((b as SectionBlock).fields ?? []).map((f) => f.text) : []));
const shown = (m: ReturnType<typeof recoveryReceipt>) => [...textsOf(m.blocks, 'section'), ...textsOf(m.blocks, 'context')].join('\n');

describe('the requester’s receipt', () => {
  it('names the reference, what was sent (the letter’s six items and the file) and what happens next', () => {
    const m = recoveryReceipt({ request: recoveryRequest(), question: null });
    expect(m.text).toBe('Your request REC-7KQ2ZP: waiting for support’s review.');
    expect(textsOf(m.blocks, 'header')).toEqual(['Your admin recovery request REC-7KQ2ZP']);
    expect(fieldTexts(m.blocks)).toEqual([
      '*Account*\nAcme Corp',
      '*E-mail to add*\nriley@acme.example',
      '*Contract number*\nC-1042',
      '*Officer*\nDana Whitfield, CIO',
      '*Officer’s e-mail*\ndana@acme.example',
      '*Signed letter*\nletter.pdf',
    ]);
    expect(textsOf(m.blocks, 'section')).toEqual([
      ':hourglass_flowing_sand: *Waiting for support’s review.* Support checks your letter against *Acme Corp* in its own channel.',
      '*What you sent*',
      '*Why the change is necessary*\nOur only admin left the company and her mailbox was deleted.',
      '*What happens next*\nSupport reviews the request. If it is approved, riley@acme.example becomes an admin of *Acme Corp*, and you and the officer are told by DM; if not, you are told why. If support needs more, their question comes here with a *Reply* button. This receipt shows every step.',
    ]);
    expect(textsOf(m.blocks, 'context')).toEqual([
      `SHA-256 of the letter: \`${'a'.repeat(64)}\`. Sent ${dateToken(now)}. Quote REC-7KQ2ZP if you contact support.`,
    ]);
    expect(buttonsIn(m.blocks)).toEqual([]);
    assertWithinSlackLimits(m);
  });

  it('says how many approvals a quorum needs', () => {
    expect(shown(recoveryReceipt({ request: recoveryRequest({ approvalsRequired: 2 }), question: null }))).toContain(
      'Support reviews the request (2 support members must approve it).',
    );
  });

  it('shows support’s question while it waits for the answer', () => {
    const m = recoveryReceipt({
      request: recoveryRequest({ status: 'awaiting_info' }),
      question: recoveryQuestion({ askedAt: inHours(2) }),
    });
    expect(m.text).toBe('Your request REC-7KQ2ZP: support asked for more information.');
    expect(textsOf(m.blocks, 'section').slice(0, 3)).toEqual([
      `:speech_balloon: *Support asked for more information* ${dateToken(inHours(2))}:`,
      '&gt;The letter is not signed.\n&gt;Can you send one signed in ink?',
      'Answer with *Reply* on the question in this conversation; you can attach a corrected letter there.',
    ]);
    expect(shown(m)).toContain('*What happens next*');
  });

  it('once approved: who is now an admin, and nothing next', () => {
    const m = recoveryReceipt({
      request: recoveryRequest({ status: 'approved', decidedAt: inHours(5), addedUserId: people.riley }),
      question: null,
    });
    expect(m.text).toBe('Your request REC-7KQ2ZP: approved.');
    expect(textsOf(m.blocks, 'section')[0]).toBe(
      `:white_check_mark: *Approved* ${dateToken(inHours(5))}: <@${people.riley}> is now an admin of *Acme Corp*.`,
    );
    expect(shown(m)).not.toContain('What happens next');
  });

  it('once rejected: the reason as typed, and how to ask again', () => {
    const m = recoveryReceipt({
      request: recoveryRequest({ status: 'rejected', decidedAt: inHours(5), rejectionReason: 'Not *signed* <!here>.' }),
      question: null,
    });
    expect(m.text).toBe('Your request REC-7KQ2ZP: not approved.');
    expect(textsOf(m.blocks, 'section').slice(0, 2)).toEqual([
      `:x: *Not approved* ${dateToken(inHours(5))}: ${escapeText('Not *signed* <!here>.')}`,
      'You can send a new request with `/enterprise recover`.',
    ]);
    expect(shown(m)).not.toContain('What happens next');
  });

  it('fits Slack’s limits with every field at its longest, the reason whole', () => {
    const r = longestRecoveryRequest({ status: 'rejected', rejectionReason: longest.rejectionReason, decidedAt: now });
    const m = recoveryReceipt({ request: r, question: null });
    assertWithinSlackLimits(m);
    const texts = textsOf(m.blocks, 'section');
    const start = texts.findIndex((t) => t.startsWith('*Why the change is necessary*'));
    expect(squash(texts.slice(start).join(''))).toBe(squash(`*Why the change is necessary*\n${escapeText(r.reason)}`));
    const waiting = recoveryReceipt({
      request: longestRecoveryRequest({ status: 'awaiting_info' }),
      question: recoveryQuestion({ question: longest.question }),
    });
    assertWithinSlackLimits(waiting);
  });
});

describe('support’s question, by DM to the requester', () => {
  it('asks with Reply while it waits for the answer', () => {
    const m = recoveryQuestionMessage({ question: recoveryQuestion(), request: recoveryRequest({ status: 'awaiting_info' }) });
    expect(m.text).toBe('Support asks about your request REC-7KQ2ZP: please answer.');
    expect(textsOf(m.blocks, 'section')).toEqual([
      `:speech_balloon: <@${people.sam}> from support asks about your request *REC-7KQ2ZP* for *Acme Corp*:`,
      '&gt;The letter is not signed.\n&gt;Can you send one signed in ink?',
    ]);
    expect(buttonsIn(m.blocks)).toEqual([
      { blockId: `recovery_question:${ids.question}`, label: 'Reply', actionId: 'recovery.answer', value: ids.question, style: 'primary' },
    ]);
    assertWithinSlackLimits(m);
  });

  it('once answered: the answer and the corrected letter, and no button', () => {
    const m = recoveryQuestionMessage({
      question: recoveryQuestion({
        status: 'answered',
        answer: 'Here it is.',
        answeredAt: inHours(1),
        letterFileName: 'signed.pdf',
        letterSha256: 'b'.repeat(64),
      }),
      request: recoveryRequest(),
    });
    expect(m.text).toBe('Support asks about your request REC-7KQ2ZP: answered.');
    expect(textsOf(m.blocks, 'section').slice(2)).toEqual([`:white_check_mark: You answered ${dateToken(inHours(1))}:`, '&gt;Here it is.']);
    expect(textsOf(m.blocks, 'context')).toEqual([
      `With a corrected letter: signed.pdf (SHA-256 \`${'b'.repeat(64)}\`).`,
      'Support has your answer; your receipt shows where the request stands.',
    ]);
    expect(buttonsIn(m.blocks)).toEqual([]);
  });

  it('once the request was decided without an answer: none is needed, and no button', () => {
    const m = recoveryQuestionMessage({
      question: recoveryQuestion({ status: 'withdrawn' }),
      request: recoveryRequest({ status: 'rejected' }),
    });
    expect(m.text).toBe('Support asks about your request REC-7KQ2ZP: no answer needed any more.');
    expect(textsOf(m.blocks, 'section').at(-1)).toBe(
      'No answer is needed any more: support decided the request. Your receipt shows the outcome.',
    );
    expect(buttonsIn(m.blocks)).toEqual([]);
  });

  it('shows the question and the answer as typed, whole, at their longest', () => {
    const m = recoveryQuestionMessage({
      question: recoveryQuestion({ question: longest.question, status: 'answered', answer: longest.answer, answeredAt: now }),
      request: longestRecoveryRequest(),
    });
    assertWithinSlackLimits(m);
    const all = squash(textsOf(m.blocks, 'section').join(''));
    expect(all).toContain(squash(`&gt;${escapeText(longest.question)}`));
    expect(all).toContain(squash(`&gt;${escapeText(longest.answer)}`));
  });
});
