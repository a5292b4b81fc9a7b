// One Slack workspace as the stand-in keeps it: its team and the bot's identity in it, users,
// channels and DMs, files, messages and views, response URLs and the Web API methods that act
// on them. The stand-in (fakeSlack.ts) is itself the first workspace and can hold more
// (`addTeam`), all behind one HTTP server; a token names the workspace a call acts in.

import { EventEmitter } from 'node:events';

import type { Json } from './blockKit.js';
import { fail, ok, type ApiHandler } from './args.js';
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
  RecordedCall,
  ResponseUrlTarget,
  ViewAckOutcome,
  ViewState,
} from './types.js';
import { ViewStore } from './views.js';

/** What every workspace shares with the stand-in around it. */
export interface WorkspaceHub {
  /** Where the stand-in listens; throws while it is not started. */
  baseUrl(): string;
  record(call: RecordedCall): void;
  deliverEnvelope(type: EnvelopeType, payload: Json): Promise<EnvelopeAck>;
  /** Announces a change (the first workspace's changes carry no `team`, as before there were several). */
  change(change: FakeSlackChange): void;
}

export class FakeWorkspace extends EventEmitter<{ change: [FakeSlackChange]; download: [string] }> {
  readonly teamId: string;
  readonly teamDomain: string;
  readonly teamName: string;
  readonly enterpriseId: string | undefined;
  readonly enterpriseName: string | undefined;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  /** A bot token that works in this workspace without an install (single-workspace apps). */
  readonly botToken: string;
  readonly appToken: string;

  /** @internal the parts the stand-in's HTTP server and OAuth reach into. */
  readonly state: SlackState;
  /** @internal */
  readonly store: MessageStore;
  /** @internal */
  readonly views: ViewStore;
  /** @internal */
  readonly responseUrls: ResponseUrls;
  /** @internal the Web API methods acting in this workspace, by name. */
  readonly api: Map<string, ApiHandler>;

  constructor(
    protected readonly hub: WorkspaceHub,
    options: FakeSlackOptions = {},
  ) {
    super();
    const state = new SlackState({ ...options, baseUrl: () => hub.baseUrl(), onChange: (change) => hub.change(change) });
    this.state = state;
    this.teamId = state.teamId;
    this.teamDomain = state.teamDomain;
    this.teamName = state.teamName;
    this.enterpriseId = state.enterpriseId;
    this.enterpriseName = state.enterpriseName;
    this.botUserId = state.botUserId;
    this.botId = state.botId;
    this.appId = state.appId;
    this.botToken = state.botToken;
    this.appToken = state.appToken;
    this.store = new MessageStore(state);
    this.views = new ViewStore(state);
    this.responseUrls = new ResponseUrls(state, this.store);
    this.api = webApiMethods(state, this.store, this.views);
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

  /**
   * An admin of the workspace deactivates someone's account (or brings it back): users.info,
   * users.list and users.lookupByEmail then say `deleted`. The `user_change` event Slack sends
   * with it is the driver's (`SlackDriver.setDeactivated`).
   */
  setDeactivated(id: string, deactivated: boolean): FakeUser {
    const user = this.state.userMap.get(id);
    if (!user) throw new Error(`No user ${id}`);
    user.deleted = deactivated;
    return user;
  }

  /** A user as Slack's API shows them (users.info, and the user_change event). */
  userPayload(user: FakeUser): Json {
    return this.state.userPayload(user);
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
    this.hub.record({
      method: 'response_action',
      args: { view_id: viewId, ...(ack ?? {}) },
      at: this.state.now(),
      status: 200,
      response,
      team: this.teamId,
    });
    return outcome;
  }

  /**
   * The bot's answer to a slash command (the body of its acknowledgement, which Slack shows the
   * person), recorded beside the calls as `command_response`.
   */
  recordCommandResponse(answer: Json): void {
    this.hub.record({ method: 'command_response', args: answer, at: this.state.now(), status: 200, response: null, team: this.teamId });
  }

  /** Sends a payload over the app's Socket Mode connection, as Slack does once one is open. */
  deliverEnvelope(type: EnvelopeType, payload: Json): Promise<EnvelopeAck> {
    return this.hub.deliverEnvelope(type, payload);
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
}
