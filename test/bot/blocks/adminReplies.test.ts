import { describe, expect, it } from 'vitest';
import {
  adminsMessage,
  auditMessage,
  removeAdminPrompt,
  removeAdminRefusalText,
  removedAdminMessage,
} from '../../../src/bot/blocks/adminReplies.js';
import { escapeText } from '../../../src/bot/blocks/format.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';
import { account, auditEvent, buttonsIn, dateToken, ids, inHours, longest, now, people, textsOf } from './data.js';

describe('/enterprise admins', () => {
  it('lists each admin, since when, and who added them', () => {
    const m = adminsMessage(account(), [
      { userId: people.pat, grantedAt: now, grantedBy: 'provisioning' },
      { userId: people.cole, grantedAt: inHours(3), grantedBy: people.pat },
    ]);
    expect(m).toEqual({
      text: 'Admins of Acme Corp: 2.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Admins of Acme Corp* (2)', verbatim: true } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `• <@${people.pat}>, since ${dateToken(now)}\n• <@${people.cole}>, since ${dateToken(inHours(3))} (added by <@${people.pat}>)`,
            verbatim: true,
          },
        },
      ],
    });
  });

  it('an account with no admin left points to recovery', () => {
    expect(textsOf(adminsMessage(account(), []).blocks, 'section')).toEqual([
      '*Admins of Acme Corp* (0)',
      'None: support can add one through `/enterprise recover`.',
    ]);
  });

  it('41 admins: 20 a page, in the order they were granted, with More admins until the last, and the count of all', () => {
    const admins = Array.from({ length: 41 }, (_, i) => ({
      userId: `U0ADMIN${String(i).padStart(4, '0')}`,
      grantedAt: inHours(i),
      grantedBy: people.pat,
    }));
    const shuffled = [...admins.slice(20), ...admins.slice(0, 20)];
    const mentioned = (m: ReturnType<typeof adminsMessage>) =>
      [
        ...textsOf(m.blocks, 'section')
          .join('\n')
          .matchAll(/• <@(U0ADMIN\d+)>/g),
      ].map((x) => x[1]);
    const first = adminsMessage(account(), shuffled);
    expect(textsOf(first.blocks, 'section')[0]).toBe('*Admins of Acme Corp* (41)');
    expect(mentioned(first)).toEqual(admins.slice(0, 20).map((a) => a.userId));
    expect(textsOf(first.blocks, 'context')).toEqual(['Admins 1–20 of 41.']);
    expect(buttonsIn(first.blocks)).toEqual([
      {
        blockId: 'admins:more',
        label: 'More admins',
        actionId: 'admins.more',
        value: JSON.stringify({ accountId: ids.account, after: { at: inHours(19).getTime(), user: 'U0ADMIN0019' } }),
      },
    ]);
    const cursor = (m: ReturnType<typeof adminsMessage>) =>
      (JSON.parse(buttonsIn(m.blocks)[0]!.value!) as { after: { at: number; user: string } }).after;
    const second = adminsMessage(account(), shuffled, cursor(first));
    expect(mentioned(second)).toEqual(admins.slice(20, 40).map((a) => a.userId));
    expect(textsOf(second.blocks, 'context')).toEqual(['Admins 21–40 of 41.']);
    const third = adminsMessage(account(), shuffled, cursor(second));
    expect(mentioned(third)).toEqual(['U0ADMIN0040']);
    expect(textsOf(third.blocks, 'context')).toEqual(['Admins 41–41 of 41.']);
    expect(buttonsIn(third.blocks)).toEqual([]);
    for (const m of [first, second, third]) assertWithinSlackLimits(m);
  });

  it('20 admins at their longest fit one section whole, beside the longest account name', () => {
    const admins = Array.from({ length: 20 }, (_, i) => ({
      userId: `W${'Z'.repeat(19)}${i % 10}`,
      grantedAt: new Date(Date.UTC(2099, 11, 31, 23, 59)),
      grantedBy: `W${'Y'.repeat(20)}`,
    }));
    const m = adminsMessage(account({ name: longest.accountName }), admins);
    const [, list] = textsOf(m.blocks, 'section');
    expect(list?.split('\n')).toHaveLength(20);
    expect(list?.endsWith('…')).toBe(false);
    assertWithinSlackLimits(m);
  });

  it('fits Slack’s limits with the longest account name and many admins', () => {
    const admins = Array.from({ length: 200 }, (_, i) => ({
      userId: `U0ADMIN${String(i).padStart(4, '0')}`,
      grantedAt: now,
      grantedBy: people.pat,
    }));
    assertWithinSlackLimits(adminsMessage(account({ name: longest.accountName }), admins));
  });
});

describe('/enterprise audit', () => {
  it('shows one page of the trail, newest first: what, by whom, when, and before and after', () => {
    const m = auditMessage(
      account(),
      [
        auditEvent({ action: 'account.set_up', actor: people.cole, at: inHours(2) }),
        auditEvent({
          action: 'setup_invitation.expired',
          actor: 'sweep',
          subjectKind: 'setup_invitation',
          subjectId: ids.invitation,
          before: null,
          after: { status: 'expired' },
          at: inHours(1),
        }),
      ],
      null,
      'latest',
    );
    expect(m.text).toBe('Audit trail of Acme Corp');
    expect(textsOf(m.blocks, 'section')).toEqual([
      '*Audit trail of Acme Corp*, newest first (latest)',
      `*${escapeText('account.set_up')}* by <@${people.cole}> on ${dateToken(inHours(2))}\naccount ${ids.account}\nbefore: \`{"status":"pending_setup"}\`  after: \`{"status":"active"}\``,
      `*${escapeText('setup_invitation.expired')}* by _sweep_ on ${dateToken(inHours(1))}\n${escapeText('setup_invitation')} ${ids.invitation}\nbefore: \`–\`  after: \`{"status":"expired"}\``,
    ]);
    expect(buttonsIn(m.blocks)).toEqual([]);
  });

  it('offers Older events, carrying only where to continue', () => {
    const m = auditMessage(account(), [auditEvent()], 41, 'latest');
    expect(buttonsIn(m.blocks)).toEqual([
      {
        blockId: 'audit:older',
        label: 'Older events',
        actionId: 'audit.older',
        value: JSON.stringify({ accountId: ids.account, olderThan: 41 }),
      },
    ]);
  });

  it('says so when there are no events', () => {
    const m = auditMessage(account(), [], null, 'older');
    expect(textsOf(m.blocks, 'section')).toEqual(['*Audit trail of Acme Corp*, newest first (older)']);
    expect(textsOf(m.blocks, 'context')).toEqual(['No events.']);
  });

  it('shortens a long before or after to 300 characters of markup, escaped, and never inside a character or an entity', () => {
    const after = { status: 'rejected', reason: `${'&'.repeat(30)}${'😀'.repeat(200)}` };
    const section = textsOf(auditMessage(account(), [auditEvent({ after })], null, 'latest').blocks, 'section')[1] ?? '';
    const shown = section.split('after: ')[1] ?? '';
    expect(shown).toHaveLength(300);
    expect(shown).toMatch(/^`\{"status":"rejected","reason":"(&amp;){30}(😀)+…`$/);
    expect(shown).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    const pings = textsOf(
      auditMessage(account(), [auditEvent({ after: { reason: '<!here>'.repeat(100) } })], null, 'latest').blocks,
      'section',
    )[1];
    expect(pings).not.toContain('<!here>');
    expect(pings).toContain('&lt;!here&gt;');
  });

  it('fits Slack’s limits with a full page of the longest events and the Older events button', () => {
    const events = Array.from({ length: 10 }, () =>
      auditEvent({
        action: 'recovery.rejected',
        actor: people.support,
        subjectKind: 'recovery_request',
        subjectId: ids.request,
        before: { name: longest.accountName, status: 'open' },
        after: { status: 'rejected', reason: longest.rejectionReason, letterSha256: 'a'.repeat(64) },
      }),
    );
    const m = auditMessage(account({ name: longest.accountName }), events, 1, 'older');
    assertWithinSlackLimits(m);
    expect(buttonsIn(m.blocks).map((b) => b.label)).toEqual(['Older events']);
  });
});

describe('/enterprise remove-admin asks first', () => {
  it('someone else: a danger button with Slack’s dialog, carrying only which removal; within limits for the longest name', () => {
    const m = removeAdminPrompt({ id: ids.account, name: longest.accountName }, people.cole, people.pat);
    assertWithinSlackLimits(m);
    const button = (m.blocks.at(-1) as unknown as { elements: Array<Record<string, unknown>> }).elements[0];
    expect(button).toMatchObject({ action_id: 'admins.remove', style: 'danger', text: { text: 'Remove as admin' } });
    expect(JSON.parse(button?.value as string)).toEqual({ accountId: ids.account, userId: people.cole });
    expect(button?.confirm).toMatchObject({ title: { type: 'plain_text', text: 'Remove this admin?' }, style: 'danger' });
  });

  it('yourself: “you”, Remove me, and a dialog that asks “Remove yourself?”', () => {
    const m = removeAdminPrompt({ id: ids.account, name: 'Acme Corp' }, people.pat, people.pat);
    expect(m.text).toContain('You are about to remove *yourself* as an admin of *Acme Corp*');
    expect(buttonsIn(m.blocks).map((b) => b.label)).toEqual(['Remove me']);
    expect(removedAdminMessage({ name: 'Acme Corp' }, people.pat, people.pat).text).toBe(
      'You are no longer an admin of *Acme Corp*. Your setup invitations and confirmations for it no longer work.',
    );
    expect(removeAdminRefusalText({ reason: 'last_admin' }, { name: 'Acme Corp' }, people.pat, people.pat).text).toContain(
      'You are the last admin of *Acme Corp*, so you cannot remove yourself.',
    );
  });
});
