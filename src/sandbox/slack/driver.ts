// Plays the Slack platform toward the bot's HTTP endpoint: slash commands,
// button clicks, modal submissions and events, signed like Slack signs them and
// shaped like Slack's payloads, with the user-visible side kept in a FakeSlack (or in another of
// its workspaces: one driver per workspace).
// Beside it: how requests reach the bot (botTransport.ts), the pieces of a payload
// (interaction.ts) and a submitted modal's state (modalState.ts).

import { isJson, type Json } from './blockKit.js';
import { BotTransport, type DriverResponse } from './botTransport.js';
import type { FakeEphemeral, FakeMessage, FakeUser, FakeView } from './fakeSlack.js';
import type { FakeWorkspace } from './workspace.js';
import {
  assertCanSee,
  buttonAction,
  dialogOf,
  enterpriseRef,
  formPayload,
  legacyChannelName,
  pickButton,
  requireChannel,
  requireTopModal,
  requireUser,
  teamRef,
  userRef,
  type ClickOptions,
  type ShownDialog,
} from './interaction.js';
import { buildViewState, type FieldValue } from './modalState.js';
import type { SlackSignatureHeaders } from './signing.js';

export type { DriverResponse } from './botTransport.js';
export type { ClickOptions, ShownDialog } from './interaction.js';
export type { FieldValue } from './modalState.js';

export interface SlackDriverOptions {
  /** The stand-in, or one of its other workspaces (`slack.addTeam`): the people act in it. */
  slack: FakeWorkspace;
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

/** What a click answered with the dialog's deny button returns: nothing reached the bot. */
const DENIED: DriverResponse = { status: 0, body: '' };

export class SlackDriver {
  private readonly slack: FakeWorkspace;
  private readonly transport: BotTransport;
  private readonly apiAppId: string;
  private readonly verificationToken: string;
  private readonly settle: (() => Promise<void>) | undefined;
  private readonly nowSeconds: () => number;
  private stampSeq = 0;
  /** Every confirmation dialog a click showed, in order. */
  readonly dialogs: ShownDialog[] = [];

  constructor(options: SlackDriverOptions) {
    this.slack = options.slack;
    this.apiAppId = options.apiAppId ?? options.slack.appId;
    this.verificationToken = options.verificationToken ?? 'fake-verification-token';
    this.settle = options.settle;
    this.nowSeconds = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
    this.transport = new BotTransport(options.slack, options.eventsUrl, options.signingSecret, this.nowSeconds);
  }

  // -------------------------------------------------------------------------
  // Slash commands
  // -------------------------------------------------------------------------

  async command(userId: string, text: string, opts: CommandOptions = {}): Promise<DriverResponse> {
    const user = requireUser(this.slack, userId);
    const channel = requireChannel(this.slack, opts.channelId ?? this.slack.dmChannelId(userId));
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
      ...(this.slack.enterpriseId ? { enterprise_id: this.slack.enterpriseId, enterprise_name: this.slack.enterpriseName ?? '' } : {}),
      is_enterprise_install: 'false',
      response_url: this.slack.createResponseUrl({ channel: channel.id, user: user.id }),
      trigger_id: this.slack.newTriggerId(user.id),
    });
    const response = await this.transport.send(form.toString(), 'application/x-www-form-urlencoded');
    if (response.status === 200 && response.body.trim() !== '') {
      this.slack.recordCommandResponse(isJson(response.json) ? response.json : { text: response.body });
    }
    return this.settled(response);
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

  /** The last confirmation dialog `userId` was shown by a click. */
  lastDialog(userId: string): ShownDialog | undefined {
    return this.dialogs.filter((d) => d.user === userId).at(-1);
  }

  /**
   * Slack shows a button's confirmation dialog before it sends the click: the dialog is kept for
   * the test to read, and true means the person denied it, so nothing is sent.
   */
  private deniedInDialog(button: Parameters<typeof dialogOf>[0], userId: string, opts: ClickOptions): boolean {
    const dialog = dialogOf(button, userId, opts);
    if (dialog) this.dialogs.push(dialog);
    return dialog !== null && opts.dialog === 'deny';
  }

  /** Clicks the button labelled `label` in a stored message (current version). */
  async click(
    userId: string,
    where: { channel: string; ts: string } | FakeMessage,
    label: string,
    opts: ClickOptions = {},
  ): Promise<DriverResponse> {
    const user = requireUser(this.slack, userId);
    const message = this.slack.message(where.channel, where.ts);
    if (!message) throw new Error(`No message ${where.ts} in ${where.channel} (deleted, or never posted)`);
    const channel = requireChannel(this.slack, message.channel);
    assertCanSee(channel, user.id);
    const shown = opts.staleBlocks ? { ...message, blocks: opts.staleBlocks as typeof message.blocks } : message;
    const button = pickButton(shown.blocks, label, opts, `message ${message.channel}/${message.ts}`);
    if (this.deniedInDialog(button, user.id, opts)) return DENIED;
    return this.sendPayload({
      type: 'block_actions',
      user: userRef(this.slack, user),
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
      team: teamRef(this.slack),
      enterprise: enterpriseRef(this.slack),
      is_enterprise_install: false,
      channel: { id: channel.id, name: legacyChannelName(channel) },
      message: this.slack.messagePayload(shown),
      state: { values: {} },
      response_url: this.slack.createResponseUrl({ channel: channel.id, user: user.id, messageTs: message.ts }),
      actions: [buttonAction(button, this.stamp())],
    });
  }

  /** Clicks a button in an ephemeral message; Slack sends no `message` for those. */
  async clickEphemeral(userId: string, ephemeral: FakeEphemeral, label: string, opts: ClickOptions = {}): Promise<DriverResponse> {
    const user = requireUser(this.slack, userId);
    const current = this.slack.ephemerals(user.id).find((e) => e.ts === ephemeral.ts);
    if (!current) throw new Error(`User ${user.id} has no ephemeral ${ephemeral.ts} (deleted, or shown to someone else)`);
    const channel = requireChannel(this.slack, current.channel);
    const button = pickButton(current.blocks, label, opts, `ephemeral ${current.ts}`);
    if (this.deniedInDialog(button, user.id, opts)) return DENIED;
    return this.sendPayload({
      type: 'block_actions',
      user: userRef(this.slack, user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      container: { type: 'message', message_ts: current.ts, channel_id: channel.id, is_ephemeral: true },
      trigger_id: this.slack.newTriggerId(user.id),
      team: teamRef(this.slack),
      enterprise: enterpriseRef(this.slack),
      is_enterprise_install: false,
      channel: { id: channel.id, name: legacyChannelName(channel) },
      state: { values: {} },
      response_url: this.slack.createResponseUrl({ channel: channel.id, user: user.id, messageTs: current.ts }),
      actions: [buttonAction(button, this.stamp())],
    });
  }

  /** Clicks a button in the modal on top of the user's stack. */
  async clickInView(userId: string, viewId: string, label: string, opts: ClickOptions = {}): Promise<DriverResponse> {
    const user = requireUser(this.slack, userId);
    const view = requireTopModal(this.slack, user.id, viewId, 'click in');
    return this.sendViewAction(user, view, label, opts);
  }

  /** Clicks a button on the user's App Home tab. */
  async clickHome(userId: string, label: string, opts: ClickOptions = {}): Promise<DriverResponse> {
    const user = requireUser(this.slack, userId);
    const view = this.slack.homeView(user.id);
    if (!view) throw new Error(`User ${user.id} has no Home tab published (views.publish was never called for them)`);
    return this.sendViewAction(user, view, label, opts);
  }

  private sendViewAction(user: FakeUser, view: FakeView, label: string, opts: ClickOptions): Promise<DriverResponse> {
    const button = pickButton(view.view.blocks, label, opts, `${view.type} view ${view.id}`);
    if (this.deniedInDialog(button, user.id, opts)) return Promise.resolve(DENIED);
    return this.sendPayload({
      type: 'block_actions',
      user: userRef(this.slack, user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      container: { type: 'view', view_id: view.id },
      trigger_id: this.slack.newTriggerId(user.id),
      team: teamRef(this.slack),
      enterprise: enterpriseRef(this.slack),
      is_enterprise_install: false,
      view: this.slack.viewPayload(view),
      actions: [buttonAction(button, this.stamp())],
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
    const user = requireUser(this.slack, userId);
    const view = requireTopModal(this.slack, user.id, viewId, 'submit');
    this.slack.setViewState(view.id, buildViewState(this.slack, view, values, user.id));
    const response = await this.transport.send(
      formPayload({
        type: 'view_submission',
        team: teamRef(this.slack),
        user: userRef(this.slack, user),
        api_app_id: this.apiAppId,
        token: this.verificationToken,
        trigger_id: this.slack.newTriggerId(user.id),
        view: this.slack.viewPayload(view),
        response_urls: [],
        enterprise: enterpriseRef(this.slack),
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
    const user = requireUser(this.slack, userId);
    const view = requireTopModal(this.slack, user.id, viewId, 'close');
    const clear = view.view.clear_on_close === true;
    const payload: Json = {
      type: 'view_closed',
      team: teamRef(this.slack),
      user: userRef(this.slack, user),
      api_app_id: this.apiAppId,
      token: this.verificationToken,
      view: this.slack.viewPayload(view),
      is_cleared: clear,
      enterprise: enterpriseRef(this.slack),
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
        {
          enterprise_id: this.slack.enterpriseId ?? null,
          team_id: this.slack.teamId,
          user_id: this.slack.botUserId,
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    };
    return this.settled(await this.transport.send(JSON.stringify(envelope), 'application/json'));
  }

  /** The user opens the bot's Home tab. */
  /**
   * Someone's Slack account is deactivated (or reactivated) by a workspace admin: the stand-in
   * says so from then on, and Slack sends the app `user_change` with the user as it is now.
   */
  async setDeactivated(userId: string, deactivated = true): Promise<DriverResponse> {
    const user = this.slack.setDeactivated(requireUser(this.slack, userId).id, deactivated);
    return this.event({ type: 'user_change', user: this.slack.userPayload(user) });
  }

  async appHomeOpened(userId: string): Promise<DriverResponse> {
    const user = requireUser(this.slack, userId);
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
    return this.settled(await this.transport.request(rawBody, headers));
  }

  signedHeaders(body: string, timestampSeconds: number = this.nowSeconds()): SlackSignatureHeaders {
    return this.transport.signedHeaders(body, timestampSeconds);
  }

  // -------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------

  private async sendPayload(payload: Json): Promise<DriverResponse> {
    return this.settled(await this.transport.send(formPayload(payload), 'application/x-www-form-urlencoded'));
  }

  private async settled(response: DriverResponse): Promise<DriverResponse> {
    if (this.settle) await this.settle();
    return response;
  }

  /** Slack-style `1732300000.000123` timestamps for action_ts / event_ts. */
  private stamp(): string {
    return `${Math.floor(this.nowSeconds())}.${String(++this.stampSeq % 1_000_000).padStart(6, '0')}`;
  }
}
