// An in-process stand-in for the Slack Web API. It is a real HTTP server so the
// bot talks to it through the real WebClient (serialization, retries, rate-limit
// handling included), keeps the workspace state a user would see, records every
// call, and can fail on demand. The SlackDriver plays the user side against it.

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { blockProblems, formatProblems, isJson, normalizeBlocks, viewProblems, type Json } from './blockKit.js';
import { FakeSocketMode, SOCKET_MODE_PATH, type EnvelopeAck, type EnvelopeType } from './socketMode.js';

export { blocksText, type Json } from './blockKit.js';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export interface FakeSlackOptions {
  teamId?: string;
  teamDomain?: string;
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
  email?: string;
  isBot: boolean;
  deleted: boolean;
}

export interface AddUserInput {
  id: string;
  name: string;
  realName?: string;
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
}

export interface AddFileInput {
  id?: string;
  name: string;
  mimetype: string;
  content: Buffer;
  user: string;
}

export interface RecordedCall {
  method: string;
  args: Json;
  /** ms (clock) when the request arrived. */
  at: number;
  status: number;
  response: Json | null;
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

// ---------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------

interface Reply {
  status: number;
  json?: Json;
  raw?: { body: Buffer | string; contentType: string };
  headers?: Record<string, string>;
}

type ApiHandler = (args: Json) => Json;

interface MessageContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

interface ResponseUrlRecord extends ResponseUrlTarget {
  createdAt: number;
  uses: number;
}

/** Form fields the WebClient JSON-encodes because they are objects/arrays. */
const JSON_FORM_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);
const MAX_TEXT = 40_000;
const RESPONSE_URL_TTL_MS = 30 * 60_000;
const RESPONSE_URL_MAX_USES = 5;
const MAX_MODAL_STACK = 3;

const ok = (extra: Json = {}): Json => ({ ok: true, ...extra });

/** A Slack error answer produced while validating, before any state changes. */
class ApiFailure {
  constructor(readonly body: Json) {}
}
const fail = (error: string, messages?: string[]): Json =>
  messages && messages.length > 0 ? { ok: false, error, response_metadata: { messages } } : { ok: false, error };

function str(args: Json, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}

/** Accepts an already-parsed object or a JSON string (JSON bodies may carry either). */
function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

// ---------------------------------------------------------------------------
// FakeSlack
// ---------------------------------------------------------------------------

export class FakeSlack extends EventEmitter<{ change: [FakeSlackChange] }> {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly botToken: string;
  readonly appToken: string;
  private readonly now: () => number;
  private readonly triggerTtlMs: number;

  private server: Server | undefined;
  private port: number | undefined;
  private socketMode: FakeSocketMode | undefined;

  private readonly userMap = new Map<string, FakeUser>();
  private readonly channelMap = new Map<string, FakeChannel>();
  private readonly messageMap = new Map<string, FakeMessage[]>();
  private readonly ephemeralList: FakeEphemeral[] = [];
  private readonly viewMap = new Map<string, FakeView>();
  private readonly modalStacks = new Map<string, string[]>();
  private readonly homeViewIds = new Map<string, string>();
  private readonly fileMap = new Map<string, FakeFile>();
  private readonly triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();
  private readonly responseUrls = new Map<string, ResponseUrlRecord>();

  private readonly recorded: RecordedCall[] = [];
  private readonly failures = new Map<string, Array<{ failure: Failure; remaining: number; channel?: string }>>();
  private readonly delays = new Map<string, number>();
  private rateLimit: RateLimitConfig = {};
  private readonly rateWindows = new Map<string, number[]>();

  private readonly api: Map<string, ApiHandler>;
  private seq = 0;
  private lastTsMicros = 0n;

  constructor(options: FakeSlackOptions = {}) {
    super();
    this.teamId = options.teamId ?? 'T0VOUCH';
    this.teamDomain = options.teamDomain ?? 'vouch-sandbox';
    this.botUserId = options.botUserId ?? 'U0VOUCHBOT';
    this.botId = options.botId ?? 'B0VOUCH';
    this.appId = options.appId ?? 'A0VOUCH';
    this.botToken = options.botToken ?? 'xoxb-fake';
    this.appToken = options.appToken ?? 'xapp-fake';
    this.now = options.now ?? Date.now;
    this.triggerTtlMs = options.triggerTtlMs ?? 3000;
    // The bot exists as a user so users.info / cannot_dm_bot behave like Slack.
    this.addUser({ id: this.botUserId, name: 'vouch', realName: 'Vouch', isBot: true });

    this.api = new Map<string, ApiHandler>([
      ['auth.test', () => this.authTest()],
      ['conversations.open', (a) => this.conversationsOpen(a)],
      ['conversations.info', (a) => this.conversationsInfo(a)],
      ['conversations.members', (a) => this.conversationsMembers(a)],
      ['chat.postMessage', (a) => this.chatPostMessage(a)],
      ['chat.update', (a) => this.chatUpdate(a)],
      ['chat.delete', (a) => this.chatDelete(a)],
      ['chat.postEphemeral', (a) => this.chatPostEphemeral(a)],
      ['chat.getPermalink', (a) => this.chatGetPermalink(a)],
      ['views.open', (a) => this.viewsOpen(a)],
      ['views.push', (a) => this.viewsPush(a)],
      ['views.update', (a) => this.viewsUpdate(a)],
      ['views.publish', (a) => this.viewsPublish(a)],
      ['users.lookupByEmail', (a) => this.usersLookupByEmail(a)],
      ['users.info', (a) => this.usersInfo(a)],
      ['files.info', (a) => this.filesInfo(a)],
    ]);
  }

  // -------------------------------------------------------------------------
  // Lifecycle
  // -------------------------------------------------------------------------

  async start(port = 0): Promise<void> {
    if (this.server) throw new Error('FakeSlack is already started');
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`FakeSlack internal error: ${err instanceof Error ? err.message : String(err)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.socketMode = new FakeSocketMode(this.appId);
    this.socketMode.attach(server);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.socketMode?.close();
    this.socketMode = undefined;
    // fetch keeps connections alive; drop them so close() resolves promptly.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Where the stand-in listens (loopback only). */
  get address(): AddressInfo {
    if (!this.server) throw new Error('FakeSlack is not started');
    return this.server.address() as AddressInfo;
  }

  get baseUrl(): string {
    if (this.port === undefined) throw new Error('FakeSlack is not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** What `new WebClient(token, { slackApiUrl })` expects: ends with `/api/`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  // -------------------------------------------------------------------------
  // Workspace setup
  // -------------------------------------------------------------------------

  addUser(input: AddUserInput): FakeUser {
    const user: FakeUser = {
      id: input.id,
      name: input.name,
      realName: input.realName ?? input.name,
      isBot: input.isBot ?? false,
      deleted: input.deleted ?? false,
      ...(input.email !== undefined ? { email: input.email } : {}),
    };
    this.userMap.set(user.id, user);
    return user;
  }

  user(id: string): FakeUser | undefined {
    return this.userMap.get(id);
  }

  users(): FakeUser[] {
    return [...this.userMap.values()];
  }

  addChannel(input: AddChannelInput): FakeChannel {
    const channel: FakeChannel = {
      id: input.id,
      name: input.name,
      kind: input.isPrivate ? 'private' : 'channel',
      members: [...input.members],
    };
    this.channelMap.set(channel.id, channel);
    return channel;
  }

  setChannelMembers(id: string, members: string[]): void {
    const channel = this.channelMap.get(id);
    if (!channel) throw new Error(`Unknown channel ${id}`);
    channel.members = [...members];
  }

  /** Turns a channel public or private (conversations.info's `is_private`). */
  setChannelPrivate(id: string, isPrivate: boolean): void {
    const channel = this.channelMap.get(id);
    if (!channel || (channel.kind !== 'channel' && channel.kind !== 'private')) throw new Error(`Unknown channel ${id}`);
    channel.kind = isPrivate ? 'private' : 'channel';
  }

  channel(id: string): FakeChannel | undefined {
    return this.channelMap.get(id);
  }

  addFile(input: AddFileInput): FakeFile {
    const file: FakeFile = {
      id: input.id ?? this.nextId('F'),
      name: input.name,
      mimetype: input.mimetype,
      size: input.content.length,
      content: input.content,
      user: input.user,
      created: Math.floor(this.now() / 1000),
    };
    this.fileMap.set(file.id, file);
    return file;
  }

  file(id: string): FakeFile | undefined {
    return this.fileMap.get(id);
  }

  /** The file as Slack's API (files.info, file_input state) shows it. */
  fileObject(id: string): Json | undefined {
    const file = this.fileMap.get(id);
    if (!file) return undefined;
    const urlPrivate = `${this.baseUrl}/files/${file.id}/${encodeURIComponent(file.name)}`;
    return {
      id: file.id,
      created: file.created,
      timestamp: file.created,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: file.name.includes('.') ? file.name.split('.').pop() : 'binary',
      user: file.user,
      size: file.size,
      mode: 'hosted',
      is_external: false,
      is_public: false,
      url_private: urlPrivate,
      url_private_download: `${urlPrivate}?download=1`,
      permalink: `${this.baseUrl}/files/${file.user}/${file.id}/${encodeURIComponent(file.name)}`,
    };
  }

  // -------------------------------------------------------------------------
  // The user's side of Slack (used by SlackDriver)
  // -------------------------------------------------------------------------

  /** Issues a trigger id for an interaction by `userId`, usable once for views.open/push. */
  newTriggerId(userId: string): string {
    const id = `${++this.seq}.${this.teamId.replace(/\D/g, '') || '0'}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { user: userId, issuedAt: this.now(), used: false });
    return id;
  }

  /** A response_url for an interaction in `channel` by `user` (see handleResponseUrl). */
  createResponseUrl(target: ResponseUrlTarget): string {
    const id = randomBytes(12).toString('hex');
    this.responseUrls.set(id, { ...target, createdAt: this.now(), uses: 0 });
    return `${this.baseUrl}/response/${id}`;
  }

  /** Remembers what the user typed into a view (Slack keeps it across submissions). */
  setViewState(viewId: string, state: ViewState): void {
    const view = this.requireView(viewId);
    view.state = structuredClone(state);
  }

  /**
   * Closes a modal as the user or Slack would: only that view (and any pushed
   * above it), or the whole stack with `clearStack`.
   */
  closeView(viewId: string, options: { clearStack?: boolean } = {}): void {
    const view = this.requireView(viewId);
    const stack = this.modalStacks.get(view.user) ?? [];
    const index = stack.indexOf(viewId);
    if (index < 0) return;
    const removed = options.clearStack ? stack.splice(0) : stack.splice(index);
    for (const id of removed) {
      const closed = this.viewMap.get(id);
      if (closed) closed.open = false;
    }
    this.change({ kind: 'view', user: view.user, viewId });
  }

  /**
   * Applies the bot's HTTP answer to a view_submission the way Slack does:
   * empty → close the view, `clear` → close the stack, `update`/`push` → show
   * the new view, `errors` → keep it (the keys must be input block_ids).
   * Recorded as method `response_action`.
   */
  applyViewAck(viewId: string, ack: Json | undefined): ViewAckOutcome {
    const view = this.requireView(viewId);
    const outcome = this.resolveViewAck(view, ack);
    const response: Json = outcome.ok ? ok({ action: outcome.action, view_id: outcome.viewId }) : fail(outcome.error, outcome.messages);
    this.record({ method: 'response_action', args: { view_id: viewId, ...(ack ?? {}) }, at: this.now(), status: 200, response });
    return outcome;
  }

  private resolveViewAck(view: FakeView, ack: Json | undefined): ViewAckOutcome {
    const action = ack?.response_action;
    if (ack === undefined || action === undefined) {
      this.closeView(view.id);
      return { ok: true, action: 'close' };
    }
    switch (action) {
      case 'clear':
        this.closeView(view.id, { clearStack: true });
        return { ok: true, action: 'clear' };
      case 'errors': {
        const errors = isJson(ack.errors) ? ack.errors : {};
        const inputBlockIds = new Set(
          (Array.isArray(view.view.blocks) ? view.view.blocks : [])
            .filter((b): b is Json => isJson(b) && b.type === 'input')
            .map((b) => b.block_id),
        );
        const bad = Object.keys(errors).filter((key) => !inputBlockIds.has(key));
        if (bad.length > 0 || Object.keys(errors).length === 0) {
          const messages =
            bad.length > 0
              ? bad.map((key) => `[ERROR] '${key}' is not the block_id of an input block in this view`)
              : ['[ERROR] errors must not be empty'];
          return { ok: false, error: 'invalid_arguments', messages };
        }
        return { ok: true, action: 'errors' };
      }
      case 'update':
      case 'push': {
        const newView = parseMaybeJson(ack.view);
        const problems = viewProblems(newView, 'modal');
        if (problems.length > 0) return { ok: false, error: 'invalid_arguments', messages: formatProblems(problems) };
        if (action === 'update') {
          this.replaceViewContent(view, newView as Json);
          return { ok: true, action: 'update', viewId: view.id };
        }
        const stack = this.modalStacks.get(view.user) ?? [];
        if (stack.length >= MAX_MODAL_STACK) return { ok: false, error: 'push_limit_reached', messages: [] };
        const pushed = this.createModal(view.user, newView as Json, stack);
        return { ok: true, action: 'push', viewId: pushed.id };
      }
      default:
        return { ok: false, error: 'invalid_arguments', messages: [`[ERROR] unknown response_action '${String(action)}'`] };
    }
  }

  // -------------------------------------------------------------------------
  // Queries for tests
  // -------------------------------------------------------------------------

  /** The id of `userId`'s DM with the bot, creating the conversation if needed. */
  dmChannelId(userId: string): string {
    return this.ensureDm(userId).id;
  }

  /** All messages in a channel, thread replies included, in ts order. */
  messages(channelId: string): FakeMessage[] {
    return [...(this.messageMap.get(channelId) ?? [])];
  }

  /** Messages in `userId`'s DM with the bot. */
  dm(userId: string): FakeMessage[] {
    return this.messages(this.dmIdFor(userId));
  }

  lastDm(userId: string): FakeMessage | undefined {
    return this.dm(userId).at(-1);
  }

  message(channelId: string, ts: string): FakeMessage | undefined {
    return this.messageMap.get(channelId)?.find((m) => m.ts === ts);
  }

  ephemerals(userId: string): FakeEphemeral[] {
    return this.ephemeralList.filter((e) => e.user === userId);
  }

  lastEphemeral(userId: string): FakeEphemeral | undefined {
    return this.ephemerals(userId).at(-1);
  }

  /** The modal on top of the user's stack, if any. */
  openView(userId: string): FakeView | undefined {
    const id = this.modalStacks.get(userId)?.at(-1);
    return id === undefined ? undefined : this.viewMap.get(id);
  }

  /** The user's modal stack, bottom first. */
  viewStack(userId: string): FakeView[] {
    return (this.modalStacks.get(userId) ?? []).map((id) => this.requireView(id));
  }

  homeView(userId: string): FakeView | undefined {
    const id = this.homeViewIds.get(userId);
    return id === undefined ? undefined : this.viewMap.get(id);
  }

  view(viewId: string): FakeView | undefined {
    return this.viewMap.get(viewId);
  }

  /** The view as Slack puts it into payloads and API responses. */
  viewPayload(view: FakeView): Json {
    return {
      type: view.type,
      blocks: [],
      private_metadata: '',
      callback_id: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      ...view.view,
      id: view.id,
      team_id: this.teamId,
      state: structuredClone(view.state),
      hash: view.hash,
      previous_view_id: view.previousViewId,
      root_view_id: view.rootViewId,
      app_id: this.appId,
      app_installed_team_id: this.teamId,
      bot_id: this.botId,
    };
  }

  /** A stored message as Slack shows it in API responses and `block_actions` payloads. */
  messagePayload(message: FakeMessage): Json {
    return {
      type: 'message',
      user: message.user,
      bot_id: message.botId,
      app_id: this.appId,
      team: this.teamId,
      text: message.text,
      ts: message.ts,
      ...(message.threadTs !== undefined ? { thread_ts: message.threadTs } : {}),
      ...(message.blocks !== undefined ? { blocks: structuredClone(message.blocks) } : {}),
      ...(message.attachments !== undefined ? { attachments: structuredClone(message.attachments) } : {}),
      ...(message.metadata !== undefined ? { metadata: structuredClone(message.metadata) } : {}),
      ...(message.edits > 0 ? { edited: { user: message.user, ts: message.ts } } : {}),
    };
  }

  // -------------------------------------------------------------------------
  // Recording and fault injection
  // -------------------------------------------------------------------------

  calls(method?: string): RecordedCall[] {
    return method === undefined ? [...this.recorded] : this.recorded.filter((c) => c.method === method);
  }

  /** Sends a payload over the app's Socket Mode connection, as Slack does once one is open. */
  deliverEnvelope(type: EnvelopeType, payload: Json): Promise<EnvelopeAck> {
    if (!this.socketMode) throw new Error('FakeSlack is not started');
    return this.socketMode.deliver(type, payload);
  }

  /** Open Socket Mode connections. */
  get socketConnections(): number {
    return this.socketMode?.connections ?? 0;
  }

  clearCalls(): void {
    this.recorded.length = 0;
  }

  /**
   * The next `times` calls to `method` (or `response_url`, `file_download`) fail without touching
   * state; with `where.channel`, only calls into that channel (a user id means their DM).
   */
  failNext(method: string, failure: Failure, times = 1, where: { channel?: string } = {}): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ failure, remaining: times, ...(where.channel ? { channel: this.channelKey(where.channel) } : {}) });
    this.failures.set(method, queue);
  }

  /** Delays answers to `method` by `ms` real milliseconds (0 removes the delay). */
  setDelay(method: string, ms: number): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  /** Answers 429 + Retry-After when a sliding window is exceeded; `{}` turns limits off. */
  setRateLimit(config: RateLimitConfig): void {
    this.rateLimit = config;
    this.rateWindows.clear();
  }

  private takeFailure(method: string, args: Json): Reply | undefined {
    const queue = this.failures.get(method);
    const index = queue?.findIndex((f) => f.channel === undefined || f.channel === this.channelKey(str(args, 'channel') ?? '')) ?? -1;
    const next = queue?.[index];
    if (!queue || !next) return undefined;
    if (--next.remaining <= 0) queue.splice(index, 1);
    const { failure } = next;
    if ('error' in failure) return { status: 200, json: fail(failure.error) };
    if (failure.status === 429) {
      return { status: 429, json: fail('ratelimited'), headers: { 'retry-after': String(failure.retryAfter) } };
    }
    return { status: 500, raw: { body: 'Internal Server Error (injected by FakeSlack)', contentType: 'text/plain' } };
  }

  /** Sliding windows; a call only counts when it is let through. */
  private checkRateLimit(method: string, args: Json): Reply | undefined {
    const windows: Array<{ key: string; limit: number; spanMs: number }> = [];
    const perMethod = this.rateLimit.perMinutePerMethod?.[method];
    if (perMethod !== undefined) windows.push({ key: `method:${method}`, limit: perMethod, spanMs: 60_000 });
    const perChannel = this.rateLimit.perChannelPerSecond;
    if (perChannel !== undefined && method === 'chat.postMessage') {
      windows.push({ key: `channel:${this.channelKey(str(args, 'channel') ?? '')}`, limit: perChannel, spanMs: 1000 });
    }
    const now = this.now();
    for (const { key, limit, spanMs } of windows) {
      const hits = (this.rateWindows.get(key) ?? []).filter((t) => t > now - spanMs);
      this.rateWindows.set(key, hits);
      if (hits.length >= limit) {
        const retryAfter = Math.max(1, Math.ceil((hits[0]! + spanMs - now) / 1000));
        return { status: 429, json: fail('ratelimited'), headers: { 'retry-after': String(retryAfter) } };
      }
    }
    for (const { key } of windows) this.rateWindows.get(key)!.push(now);
    return undefined;
  }

  private record(call: RecordedCall): void {
    this.recorded.push(call);
  }

  // -------------------------------------------------------------------------
  // HTTP plumbing
  // -------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = url.pathname;

    if (path.startsWith('/api/')) {
      const method = decodeURIComponent(path.slice('/api/'.length));
      const body = await readBody(req);
      const parsed = parseApiArgs(req.headers['content-type'], body, url.searchParams);
      const bearer = bearerToken(req);
      const token = bearer ?? (parsed.ok ? str(parsed.args, 'token') : undefined);
      const args = parsed.ok ? parsed.args : {};
      delete args.token;
      await this.serve(res, method, args, () => {
        if (!parsed.ok) return { status: 200, json: fail(parsed.error) };
        // The one method of the app-level token: a Socket Mode connection's URL.
        if (method === 'apps.connections.open') {
          if (token !== this.appToken) return { status: 200, json: fail(token ? 'invalid_auth' : 'not_authed') };
          return {
            status: 200,
            json: ok({ url: `ws://127.0.0.1:${this.port}${SOCKET_MODE_PATH}?ticket=${randomBytes(8).toString('hex')}` }),
          };
        }
        if (token !== this.botToken) return { status: 200, json: fail(token ? 'invalid_auth' : 'not_authed') };
        const handler = this.api.get(method);
        return { status: 200, json: handler ? handler(args) : fail('unknown_method') };
      });
      return;
    }

    if (path.startsWith('/response/') && req.method === 'POST') {
      const id = path.slice('/response/'.length);
      const body = (await readBody(req)).toString('utf8');
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        payload = undefined;
      }
      const args = isJson(payload) ? payload : { raw: body };
      await this.serve(res, 'response_url', args, () =>
        isJson(payload) ? this.handleResponseUrl(id, payload) : { status: 400, json: fail('invalid_payload') },
      );
      return;
    }

    const fileMatch = /^\/files\/([^/]+)\//.exec(path);
    if (fileMatch && req.method === 'GET') {
      const fileId = decodeURIComponent(fileMatch[1]!);
      await this.serve(res, 'file_download', { file: fileId }, () => this.serveFile(fileId, bearerToken(req), url));
      return;
    }

    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }

  /** Delay → injected failure → rate limit → real handler, then record and send. */
  private async serve(res: ServerResponse, method: string, args: Json, handle: () => Reply): Promise<void> {
    const at = this.now();
    const delay = this.delays.get(method);
    if (delay !== undefined) await sleep(delay);
    const reply = this.takeFailure(method, args) ?? this.checkRateLimit(method, args) ?? handle();
    this.record({ method, args, at, status: reply.status, response: reply.json ?? null });
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.json !== undefined) {
      res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(reply.json));
    } else {
      res.writeHead(reply.status, { ...headers, 'content-type': reply.raw?.contentType ?? 'text/plain' });
      res.end(reply.raw?.body ?? '');
    }
  }

  private serveFile(fileId: string, token: string | undefined, url: URL): Reply {
    if (token !== this.botToken)
      return { status: 403, raw: { body: 'Forbidden: Authorization: Bearer <bot token> required', contentType: 'text/plain' } };
    const file = this.fileMap.get(fileId);
    if (!file) return { status: 404, raw: { body: 'File not found', contentType: 'text/plain' } };
    const disposition = url.searchParams.has('download') ? `attachment; filename="${file.name}"` : 'inline';
    return { status: 200, raw: { body: file.content, contentType: file.mimetype }, headers: { 'content-disposition': disposition } };
  }

  // -------------------------------------------------------------------------
  // State helpers
  // -------------------------------------------------------------------------

  private change(change: FakeSlackChange): void {
    this.emit('change', change);
  }

  private nextId(prefix: string): string {
    return prefix + (++this.seq).toString(36).toUpperCase().padStart(8, '0');
  }

  /** Unique, increasing ts derived from the clock (µs precision, like Slack's). */
  private nextTs(): string {
    let micros = BigInt(Math.floor(this.now())) * 1000n;
    if (micros <= this.lastTsMicros) micros = this.lastTsMicros + 1n;
    this.lastTsMicros = micros;
    return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
  }

  private newHash(): string {
    return `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

  /** The channel a call names: a user id stands for the DM with them. */
  private channelKey(channel: string): string {
    return /^[UW]/.test(channel) ? this.dmIdFor(channel) : channel;
  }

  private dmIdFor(userId: string): string {
    return /^[UW]/.test(userId) ? `D${userId.slice(1)}` : `D${userId}`;
  }

  private ensureDm(userId: string): FakeChannel {
    const id = this.dmIdFor(userId);
    let channel = this.channelMap.get(id);
    if (!channel) {
      channel = { id, name: userId, kind: 'im', members: [userId, this.botUserId], user: userId };
      this.channelMap.set(id, channel);
    }
    return channel;
  }

  private normalize(blocks: unknown[]): Json[] {
    return normalizeBlocks(blocks, (kind) => (kind === 'block' ? this.nextId('b') : this.nextId('a')).toLowerCase()) as Json[];
  }

  private requireView(viewId: string): FakeView {
    const view = this.viewMap.get(viewId);
    if (!view) throw new Error(`Unknown view ${viewId}`);
    return view;
  }

  /** C/G/D ids, or (where Slack allows it) a user id meaning the user's DM with the bot. */
  private resolveChannel(channelArg: string | undefined, allowUserId: boolean): FakeChannel | ApiFailure {
    if (!channelArg) return new ApiFailure(fail('channel_not_found'));
    if (allowUserId && /^[UW]/.test(channelArg)) {
      const user = this.userMap.get(channelArg);
      if (!user) return new ApiFailure(fail('channel_not_found'));
      if (user.isBot) return new ApiFailure(fail('cannot_dm_bot'));
      return this.ensureDm(user.id);
    }
    return this.channelMap.get(channelArg) ?? new ApiFailure(fail('channel_not_found'));
  }

  /** Reads and validates text/blocks/attachments the way chat.postMessage and response_url do. */
  private readContent(args: Json): MessageContent | ApiFailure {
    const blocks = parseMaybeJson(args.blocks);
    const attachments = parseMaybeJson(args.attachments);
    if (blocks !== undefined && !Array.isArray(blocks)) return new ApiFailure(fail('invalid_blocks_format'));
    if (attachments !== undefined && !Array.isArray(attachments)) return new ApiFailure(fail('invalid_attachments'));
    const text = str(args, 'text');
    if (text === undefined && blocks === undefined && attachments === undefined) return new ApiFailure(fail('no_text'));
    if (text !== undefined && text.length > MAX_TEXT) return new ApiFailure(fail('msg_too_long'));
    if (blocks !== undefined) {
      const problems = blockProblems(blocks, 50);
      if (problems.length > 0) return new ApiFailure(fail('invalid_blocks', formatProblems(problems)));
    }
    return {
      ...(text !== undefined ? { text } : {}),
      ...(blocks !== undefined ? { blocks } : {}),
      ...(attachments !== undefined ? { attachments } : {}),
    };
  }

  private insertMessage(channel: FakeChannel, content: MessageContent, threadTs: string | undefined, metadata: unknown): FakeMessage {
    const message: FakeMessage = {
      channel: channel.id,
      ts: this.nextTs(),
      text: content.text ?? '',
      user: this.botUserId,
      botId: this.botId,
      postedAt: this.now(),
      edits: 0,
      history: [],
      ...(threadTs ? { threadTs } : {}),
      ...(content.blocks !== undefined ? { blocks: this.normalize(content.blocks) } : {}),
      ...(content.attachments !== undefined ? { attachments: structuredClone(content.attachments) as Json[] } : {}),
      ...(isJson(metadata) ? { metadata: structuredClone(metadata) } : {}),
    };
    const list = this.messageMap.get(channel.id) ?? [];
    list.push(message);
    this.messageMap.set(channel.id, list);
    this.change({ kind: 'message', channel: channel.id, ts: message.ts, ...(channel.user ? { user: channel.user } : {}) });
    return message;
  }

  /** Slack keeps fields the update omits; an empty array removes blocks/attachments. */
  private editMessage(message: FakeMessage, content: MessageContent): void {
    message.history.push({
      text: message.text,
      replacedAt: this.now(),
      ...(message.blocks !== undefined ? { blocks: message.blocks } : {}),
      ...(message.attachments !== undefined ? { attachments: message.attachments } : {}),
    });
    message.edits += 1;
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks !== undefined) message.blocks = this.normalize(content.blocks);
    if (content.attachments !== undefined) message.attachments = structuredClone(content.attachments) as Json[];
    this.change({ kind: 'update', channel: message.channel, ts: message.ts });
  }

  private insertEphemeral(channel: FakeChannel, userId: string, content: MessageContent, threadTs: string | undefined): FakeEphemeral {
    const ephemeral: FakeEphemeral = {
      channel: channel.id,
      user: userId,
      ts: this.nextTs(),
      text: content.text ?? '',
      postedAt: this.now(),
      edits: 0,
      ...(threadTs ? { threadTs } : {}),
      ...(content.blocks !== undefined ? { blocks: this.normalize(content.blocks) } : {}),
    };
    this.ephemeralList.push(ephemeral);
    this.change({ kind: 'ephemeral', channel: channel.id, user: userId, ts: ephemeral.ts });
    return ephemeral;
  }

  private canSee(channel: FakeChannel, userId: string): boolean {
    return channel.kind === 'im' ? channel.user === userId : channel.members.includes(userId);
  }

  // -------------------------------------------------------------------------
  // Web API methods
  // -------------------------------------------------------------------------

  private authTest(): Json {
    return ok({
      url: `${this.baseUrl}/`,
      team: 'Vouch Sandbox',
      user: this.userMap.get(this.botUserId)?.name ?? 'vouch',
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    });
  }

  private conversationsOpen(args: Json): Json {
    const channelArg = str(args, 'channel');
    if (channelArg) {
      const channel = this.channelMap.get(channelArg);
      return channel ? ok({ channel: { id: channel.id } }) : fail('channel_not_found');
    }
    const userIds = (str(args, 'users') ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (userIds.length === 0) return fail('users_list_not_supplied');
    for (const id of userIds) {
      const user = this.userMap.get(id);
      if (!user) return fail('user_not_found');
      if (user.isBot && userIds.length === 1) return fail('cannot_dm_bot');
    }
    if (userIds.length === 1) return ok({ channel: { id: this.ensureDm(userIds[0]!).id } });
    // Group DM: one conversation per distinct member set.
    const members = [...new Set([...userIds, this.botUserId])].sort();
    const existing = [...this.channelMap.values()].find((c) => c.kind === 'mpim' && c.members.join(',') === members.join(','));
    const channel = existing ?? { id: this.nextId('G'), name: `mpdm-${members.join('--')}-1`, kind: 'mpim' as const, members };
    this.channelMap.set(channel.id, channel);
    return ok({ channel: { id: channel.id } });
  }

  private conversationsInfo(args: Json): Json {
    const channel = this.channelMap.get(str(args, 'channel') ?? '');
    if (!channel) return fail('channel_not_found');
    if (channel.kind === 'im') {
      return ok({ channel: { id: channel.id, is_im: true, is_channel: false, is_private: true, user: channel.user, is_open: true } });
    }
    return ok({
      channel: {
        id: channel.id,
        name: channel.name,
        is_channel: channel.kind === 'channel',
        is_group: channel.kind === 'private',
        is_im: false,
        is_mpim: channel.kind === 'mpim',
        is_private: channel.kind !== 'channel',
        is_archived: false,
        is_member: channel.members.includes(this.botUserId),
        num_members: channel.members.length,
      },
    });
  }

  /** Cursor = base64 of the next offset, like Slack's opaque cursors. */
  private conversationsMembers(args: Json): Json {
    const channel = this.channelMap.get(str(args, 'channel') ?? '');
    if (!channel) return fail('channel_not_found');
    const limit = Math.min(Math.max(Number(str(args, 'limit') ?? 100) || 100, 1), 1000);
    const cursor = str(args, 'cursor') ?? '';
    let offset = 0;
    if (cursor !== '') {
      const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (!match) return fail('invalid_cursor');
      offset = Number(match[1]);
    }
    const page = channel.members.slice(offset, offset + limit);
    const nextOffset = offset + page.length;
    const nextCursor = nextOffset < channel.members.length ? Buffer.from(`offset:${nextOffset}`).toString('base64') : '';
    return ok({ members: page, response_metadata: { next_cursor: nextCursor } });
  }

  private chatPostMessage(args: Json): Json {
    const channel = this.resolveChannel(str(args, 'channel'), true);
    if (channel instanceof ApiFailure) return channel.body;
    const content = this.readContent(args);
    if (content instanceof ApiFailure) return content.body;
    const message = this.insertMessage(channel, content, str(args, 'thread_ts'), parseMaybeJson(args.metadata));
    return ok({ channel: channel.id, ts: message.ts, message: this.messagePayload(message) });
  }

  /** Needs the conversation id: like Slack, a user id is channel_not_found here. */
  private chatUpdate(args: Json): Json {
    const channel = this.resolveChannel(str(args, 'channel'), false);
    if (channel instanceof ApiFailure) return channel.body;
    const ts = str(args, 'ts') ?? '';
    const message = this.message(channel.id, ts);
    if (!message) return fail('message_not_found');
    if (message.user !== this.botUserId) return fail('cant_update_message');
    const content = this.readContent(args);
    if (content instanceof ApiFailure) return content.body;
    this.editMessage(message, content);
    return ok({ channel: channel.id, ts: message.ts, text: message.text, message: this.messagePayload(message) });
  }

  private chatDelete(args: Json): Json {
    const channel = this.resolveChannel(str(args, 'channel'), false);
    if (channel instanceof ApiFailure) return channel.body;
    const ts = str(args, 'ts') ?? '';
    if (!this.message(channel.id, ts)) return fail('message_not_found');
    this.deleteMessage(channel.id, ts);
    return ok({ channel: channel.id, ts });
  }

  private deleteMessage(channelId: string, ts: string): void {
    const list = this.messageMap.get(channelId) ?? [];
    this.messageMap.set(
      channelId,
      list.filter((m) => m.ts !== ts),
    );
    this.change({ kind: 'delete', channel: channelId, ts });
  }

  private chatPostEphemeral(args: Json): Json {
    const channel = this.resolveChannel(str(args, 'channel'), true);
    if (channel instanceof ApiFailure) return channel.body;
    const userId = str(args, 'user') ?? '';
    if (!this.userMap.has(userId)) return fail('user_not_found');
    if (!this.canSee(channel, userId)) return fail('user_not_in_channel');
    const content = this.readContent(args);
    if (content instanceof ApiFailure) return content.body;
    const ephemeral = this.insertEphemeral(channel, userId, content, str(args, 'thread_ts'));
    return ok({ message_ts: ephemeral.ts });
  }

  private chatGetPermalink(args: Json): Json {
    const channelId = str(args, 'channel') ?? '';
    if (!this.channelMap.has(channelId)) return fail('channel_not_found');
    const ts = str(args, 'message_ts') ?? '';
    if (!this.message(channelId, ts)) return fail('message_not_found');
    return ok({ channel: channelId, permalink: `${this.baseUrl}/archives/${channelId}/p${ts.replace('.', '')}` });
  }

  /** Checks a trigger id without using it up (failed calls must not change state). */
  private checkTrigger(args: Json): { user: string; use: () => void } | ApiFailure {
    const triggerId = str(args, 'trigger_id') ?? '';
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return new ApiFailure(fail('invalid_trigger_id'));
    if (trigger.used) return new ApiFailure(fail('exchanged_trigger_id'));
    if (this.now() - trigger.issuedAt > this.triggerTtlMs) return new ApiFailure(fail('expired_trigger_id'));
    return { user: trigger.user, use: () => (trigger.used = true) };
  }

  /** Reads and validates `args.view`; external ids must be unique across the team. */
  private readView(args: Json, type: 'modal' | 'home'): Json | ApiFailure {
    const view = parseMaybeJson(args.view);
    const problems = viewProblems(view, type);
    if (problems.length > 0 || !isJson(view)) return new ApiFailure(fail('invalid_arguments', formatProblems(problems)));
    const externalId = view.external_id;
    if (typeof externalId === 'string' && externalId !== '') {
      const owner = [...this.viewMap.values()].find((v) => v.externalId === externalId);
      const updating = str(args, 'view_id') ?? str(args, 'external_id');
      if (owner && owner.id !== updating && owner.externalId !== updating) return new ApiFailure(fail('duplicate_external_id'));
    }
    return view;
  }

  private createModal(userId: string, view: Json, stack: string[]): FakeView {
    const id = this.nextId('V');
    const modal: FakeView = {
      id,
      type: 'modal',
      user: userId,
      hash: this.newHash(),
      view: this.normalizeView(view),
      state: { values: {} },
      rootViewId: stack[0] ?? id,
      previousViewId: stack.at(-1) ?? null,
      open: true,
      ...(typeof view.external_id === 'string' && view.external_id !== '' ? { externalId: view.external_id } : {}),
    };
    this.viewMap.set(id, modal);
    stack.push(id);
    this.modalStacks.set(userId, stack);
    this.change({ kind: 'view', user: userId, viewId: id });
    return modal;
  }

  private normalizeView(view: Json): Json {
    return { ...structuredClone(view), blocks: this.normalize(Array.isArray(view.blocks) ? view.blocks : []) };
  }

  private replaceViewContent(view: FakeView, newView: Json): void {
    view.view = this.normalizeView(newView);
    view.hash = this.newHash();
    if (typeof newView.external_id === 'string' && newView.external_id !== '') view.externalId = newView.external_id;
    this.change({ kind: view.type === 'home' ? 'home' : 'view', user: view.user, viewId: view.id });
  }

  /** A new views.open replaces whatever modal stack the user had. */
  private viewsOpen(args: Json): Json {
    const trigger = this.checkTrigger(args);
    if (trigger instanceof ApiFailure) return trigger.body;
    const view = this.readView(args, 'modal');
    if (view instanceof ApiFailure) return view.body;
    trigger.use();
    for (const id of this.modalStacks.get(trigger.user) ?? []) this.viewMap.get(id)!.open = false;
    const modal = this.createModal(trigger.user, view, []);
    return ok({ view: this.viewPayload(modal) });
  }

  private viewsPush(args: Json): Json {
    const trigger = this.checkTrigger(args);
    if (trigger instanceof ApiFailure) return trigger.body;
    const view = this.readView(args, 'modal');
    if (view instanceof ApiFailure) return view.body;
    const stack = this.modalStacks.get(trigger.user) ?? [];
    if (stack.length >= MAX_MODAL_STACK) return fail('push_limit_reached');
    trigger.use();
    const modal = this.createModal(trigger.user, view, stack);
    return ok({ view: this.viewPayload(modal) });
  }

  /** Only open modals and published Home views can be updated. */
  private viewsUpdate(args: Json): Json {
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    const target = viewId
      ? this.viewMap.get(viewId)
      : externalId
        ? [...this.viewMap.values()].find((v) => v.externalId === externalId)
        : undefined;
    if (!target?.open) return fail('not_found');
    const hash = str(args, 'hash');
    if (hash !== undefined && hash !== '' && hash !== target.hash) return fail('hash_conflict');
    const view = this.readView(args, target.type);
    if (view instanceof ApiFailure) return view.body;
    this.replaceViewContent(target, view);
    return ok({ view: this.viewPayload(target) });
  }

  private viewsPublish(args: Json): Json {
    const userId = str(args, 'user_id') ?? '';
    if (!this.userMap.has(userId)) return fail('user_not_found');
    const existing = this.homeView(userId);
    const hash = str(args, 'hash');
    if (existing && hash !== undefined && hash !== '' && hash !== existing.hash) return fail('hash_conflict');
    const view = this.readView(args, 'home');
    if (view instanceof ApiFailure) return view.body;
    if (existing) {
      this.replaceViewContent(existing, view);
      return ok({ view: this.viewPayload(existing) });
    }
    const id = this.nextId('V');
    const home: FakeView = {
      id,
      type: 'home',
      user: userId,
      hash: this.newHash(),
      view: this.normalizeView(view),
      state: { values: {} },
      rootViewId: id,
      previousViewId: null,
      open: true,
    };
    this.viewMap.set(id, home);
    this.homeViewIds.set(userId, id);
    this.change({ kind: 'home', user: userId, viewId: id });
    return ok({ view: this.viewPayload(home) });
  }

  private userPayload(user: FakeUser): Json {
    return {
      id: user.id,
      team_id: this.teamId,
      name: user.name,
      real_name: user.realName,
      deleted: user.deleted,
      is_bot: user.isBot,
      is_app_user: false,
      profile: {
        email: user.email,
        real_name: user.realName,
        display_name: user.name,
        ...(user.isBot ? { bot_id: this.botId } : {}),
      },
    };
  }

  private usersLookupByEmail(args: Json): Json {
    const email = (str(args, 'email') ?? '').toLowerCase();
    const user = [...this.userMap.values()].find((u) => u.email !== undefined && u.email.toLowerCase() === email);
    return user ? ok({ user: this.userPayload(user) }) : fail('users_not_found');
  }

  private usersInfo(args: Json): Json {
    const user = this.userMap.get(str(args, 'user') ?? '');
    return user ? ok({ user: this.userPayload(user) }) : fail('user_not_found');
  }

  private filesInfo(args: Json): Json {
    const file = this.fileObject(str(args, 'file') ?? '');
    return file ? ok({ file }) : fail('file_not_found');
  }

  // -------------------------------------------------------------------------
  // response_url
  // -------------------------------------------------------------------------

  /**
   * Slack's response_url semantics: delete_original / replace_original act on
   * the message (or ephemeral) the interaction came from; otherwise the
   * response is ephemeral unless `response_type: 'in_channel'` (Slack's default
   * is ephemeral). Usable 5 times within 30 minutes.
   */
  private handleResponseUrl(id: string, body: Json): Reply {
    const target = this.responseUrls.get(id);
    if (!target) return { status: 404, json: fail('no_service') };
    if (this.now() - target.createdAt > RESPONSE_URL_TTL_MS) return { status: 404, json: fail('expired_url') };
    if (target.uses >= RESPONSE_URL_MAX_USES) return { status: 404, json: fail('used_url') };
    const channel = this.channelMap.get(target.channel);
    if (!channel) return { status: 404, json: fail('channel_not_found') };

    const originalEphemeral = target.messageTs
      ? this.ephemeralList.find((e) => e.ts === target.messageTs && e.user === target.user)
      : undefined;
    const originalMessage = target.messageTs ? this.message(channel.id, target.messageTs) : undefined;

    if (flag(body.delete_original)) {
      if (originalEphemeral) {
        this.ephemeralList.splice(this.ephemeralList.indexOf(originalEphemeral), 1);
        this.change({ kind: 'ephemeral', channel: channel.id, user: target.user, ts: originalEphemeral.ts });
      } else if (originalMessage) {
        this.deleteMessage(channel.id, originalMessage.ts);
      } else {
        return { status: 404, json: fail('message_not_found') };
      }
      target.uses += 1;
      return { status: 200, json: ok() };
    }

    const content = this.readContent(body);
    if (content instanceof ApiFailure) return { status: 400, json: content.body };
    target.uses += 1;

    if (flag(body.replace_original) && (originalEphemeral || originalMessage)) {
      if (originalEphemeral) {
        if (content.text !== undefined) originalEphemeral.text = content.text;
        if (content.blocks !== undefined) originalEphemeral.blocks = this.normalize(content.blocks);
        originalEphemeral.edits += 1;
        this.change({ kind: 'ephemeral', channel: channel.id, user: target.user, ts: originalEphemeral.ts });
      } else if (originalMessage) {
        this.editMessage(originalMessage, content);
      }
      return { status: 200, json: ok() };
    }

    const threadTs = str(body, 'thread_ts');
    if (body.response_type === 'in_channel') this.insertMessage(channel, content, threadTs, parseMaybeJson(body.metadata));
    else this.insertEphemeral(channel, target.user, content, threadTs);
    return { status: 200, json: ok() };
  }
}

// ---------------------------------------------------------------------------
// Request parsing
// ---------------------------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match ? match[1]!.trim() : undefined;
}

/** Form bodies carry objects as JSON strings (that is how the WebClient sends them). */
function parseApiArgs(
  contentType: string | undefined,
  body: Buffer,
  query: URLSearchParams,
): { ok: true; args: Json } | { ok: false; error: string } {
  const args: Json = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = body.toString('utf8');
  if (type === 'application/json') {
    if (text.trim() === '') return { ok: true, args };
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isJson(parsed)) return { ok: false, error: 'invalid_json' };
      return { ok: true, args: { ...args, ...parsed } };
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
  }
  if (type === 'application/x-www-form-urlencoded' || (type === '' && text === '')) {
    for (const [key, value] of new URLSearchParams(text)) {
      if (JSON_FORM_FIELDS.has(key)) {
        try {
          args[key] = JSON.parse(value);
        } catch {
          return { ok: false, error: key === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments' };
        }
      } else {
        args[key] = value;
      }
    }
    return { ok: true, args };
  }
  return { ok: false, error: 'invalid_form_data' };
}
