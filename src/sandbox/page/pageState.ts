// What one person sees in the sandbox, read from their workspace in the Slack stand-in: their DM
// with the bot, the channels they are in (threads and their own ephemerals included), Home tab and
// modal. Nothing of another workspace shows: a person is a (workspace, user) pair.
// Surfaces come pre-rendered as HTML, tagged with what a click on them needs.

import { blocksText, type FakeEphemeral, type FakeMessage, type FakeSlack, type FakeView, type FakeWorkspace } from '../slack/index.js';
import { escapeHtml, mrkdwn, renderBlocks, textObject, type Directory } from './render.js';
import { peopleOf, supportChannel, workspaceList, workspaceOf, type SandboxPerson, type SandboxWorkspace } from './workspace.js';

export interface ItemState {
  key: string;
  ts: string;
  ephemeral: boolean;
  edited: boolean;
  /** The visible text, flattened, for readers of the API; the page shows `html`. */
  text: string;
  html: string;
  replies: ItemState[];
}

export interface ConversationState {
  id: string;
  name: string;
  kind: 'dm' | 'channel';
  items: ItemState[];
}

export interface ModalState {
  id: string;
  /** Changes whenever the bot replaces the view or answers with errors: the page redraws then. */
  version: string;
  /** The title and button labels, as HTML like everything the page draws. */
  title: string;
  submit: string | null;
  close: string;
  /** Inline errors by input block_id. */
  errors: Record<string, string>;
  html: string;
}

export interface WorkspaceState {
  id: string;
  name: string;
  kind: SandboxWorkspace['kind'];
  people: SandboxPerson[];
  /** Whether Vouch is installed there now (the sidebar can uninstall it, and install it again). */
  installed: boolean;
}

export interface PageState {
  me: SandboxPerson;
  /** The workspace everything below is in. */
  workspace: { id: string; name: string; kind: SandboxWorkspace['kind'] };
  /** Whether Vouch is installed in `workspace` now. */
  installed: boolean;
  /** The people of `workspace`. */
  people: readonly SandboxPerson[];
  /** Every workspace of the sandbox and its people, the provider's first: what the switcher offers. */
  workspaces: WorkspaceState[];
  clock: { now: string; aheadMs: number };
  conversations: ConversationState[];
  home: { html: string } | null;
  modal: ModalState | null;
}

export interface StateSources {
  /** The person's workspace. */
  workspace: FakeWorkspace;
  /** The stand-in (where its file links point). */
  slack: FakeSlack;
  clock: { now(): Date; aheadMs: number };
  /** Inline errors the bot answered a submission with, by view id (kept until the view changes). */
  errorsFor(view: FakeView): Record<string, string>;
  installed(teamId: string): boolean;
}

function directoryOf(workspace: FakeWorkspace, baseUrl: string): Directory {
  return {
    userName: (id) => workspace.user(id)?.realName,
    channelName: (id) => workspace.channel(id)?.name,
    link: (url) => fileLink(workspace, baseUrl, url),
    people: peopleOf(workspace.teamId),
  };
}

/** Where the page server shows a file of a workspace (file ids are only unique within one). */
export const filePath = (teamId: string, fileId: string): string => `/files/${encodeURIComponent(teamId)}/${encodeURIComponent(fileId)}`;

/**
 * The stand-in's file links want the bot token; the page server shows those files instead, when
 * they are files of the viewer's workspace (its id and name match: ids repeat across workspaces).
 * A link to another workspace's file stays as it is, and opens no more than it would in Slack.
 */
function fileLink(workspace: FakeWorkspace, baseUrl: string, url: string): string {
  const prefix = `${baseUrl}/files/`;
  if (!url.startsWith(prefix)) return url;
  const parts = url.slice(prefix.length).split('/');
  const name = safeDecode(parts.at(-1) ?? '');
  const id = parts.find((part) => workspace.file(part)?.name === name);
  return id === undefined ? url : filePath(workspace.teamId, id);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function pageState(sources: StateSources, me: SandboxPerson): PageState {
  const { workspace: slack, clock } = sources;
  const directory = directoryOf(slack, sources.slack.baseUrl);
  // The DM with Vouch, then the support channel when the person is in it (it is in the provider's workspace only).
  const conversationIds = [slack.dmChannelId(me.id), ...[supportChannel.id].filter((id) => slack.channel(id)?.members.includes(me.id))];
  const home = slack.homeView(me.id);
  const modal = slack.openView(me.id);
  const here = workspaceOf(me.teamId)!;
  return {
    me,
    workspace: { id: here.teamId, name: here.name, kind: here.kind },
    installed: sources.installed(here.teamId),
    people: peopleOf(me.teamId),
    workspaces: workspaceList.map((w) => ({
      id: w.teamId,
      name: w.name,
      kind: w.kind,
      people: peopleOf(w.teamId),
      installed: sources.installed(w.teamId),
    })),
    clock: { now: clock.now().toISOString(), aheadMs: clock.aheadMs },
    conversations: conversationIds.map((id) => conversation(slack, directory, id, me.id)),
    home: home ? { html: `<div data-surface="home">${renderBlocks(home.view.blocks, directory)}</div>` } : null,
    modal: modal ? modalState(modal, sources.errorsFor(modal), directory) : null,
  };
}

function conversation(slack: FakeWorkspace, directory: Directory, channelId: string, userId: string): ConversationState {
  const channel = slack.channel(channelId)!;
  const ephemerals = slack.ephemerals(userId).filter((e) => e.channel === channelId);
  // Same-length ts strings sort as text; as numbers they would lose the microseconds.
  const all = [
    ...slack.messages(channelId).map((m) => messageItem(m, directory, slack)),
    ...ephemerals.map((e) => ephemeralItem(e, directory)),
  ].sort((a, b) => (a.item.ts < b.item.ts ? -1 : 1));
  // Replies sit under the message that started their thread, like Slack shows them.
  const top = all.filter((entry) => entry.threadTs === undefined || entry.threadTs === entry.item.ts);
  for (const entry of all) {
    if (top.includes(entry)) continue;
    top.find((t) => t.item.ts === entry.threadTs)?.item.replies.push(entry.item);
  }
  return {
    id: channelId,
    name: channel.kind === 'im' ? 'Vouch' : `#${channel.name}`,
    kind: channel.kind === 'im' ? 'dm' : 'channel',
    items: top.map((entry) => entry.item),
  };
}

interface Entry {
  item: ItemState;
  threadTs: string | undefined;
}

function messageItem(message: FakeMessage, directory: Directory, slack: FakeWorkspace): Entry {
  const key = `${message.channel}:${message.ts}`;
  const html = article(
    { surface: 'message', channel: message.channel, ts: message.ts },
    message,
    directory,
    message.edits > 0 ? '<span class="tag">(edited)</span>' : '',
    sharedFiles(message, slack),
  );
  return {
    item: { key, ts: message.ts, ephemeral: false, edited: message.edits > 0, text: visibleText(message), html, replies: [] },
    threadTs: message.threadTs,
  };
}

function ephemeralItem(ephemeral: FakeEphemeral, directory: Directory): Entry {
  const key = `ephemeral:${ephemeral.ts}`;
  const html = article(
    { surface: 'ephemeral', channel: ephemeral.channel, ts: ephemeral.ts },
    ephemeral,
    directory,
    '<span class="tag only-you">Only visible to you</span>',
  );
  return {
    item: { key, ts: ephemeral.ts, ephemeral: true, edited: ephemeral.edits > 0, text: visibleText(ephemeral), html, replies: [] },
    threadTs: ephemeral.threadTs,
  };
}

const visibleText = (m: { text: string; blocks?: unknown[] }): string => (m.blocks && m.blocks.length > 0 ? blocksText(m.blocks) : m.text);

/** The files a message shares, as links the page server serves (a letter uploaded into a thread). */
function sharedFiles(message: FakeMessage, slack: FakeWorkspace): string {
  const links = (message.files ?? []).map((id) => {
    const name = slack.file(id)?.name ?? id;
    return `<a class="file" href="${escapeHtml(filePath(slack.teamId, id))}" target="_blank" rel="noopener">&#128206; ${escapeHtml(name)}</a>`;
  });
  return links.length > 0 ? `<p class="files">${links.join(' ')}</p>` : '';
}

/** One message as the page shows it; the data attributes say where a click on it goes. */
function article(
  where: { surface: 'message' | 'ephemeral'; channel: string; ts: string },
  m: { text: string; blocks?: unknown[]; postedAt: number },
  directory: Directory,
  tags: string,
  files = '',
): string {
  const body =
    m.blocks && m.blocks.length > 0 ? renderBlocks(m.blocks, directory) : `<div class="bk-text">${mrkdwn(m.text, directory)}</div>`;
  const at = new Date(m.postedAt);
  return `<article class="msg${where.surface === 'ephemeral' ? ' ephemeral' : ''}" data-surface="${where.surface}" data-channel="${escapeHtml(where.channel)}" data-ts="${escapeHtml(where.ts)}">
<p class="meta"><span class="author">Vouch</span> <span class="tag">APP</span> <time datetime="${at.toISOString()}">${utc(at)}</time> ${tags}</p>
${body}${files}
</article>`;
}

const utc = (at: Date): string => `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

function modalState(view: FakeView, errors: Record<string, string>, directory: Directory): ModalState {
  const title = textObject(view.view.title, directory);
  return {
    id: view.id,
    version: `${view.hash}:${JSON.stringify(errors)}`,
    title,
    submit: view.view.submit === undefined || view.view.submit === null ? null : textObject(view.view.submit, directory),
    close: view.view.close === undefined || view.view.close === null ? 'Cancel' : textObject(view.view.close, directory),
    errors,
    html: `<div data-surface="view" data-view-id="${escapeHtml(view.id)}">${renderBlocks(view.view.blocks, directory, { state: view.state.values, errors })}</div>`,
  };
}
