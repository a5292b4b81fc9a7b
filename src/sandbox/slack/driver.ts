// Plays the Slack platform toward the bot's HTTP endpoint: slash commands,
// button clicks, modal submissions and events, signed like Slack signs them and
// shaped like Slack's payloads, with the user-visible side kept in a FakeSlack.

import { findButtons, findStatefulElements, isJson, textOf, type ButtonRef, type Json } from './blockKit.js';
import type { FakeChannel, FakeEphemeral, FakeMessage, FakeSlack, FakeUser, FakeView, ViewState } from './fakeSlack.js';
import { signSlackRequest, type SlackSignatureHeaders } from './signing.js';

export interface DriverResponse {
  status: number;
  body: string;
  json?: unknown;
}

/** A value typed into a modal input, keyed by the input's action_id in submitView. */
export type FieldValue =
  | string
  | { user: string }
  | { users: string[] }
  | { files: Array<{ id: string; name: string; mimetype?: string }> }
  | { option: string }
  | { options: string[] }
  | null;

export interface SlackDriverOptions {
  slack: FakeSlack;
  /**
   * How requests reach the bot: its Request URL (e.g. http://127.0.0.1:3000/slack/events), signed
   * with `signingSecret`, or `'socket'` for the bot's Socket Mode connection to the stand-in.
   */
  eventsUrl: string | 'socket';
  signingSecret: string;
  apiAppId?: string;
  /** Legacy verification token Slack includes in payloads (Bolt ignores it). */
  verificationToken?: string;
  /** Resolves when the app has finished all work triggered by a request. */
  settle?: () => Promise<void>;
  nowSeconds?: () => number;
}

export interface CommandOptions {
  command?: string;
  /** Defaults to the user's DM with the bot. */
  channelId?: string;
}

export interface ClickOptions {
  /** Disambiguates buttons that share a label. */
  actionId?: string;
  /**
   * Clicks the message as an earlier version of it looked: a screen that has not refreshed yet,
   * a double click, or Slack replaying a click. The blocks come from a snapshot the test took.
   */
  staleBlocks?: unknown[];
}

/** Element types whose single value is a plain string in `state.values`, and its key. */
const SCALAR_KEYS: Record<string, string> = {
  plain_text_input: 'value',
  email_text_input: 'value',
  url_text_input: 'value',
  number_input: 'value',
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
  datetimepicker: 'selected_date_time',
};
const LIST_KEYS: Record<string, string> = {
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};
const SINGLE_OPTION_TYPES = new Set(['static_select', 'external_select', 'radio_buttons']);
const MULTI_OPTION_TYPES = new Set(['multi_static_select', 'multi_external_select', 'checkboxes']);
/** state key → the element field holding its initial value. */
const INITIAL_FIELDS: Record<string, string> = {
  value: 'initial_value',
  selected_user: 'initial_user',
  selected_conversation: 'initial_conversation',
  selected_channel: 'initial_channel',
  selected_date: 'initial_date',
  selected_time: 'initial_time',
  selected_date_time: 'initial_date_time',
  selected_users: 'initial_users',
  selected_conversations: 'initial_conversations',
  selected_channels: 'initial_channels',
};

export class SlackDriver {
  private readonly slack: FakeSlack;
  private readonly eventsUrl: string | 'socket';
  private readonly signingSecret: string;
  private readonly apiAppId: string;
  private readonly verificationToken: string;
  private readonly settle: (() => Promise<void>) | undefined;
  private readonly nowSeconds: () => number;
  private stampSeq = 0;

  constructor(options: SlackDriverOptions) {
    this.slack = options.slack;
    this.eventsUrl = options.eventsUrl;
    this.signingSecret = options.signingSecret;
    this.apiAppId = options.apiAppId ?? options.slack.appId;
    this.verificationToken = options.verificationToken ?? 'fake-verification-token';
    this.settle = options.settle;
    this.nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  }

  // -------------------------------------------------------------------------
  // Slash commands
  // -------------------------------------------------------------------------

  async command(userId: string, text: string, opts: CommandOptions = {}): Promise<DriverResponse> {
    const user = this.requireUser(userId);
    const channel = this.requireChannel(opts.channelId ?? this.slack.dmChannelId(userId));
    const form = new URLSearchParams({
      token: this.verificationToken,
      team_id: this.slack.teamId,
      team_domain: this.slack.teamDomain,
      channel_id: channel.id,
      channel_name: legacyChannelName(channel),
      user_id: user.id,
      user_name: user.name,
      command: opts.command ?? '/enterprise',
      text,
      api_app_id: this.apiAppId,
      is_enterprise_install: 'false',
      response_url: this.slack.createResponseUrl({ channel: channel.id, user: user.id }),
      trigger_id: this.slack.newTriggerId(user.id),
    });
    return this.settled(await this.send(form.toString(), 'application/x-www-form-urlencoded'));
  }

  /**
   * A slash command as the person sees it: Slack shows the command's immediate answer to the
   * person who typed it, which the stand-in does with what reaches a response_url.
   */
  async commandShown(userId: string, text: string, opts: CommandOptions = {}): Promise<DriverResponse> {
    const response = await this.command(userId, text, opts);
    if (response.status === 200 && response.body.trim() !== '') {
      const reply = isJson(response.json) ? response.json : { text: response.body };
      const channel = opts.channelId ?? this.slack.dmChannelId(userId);
      await fetch(this.slack.createResponseUrl({ channel, user: userId }), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(reply),
      });
    }
    return response;
  }

  // -------------------------------------------------------------------------
  // Buttons
  // -------------------------------------------------------------------------

  /** Clicks the button labelled `label` in a stored message (current version). */
  async click(
    userId: string,
    where: { channel: string; ts: string } | FakeMessage,
    label: string,
    opts: ClickOptions = {},
  ): Promise<DriverResponse> {
    const user = this.requireUser(userId);
    const message = this.slack.message(where.channel, where.ts);
    if (!message) throw new Error(`No message ${where.ts} in ${where.channel} (deleted, or never posted)`);
    const channel = this.requireChannel(message.channel);
    this.assertCanSee(channel, user.id);
    const shown = opts.staleBlocks ? { ...message, blocks: opts.staleBlocks as typeof message.blocks } : message;
    const button = pickButton(shown.blocks, label, opts, `message ${message.channel}/${message.ts}`);
    return this.sendPayload({
      type: 'block_actions',
      user: this.userRef(user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      container: {
        type: 'message',
        message_ts: message.ts,
        channel_id: channel.id,
        is_ephemeral: false,
        ...(message.threadTs !== undefined ? { thread_ts: message.threadTs } : {}),
      },
      trigger_id: this.slack.newTriggerId(user.id),
      team: this.teamRef(),
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel.id, name: legacyChannelName(channel) },
      message: this.slack.messagePayload(shown),
      state: { values: {} },
      response_url: this.slack.createResponseUrl({ channel: channel.id, user: user.id, messageTs: message.ts }),
      actions: [this.buttonAction(button)],
    });
  }

  /** Clicks a button in an ephemeral message; Slack sends no `message` for those. */
  async clickEphemeral(userId: string, ephemeral: FakeEphemeral, label: string, opts: ClickOptions = {}): Promise<DriverResponse> {
    const user = this.requireUser(userId);
    const current = this.slack.ephemerals(user.id).find((e) => e.ts === ephemeral.ts);
    if (!current) throw new Error(`User ${user.id} has no ephemeral ${ephemeral.ts} (deleted, or shown to someone else)`);
    const channel = this.requireChannel(current.channel);
    const button = pickButton(current.blocks, label, opts, `ephemeral ${current.ts}`);
    return this.sendPayload({
      type: 'block_actions',
      user: this.userRef(user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      container: { type: 'message', message_ts: current.ts, channel_id: channel.id, is_ephemeral: true },
      trigger_id: this.slack.newTriggerId(user.id),
      team: this.teamRef(),
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel.id, name: legacyChannelName(channel) },
      state: { values: {} },
      response_url: this.slack.createResponseUrl({ channel: channel.id, user: user.id, messageTs: current.ts }),
      actions: [this.buttonAction(button)],
    });
  }

  /** Clicks a button in the modal on top of the user's stack. */
  async clickInView(userId: string, viewId: string, label: string, opts: ClickOptions = {}): Promise<DriverResponse> {
    const user = this.requireUser(userId);
    const view = this.requireTopModal(user.id, viewId, 'click in');
    return this.sendViewAction(user, view, label, opts);
  }

  /** Clicks a button on the user's App Home tab. */
  async clickHome(userId: string, label: string, opts: ClickOptions = {}): Promise<DriverResponse> {
    const user = this.requireUser(userId);
    const view = this.slack.homeView(user.id);
    if (!view) throw new Error(`User ${user.id} has no Home tab published (views.publish was never called for them)`);
    return this.sendViewAction(user, view, label, opts);
  }

  private sendViewAction(user: FakeUser, view: FakeView, label: string, opts: ClickOptions): Promise<DriverResponse> {
    const button = pickButton(view.view.blocks, label, opts, `${view.type} view ${view.id}`);
    return this.sendPayload({
      type: 'block_actions',
      user: this.userRef(user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      container: { type: 'view', view_id: view.id },
      trigger_id: this.slack.newTriggerId(user.id),
      team: this.teamRef(),
      enterprise: null,
      is_enterprise_install: false,
      view: this.slack.viewPayload(view),
      actions: [this.buttonAction(button)],
    });
  }

  // -------------------------------------------------------------------------
  // Modals
  // -------------------------------------------------------------------------

  /**
   * Submits the modal with `values` keyed by input action_id. Inputs not given
   * keep what the user typed before, else their initial value, else null.
   * Applies the bot's answer (close / clear / update / push / errors) to the
   * fake like Slack does, and throws if Slack would reject that answer.
   */
  async submitView(userId: string, viewId: string, values: Record<string, FieldValue>): Promise<DriverResponse> {
    const user = this.requireUser(userId);
    const view = this.requireTopModal(user.id, viewId, 'submit');
    this.slack.setViewState(view.id, this.buildState(view, values, user.id));
    const response = await this.send(
      formPayload({
        type: 'view_submission',
        team: this.teamRef(),
        user: this.userRef(user),
        api_app_id: this.apiAppId,
        token: this.verificationToken,
        trigger_id: this.slack.newTriggerId(user.id),
        view: this.slack.viewPayload(view),
        response_urls: [],
        enterprise: null,
        is_enterprise_install: false,
      }),
      'application/x-www-form-urlencoded',
    );

    // Slack acts on the acknowledgement as soon as it arrives, before the bot's
    // background work finishes, so apply it before settling.
    let rejection: string | undefined;
    if (response.status === 200) {
      if (response.body.trim() === '') {
        this.slack.applyViewAck(view.id, undefined);
      } else if (isJson(response.json)) {
        const outcome = this.slack.applyViewAck(view.id, response.json);
        if (!outcome.ok) rejection = `${outcome.error} ${outcome.messages.join(' ')}`.trim();
      } else {
        rejection = `body is not JSON: ${response.body.slice(0, 200)}`;
      }
    }
    await this.settled(response);
    if (rejection !== undefined) {
      throw new Error(`Slack would reject the bot's view_submission response for ${view.id}: ${rejection}`);
    }
    return response;
  }

  /**
   * The user closes (X / Cancel) a modal. Slack removes it (the whole stack with
   * `clear_on_close`) and sends `view_closed` only if `notify_on_close` is set;
   * resolves to undefined when no request was sent.
   */
  async closeView(userId: string, viewId: string): Promise<DriverResponse | undefined> {
    const user = this.requireUser(userId);
    const view = this.requireTopModal(user.id, viewId, 'close');
    const clear = view.view.clear_on_close === true;
    const payload: Json = {
      type: 'view_closed',
      team: this.teamRef(),
      user: this.userRef(user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      view: this.slack.viewPayload(view),
      is_cleared: clear,
      enterprise: null,
      is_enterprise_install: false,
    };
    this.slack.closeView(view.id, { clearStack: clear });
    if (view.view.notify_on_close !== true) return undefined;
    return this.sendPayload(payload);
  }

  // -------------------------------------------------------------------------
  // Events API
  // -------------------------------------------------------------------------

  /** Delivers an Events API `event_callback` wrapping `event`. */
  async event(event: Json): Promise<DriverResponse> {
    const now = this.nowSeconds();
    const envelope: Json = {
      token: this.verificationToken,
      team_id: this.slack.teamId,
      api_app_id: this.apiAppId,
      event: { event_ts: this.stamp(), ...event },
      type: 'event_callback',
      event_id: `Ev${now}${String(++this.stampSeq).padStart(4, '0')}`,
      event_time: now,
      authorizations: [
        { enterprise_id: null, team_id: this.slack.teamId, user_id: this.slack.botUserId, is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
    };
    return this.settled(await this.send(JSON.stringify(envelope), 'application/json'));
  }

  /** The user opens the bot's Home tab. */
  async appHomeOpened(userId: string): Promise<DriverResponse> {
    const user = this.requireUser(userId);
    const home = this.slack.homeView(user.id);
    return this.event({
      type: 'app_home_opened',
      user: user.id,
      channel: this.slack.dmChannelId(user.id),
      tab: 'home',
      ...(home ? { view: this.slack.viewPayload(home) } : {}),
    });
  }

  // -------------------------------------------------------------------------
  // Raw access (forged signatures, malformed bodies)
  // -------------------------------------------------------------------------

  /** Sends `rawBody` with exactly these headers (nothing added), then settles. */
  async post(rawBody: string, headers: Record<string, string>): Promise<DriverResponse> {
    return this.settled(await this.request(rawBody, headers));
  }

  signedHeaders(body: string, timestampSeconds: number = this.nowSeconds()): SlackSignatureHeaders {
    return signSlackRequest(this.signingSecret, body, timestampSeconds);
  }

  // -------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------

  private async sendPayload(payload: Json): Promise<DriverResponse> {
    return this.settled(await this.send(formPayload(payload), 'application/x-www-form-urlencoded'));
  }

  private send(body: string, contentType: string): Promise<DriverResponse> {
    if (this.eventsUrl === 'socket') return this.sendOverSocket(body, contentType);
    return this.request(body, {
      'content-type': contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...this.signedHeaders(body),
    });
  }

  /** The same request as an envelope: interactivity and commands from their form, events as JSON. */
  private async sendOverSocket(body: string, contentType: string): Promise<DriverResponse> {
    const form = contentType === 'application/x-www-form-urlencoded' ? new URLSearchParams(body) : undefined;
    const formPayload = form?.get('payload');
    const [type, payload] = form
      ? formPayload
        ? (['interactive', JSON.parse(formPayload) as Json] as const)
        : (['slash_commands', Object.fromEntries(form) as Json] as const)
      : (['events_api', JSON.parse(body) as Json] as const);
    try {
      const ack = await this.slack.deliverEnvelope(type, payload);
      return ack.payload === undefined ? { status: 200, body: '' } : { status: 200, body: JSON.stringify(ack.payload), json: ack.payload };
    } catch (error) {
      // No ack in time: Slack shows the person an error, as for an HTTP request that failed.
      return { status: 500, body: error instanceof Error ? error.message : String(error) };
    }
  }

  private async request(body: string, headers: Record<string, string>): Promise<DriverResponse> {
    if (this.eventsUrl === 'socket') throw new Error('raw HTTP requests need the bot’s Request URL');
    const res = await fetch(this.eventsUrl, { method: 'POST', headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return json === undefined ? { status: res.status, body: text } : { status: res.status, body: text, json };
  }

  private async settled(response: DriverResponse): Promise<DriverResponse> {
    if (this.settle) await this.settle();
    return response;
  }

  /** Slack-style `1732300000.000123` timestamps for action_ts / event_ts. */
  private stamp(): string {
    return `${Math.floor(this.nowSeconds())}.${String(++this.stampSeq % 1_000_000).padStart(6, '0')}`;
  }

  private requireUser(userId: string): FakeUser {
    const user = this.slack.user(userId);
    if (!user) throw new Error(`Unknown user ${userId}; add them with slack.addUser() first`);
    return user;
  }

  private requireChannel(channelId: string): FakeChannel {
    const channel = this.slack.channel(channelId);
    if (!channel) throw new Error(`Unknown channel ${channelId}; add it with slack.addChannel() first`);
    return channel;
  }

  private assertCanSee(channel: FakeChannel, userId: string): void {
    const visible = channel.kind === 'im' ? channel.user === userId : channel.kind === 'channel' || channel.members.includes(userId);
    if (!visible) throw new Error(`User ${userId} cannot see messages in ${channel.id}`);
  }

  /** Users can only interact with the modal on top of their own stack. */
  private requireTopModal(userId: string, viewId: string, action: string): FakeView {
    const view = this.slack.view(viewId);
    if (view?.type !== 'modal') throw new Error(`Cannot ${action} ${viewId}: no such modal`);
    if (view.user !== userId) throw new Error(`Cannot ${action} ${viewId}: it was opened for ${view.user}, not ${userId}`);
    const top = this.slack.openView(userId);
    if (top?.id !== viewId) {
      throw new Error(`Cannot ${action} ${viewId}: it is not the open modal of ${userId} (open: ${top?.id ?? 'none'})`);
    }
    return view;
  }

  private userRef(user: FakeUser): Json {
    return { id: user.id, username: user.name, name: user.name, team_id: this.slack.teamId };
  }

  private teamRef(): Json {
    return { id: this.slack.teamId, domain: this.slack.teamDomain };
  }

  private buttonAction(button: ButtonRef): Json {
    const { element } = button;
    return {
      type: 'button',
      action_id: element.action_id,
      block_id: button.blockId,
      text: { type: 'plain_text', text: button.label, emoji: true },
      ...(element.value !== undefined ? { value: element.value } : {}),
      ...(element.style !== undefined ? { style: element.style } : {}),
      action_ts: this.stamp(),
    };
  }

  /** `view.state` as Slack builds it: every stateful element appears, unset ones as null/[]. */
  private buildState(view: FakeView, values: Record<string, FieldValue>, userId: string): ViewState {
    const elements = findStatefulElements(view.view.blocks);
    const known = elements.map((e) => e.actionId);
    const unknown = Object.keys(values).filter((key) => !known.includes(key));
    if (unknown.length > 0) {
      throw new Error(`View ${view.id} has no input with action_id ${unknown.join(', ')}; inputs: ${known.join(', ') || '(none)'}`);
    }
    const state: ViewState = { values: {} };
    for (const { blockId, actionId, element } of elements) {
      let entry: Json;
      if (Object.hasOwn(values, actionId)) {
        const value = values[actionId];
        entry = value === null || value === undefined ? emptyState(element, false) : this.fieldState(element, actionId, value, userId);
      } else {
        entry = view.state.values[blockId]?.[actionId] ?? emptyState(element, true);
      }
      state.values[blockId] ??= {};
      state.values[blockId][actionId] = entry;
    }
    return state;
  }

  private fieldState(element: Json, actionId: string, value: Exclude<FieldValue, null>, userId: string): Json {
    const type = String(element.type);
    const mismatch = (): Error => new Error(`Input "${actionId}" is a ${type}; it cannot take ${JSON.stringify(value)}`);

    if (typeof value === 'string') {
      const scalarKey = SCALAR_KEYS[type];
      if (scalarKey) return { type, [scalarKey]: type === 'datetimepicker' ? Number(value) : value };
      if (SINGLE_OPTION_TYPES.has(type)) return { type, selected_option: findOption(element, value, actionId) };
      if (MULTI_OPTION_TYPES.has(type)) return { type, selected_options: [findOption(element, value, actionId)] };
      if (type === 'rich_text_input') return { type, rich_text_value: richTextValue(value) };
      if (type in LIST_KEYS || type === 'file_input') throw mismatch();
      return { type, value };
    }
    if ('user' in value) {
      if (type !== 'users_select') throw mismatch();
      return { type, selected_user: value.user };
    }
    if ('users' in value) {
      if (type !== 'multi_users_select') throw mismatch();
      return { type, selected_users: [...value.users] };
    }
    if ('option' in value) {
      if (!SINGLE_OPTION_TYPES.has(type)) throw mismatch();
      return { type, selected_option: findOption(element, value.option, actionId) };
    }
    if ('options' in value) {
      if (!MULTI_OPTION_TYPES.has(type)) throw mismatch();
      return { type, selected_options: value.options.map((o) => findOption(element, o, actionId)) };
    }
    if (type !== 'file_input') throw mismatch();
    // Files picked in a file_input already exist in Slack; register unknown ones so files.info works.
    const files = value.files.map((f) => {
      if (!this.slack.file(f.id)) {
        this.slack.addFile({
          id: f.id,
          name: f.name,
          mimetype: f.mimetype ?? 'application/octet-stream',
          content: Buffer.alloc(0),
          user: userId,
        });
      }
      return this.slack.fileObject(f.id)!;
    });
    return { type, files };
  }
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function formPayload(payload: Json): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The `channel_name` Slack puts in commands and actions for non-channel conversations. */
function legacyChannelName(channel: FakeChannel): string {
  if (channel.kind === 'im') return 'directmessage';
  if (channel.kind === 'private' || channel.kind === 'mpim') return 'privategroup';
  return channel.name;
}

function pickButton(blocks: unknown, label: string, opts: ClickOptions, where: string): ButtonRef {
  const buttons = findButtons(blocks);
  const match = buttons.find((b) => b.label === label && (opts.actionId === undefined || b.element.action_id === opts.actionId));
  if (match) return match;
  const present = buttons.map((b) => `"${b.label}" (${String(b.element.action_id)})`).join(', ') || 'none';
  const wanted = opts.actionId === undefined ? `"${label}"` : `"${label}" with action_id ${opts.actionId}`;
  throw new Error(`No button ${wanted} in ${where}; buttons present: ${present}`);
}

/** Unset elements: Slack reports null / [] (or the initial value while untouched). */
function emptyState(element: Json, useInitial: boolean): Json {
  const type = String(element.type);
  const initial = (key: string, fallback: unknown): unknown => {
    const field = INITIAL_FIELDS[key];
    return useInitial && field !== undefined && element[field] !== undefined ? structuredClone(element[field]) : fallback;
  };
  const scalarKey = SCALAR_KEYS[type];
  if (scalarKey) return { type, [scalarKey]: initial(scalarKey, null) };
  const listKey = LIST_KEYS[type];
  if (listKey) return { type, [listKey]: initial(listKey, []) };
  if (SINGLE_OPTION_TYPES.has(type)) {
    return { type, selected_option: useInitial && element.initial_option !== undefined ? structuredClone(element.initial_option) : null };
  }
  if (MULTI_OPTION_TYPES.has(type)) {
    return { type, selected_options: useInitial && Array.isArray(element.initial_options) ? structuredClone(element.initial_options) : [] };
  }
  if (type === 'file_input') return { type, files: [] };
  if (type === 'rich_text_input')
    return { type, rich_text_value: useInitial && element.initial_value !== undefined ? element.initial_value : null };
  return { type, value: null };
}

/** Finds an option by value, then by visible text; external selects accept anything. */
function findOption(element: Json, wanted: string, actionId: string): Json {
  const options: Json[] = [];
  if (Array.isArray(element.options)) options.push(...element.options.filter(isJson));
  if (Array.isArray(element.option_groups)) {
    for (const group of element.option_groups.filter(isJson)) {
      if (Array.isArray(group.options)) options.push(...group.options.filter(isJson));
    }
  }
  const match = options.find((o) => o.value === wanted) ?? options.find((o) => textOf(o.text) === wanted);
  if (match) return structuredClone(match);
  if (String(element.type).includes('external')) return { text: { type: 'plain_text', text: wanted, emoji: true }, value: wanted };
  const present = options.map((o) => `${String(o.value)} ("${textOf(o.text) ?? ''}")`).join(', ') || 'none';
  throw new Error(`Input "${actionId}" has no option "${wanted}"; options: ${present}`);
}

function richTextValue(text: string): Json {
  return { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] };
}
