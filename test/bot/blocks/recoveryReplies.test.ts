import { describe, expect, it } from 'vitest';
import {
  recoveryAnswerNotSent,
  recoveryNotFiled,
  recoveryRefusalMessage,
  recoveryRefusalText,
} from '../../../src/bot/blocks/recoveryReplies.js';
import type { RecoveryRefusal } from '../../../src/domain/recovery.js';
import type { LetterProblem } from '../../../src/domain/letter.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';

const refusals: Array<[RecoveryRefusal, string]> = [
  [{ reason: 'not_support' }, 'Only members of the support channel can decide recovery requests, so nothing was changed.'],
  [{ reason: 'own_request' }, 'You cannot decide your own request (or one that adds your own address), so nothing was changed.'],
  [{ reason: 'already_voted' }, 'You already approved this request; it needs another support member’s approval.'],
  [{ reason: 'already_decided', status: 'approved' }, 'This request was already approved, so nothing was changed.'],
  [{ reason: 'already_decided', status: 'rejected' }, 'This request was already rejected, so nothing was changed.'],
  [
    { reason: 'awaiting_info' },
    'This request waits for the requester’s answer to support’s question: it can be approved, or asked about again, once they reply. Nothing was changed.',
  ],
  [{ reason: 'not_requester' }, 'Only the person who sent the request can answer support’s question.'],
  [{ reason: 'question_closed', status: 'answered' }, 'This question was already answered; support has the answer.'],
  [
    { reason: 'question_closed', status: 'withdrawn' },
    'Support decided the request before you answered, so no answer is needed any more. Your receipt shows the outcome.',
  ],
  [{ reason: 'not_found' }, 'This request no longer exists.'],
];

describe('the answer to a recovery decision that is not allowed', () => {
  it.each(refusals.map(([refusal, text]) => ({ name: Object.values(refusal).join(', '), refusal, text })))(
    '$name: one sentence, and nothing changed',
    ({ refusal, text }) => {
      expect(recoveryRefusalText(refusal).text).toBe(text);
      const m = recoveryRefusalMessage(refusal);
      expect(m).toEqual({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } }] });
      assertWithinSlackLimits(m);
    },
  );
});

describe('a recovery request that could not be filed', () => {
  it('tells the requester, with the reference, that nothing was filed and to try again', () => {
    const text =
      'Your request REC-7KQ2ZP could not be sent to support: the attached letter could not be read, or Slack could not be reached. Nothing was filed; please try again with `/enterprise recover`.';
    const m = recoveryNotFiled('REC-7KQ2ZP');
    expect(m).toEqual({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } }] });
    assertWithinSlackLimits(m);
  });
});

describe('a recovery request whose letter was not read', () => {
  const cases: Array<[LetterProblem, string]> = [
    [
      { kind: 'not_on_slack' },
      'the attached letter is a link to a file outside Slack, so Vouch did not download it. Attach the letter file itself.',
    ],
    [
      { kind: 'too_large', maxBytes: 10 * 1024 * 1024 },
      'the attached letter is larger than 10 MB. Attach a smaller file (a PDF, or a scan at a lower resolution).',
    ],
    [{ kind: 'timeout', afterMs: 15_000 }, 'downloading the attached letter from Slack took longer than 15 seconds.'],
    [{ kind: 'refused', status: 403 }, 'Slack did not let Vouch download the attached letter (HTTP 403).'],
  ];
  it.each(cases.map(([problem, why]) => ({ kind: problem.kind, problem, why })))('$kind: says what went wrong', ({ problem, why }) => {
    const m = recoveryNotFiled('REC-7KQ2ZP', problem);
    expect(m.text).toBe(
      `Your request REC-7KQ2ZP could not be sent to support: ${why} Nothing was filed; please try again with \`/enterprise recover\`.`,
    );
    assertWithinSlackLimits(m);
  });
});

describe('an answer that could not be sent', () => {
  it('says why: its corrected letter was not read, or the question closed meanwhile', () => {
    expect(recoveryAnswerNotSent('REC-7KQ2ZP', { kind: 'too_large', maxBytes: 10 * 1024 * 1024 }).text).toBe(
      'Your answer about request REC-7KQ2ZP could not be sent to support: the attached letter is larger than 10 MB. Attach a smaller file (a PDF, or a scan at a lower resolution). Nothing was sent; use *Reply* on support’s question again.',
    );
    expect(recoveryAnswerNotSent('REC-7KQ2ZP', { reason: 'question_closed', status: 'withdrawn' }).text).toBe(
      'Your answer about request REC-7KQ2ZP was not sent: Support decided the request before you answered, so no answer is needed any more. Your receipt shows the outcome.',
    );
  });
});
