import { describe, expect, it } from 'vitest';
import { homeView } from '../../../src/bot/blocks/home.js';
import type { HomeData } from '../../../src/db/home.js';
import { assertWithinSlackLimits } from '../../support/slackLimits.js';
import {
  account,
  buttonsIn,
  dateToken,
  delegation,
  ids,
  inHours,
  invitation,
  longest,
  longestRecoveryRequest,
  now,
  people,
  recoveryRequest,
  textsOf,
} from './data.js';

const SUPPORT_CHANNEL = 'C0SUPPORT01';

const nothing = (over: Partial<HomeData> = {}): HomeData => ({
  setupInvitations: [],
  confirmations: [],
  invitations: [],
  administered: [],
  adminCounts: {},
  setupHolders: [],
  myRecoveries: [],
  supportQueue: null,
  ...over,
});

describe('the Home tab', () => {
  it('says when nothing waits, and lists no empty sections but the accounts one administers', () => {
    const view = homeView(nothing(), SUPPORT_CHANNEL);
    expect(view.type).toBe('home');
    expect(textsOf(view.blocks, 'header')).toEqual(['Vouch']);
    expect(textsOf(view.blocks, 'section')).toEqual(['Nothing waits for you right now.', '*Accounts you administer*\nNone.']);
    expect(textsOf(view.blocks, 'context')).toEqual(['Type `/enterprise help` for every command.']);
  });

  it('offers the same buttons as the DMs for a setup invitation, a confirmation and an invitation', () => {
    const inv = invitation();
    const confirm = delegation();
    const toAccept = delegation({ id: 'd-2', status: 'awaiting_acceptance', inviterUserId: people.sam, acceptExpiresAt: inHours(720) });
    const view = homeView(
      nothing({
        setupInvitations: [{ invitation: inv, account: account() }],
        confirmations: [{ delegation: confirm, account: account({ name: 'Globex' }) }],
        invitations: [{ delegation: toAccept, account: account({ name: 'Initech' }) }],
      }),
      SUPPORT_CHANNEL,
    );
    expect(textsOf(view.blocks, 'section')).toEqual([
      '*Accounts to set up*',
      `*Acme Corp*: your setup invitation works for 30 days, until ${dateToken(inv.expiresAt)}.`,
      '*Confirmations waiting for you*',
      `Should <@${people.cole}> get manage permissions on *Globex*? This confirmation works for 24 hours, until ${dateToken(confirm.confirmExpiresAt)}.`,
      '*Invitations for you*',
      `<@${people.sam}> invites you to set up *Initech*; the invitation works for 30 days, until ${dateToken(inHours(720))}.`,
      '*Accounts you administer*\nNone.',
    ]);
    expect(buttonsIn(view.blocks)).toEqual([
      {
        blockId: `home:setup:${ids.invitation}`,
        label: 'Set up the account',
        actionId: 'setup.start',
        value: ids.invitation,
        style: 'primary',
      },
      { blockId: `home:setup:${ids.invitation}`, label: 'Invite someone else', actionId: 'setup.invite', value: ids.invitation },
      {
        blockId: `home:confirm:${ids.delegation}`,
        label: 'Approve',
        actionId: 'delegation.approve',
        value: ids.delegation,
        style: 'primary',
      },
      { blockId: `home:confirm:${ids.delegation}`, label: 'Cancel', actionId: 'delegation.cancel', value: ids.delegation },
      { blockId: 'home:invitee:d-2', label: 'Accept', actionId: 'delegation.accept', value: 'd-2', style: 'primary' },
      { blockId: 'home:invitee:d-2', label: 'Decline', actionId: 'delegation.decline', value: 'd-2' },
    ]);
    expect(textsOf(view.blocks, 'section')).not.toContain('Nothing waits for you right now.');
  });

  it('shows one’s own recovery requests and the accounts one administers, without buttons', () => {
    const view = homeView(
      nothing({
        myRecoveries: [recoveryRequest()],
        administered: [account(), account({ id: 'a-2', name: 'Globex', contractNumber: 'G-7', status: 'active' })],
        adminCounts: { [ids.account]: { active: 1, deactivated: 0 }, 'a-2': { active: 1, deactivated: 1 } },
        setupHolders: [{ accountId: account().id, holderUserId: people.sam, expiresAt: inHours(48) }],
      }),
      SUPPORT_CHANNEL,
    );
    expect(textsOf(view.blocks, 'section')).toEqual([
      'Nothing waits for you right now.',
      '*Your recovery requests*',
      `REC-7KQ2ZP for *Acme Corp*: waiting for support since ${dateToken(now)}.`,
      '*Accounts you administer*',
      `*Acme Corp* (not yet set up), contract C-1042: 1 admin; <@${people.sam}> holds its setup invitation until ${dateToken(inHours(48))}, and can hand it to you with *Invite someone else*.`,
      '*Globex* (active), contract G-7: 2 admins, 1 of them deactivated in Slack',
    ]);
    expect(buttonsIn(view.blocks)).toEqual([]);
  });

  it('an account not yet set up that nobody holds an invitation for offers Get a new invitation', () => {
    const view = homeView(nothing({ administered: [account()] }), SUPPORT_CHANNEL);
    expect(textsOf(view.blocks, 'section')).toContain('*Acme Corp* (not yet set up), contract C-1042: no setup invitation is live.');
    expect(buttonsIn(view.blocks)).toEqual([
      {
        blockId: `renew:home:${account().id}`,
        label: 'Get a new invitation',
        actionId: 'setup.renew',
        value: account().id,
        style: 'primary',
      },
    ]);
  });

  it('shows support the requests to review, pointing to the support channel', () => {
    const withQueue = homeView(nothing({ supportQueue: [recoveryRequest()] }), SUPPORT_CHANNEL);
    expect(textsOf(withQueue.blocks, 'section')).toContain(
      `REC-7KQ2ZP: *Acme Corp*, add riley@acme.example, asked by <@${people.riley}> ${dateToken(now)}. Review it in <#${SUPPORT_CHANNEL}>.`,
    );
    expect(textsOf(homeView(nothing({ supportQueue: [] }), SUPPORT_CHANNEL).blocks, 'section')).toContain(
      '*Recovery requests to review*\nNothing to review.',
    );
  });

  it('shows ten of a long list, the count of all, and buttons to the other pages', () => {
    const accounts = Array.from({ length: 13 }, (_, i) => account({ id: `a-${i}`, name: `Account ${i + 1}`, status: 'active' }));
    const view = homeView(nothing({ administered: accounts }), SUPPORT_CHANNEL);
    const sections = textsOf(view.blocks, 'section');
    expect(sections.filter((t) => t.startsWith('*Account '))).toHaveLength(10);
    expect(sections).toContain('*Account 10* (active), contract C-1042');
    expect(textsOf(view.blocks, 'context')).toEqual(['1–10 of 13.', 'Type `/enterprise help` for every command.']);
    expect(buttonsIn(view.blocks)).toEqual([
      { blockId: 'home:page:administered', label: 'Next 3', actionId: 'home.next', value: '{"list":"administered","offset":10}' },
    ]);

    const next = homeView(nothing({ administered: accounts }), SUPPORT_CHANNEL, { administered: 10 });
    expect(textsOf(next.blocks, 'section').filter((t) => t.startsWith('*Account '))).toEqual([
      '*Account 11* (active), contract C-1042',
      '*Account 12* (active), contract C-1042',
      '*Account 13* (active), contract C-1042',
    ]);
    expect(textsOf(next.blocks, 'context')).toEqual(['11–13 of 13.', 'Type `/enterprise help` for every command.']);
    expect(buttonsIn(next.blocks)).toEqual([
      { blockId: 'home:page:administered', label: 'Previous', actionId: 'home.previous', value: '{"list":"administered","offset":0}' },
    ]);
  });

  it('every item of every list is reached through the buttons, however long the lists, within 100 blocks', () => {
    const n = 37;
    const data: HomeData = {
      setupInvitations: Array.from({ length: n }, (_, i) => ({
        invitation: invitation({ id: `i-${i}` }),
        account: account({ name: `Setup ${i}` }),
      })),
      confirmations: Array.from({ length: n }, (_, i) => ({
        delegation: delegation({ id: `c-${i}` }),
        account: account({ name: `Confirm ${i}` }),
      })),
      invitations: Array.from({ length: n }, (_, i) => ({
        delegation: delegation({ id: `d-${i}`, status: 'awaiting_acceptance', acceptExpiresAt: inHours(720) }),
        account: account({ name: `Invite ${i}` }),
      })),
      administered: Array.from({ length: n }, (_, i) => account({ id: `a-${i}`, name: `Admin ${i}` })),
      adminCounts: {},
      setupHolders: [],
      myRecoveries: Array.from({ length: n }, (_, i) =>
        recoveryRequest({ id: `r-${i}`, reference: `REC-MINE${String(i).padStart(2, '0')}` }),
      ),
      supportQueue: Array.from({ length: n }, (_, i) =>
        recoveryRequest({ id: `q-${i}`, reference: `REC-TODO${String(i).padStart(2, '0')}` }),
      ),
    };
    const names = {
      setup: /\*Setup (\d+)\*/,
      confirmations: /\*Confirm (\d+)\*/,
      invitations: /\*Invite (\d+)\*/,
      administered: /\*Admin (\d+)\*/,
      myRecoveries: /REC-MINE(\d+)/,
      supportQueue: /REC-TODO(\d+)/,
    } as const;
    for (const [list, pattern] of Object.entries(names) as Array<[keyof typeof names, RegExp]>) {
      const seen: string[] = [];
      let offset: number | null = 0;
      for (let pages = 0; offset !== null && pages < 50; pages++) {
        const view = homeView(data, SUPPORT_CHANNEL, { [list]: offset });
        assertWithinSlackLimits(view);
        expect(view.blocks.length).toBeLessThanOrEqual(100);
        for (const t of textsOf(view.blocks, 'section')) {
          const match = pattern.exec(t);
          if (match) seen.push(match[1]!);
        }
        const next = buttonsIn(view.blocks).find((b) => b.blockId === `home:page:${list}` && b.label.startsWith('Next'));
        offset = next ? (JSON.parse(next.value!) as { offset: number }).offset : null;
      }
      expect(seen.map(Number)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('fits Slack’s limits with every list long and every name at its longest', () => {
    const n = 30;
    const longAccount = (i: number) => account({ id: `a-${i}`, name: longest.accountName, contractNumber: longest.contractNumber });
    const view = homeView(
      {
        setupInvitations: Array.from({ length: n }, (_, i) => ({ invitation: invitation({ id: `i-${i}` }), account: longAccount(i) })),
        confirmations: Array.from({ length: n }, (_, i) => ({ delegation: delegation({ id: `c-${i}` }), account: longAccount(i) })),
        invitations: Array.from({ length: n }, (_, i) => ({
          delegation: delegation({ id: `d-${i}`, status: 'awaiting_acceptance', acceptExpiresAt: inHours(720) }),
          account: longAccount(i),
        })),
        administered: Array.from({ length: n }, (_, i) => longAccount(i)),
        adminCounts: Object.fromEntries(Array.from({ length: n }, (_, i) => [`a-${i}`, { active: 1000, deactivated: 1000 }])),
        setupHolders: [],
        myRecoveries: Array.from({ length: n }, (_, i) => longestRecoveryRequest({ id: `r-${i}` })),
        supportQueue: Array.from({ length: n }, (_, i) => longestRecoveryRequest({ id: `q-${i}` })),
      },
      SUPPORT_CHANNEL,
    );
    assertWithinSlackLimits(view);
  });

  it('fits Slack’s limits for an admin with ten of everything waiting, all shown', () => {
    const n = 10;
    const view = homeView(
      {
        setupInvitations: Array.from({ length: n }, (_, i) => ({ invitation: invitation({ id: `i-${i}` }), account: account() })),
        confirmations: Array.from({ length: n }, (_, i) => ({ delegation: delegation({ id: `c-${i}` }), account: account() })),
        invitations: [],
        administered: Array.from({ length: n }, () => account()),
        adminCounts: {},
        setupHolders: [],
        myRecoveries: [],
        supportQueue: null,
      },
      SUPPORT_CHANNEL,
    );
    assertWithinSlackLimits(view);
    expect(buttonsIn(view.blocks)).toHaveLength(4 * n);
    expect(textsOf(view.blocks, 'context').at(-1)).toBe('Type `/enterprise help` for every command.');
  });
});
