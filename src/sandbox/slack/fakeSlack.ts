// An in-process stand-in for the Slack Web API. It is a real HTTP server so the
// bot talks to it through the real WebClient (serialization, retries, rate-limit
// handling included), keeps the workspace state a user would see, records every
// call, and can fail on demand. The SlackDriver plays the user side against it.
//
// This class is the stand-in's one public face; the parts live beside it: the workspace
// (state.ts, messages.ts, views.ts), the Web API methods by family (methods/), the HTTP
// server (http.ts), response_url (responseUrl.ts), faults (faults.ts) and Socket Mode.

import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';

import type { Json } from './blockKit.js';
import { fail, ok } from './args.js';
import { Faults } from './faults.js';
import { SlackHttpServer } from './http.js';
import { MessageStore } from './messages.js';
import { webApiMethods } from './methods/index.js';
import { ResponseUrls } from './responseUrl.js';
import type { EnvelopeAck, EnvelopeType } from './socketMode.js';
import { SlackState } from './state.js';
import type {
  AddChannelInput,
  AddFileInput,
  AddUserInput,
  FakeChannel,
  FakeEphemeral,
  FakeFile,
  FakeMessage,
  FakeSlackChange,
  FakeSlackOptions,
  FakeUser,
  FakeView,
  Failure,
  RateLimitConfig,
  RecordedCall,
  ResponseUrlTarget,
  ViewAckOutcome,
  ViewState,
} from './types.js';
import { ViewStore } from './views.js';

export { blocksText, type Json } from './blockKit.js';
export type * from './types.js';

export class FakeSlack extends EventEmitter<{ change: [FakeSlackChange]; download: [string] }> {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly botToken: string;
  readonly appToken: string;

  private readonly state: SlackState;
  private readonly store: MessageStore;
  private readonly views: ViewStore;
  private readonly responseUrls: ResponseUrls;
  private readonly faults: Faults;
  private readonly http: SlackHttpServer;
  private readonly recorded: RecordedCall[] = [];

  constructor(options: FakeSlackOptions = {}) {
    super();
    const state = new SlackState({ ...options, baseUrl: () => this.baseUrl, onChange: (change) => this.emit('change', change) });
    this.state = state;
    this.teamId = state.teamId;
    this.teamDomain = state.teamDomain;
    this.botUserId = state.botUserId;
    this.botId = state.botId;
    this.appId = state.appId;
    this.botToken = state.botToken;
    this.appToken = state.appToken;
    this.store = new MessageStore(state);
    this.views = new ViewStore(state);
    this.responseUrls = new ResponseUrls(state, this.store);
    this.faults = new Faults(state.now, (channel) => state.channelKey(channel));
    this.http = new SlackHttpServer({
      state,
      api: webApiMethods(state, this.store, this.views),
      faults: this.faults,
      responseUrls: this.responseUrls,
      record: (call) => this.recorded.push(call),
      onDownload: (fileId) => this.emit('download', fileId),
    });
  }

  // -------------------------------------------------------------------------
  // Lifecycle
  // -------------------------------------------------------------------------

  start(port = 0): Promise<void> {
    return this.http.start(port);
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** Where the stand-in listens (loopback only). */
  get address(): AddressInfo {
    return this.http.address;
  }

  get baseUrl(): string {
    const port = this.http.port;
    if (port === undefined) throw new Error('FakeSlack is not started');
    return `http://127.0.0.1:${port}`;
  }

  /** What `new WebClient(token, { slackApiUrl })` expects: ends with `/api/`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  // -------------------------------------------------------------------------
  // Workspace setup
  // -------------------------------------------------------------------------

  addUser(input: AddUserInput): FakeUser {
    return this.state.addUser(input);
  }

  user(id: string): FakeUser | undefined {
    return this.state.userMap.get(id);
  }

  users(): FakeUser[] {
    return [...this.state.userMap.values()];
  }

  addChannel(input: AddChannelInput): FakeChannel {
    return this.state.addChannel(input);
  }

  setChannelMembers(id: string, members: string[]): void {
    this.state.setChannelMembers(id, members);
  }

  /** Turns a channel public or private (conversations.info's `is_private`). */
  setChannelPrivate(id: string, isPrivate: boolean): void {
    this.state.setChannelPrivate(id, isPrivate);
  }

  channel(id: string): FakeChannel | undefined {
    return this.state.channelMap.get(id);
  }

  addFile(input: AddFileInput): FakeFile {
    return this.state.addFile(input);
  }

  file(id: string): FakeFile | undefined {
    return this.state.fileMap.get(id);
  }

  /** Bytes a misbehaving file's streamed download has sent so far. */
  servedBytes(fileId: string): number {
    return this.http.servedBytes(fileId);
  }

  /** The file as Slack's API (files.info, file_input state) shows it. */
  fileObject(id: string): Json | undefined {
    return this.state.fileObject(id);
  }

  // -------------------------------------------------------------------------
  // The user's side of Slack (used by SlackDriver)
  // -------------------------------------------------------------------------

  /** Issues a trigger id for an interaction by `userId`, usable once for views.open/push. */
  newTriggerId(userId: string): string {
    return this.views.newTriggerId(userId);
  }

  /** A response_url for an interaction in `channel` by `user` (see responseUrl.ts). */
  createResponseUrl(target: ResponseUrlTarget): string {
    return this.responseUrls.create(target);
  }

  /** Remembers what the user typed into a view (Slack keeps it across submissions). */
  setViewState(viewId: string, state: ViewState): void {
    this.views.setViewState(viewId, state);
  }

  /**
   * Closes a modal as the user or Slack would: only that view (and any pushed
   * above it), or the whole stack with `clearStack`.
   */
  closeView(viewId: string, options: { clearStack?: boolean } = {}): void {
    this.views.closeView(viewId, options);
  }

  /**
   * Applies the bot's HTTP answer to a view_submission the way Slack does:
   * empty → close the view, `clear` → close the stack, `update`/`push` → show
   * the new view, `errors` → keep it (the keys must be input block_ids).
   * Recorded as method `response_action`.
   */
  applyViewAck(viewId: string, ack: Json | undefined): ViewAckOutcome {
    const view = this.views.requireView(viewId);
    const outcome = this.views.resolveViewAck(view, ack);
    const response: Json = outcome.ok ? ok({ action: outcome.action, view_id: outcome.viewId }) : fail(outcome.error, outcome.messages);
    this.recorded.push({
      method: 'response_action',
      args: { view_id: viewId, ...(ack ?? {}) },
      at: this.state.now(),
      status: 200,
      response,
    });
    return outcome;
  }

  // -------------------------------------------------------------------------
  // Queries for tests
  // -------------------------------------------------------------------------

  /** The id of `userId`'s DM with the bot, creating the conversation if needed. */
  dmChannelId(userId: string): string {
    return this.state.ensureDm(userId).id;
  }

  /** All messages in a channel, thread replies included, in ts order. */
  messages(channelId: string): FakeMessage[] {
    return this.store.messages(channelId);
  }

  /** Messages in `userId`'s DM with the bot. */
  dm(userId: string): FakeMessage[] {
    return this.store.messages(this.state.dmIdFor(userId));
  }

  lastDm(userId: string): FakeMessage | undefined {
    return this.dm(userId).at(-1);
  }

  message(channelId: string, ts: string): FakeMessage | undefined {
    return this.store.message(channelId, ts);
  }

  ephemerals(userId: string): FakeEphemeral[] {
    return this.store.ephemerals(userId);
  }

  lastEphemeral(userId: string): FakeEphemeral | undefined {
    return this.ephemerals(userId).at(-1);
  }

  /** The modal on top of the user's stack, if any. */
  openView(userId: string): FakeView | undefined {
    return this.views.openView(userId);
  }

  /** The user's modal stack, bottom first. */
  viewStack(userId: string): FakeView[] {
    return this.views.viewStack(userId);
  }

  homeView(userId: string): FakeView | undefined {
    return this.views.homeView(userId);
  }

  view(viewId: string): FakeView | undefined {
    return this.views.view(viewId);
  }

  /** The view as Slack puts it into payloads and API responses. */
  viewPayload(view: FakeView): Json {
    return this.views.viewPayload(view);
  }

  /** A stored message as Slack shows it in API responses and `block_actions` payloads. */
  messagePayload(message: FakeMessage): Json {
    return this.store.messagePayload(message);
  }

  // -------------------------------------------------------------------------
  // Recording and fault injection
  // -------------------------------------------------------------------------

  calls(method?: string): RecordedCall[] {
    return method === undefined ? [...this.recorded] : this.recorded.filter((c) => c.method === method);
  }

  /** Sends a payload over the app's Socket Mode connection, as Slack does once one is open. */
  deliverEnvelope(type: EnvelopeType, payload: Json): Promise<EnvelopeAck> {
    const socketMode = this.http.socketMode;
    if (!socketMode) throw new Error('FakeSlack is not started');
    return socketMode.deliver(type, payload);
  }

  /** Open Socket Mode connections. */
  get socketConnections(): number {
    return this.http.socketMode?.connections ?? 0;
  }

  clearCalls(): void {
    this.recorded.length = 0;
  }

  /**
   * The bot's answer to a slash command (the body of its acknowledgement, which Slack shows the
   * person), recorded beside the calls as `command_response`.
   */
  recordCommandResponse(answer: Json): void {
    this.recorded.push({ method: 'command_response', args: answer, at: this.state.now(), status: 200, response: null });
  }

  /**
   * The next `times` calls to `method` (or `response_url`, `file_download`) fail without touching
   * state; with `where.channel`, only calls into that channel (a user id means their DM).
   */
  failNext(method: string, failure: Failure, times = 1, where: { channel?: string } = {}): void {
    this.faults.failNext(method, failure, times, where);
  }

  /** Delays answers to `method` by `ms` real milliseconds (0 removes the delay). */
  setDelay(method: string, ms: number): void {
    this.faults.setDelay(method, ms);
  }

  /** Answers 429 + Retry-After when a sliding window is exceeded; `{}` turns limits off. */
  setRateLimit(config: RateLimitConfig): void {
    this.faults.setRateLimit(config);
  }
}
