import type { HomeView, KnownBlock } from '@slack/types';
import type { HomeData } from '../../db/home.js';
import {
  actions,
  channelLink,
  code,
  context,
  header,
  limits,
  type Mrkdwn,
  mention,
  mrkdwn,
  section,
  slackDate,
  validFor,
} from './format.js';
import { actionIds, labels, renewButton } from './setupMessages.js';
import { pageAt } from '../../domain/paging.js';
import { adminCountWords } from './adminReplies.js';
import { person } from './person.js';

export const homeActionIds = { previous: 'home.previous', next: 'home.next' } as const;

/** The Home tab's lists; each pages on its own. */
export const homeLists = ['setup', 'confirmations', 'invitations', 'myRecoveries', 'supportQueue', 'administered'] as const;
export type HomeList = (typeof homeLists)[number];
/** Where each list's shown page starts (0 when not given). */
export type HomeOffsets = Partial<Record<HomeList, number>>;
/** What a Home tab paging button carries. */
export interface HomePageValue {
  list: HomeList;
  offset: number;
}

/** A list of the Home tab: its items, how each is drawn, and what to say when it is empty. */
interface HomeListSpec<T> {
  key: HomeList;
  title: string;
  items: T[];
  blocksPerItem: number;
  render: (item: T) => KnownBlock[];
  empty?: Mrkdwn;
}
type AnyList = HomeListSpec<unknown>;

/** At most this many items of one list at a time. */
const MAX_PER_PAGE = 10;
/** Blocks around the lists: the header, "Nothing waits for you", the closing hint. */
const FIXED_BLOCKS = 3;

/** Blocks a list takes with `size` items a page: title, items, count and buttons when it pages, divider. */
function blocksFor(list: AnyList, size: number): number {
  if (list.items.length === 0) return list.empty ? 1 : 0;
  const pages = list.items.length > size;
  return 1 + Math.min(size, list.items.length) * list.blocksPerItem + (pages ? 2 : 0) + 1;
}

/**
 * Items per page for each list, so that together they fit the Home tab's 100 blocks: ten each
 * while that fits, else the list taking most blocks gives up one item at a time.
 */
export function homePageSizes(lists: AnyList[]): number[] {
  const sizes = lists.map(() => MAX_PER_PAGE);
  const total = () => FIXED_BLOCKS + lists.reduce((sum, list, i) => sum + blocksFor(list, sizes[i] ?? 1), 0);
  while (total() > limits.viewBlocks) {
    let widest = -1;
    lists.forEach((list, i) => {
      if ((sizes[i] ?? 1) > 1 && (widest < 0 || blocksFor(list, sizes[i] ?? 1) > blocksFor(lists[widest]!, sizes[widest] ?? 1))) widest = i;
    });
    if (widest < 0) break;
    sizes[widest] = (sizes[widest] ?? 1) - 1;
  }
  return sizes;
}

function drawList<T>(list: HomeListSpec<T>, size: number, offset: number): KnownBlock[] {
  const { key, title, items } = list;
  if (items.length === 0) return list.empty ? [section(mrkdwn`*${title}*\n${list.empty}`)] : [];
  const page = pageAt(items, offset, size);
  const blocks: KnownBlock[] = [section(mrkdwn`*${title}*`), ...page.items.flatMap(list.render)];
  if (page.total > size) {
    blocks.push(context(mrkdwn`${page.from}–${page.to} of ${page.total}.`));
    const value = (at: number) => JSON.stringify({ list: key, offset: at } satisfies HomePageValue);
    blocks.push(
      actions(`home:page:${key}`, [
        ...(page.previous !== null ? [{ label: 'Previous', actionId: homeActionIds.previous, value: value(page.previous) }] : []),
        ...(page.next !== null
          ? [{ label: `Next ${Math.min(size, page.total - page.to)}`, actionId: homeActionIds.next, value: value(page.next) }]
          : []),
      ]),
    );
  }
  return [...blocks, { type: 'divider' }];
}

/** The Home tab: what waits for this person, with the same buttons as their DMs. */
export function homeView(data: HomeData, supportChannelId: string, offsets: HomeOffsets = {}): HomeView {
  const lists = [
    spec('setup', 'Accounts to set up', data.setupInvitations, 2, ({ invitation, account }) => [
      section(mrkdwn`*${account.name}*: your setup invitation works ${validFor(invitation.issuedAt, invitation.expiresAt)}.`),
      actions(`home:setup:${invitation.id}`, [
        { label: labels.setUp, actionId: actionIds.setUp, value: invitation.id, style: 'primary' },
        { label: labels.invite, actionId: actionIds.invite, value: invitation.id },
      ]),
    ]),
    spec('confirmations', 'Confirmations waiting for you', data.confirmations, 2, ({ delegation, account }) => [
      section(
        mrkdwn`Should ${mention(delegation.inviteeUserId)} get manage permissions on *${account.name}*? This confirmation works ${validFor(delegation.requestedAt, delegation.confirmExpiresAt)}.`,
      ),
      actions(`home:confirm:${delegation.id}`, [
        { label: labels.approve, actionId: actionIds.approve, value: delegation.id, style: 'primary' },
        { label: labels.cancel, actionId: actionIds.cancel, value: delegation.id },
      ]),
    ]),
    spec('invitations', 'Invitations for you', data.invitations, 2, ({ delegation, account }) => [
      section(
        mrkdwn`${mention(delegation.inviterUserId)} invites you to set up *${account.name}*${delegation.acceptExpiresAt ? mrkdwn`; the invitation works ${validFor(delegation.approvedAt ?? delegation.requestedAt, delegation.acceptExpiresAt)}` : ''}.`,
      ),
      actions(`home:invitee:${delegation.id}`, [
        { label: labels.accept, actionId: actionIds.accept, value: delegation.id, style: 'primary' },
        { label: labels.decline, actionId: actionIds.decline, value: delegation.id },
      ]),
    ]),
    spec('myRecoveries', 'Your recovery requests', data.myRecoveries, 1, (r) => [
      section(
        r.status === 'awaiting_info'
          ? mrkdwn`${r.reference} for *${r.accountName}*: support asked you for more information ${slackDate(r.waitingSince ?? r.createdAt)}. Answer with *Reply* on their question in your DMs.`
          : mrkdwn`${r.reference} for *${r.accountName}*: waiting for support since ${slackDate(r.waitingSince ?? r.createdAt)}.`,
      ),
    ]),
    ...(data.supportQueue
      ? [
          spec(
            'supportQueue',
            'Recovery requests to review',
            data.supportQueue,
            1,
            (r) => [
              section(
                r.status === 'awaiting_info'
                  ? mrkdwn`${r.reference}: *${r.accountName}*, add ${r.emailToAdd}, asked by ${person(r.requesterUserId, r.crossWorkspace?.requester)} ${slackDate(r.createdAt)}. Waiting for the requester’s answer to support’s question; see ${channelLink(supportChannelId)}.`
                  : mrkdwn`${r.reference}: *${r.accountName}*, add ${r.emailToAdd}, asked by ${person(r.requesterUserId, r.crossWorkspace?.requester)} ${slackDate(r.createdAt)}. Review it in ${channelLink(supportChannelId)}.`,
              ),
            ],
            mrkdwn`Nothing to review.`,
          ),
        ]
      : []),
    spec(
      'administered',
      'Accounts you administer',
      data.administered,
      2, // its line, and Get a new invitation when nobody holds one
      (a) => {
        const count = data.adminCounts[a.id];
        const line = mrkdwn`*${a.name}* (${a.status === 'active' ? 'active' : 'not yet set up'}), contract ${a.contractNumber}${count ? mrkdwn`: ${adminCountWords(count)}` : ''}`;
        if (a.status === 'active') return [section(line)];
        const about = (rest: Mrkdwn) => (count ? mrkdwn`${line}; ${rest}` : mrkdwn`${line}: ${rest}`);
        const live = data.setupHolders.find((h) => h.accountId === a.id);
        if (data.setupInvitations.some((i) => i.account.id === a.id))
          return [section(about(mrkdwn`your setup invitation is under *Accounts to set up*.`))];
        if (live)
          return [
            section(
              about(
                mrkdwn`${mention(live.holderUserId)} holds its setup invitation until ${slackDate(live.expiresAt)}, and can hand it to you with *${labels.invite}*.`,
              ),
            ),
          ];
        // Not set up and nobody holds a live invitation: a fresh one is a click away, as after expiry.
        return [section(about(mrkdwn`no setup invitation is live.`)), renewButton(a.id, `home:${a.id}`)];
      },
      mrkdwn`None.`,
    ),
  ];
  const sizes = homePageSizes(lists);
  const nothingWaiting = data.setupInvitations.length + data.confirmations.length + data.invitations.length === 0;
  const blocks: KnownBlock[] = [
    header('Vouch'),
    ...(nothingWaiting ? [section(mrkdwn`Nothing waits for you right now.`)] : []),
    ...lists.flatMap((list, i) => drawList(list as HomeListSpec<unknown>, sizes[i] ?? 1, offsets[list.key] ?? 0)),
    context(mrkdwn`Type ${code('/enterprise help')} for every command.`),
  ];
  // The page sizes keep this within the limit; the cut is only a last guard.
  return { type: 'home', blocks: blocks.slice(0, limits.viewBlocks) };
}

/** A list of the Home tab, typed by its items. */
function spec<T>(
  key: HomeList,
  title: string,
  items: T[],
  blocksPerItem: number,
  render: (item: T) => KnownBlock[],
  empty?: Mrkdwn,
): HomeListSpec<unknown> {
  return { key, title, items, blocksPerItem, render: render as (item: unknown) => KnownBlock[], ...(empty ? { empty } : {}) };
}
