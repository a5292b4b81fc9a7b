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
      { userId: people.pat, grantedAt: now, grantedBy: 'provisioning', deactivated: false },
      { userId: people.cole, grantedAt: inHours(3), grantedBy: people.pat, deactivated: false },
    ]);
    expect(m).toEqual({
      text: 'Admins of Acme Corp: 2 admins.',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Admins of Acme Corp* (2 admins)', verbatim: true } },
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

  it('says who is deactivated in Slack, and counts them apart', () => {
    const m = adminsMessage(account(), [
      { userId: people.pat, grantedAt: now, grantedBy: 'provisioning', deactivated: true },
      { userId: people.cole, grantedAt: inHours(3), grantedBy: people.pat, deactivated: false },
    ]);
    expect(m.text).toBe('Admins of Acme Corp: 2 admins, 1 of them deactivated in Slack.');
    expect(textsOf(m.blocks, 'section')).toEqual([
      '*Admins of Acme Corp* (2 admins, 1 of them deactivated in Slack)',
      `• <@${people.pat}>, since ${dateToken(now)} — _deactivated in Slack: not an active admin_\n• <@${people.cole}>, since ${dateToken(inHours(3))} (added by <@${people.pat}>)`,
    ]);
    const alone = adminsMessage(account(), [{ userId: people.pat, grantedAt: now, grantedBy: 'provisioning', deactivated: true }]);
    expect(alone.text).toBe('Admins of Acme Corp: 1 admin, deactivated in Slack.');
  });

  it('an account with no admin left points to recovery', () => {
    expect(textsOf(adminsMessage(account(), []).blocks, 'section')).toEqual([
      '*Admins of Acme Corp* (0 admins)',
      'None: support can add one through `/enterprise recover`.',
    ]);
  });

  it('41 admins: 20 a page, in the order they were granted, with More admins until the last, and the count of all', () => {
    const admins = Array.from({ length: 41 }, (_, i) => ({
      userId: `U0ADMIN${String(i).padStart(4, '0')}`,
      grantedAt: inHours(i),
      grantedBy: people.pat,
      deactivated: false,
    }));
    const shuffled = [...admins.slice(20), ...admins.slice(0, 20)];
    const mentioned = (m: ReturnType<typeof adminsMessage>) =>
      [
        ...textsOf(m.blocks, 'section')
          .join('\n')
          .matchAll(/• <@(U0ADMIN\d+)>/g),
      ].map((x) => x[1]);
    const first = adminsMessage(account(), shuffled);
    expect(textsOf(first.blocks, 'section')[0]).toBe('*Admins of Acme Corp* (41 admins)');
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
      deactivated: false,
    }));
    const m = adminsMessage(account({ name: longest.accountName }), admins);
    const [, list] = textsOf(m.blocks, 'section');
    expect(list?.split('\n')).toHaveLength(20);
    expect(list?.endsWith('…')).toBe(false);
    assertWithinSlackLimits(m);
    // All of them deactivated in Slack, the lines are longer: two sections, still none cut.
    const marked = adminsMessage(
      account({ name: longest.accountName }),
      admins.map((a) => ({ ...a, deactivated: true })),
    );
    const lists = textsOf(marked.blocks, 'section').slice(1);
    expect(lists.join('\n').split('\n')).toHaveLength(20);
    expect(lists.every((l) => !l.endsWith('…') && l.length <= 3000)).toBe(true);
    assertWithinSlackLimits(marked);
  });

  it('fits Slack’s limits with the longest account name and many admins', () => {
    const admins = Array.from({ length: 200 }, (_, i) => ({
      userId: `U0ADMIN${String(i).padStart(4, '0')}`,
      grantedAt: now,
      grantedBy: people.pat,
      deactivated: i % 2 === 0,
    }));
    assertWithinSlackLimits(adminsMessage(account({ name: longest.accountName }), admins));
  });
});

const noSubjects = { delegations: {}, invitations: {}, recoveries: {} };

describe('/enterprise audit', () => {
  it('tells each event as a sentence in people’s names, newest first, with its time and codes small beneath', () => {
    const subjects = {
      delegations: { [ids.delegation]: { inviterUserId: people.pat, inviteeUserId: people.cole } },
      invitations: { [ids.invitation]: { holderUserId: people.pat } },
      recoveries: {
        [ids.request]: {
          reference: 'REC-7KQ2ZP',
          emailToAdd: 'riley@acme.example',
          requesterUserId: people.riley,
          addedUserId: people.riley,
        },
      },
    };
    const m = auditMessage(
      account(),
      [
        auditEvent({
          action: 'recovery.approved',
          actor: people.sam,
          subjectKind: 'recovery_request',
          subjectId: ids.request,
          after: { status: 'approved', addedUserId: people.riley },
          at: inHours(4),
        }),
        auditEvent({
          action: 'account.set_up',
          actor: people.cole,
          at: inHours(3),
          before: { name: 'Acme Corp' },
          after: { name: 'Acme Corp' },
        }),
        auditEvent({
          action: 'delegation.requested',
          actor: people.pat,
          subjectKind: 'delegation',
          subjectId: ids.delegation,
          before: null,
          after: { invitee: people.cole, confirmExpiresAt: inHours(26).toISOString() },
          at: inHours(2),
        }),
        auditEvent({
          action: 'setup_invitation.expired',
          actor: 'system',
          subjectKind: 'setup_invitation',
          subjectId: ids.invitation,
          before: { status: 'pending' },
          after: { status: 'expired' },
          at: inHours(1),
        }),
        auditEvent({ action: 'something.new', actor: 'api', at: now }),
      ],
      subjects,
      null,
      'latest',
    );
    expect(m.text).toBe('Audit trail of Acme Corp');
    expect(textsOf(m.blocks, 'section')).toEqual([
      '*Audit trail of Acme Corp*, newest first (latest)',
      `<@${people.sam}> approved recovery request REC-7KQ2ZP: <@${people.riley}> is now an admin`,
      `<@${people.cole}> set up *Acme Corp*`,
      `<@${people.pat}> invited <@${people.cole}> to set up *Acme Corp* (confirmation until ${dateToken(inHours(26))})`,
      `<@${people.pat}>’s setup invitation expired unused`,
      'The provider’s systems: `something.new`',
    ]);
    const contexts = textsOf(m.blocks, 'context');
    expect(contexts[0]).toBe('Every event with its values: `/enterprise audit Acme Corp csv`.');
    expect(contexts[1]).toBe(
      `${dateToken(inHours(4))} · Details: \`recovery.approved\` on ${escapeText('recovery_request')} \`${ids.request}\``,
    );
    // No raw JSON in the sentences: the values are in the CSV.
    expect(textsOf(m.blocks, 'section').join('\n')).not.toContain('"status"');
    expect(buttonsIn(m.blocks)).toEqual([]);
  });

  it('offers Older events, carrying only where to continue', () => {
    const m = auditMessage(account(), [auditEvent()], noSubjects, 41, 'latest');
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
    const m = auditMessage(account(), [], noSubjects, null, 'older');
    expect(textsOf(m.blocks, 'section')).toEqual(['*Audit trail of Acme Corp*, newest first (older)']);
    expect(textsOf(m.blocks, 'context').at(-1)).toBe('No events.');
  });

  it('shows what people typed in an event as typed: nothing in it goes live', () => {
    const pings = textsOf(
      auditMessage(
        account(),
        [
          auditEvent({
            action: 'recovery.rejected',
            actor: people.sam,
            subjectKind: 'recovery_request',
            after: { reason: '<!here> *now*' },
          }),
        ],
        noSubjects,
        null,
        'latest',
      ).blocks,
      'section',
    )[1];
    expect(pings).not.toContain('<!here>');
    expect(pings).toContain(`rejected recovery request a recovery request: &lt;!here&gt; ${escapeText('*now*')}`);
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
    const m = auditMessage(account({ name: longest.accountName }), events, noSubjects, 1, 'older');
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
    expect(removeAdminRefusalText({ reason: 'last_admin', deactivated: 0 }, { name: 'Acme Corp' }, people.pat, people.pat).text).toContain(
      'You are the last admin of *Acme Corp*, so you cannot remove yourself.',
    );
  });
});
