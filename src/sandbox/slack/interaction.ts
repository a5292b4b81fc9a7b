// The pieces of an interaction the driver sends: who acts and what they can reach, which
// button they click, and how Slack names users, teams, conversations and buttons in payloads.

import { findButtons, isJson, type ButtonRef, type Json } from './blockKit.js';
import type { FakeWorkspace } from './workspace.js';
import type { FakeChannel, FakeUser, FakeView } from './types.js';

export interface ClickOptions {
  /** Disambiguates buttons that share a label. */
  actionId?: string;
  /**
   * Clicks the message as an earlier version of it looked: a screen that has not refreshed yet,
   * a double click, or Slack replaying a click. The blocks come from a snapshot the test took.
   */
  staleBlocks?: unknown[];
  /**
   * How the person answers the button's confirmation dialog (its `confirm` object), which Slack
   * shows before it sends the click: `deny` sends nothing. Given for a button without a dialog,
   * the click fails, so a test that expects a dialog cannot pass without one.
   */
  dialog?: 'confirm' | 'deny';
}

/** A button's confirmation dialog as the person reads it. */
export interface ShownDialog {
  user: string;
  title: string;
  text: string;
  confirm: string;
  deny: string;
}

/** The dialog a button shows before its click is sent, if any; throws when `opts.dialog` expects one that is not there. */
export function dialogOf(button: ButtonRef, user: string, opts: ClickOptions): ShownDialog | null {
  const confirm = button.element.confirm;
  if (!isJson(confirm)) {
    if (opts.dialog) throw new Error(`Button "${button.label}" has no confirmation dialog`);
    return null;
  }
  const plain = (value: unknown, fallback: string) => (isJson(value) && typeof value.text === 'string' ? value.text : fallback);
  return {
    user,
    title: plain(confirm.title, 'Are you sure?'),
    text: plain(confirm.text, ''),
    confirm: plain(confirm.confirm, 'Yes'),
    deny: plain(confirm.deny, 'Cancel'),
  };
}

export function requireUser(slack: FakeWorkspace, userId: string): FakeUser {
  const user = slack.user(userId);
  if (!user) throw new Error(`Unknown user ${userId}; add them with slack.addUser() first`);
  return user;
}

export function requireChannel(slack: FakeWorkspace, channelId: string): FakeChannel {
  const channel = slack.channel(channelId);
  if (!channel) throw new Error(`Unknown channel ${channelId}; add it with slack.addChannel() first`);
  return channel;
}

export function assertCanSee(channel: FakeChannel, userId: string): void {
  const visible = channel.kind === 'im' ? channel.user === userId : channel.kind === 'channel' || channel.members.includes(userId);
  if (!visible) throw new Error(`User ${userId} cannot see messages in ${channel.id}`);
}

/** Users can only interact with the modal on top of their own stack. */
export function requireTopModal(slack: FakeWorkspace, userId: string, viewId: string, action: string): FakeView {
  const view = slack.view(viewId);
  if (view?.type !== 'modal') throw new Error(`Cannot ${action} ${viewId}: no such modal`);
  if (view.user !== userId) throw new Error(`Cannot ${action} ${viewId}: it was opened for ${view.user}, not ${userId}`);
  const top = slack.openView(userId);
  if (top?.id !== viewId) {
    throw new Error(`Cannot ${action} ${viewId}: it is not the open modal of ${userId} (open: ${top?.id ?? 'none'})`);
  }
  return view;
}

export function pickButton(blocks: unknown, label: string, opts: ClickOptions, where: string): ButtonRef {
  const buttons = findButtons(blocks);
  const match = buttons.find((b) => b.label === label && (opts.actionId === undefined || b.element.action_id === opts.actionId));
  if (match) return match;
  const present = buttons.map((b) => `"${b.label}" (${String(b.element.action_id)})`).join(', ') || 'none';
  const wanted = opts.actionId === undefined ? `"${label}"` : `"${label}" with action_id ${opts.actionId}`;
  throw new Error(`No button ${wanted} in ${where}; buttons present: ${present}`);
}

export function userRef(slack: FakeWorkspace, user: FakeUser): Json {
  return { id: user.id, username: user.name, name: user.name, team_id: slack.teamId };
}

export function teamRef(slack: FakeWorkspace): Json {
  return { id: slack.teamId, domain: slack.teamDomain, ...(slack.enterpriseId ? { enterprise_id: slack.enterpriseId } : {}) };
}

/** The `enterprise` of an interaction payload: the workspace's Enterprise Grid organization, or null. */
export function enterpriseRef(slack: FakeWorkspace): Json | null {
  return slack.enterpriseId ? { id: slack.enterpriseId, name: slack.enterpriseName ?? slack.enterpriseId } : null;
}

/** The clicked button as it appears in `actions`, stamped with `actionTs`. */
export function buttonAction(button: ButtonRef, actionTs: string): Json {
  const { element } = button;
  return {
    type: 'button',
    action_id: element.action_id,
    block_id: button.blockId,
    text: { type: 'plain_text', text: button.label, emoji: true },
    ...(element.value !== undefined ? { value: element.value } : {}),
    ...(element.style !== undefined ? { style: element.style } : {}),
    action_ts: actionTs,
  };
}

/** The `channel_name` Slack puts in commands and actions for non-channel conversations. */
export function legacyChannelName(channel: FakeChannel): string {
  if (channel.kind === 'im') return 'directmessage';
  if (channel.kind === 'private' || channel.kind === 'mpim') return 'privategroup';
  return channel.name;
}

export function formPayload(payload: Json): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
