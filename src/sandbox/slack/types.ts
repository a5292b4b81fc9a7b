// The Slack stand-in's public types: what tests and the sandbox page read back (users,
// conversations, messages, views, files, recorded calls) and what they configure it with.

import type { Json } from './blockKit.js';

export interface FakeSlackOptions {
  teamId?: string;
  teamDomain?: string;
  /** The workspace's name, as auth.test and oauth.v2.access show it. */
  teamName?: string;
  /** The Enterprise Grid organization the workspace belongs to (none by default). */
  enterpriseId?: string;
  enterpriseName?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  botToken?: string;
  /** The app-level token (`xapp-…`) that opens Socket Mode connections. */
  appToken?: string;
  /** Clock in ms; drives message ts, recording and expiry of trigger ids / response URLs. */
  now?: () => number;
  /** How long a trigger id stays usable (Slack: 3 s). */
  triggerTtlMs?: number;
}

export interface FakeUser {
  id: string;
  name: string;
  realName: string;
  /** What people see and type after @; Slack's profile.display_name. Defaults to `name`. */
  displayName: string;
  email?: string;
  isBot: boolean;
  deleted: boolean;
}

export interface AddUserInput {
  id: string;
  name: string;
  realName?: string;
  displayName?: string;
  email?: string;
  isBot?: boolean;
  deleted?: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  kind: 'channel' | 'private' | 'im' | 'mpim';
  members: string[];
  /** For DMs: the user on the other side of the bot. */
  user?: string;
}

export interface AddChannelInput {
  id: string;
  name: string;
  members: string[];
  isPrivate?: boolean;
}

export interface MessageVersion {
  text: string;
  blocks?: Json[];
  attachments?: Json[];
  /** ms (clock) when this version was replaced. */
  replacedAt: number;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks?: Json[];
  attachments?: Json[];
  metadata?: Json;
  /** Files shared in the message (files.completeUploadExternal), by id. */
  files?: string[];
  user: string;
  botId: string;
  postedAt: number;
  edits: number;
  /** Previous versions, oldest first. */
  history: MessageVersion[];
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks?: Json[];
  postedAt: number;
  edits: number;
}

export interface ViewState {
  values: Record<string, Record<string, Json>>;
}

export interface FakeView {
  id: string;
  type: 'modal' | 'home';
  user: string;
  hash: string;
  /** The view as last sent by the bot, with Slack-generated block/action ids filled in. */
  view: Json;
  state: ViewState;
  rootViewId: string;
  previousViewId: string | null;
  externalId?: string;
  /** Modals: still on the user's stack. Home views are always open. */
  open: boolean;
}

export interface FakeFile {
  id: string;
  name: string;
  mimetype: string;
  size: number;
  content: Buffer;
  user: string;
  /** Seconds, as Slack reports `created`. */
  created: number;
  serving?: FileServing;
}

/** A file upload begun with files.getUploadURLExternal: its bytes arrive at its upload URL. */
export interface PendingUpload {
  fileId: string;
  filename: string;
  /** The length announced when the upload began. */
  length: number;
  /** The bytes posted to the upload URL, once they arrived. */
  content?: Buffer;
}

export interface AddFileInput {
  id?: string;
  name: string;
  mimetype: string;
  content: Buffer;
  user: string;
  /** How the file is described and served when it should misbehave (tests of the download). */
  serving?: FileServing;
}

/** A file that misbehaves, as a hostile API answer or a slow file host would. */
export interface FileServing {
  /** files.info reports this size instead of the real one (a size that lies). */
  declaredSize?: number;
  /** files.info's url_private(_download) is this address instead of the stand-in's (a remote file). */
  url?: string;
  /** The download sends the content this many times over (Infinity: without end), without a Content-Length. */
  repeat?: number;
  /** The download sends its headers and the first bytes, then nothing more. */
  stall?: boolean;
  /** The download answers 302 to this address. */
  redirect?: string;
}

export interface RecordedCall {
  method: string;
  args: Json;
  /** ms (clock) when the request arrived. */
  at: number;
  status: number;
  response: Json | null;
  /** The workspace whose token made the call (none for calls without one, like oauth.v2.access). */
  team?: string;
}

export type Failure = { status: 500 } | { status: 429; retryAfter: number } | { error: string };

export interface RateLimitConfig {
  /** chat.postMessage per channel within any 1 s window (Slack allows ~1). */
  perChannelPerSecond?: number;
  /** Calls per method within any 60 s window. */
  perMinutePerMethod?: Record<string, number>;
}

export type ChangeKind = 'message' | 'update' | 'delete' | 'ephemeral' | 'view' | 'home';

export interface FakeSlackChange {
  kind: ChangeKind;
  /** The workspace it happened in, for every workspace but the stand-in's first. */
  team?: string;
  channel?: string;
  user?: string;
  ts?: string;
  viewId?: string;
}

export interface ResponseUrlTarget {
  channel: string;
  user: string;
  /** The message (or ephemeral) the interaction came from, for replace/delete_original. */
  messageTs?: string;
}

/** Result of applying a bot's view_submission acknowledgement. */
export type ViewAckOutcome =
  | { ok: true; action: 'close' | 'clear' | 'update' | 'push' | 'errors'; viewId?: string }
  | { ok: false; error: string; messages: string[] };

export interface AddTeamInput {
  teamId: string;
  teamDomain?: string;
  teamName?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  /** The bot's user and bot ids in this workspace (default: derived from the team id). */
  botUserId?: string;
  botId?: string;
  /** A bot token that works here without an install; by default the workspace has none until it installs the app. */
  botToken?: string;
}

/** The app as its settings page at api.slack.com describes it, for OAuth and the events Slack sends it. */
export interface FakeAppConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the events the stand-in sends the app (app_uninstalled, tokens_revoked). */
  signingSecret: string;
  /** Where the authorize page may send the installer back; the first is used when the link names none. */
  redirectUrls: string[];
  /** The app's Request URL, where events go. */
  eventsUrl?: string;
  /** Slack's token rotation: installs get expiring `xoxe.xoxb-1-…` tokens and a refresh token. */
  tokenRotation?: boolean;
  /** How long a rotating token works (Slack: 12 hours). */
  tokenLifetimeSeconds?: number;
}

/** An install of the app into a workspace, or org-wide into an Enterprise Grid organization. */
export interface FakeInstallation {
  /** `team:T…` or, for an org-wide install, `enterprise:E…`. */
  key: string;
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
  installerUserId: string;
  scopes: string[];
  /** The bot token now valid (a rotating one changes at each refresh). */
  botToken: string;
  refreshToken?: string;
  /** ms (clock) when `botToken` stops working, with token rotation. */
  expiresAt?: number;
  /** Uninstalled, or its tokens revoked: every token of it is refused with `token_revoked`. */
  revoked: boolean;
  /** How often it was installed (a reinstall counts). */
  installs: number;
  /** How often its token was refreshed. */
  refreshes: number;
}

/** Who approves an install on the authorize page. */
export interface InstallChoice {
  /** The workspace to install into; for an org-wide install, the organization's id (E…) instead. */
  teamId?: string;
  enterpriseId?: string;
  userId: string;
  /** Cancel rather than Allow. */
  cancel?: boolean;
}
