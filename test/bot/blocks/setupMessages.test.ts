import { describe, expect, it } from 'vitest';
import { escapeText } from '../../../src/bot/blocks/format.js';
import {
  confirmationMessage,
  inviteeMessage,
  movedMessage,
  setupExpiredMessage,
  setupMessage,
  type DelegationMessageData,
} from '../../../src/bot/blocks/setupMessages.js';
import { delegationStates } from '../../../src/domain/delegation.js';
import { setupInvitationStates } from '../../../src/domain/setupInvitation.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';
import { account, buttonsIn, DAY, dateToken, delegation, ids, inHours, invitation, longest, people, textsOf } from './data.js';

const setupInviteTtlMs = 30 * DAY;

describe('the setup DM', () => {
  it('asks the primary contact to set the account up or invite someone, until the invitation expires', () => {
    const inv = invitation();
    const m = setupMessage({ account: account(), invitation: inv, setupInviteTtlMs });
    expect(m.text).toBe(`Action required: set up “Acme Corp” Enterprise Account. It works for 30 days, until ${dateToken(inv.expiresAt)}.`);
    expect(textsOf(m.blocks, 'header')).toEqual(['Action required: set up “Acme Corp” Enterprise Account']);
    expect(textsOf(m.blocks, 'section')).toEqual([
      'You are the primary contact for the *Acme Corp* Enterprise Account (contract C-1042). Set it up yourself, or invite someone from your company to set it up; they will get manage permissions.',
    ]);
    expect(textsOf(m.blocks, 'context')).toEqual([`This invitation works for 30 days, until ${dateToken(inv.expiresAt)}.`]);
  });

  it('says how long the invitation works as it was issued: another SETUP_INVITE_TTL, in words', () => {
    const inv = invitation({ issuedAt: inHours(2), expiresAt: inHours(2 + 7 * 24) });
    const m = setupMessage({ account: account(), invitation: inv, setupInviteTtlMs: 7 * DAY });
    expect(textsOf(m.blocks, 'context')).toEqual([`This invitation works for 7 days, until ${dateToken(inv.expiresAt)}.`]);
    expect(buttonsIn(m.blocks)).toEqual([
      { blockId: `setup:${ids.invitation}`, label: 'Set up the account', actionId: 'setup.start', value: ids.invitation, style: 'primary' },
      { blockId: `setup:${ids.invitation}`, label: 'Invite someone else', actionId: 'setup.invite', value: ids.invitation },
    ]);
  });

  it('tells someone who took the setup over that they now hold manage permissions', () => {
    const m = setupMessage({ account: account(), invitation: invitation({ holderUserId: people.cole }), setupInviteTtlMs });
    expect(textsOf(m.blocks, 'section')[0]).toBe(
      'You now hold manage permissions on the *Acme Corp* Enterprise Account (contract C-1042), and its setup is yours. Set it up yourself, or invite someone else.',
    );
    expect(buttonsIn(m.blocks).map((b) => b.label)).toEqual(['Set up the account', 'Invite someone else']);
  });

  it('once the account is set up, says by whom and when, with no buttons left', () => {
    const closedAt = inHours(5);
    const m = setupMessage({
      account: account(),
      invitation: invitation({ status: 'completed', closedAt, closedBy: people.cole }),
      setupInviteTtlMs,
    });
    expect(m.text).toBe('“Acme Corp” Enterprise Account is set up.');
    expect(textsOf(m.blocks, 'header')).toEqual(['“Acme Corp” Enterprise Account is set up']);
    expect(textsOf(m.blocks, 'section')).toEqual([
      `:white_check_mark: *Acme Corp* was set up by <@${people.cole}> on ${dateToken(closedAt)}. Nothing more to do here.`,
    ]);
    expect(buttonsIn(m.blocks)).toEqual([]);
    const byAccount = setupMessage({
      account: account({ setUpBy: people.sam }),
      invitation: invitation({ status: 'completed', closedAt }),
      setupInviteTtlMs,
    });
    expect(textsOf(byAccount.blocks, 'section')[0]).toContain(`set up by <@${people.sam}> on`);
    const nobody = setupMessage({ account: account(), invitation: invitation({ status: 'completed', closedAt }), setupInviteTtlMs });
    expect(textsOf(nobody.blocks, 'section')[0]).toContain('*Acme Corp* was set up on');
  });

  it('an expired invitation offers Get a new invitation, valid for another 30 days, until its holder is removed', () => {
    const inv = invitation({ status: 'expired' });
    const m = setupMessage({ account: account(), invitation: inv, setupInviteTtlMs });
    expect(textsOf(m.blocks, 'header')).toEqual(['Setup invitation for “Acme Corp” Enterprise Account expired']);
    expect(textsOf(m.blocks, 'section')).toEqual([
      `This setup invitation expired on ${dateToken(inv.expiresAt)}, so its buttons no longer work. While you are still an admin and *Acme Corp* is not set up, *Get a new invitation* gives you a fresh one, valid for another 30 days (so does \`/enterprise setup\`).`,
    ]);
    expect(buttonsIn(m.blocks).map((b) => [b.label, b.actionId, b.value])).toEqual([['Get a new invitation', 'setup.renew', account().id]]);
    const removed = setupMessage({ account: account(), invitation: { ...inv, holderRemovedAt: inHours(2) }, setupInviteTtlMs });
    expect(buttonsIn(removed.blocks)).toEqual([]);
    expect(textsOf(removed.blocks, 'section')[0]).toContain(`You were removed as an admin of *Acme Corp* on ${dateToken(inHours(2))}`);
  });

  it('the short DM posted at expiry says so with Get a new invitation; without it once its holder is removed', () => {
    const inv = invitation({ status: 'expired' });
    const m = setupExpiredMessage({ account: account(), invitation: inv, setupInviteTtlMs });
    assertWithinSlackLimits(m);
    expect(textsOf(m.blocks, 'section')).toEqual([
      `:hourglass: Your invitation to set up *Acme Corp* expired on ${dateToken(inv.expiresAt)}. While you are an admin and it is not set up, get a new one, valid for 30 days:`,
    ]);
    expect(buttonsIn(m.blocks).map((b) => b.label)).toEqual(['Get a new invitation']);
    const removed = setupExpiredMessage({ account: account(), invitation: { ...inv, holderRemovedAt: inHours(2) }, setupInviteTtlMs });
    expect(buttonsIn(removed.blocks)).toEqual([]);
    expect(removed.text).toContain('You are no longer an admin of *Acme Corp*, so only its admins can get a new one.');
  });

  it('an expired confirmation offers Start again until its inviter is removed as an admin', () => {
    const expired = { status: 'expired' as const, closedAt: inHours(24) };
    expect(buttonsIn(confirmationMessage({ account: account(), delegation: delegation(expired) }).blocks).map((b) => b.label)).toEqual([
      'Start again',
    ]);
    const removed = confirmationMessage({ account: account(), delegation: delegation({ ...expired, inviterRemovedAt: inHours(30) }) });
    expect(buttonsIn(removed.blocks)).toEqual([]);
    expect(removed.text).toContain(
      `You were removed as an admin of *Acme Corp* on ${dateToken(inHours(30))}, so it cannot be started again.`,
    );
  });

  it('a removed admin’s invitation says it was withdrawn, and by whom', () => {
    const closedAt = inHours(2);
    const m = setupMessage({
      account: account(),
      invitation: invitation({ status: 'revoked', closedAt, closedBy: people.sam }),
      setupInviteTtlMs,
    });
    expect(textsOf(m.blocks, 'header')).toEqual(['Setup invitation for “Acme Corp” Enterprise Account withdrawn']);
    expect(textsOf(m.blocks, 'section')).toEqual([
      `This setup invitation no longer works: you were removed as an admin of *Acme Corp* on ${dateToken(closedAt)} by <@${people.sam}>.`,
    ]);
    expect(buttonsIn(m.blocks)).toEqual([]);
  });

  it('a handed-over invitation names who took the setup over; a replaced one says so', () => {
    const closedAt = inHours(3);
    const handed = setupMessage({
      account: account(),
      invitation: invitation({ status: 'superseded', closedAt, handedToUserId: people.cole }),
      setupInviteTtlMs,
    });
    expect(textsOf(handed.blocks, 'header')).toEqual(['Setup of “Acme Corp” Enterprise Account handed over']);
    expect(textsOf(handed.blocks, 'section')).toEqual([
      `You handed the setup of *Acme Corp* to <@${people.cole}> on ${dateToken(closedAt)}. They now hold manage permissions and will set it up.`,
    ]);
    const replaced = setupMessage({ account: account(), invitation: invitation({ status: 'superseded', closedAt }), setupInviteTtlMs });
    expect(textsOf(replaced.blocks, 'section')).toEqual([
      `A newer setup invitation for *Acme Corp* replaced this one on ${dateToken(closedAt)}.`,
    ]);
    expect(buttonsIn(handed.blocks).concat(buttonsIn(replaced.blocks))).toEqual([]);
  });

  it('shows an account name as typed, escaped in text and whole in the header', () => {
    const m = setupMessage({ account: account({ name: 'A<!here>&B' }), invitation: invitation(), setupInviteTtlMs });
    expect(textsOf(m.blocks, 'header')).toEqual(['Action required: set up “A<!here>&B” Enterprise Account']);
    expect(textsOf(m.blocks, 'section')[0]).toContain('*A&lt;!here&gt;&amp;B*');
  });

  it.each(setupInvitationStates)('fits Slack’s limits when %s, with the longest account name and contract number', (status) => {
    const longAccount = account({ name: longest.accountName, contractNumber: longest.contractNumber, setUpBy: people.sam });
    for (const holderUserId of [people.pat, people.cole]) {
      const m = setupMessage({
        account: longAccount,
        invitation: invitation({ status, holderUserId, closedAt: inHours(1), closedBy: people.sam, handedToUserId: people.cole }),
        setupInviteTtlMs,
      });
      assertWithinSlackLimits(m);
      expect(textsOf(m.blocks, 'header')[0]).toContain(longest.accountName);
      expect(textsOf(m.blocks, 'section').join('\n')).toContain(`*${escapeText(longest.accountName)}*`);
    }
  });
});

const delegationData = (over: Parameters<typeof delegation>[0] = {}, accountOver: Parameters<typeof account>[0] = {}) =>
  ({ account: account(accountOver), delegation: delegation(over) }) satisfies DelegationMessageData;

describe('the inviter’s confirmation DM', () => {
  it('asks the inviter to confirm the invitee, with Approve and Cancel, for 24 hours', () => {
    const m = confirmationMessage(delegationData());
    expect(m.text).toBe(`Confirm manage permissions on “Acme Corp”. It works for 24 hours, until ${dateToken(inHours(24))}.`);
    expect(textsOf(m.blocks, 'header')).toEqual(['Confirm manage permissions on “Acme Corp”']);
    expect(textsOf(m.blocks, 'section')).toEqual([
      `Confirm that <@${people.cole}> should get manage permissions on *Acme Corp*. We ask so that we know the request came from you and that you are sure.`,
    ]);
    expect(textsOf(m.blocks, 'context')).toEqual([`This confirmation works for 24 hours, until ${dateToken(inHours(24))}.`]);
    expect(buttonsIn(m.blocks)).toEqual([
      { blockId: `confirm:${ids.delegation}`, label: 'Approve', actionId: 'delegation.approve', value: ids.delegation, style: 'primary' },
      { blockId: `confirm:${ids.delegation}`, label: 'Cancel', actionId: 'delegation.cancel', value: ids.delegation },
    ]);
  });

  it('names an invitee chosen by e-mail with the address the inviter typed', () => {
    const m = confirmationMessage(delegationData({ inviteeEmail: 'cole&co@acme.example' }));
    expect(textsOf(m.blocks, 'section')[0]).toContain(`Confirm that <@${people.cole}> (cole&amp;co@acme.example) should get`);
  });

  it('after Approve, says the invitee was asked to accept, until when, without buttons', () => {
    const m = confirmationMessage(
      delegationData({ status: 'awaiting_acceptance', approvedAt: inHours(1), acceptExpiresAt: inHours(1 + 30 * 24) }),
    );
    expect(m.text).toBe(
      `Confirm manage permissions on “Acme Corp”: :white_check_mark: You approved on ${dateToken(inHours(1))}. <@${people.cole}> has been asked to accept; the invitation works for 30 days, until ${dateToken(inHours(721))}.`,
    );
    expect(textsOf(m.blocks, 'section')).toHaveLength(2);
    expect(buttonsIn(m.blocks)).toEqual([]);
  });

  it.each([
    ['accepted', `:white_check_mark: <@${people.cole}> accepted on DATE and now holds manage permissions on *Acme Corp*.`],
    ['declined', `<@${people.cole}> declined on DATE. You can still set *Acme Corp* up yourself or invite someone else.`],
    ['cancelled', `You cancelled this on DATE. Nothing was sent to <@${people.cole}>.`],
    ['revoked', 'This no longer works: you were removed as an admin of *Acme Corp*.'],
    ['superseded', 'A newer invitation replaced this one on DATE.'],
  ] as const)('when %s, says what happened and offers no button', (status, line) => {
    const closedAt = inHours(2);
    const m = confirmationMessage(delegationData({ status, closedAt, approvedAt: inHours(1) }));
    expect(textsOf(m.blocks, 'section')[1]).toBe(line.replace('DATE', dateToken(closedAt)));
    expect(buttonsIn(m.blocks)).toEqual([]);
  });

  it('when the account was set up meanwhile, says the invitation is no longer needed', () => {
    const m = confirmationMessage(
      delegationData({ status: 'superseded', closedAt: inHours(2) }, { status: 'active', setUpAt: inHours(2) }),
    );
    expect(textsOf(m.blocks, 'section')[1]).toBe(
      `*Acme Corp* was set up on ${dateToken(inHours(2))}, so this invitation is no longer needed.`,
    );
  });

  it('an expired confirmation offers Start again', () => {
    const m = confirmationMessage(delegationData({ status: 'expired', closedAt: inHours(24) }));
    expect(textsOf(m.blocks, 'section')[1]).toBe(
      `This confirmation expired on ${dateToken(inHours(24))}. Nothing was sent to <@${people.cole}>. You can enter the invitee again and start over.`,
    );
    expect(buttonsIn(m.blocks)).toEqual([
      {
        blockId: `restart:${ids.delegation}`,
        label: 'Start again',
        actionId: 'delegation.restart',
        value: ids.delegation,
        style: 'primary',
      },
    ]);
  });

  it('an invitation that expired after Approve says the invitee did not answer, without Start again', () => {
    const m = confirmationMessage(
      delegationData({ status: 'expired', approvedAt: inHours(1), acceptExpiresAt: inHours(721), closedAt: inHours(721) }),
    );
    expect(textsOf(m.blocks, 'section')[1]).toBe(
      `<@${people.cole}> did not answer before ${dateToken(inHours(721))}; the invitation expired.`,
    );
    expect(buttonsIn(m.blocks)).toEqual([]);
  });
});

describe('the invitee’s DM', () => {
  it('invites them to set the account up, with Accept and Decline, until the invitation expires', () => {
    const m = inviteeMessage(delegationData({ status: 'awaiting_acceptance', approvedAt: inHours(1), acceptExpiresAt: inHours(721) }));
    expect(m.text).toBe('You are invited to set up “Acme Corp”.');
    expect(textsOf(m.blocks, 'header')).toEqual(['You are invited to set up “Acme Corp”']);
    expect(textsOf(m.blocks, 'section')).toEqual([
      `<@${people.pat}> invites you to set up the *Acme Corp* Enterprise Account. Accepting gives you manage permissions on it.`,
    ]);
    expect(textsOf(m.blocks, 'context')).toEqual([`This invitation works for 30 days, until ${dateToken(inHours(721))}.`]);
    expect(buttonsIn(m.blocks)).toEqual([
      { blockId: `invitee:${ids.delegation}`, label: 'Accept', actionId: 'delegation.accept', value: ids.delegation, style: 'primary' },
      { blockId: `invitee:${ids.delegation}`, label: 'Decline', actionId: 'delegation.decline', value: ids.delegation },
    ]);
  });

  it.each([
    ['accepted', ':white_check_mark: You accepted on DATE and now hold manage permissions on *Acme Corp*. Your setup message follows.'],
    ['declined', `You declined on DATE. <@${people.pat}> has been told.`],
    ['cancelled', `<@${people.pat}> withdrew this invitation on DATE.`],
    ['expired', 'This invitation expired on DATE.'],
    ['revoked', `This invitation no longer works: <@${people.pat}> is no longer an admin of *Acme Corp*.`],
    ['superseded', 'A newer invitation replaced this one on DATE.'],
  ] as const)('when %s, says what happened and offers no button', (status, line) => {
    const closedAt = inHours(5);
    const m = inviteeMessage(delegationData({ status, closedAt, approvedAt: inHours(1), acceptExpiresAt: inHours(721) }));
    expect(m.text).toBe(`You are invited to set up “Acme Corp”: ${line.replace('DATE', dateToken(closedAt))}`);
    expect(textsOf(m.blocks, 'section')[1]).toBe(line.replace('DATE', dateToken(closedAt)));
    expect(buttonsIn(m.blocks)).toEqual([]);
  });
});

describe('the delegation DMs within Slack’s limits', () => {
  const longData = (status: (typeof delegationStates)[number], approved: boolean) =>
    delegationData(
      {
        status,
        inviteeEmail: longest.inviteeEmail,
        closedAt: inHours(2),
        approvedAt: approved ? inHours(1) : null,
        acceptExpiresAt: approved ? inHours(721) : null,
      },
      { name: longest.accountName, status: status === 'superseded' && approved ? 'active' : 'pending_setup', setUpAt: inHours(2) },
    );

  it.each(delegationStates)('fit when %s, with the longest account name and invitee address', (status) => {
    for (const approved of [false, true]) {
      const data = longData(status, approved);
      for (const m of [confirmationMessage(data), inviteeMessage(data)]) {
        assertWithinSlackLimits(m);
        expect(textsOf(m.blocks, 'header')[0]).toContain(longest.accountName);
      }
    }
  });
});

describe('an older copy of a setup message sent again', () => {
  it('has no button, and links to the newest copy, or says below when Slack gave no link', () => {
    const linked = movedMessage('Acme Corp', 'https://example.slack.com/archives/D1/p1700000000000100');
    assertWithinSlackLimits(linked);
    expect(buttonsIn(linked.blocks)).toEqual([]);
    expect(textsOf(linked.blocks, 'section')).toEqual([
      'You asked for this message again, so this copy no longer has buttons. Use <https://example.slack.com/archives/D1/p1700000000000100|the newest copy>: it always shows where things stand.',
    ]);
    expect(textsOf(movedMessage('Acme Corp', null).blocks, 'section')[0]).toContain('Use the newest copy, below:');
  });
});
