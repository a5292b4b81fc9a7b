import { describe, expect, it } from 'vitest';
import { freshInvitationReply, helpMessage, refusalMessage, refusalText } from '../../../src/bot/blocks/replies.js';
import type { Refusal } from '../../../src/domain/refusal.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';
import { escapeText } from '../../../src/bot/blocks/format.js';
import { account, buttonsIn, DAY, dateToken, ids, inHours, longest, now, people, squash, textsOf } from './data.js';

const refusals: Array<[Refusal, string]> = [
  [{ reason: 'expired', at: inHours(24) }, `This expired on ${dateToken(inHours(24))}, so nothing was changed.`],
  [{ reason: 'holder_removed' }, 'This no longer works: you are no longer an admin of this account.'],
  [{ reason: 'inviter_removed' }, 'This invitation no longer works: the person who invited you is no longer an admin of the account.'],
  [{ reason: 'not_yours' }, 'This button is meant for someone else, so nothing was changed.'],
  [{ reason: 'already_completed' }, 'This account has already been set up, so nothing was changed.'],
  [{ reason: 'account_active' }, 'This account has already been set up, so nothing was changed.'],
  [{ reason: 'already_approved' }, 'This was already approved; the invitee has been asked to accept.'],
  [{ reason: 'already_accepted' }, 'This invitation was already accepted.'],
  [{ reason: 'cancelled' }, 'This invitation was cancelled, so nothing was changed.'],
  [{ reason: 'declined' }, 'This invitation was declined, so nothing was changed.'],
  [{ reason: 'superseded' }, 'A newer invitation replaced this one, so nothing was changed.'],
  [{ reason: 'not_found' }, 'This item no longer exists.'],
];

describe('the answer to a click that no longer works', () => {
  it.each(refusals.map(([refusal, text]) => ({ reason: refusal.reason, refusal, text })))(
    '$reason: one sentence, and nothing changed',
    ({ refusal, text }) => {
      expect(refusalText(refusal).text).toBe(text);
      const m = refusalMessage(refusal);
      expect(m).toEqual({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } }] });
      assertWithinSlackLimits(m);
    },
  );

  it('an expired confirmation also offers Start again', () => {
    const m = refusalMessage({ reason: 'expired', at: inHours(24) }, ids.delegation);
    expect(buttonsIn(m.blocks)).toEqual([
      {
        blockId: `restart:${ids.delegation}`,
        label: 'Start again',
        actionId: 'delegation.restart',
        value: ids.delegation,
        style: 'primary',
      },
    ]);
    assertWithinSlackLimits(m);
  });

  it('no other refusal offers Start again', () => {
    for (const [refusal] of refusals.filter(([r]) => r.reason !== 'expired')) {
      expect(buttonsIn(refusalMessage(refusal, ids.delegation).blocks), refusal.reason).toEqual([]);
    }
  });
});

describe('/enterprise setup', () => {
  const expiresAt = inHours(30 * 24);

  it('tells an admin of no account waiting for setup that there is nothing to send, and whom to ask', () => {
    expect(freshInvitationReply([], 30 * DAY, now).text).toBe(
      'You are not an admin of any Enterprise Account waiting to be set up, so there is no setup invitation to send. If you should be, ask an admin of the account or support.',
    );
  });

  it('says, for each account, what it did: re-sent, issued for 30 days, held by someone else, or already set up', () => {
    const reply = freshInvitationReply(
      [
        { kind: 'resent', account: account(), expiresAt },
        { kind: 'issued', account: account({ name: 'Globex & Co' }), expiresAt },
        { kind: 'held_by_other', account: account({ name: 'Initech' }), holderUserId: people.cole, expiresAt },
        { kind: 'account_active', account: account({ name: 'Umbrella', status: 'active' }) },
      ],
      30 * DAY,
      inHours(18 * 24),
    );
    expect(textsOf(reply.blocks, 'section')).toEqual([reply.text]);
    expect(reply.text.split('\n')).toEqual([
      `*Acme Corp*: your setup message is in your DMs again; it works for 12 more days, until ${dateToken(expiresAt)}.`,
      `*Globex &amp; Co*: here is a fresh setup invitation in your DMs; it works for 30 days, until ${dateToken(expiresAt)}.`,
      `*Initech*: <@${people.cole}> holds the setup invitation; it works for 12 more days, until ${dateToken(expiresAt)}. They can hand it to you with *Invite someone else*.`,
      '*Umbrella* is already set up.',
    ]);
  });
});

describe('/enterprise setup for many accounts', () => {
  it('cuts the notification text at 4,000 characters with an ellipsis, and shows every account whole in the blocks', () => {
    const outcomes = Array.from({ length: 60 }, (_, i) => ({
      kind: 'held_by_other' as const,
      account: account({ name: `${longest.accountName.slice(0, 76)}${String(i).padStart(4, '0')}` }),
      holderUserId: people.cole,
      expiresAt: inHours(24),
    }));
    const m = freshInvitationReply(outcomes, 30 * DAY, now);
    assertWithinSlackLimits(m);
    expect(m.text.length).toBeLessThanOrEqual(4000);
    expect(m.text.endsWith('…')).toBe(true);
    const shown = squash(textsOf(m.blocks, 'section').join(''));
    for (const o of outcomes) expect(shown).toContain(squash(`*${escapeText(o.account.name)}*: <@${people.cole}> holds`));
  });
});

describe('/enterprise setup for more accounts than one message holds', () => {
  it('shows as many accounts whole as fit, then counts the rest by what was done: nothing cut, nothing uncounted', () => {
    const kinds = ['resent', 'issued', 'held_by_other', 'account_active'] as const;
    const outcomes = Array.from({ length: 400 }, (_, i) => {
      const kind = kinds[i % 4]!;
      const a = account({ name: `${longest.accountName.slice(0, 76)}${String(i).padStart(4, '0')}` });
      return kind === 'account_active'
        ? { kind, account: a }
        : kind === 'held_by_other'
          ? { kind, account: a, holderUserId: people.cole, expiresAt: inHours(24) }
          : { kind, account: a, expiresAt: inHours(24) };
    });
    const m = freshInvitationReply(outcomes, 30 * DAY, now);
    assertWithinSlackLimits(m);
    expect(m.blocks.length).toBeLessThanOrEqual(50);
    const shown = squash(textsOf(m.blocks, 'section').join(''));
    const whole = outcomes.filter((o) => shown.includes(squash(`*${escapeText(o.account.name)}*`)));
    expect(whole.length).toBeGreaterThan(40);
    expect(whole).toEqual(outcomes.slice(0, whole.length));
    const rest = outcomes.slice(whole.length);
    const n = (k: string) => rest.filter((o) => o.kind === k).length;
    expect(textsOf(m.blocks, 'context')).toEqual([
      `…and ${rest.length} more accounts: ${n('resent') + n('issued')} with a setup message in your DMs, ${n('held_by_other')} whose setup invitation someone else holds, ${n('account_active')} already set up.`,
    ]);
  });
});

describe('/enterprise help', () => {
  it('lists every command and who may use it', () => {
    const m = helpMessage({});
    expect(textsOf(m.blocks, 'section')[0]).toBe('Vouch runs Enterprise Account setup invitations and admin recovery in Slack. Commands:');
    const commands = (textsOf(m.blocks, 'section')[1] ?? '').split('\n').map((line) => line.match(/^• `\/enterprise ([a-z-]+)/)?.[1]);
    expect(commands).toEqual(['setup', 'recover', 'admins', 'add-admin', 'remove-admin', 'audit', 'audit', 'create', 'help']);
    expect(textsOf(m.blocks, 'context')).toEqual(['Buttons in your DMs take you through each step.']);
    expect(m.text.startsWith('Vouch runs Enterprise Account setup invitations')).toBe(true);
    assertWithinSlackLimits(m);
  });

  it('fits with a 3,360-character unknown word, quoted by its first 40 characters, none cut in half', () => {
    const m = helpMessage({ unknown: `${'😀'.repeat(30)}${'&'.repeat(3300)}` });
    assertWithinSlackLimits(m);
    expect(textsOf(m.blocks, 'section')[0]).toBe(`I don’t know \`${'😀'.repeat(30)}${'&amp;'.repeat(10)}…\`. Here is what I can do:`);
  });

  it('answers an unknown sub-command with the help, quoting what was typed as typed', () => {
    const m = helpMessage({ unknown: '<!here>' });
    expect(textsOf(m.blocks, 'section')[0]).toBe('I don’t know `&lt;!here&gt;`. Here is what I can do:');
    expect(textsOf(m.blocks, 'section')[1]).toContain('`/enterprise help`: this list');
    assertWithinSlackLimits(m);
  });
});
