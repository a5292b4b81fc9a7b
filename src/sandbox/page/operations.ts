// What a person can do on the sandbox page. Each operation becomes what Slack would do: a
// signed request to the bot (through the SlackDriver of the person's workspace), or a change to
// the Slack stand-in. A person is a (workspace, user) pair: every input names the user and, since
// user ids are only unique within a workspace, the workspace (`team`) too.

import type { Vouch } from '../../bot/app.js';
import { parseDuration } from '../../domain/duration.js';
import { isJson, type FakeSlack, type FakeView, type FakeWorkspace, type FieldValue, type Json, type SlackDriver } from '../slack/index.js';
import { pageState, type PageState } from './pageState.js';
import { everyone, sandboxPeople, workspaceOf, type SandboxPerson, type SandboxWorkspace } from './workspace.js';

/** How far the sandbox clock can jump in one go, in Vouch's duration notation. */
export const clockSteps = ['1h', '1d', '30d'] as const;
export type ClockStep = (typeof clockSteps)[number];

/** Real time plus however far the person has moved it. */
export class SandboxClock {
  aheadMs = 0;
  now = (): Date => new Date(Date.now() + this.aheadMs);
}

/** A problem with what the person asked for (not a failure of the sandbox): shown to them as is. */
export class SandboxError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Who acts: a user, and their workspace (which may be left out when the user id is found in one workspace only). */
export interface Who {
  user: string;
  team?: string | undefined;
}

export type ClickInput = Who & ClickTarget;

/** What is clicked: a button by its label (and action_id), on a message, an ephemeral, the Home tab or a modal. */
export type ClickTarget = { label: string; actionId?: string | undefined } & (
  | { surface: 'message' | 'ephemeral'; channel: string; ts: string }
  | { surface: 'home' }
  | { surface: 'view'; viewId: string }
);

export interface ProvisionResult {
  status: number;
  body: unknown;
}

export interface OperationsDeps {
  slack: FakeSlack;
  /** Every workspace, by team id, and the driver that plays its people. */
  teams: ReadonlyMap<string, FakeWorkspace>;
  drivers: ReadonlyMap<string, SlackDriver>;
  vouch: Vouch;
  clock: SandboxClock;
  /** The bot's provisioning API and its bearer token. */
  provisioning: { url: string; token: string };
  /** Installs Vouch into a workspace through its OAuth routes, as at start. */
  install: (workspace: SandboxWorkspace) => Promise<void>;
}

export class SandboxOperations {
  /** Inline errors from `response_action: 'errors'`, until the bot changes the view. */
  private readonly viewErrors = new Map<string, { hash: string; errors: Record<string, string> }>();

  constructor(private readonly deps: OperationsDeps) {}

  /** The person `who` names: the user in their workspace. */
  person(who: Who): SandboxPerson {
    if (who.team !== undefined && who.team !== '' && !workspaceOf(who.team))
      throw new SandboxError(`The sandbox has no workspace ${who.team}.`, 404);
    const found = everyone.filter((p) => p.id === who.user && (who.team === undefined || who.team === '' || p.teamId === who.team));
    if (found.length === 0)
      throw new SandboxError(`No one in the sandbox has the id ${who.user}${who.team ? ` in the workspace ${who.team}` : ''}.`, 404);
    if (found.length > 1) throw new SandboxError(`Several workspaces have a person ${who.user}: say which (team).`);
    return found[0]!;
  }

  /** The person's workspace, and the driver that plays them in it. */
  private at(person: SandboxPerson): { workspace: FakeWorkspace; driver: SlackDriver } {
    return { workspace: this.deps.teams.get(person.teamId)!, driver: this.deps.drivers.get(person.teamId)! };
  }

  /** What `who` sees; a customer's primary contact's view when no one is named yet (a first visit). */
  state(who: Who): PageState {
    const me = who.user === '' ? sandboxPeople.primary : this.person(who);
    return pageState(
      {
        workspace: this.at(me).workspace,
        slack: this.deps.slack,
        clock: this.deps.clock,
        errorsFor: (view) => this.errorsFor(view),
        installed: (teamId) => this.installed(teamId),
      },
      me,
    );
  }

  /** `/enterprise …` typed in a conversation; the bot's answer shows as Slack would show it. */
  async command(input: Who & { channel: string; text: string }): Promise<void> {
    const match = /^\s*(\/\S+)\s*(.*)$/s.exec(input.text);
    if (!match) throw new SandboxError('Type a slash command, such as /enterprise help.');
    const [, command = '', text = ''] = match;
    if (command !== '/enterprise') throw new SandboxError(`Vouch has no ${command} command. Try /enterprise help.`);
    const person = this.person(input);
    const { workspace, driver } = this.at(person);
    this.requireConversation(workspace, person.id, input.channel);
    const response = await driver.commandShown(person.id, text, { channelId: input.channel });
    if (response.status !== 200) throw new SandboxError(`/enterprise failed: Vouch answered HTTP ${response.status}.`, 502);
  }

  async click(input: ClickInput): Promise<void> {
    const person = this.person(input);
    const { workspace: slack, driver } = this.at(person);
    const user = person.id;
    const opts = input.actionId ? { actionId: input.actionId } : {};
    switch (input.surface) {
      case 'message':
        await driver.click(user, { channel: input.channel, ts: input.ts }, input.label, opts);
        return;
      case 'ephemeral': {
        const ephemeral = slack.ephemerals(user).find((e) => e.ts === input.ts && e.channel === input.channel);
        if (!ephemeral) throw new SandboxError('That message is gone.', 404);
        await driver.clickEphemeral(user, ephemeral, input.label, opts);
        return;
      }
      case 'home':
        await driver.clickHome(user, input.label, opts);
        return;
      case 'view':
        await driver.clickInView(user, input.viewId, input.label, opts);
        return;
    }
  }

  async submit(input: Who & { viewId: string; values: Record<string, FieldValue> }): Promise<void> {
    const person = this.person(input);
    const { workspace, driver } = this.at(person);
    const response = await driver.submitView(person.id, input.viewId, input.values);
    const view = workspace.view(input.viewId);
    const errors =
      isJson(response.json) && response.json.response_action === 'errors' && isJson(response.json.errors)
        ? response.json.errors
        : undefined;
    if (view && errors) this.viewErrors.set(view.id, { hash: view.hash, errors: stringValues(errors) });
    else this.viewErrors.delete(input.viewId);
  }

  async closeView(input: Who & { viewId: string }): Promise<void> {
    const person = this.person(input);
    await this.at(person).driver.closeView(person.id, input.viewId);
    this.viewErrors.delete(input.viewId);
  }

  async homeOpened(input: Who): Promise<void> {
    const person = this.person(input);
    await this.at(person).driver.appHomeOpened(person.id);
  }

  /** A file picked in a file_input: Slack has it before the form is submitted. */
  upload(input: Who & { name: string; mimetype: string; content: Buffer }): { id: string; name: string; mimetype: string } {
    const person = this.person(input);
    const { name, mimetype, content } = input;
    const file = this.at(person).workspace.addFile({ name, mimetype, content, user: person.id });
    return { id: file.id, name: file.name, mimetype: file.mimetype };
  }

  /** Calls the bot's provisioning API the way the provider's systems would. */
  async provision(body: Json): Promise<ProvisionResult> {
    const { url, token } = this.deps.provisioning;
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const result = { status: res.status, body: (await res.json()) as unknown };
    await this.deps.vouch.idle();
    return result;
  }

  /**
   * A workspace admin deactivates someone's Slack account (or brings it back): the stand-in says so
   * from then on, and Vouch gets the `user_change` event Slack sends.
   */
  async setDeactivated(input: Who & { deactivated: boolean }): Promise<{ deactivated: boolean }> {
    const person = this.person(input);
    const response = await this.at(person).driver.setDeactivated(person.id, input.deactivated);
    if (response.status !== 200) throw new SandboxError(`user_change failed: Vouch answered HTTP ${response.status}.`, 502);
    return { deactivated: input.deactivated };
  }

  /**
   * An admin of a workspace removes Vouch from it: Slack refuses its tokens from then on and sends
   * Vouch `app_uninstalled`.
   */
  async uninstall(input: { team: string }): Promise<{ installed: boolean }> {
    const workspace = this.workspace(input.team);
    if (!this.installed(workspace.teamId)) throw new SandboxError(`Vouch is not installed in ${workspace.name}.`, 409);
    const answer = await this.deps.slack.uninstall(workspace.teamId);
    await this.deps.vouch.idle();
    if (answer.status !== 200) throw new SandboxError(`app_uninstalled failed: Vouch answered HTTP ${answer.status}.`, 502);
    return { installed: false };
  }

  /** Installs Vouch into a workspace again, through its install page, Slack's authorize page and its redirect URL. */
  async install(input: { team: string }): Promise<{ installed: boolean }> {
    const workspace = this.workspace(input.team);
    try {
      await this.deps.install(workspace);
    } catch (error) {
      throw new SandboxError(error instanceof Error ? error.message : String(error), 502);
    }
    await this.deps.vouch.idle();
    return { installed: true };
  }

  /** Whether Vouch is installed in a workspace now, as Slack knows it. */
  installed(teamId: string): boolean {
    const installation = this.deps.slack.installation(teamId);
    return installation !== undefined && !installation.revoked;
  }

  private workspace(teamId: string): SandboxWorkspace {
    const workspace = workspaceOf(teamId);
    if (!workspace) throw new SandboxError(`The sandbox has no workspace ${teamId}.`, 404);
    return workspace;
  }

  /** Moves the clock, then runs the timers as their next tick would. */
  async advanceClock(step: ClockStep): Promise<{ now: string; aheadMs: number }> {
    const { clock, vouch } = this.deps;
    clock.aheadMs += parseDuration(step)!; // every step is a valid duration
    await vouch.jobs.runAll();
    await vouch.idle();
    return { now: clock.now().toISOString(), aheadMs: clock.aheadMs };
  }

  private errorsFor(view: FakeView): Record<string, string> {
    const kept = this.viewErrors.get(view.id);
    return kept && kept.hash === view.hash ? kept.errors : {};
  }

  /** A file of a workspace, for the page's file links. */
  file(teamId: string, fileId: string) {
    return this.deps.teams.get(teamId)?.file(fileId);
  }

  private requireConversation(workspace: FakeWorkspace, userId: string, channelId: string): void {
    const channel = workspace.channel(channelId);
    const visible = channel && (channel.kind === 'im' ? channel.user === userId : channel.members.includes(userId));
    if (!visible) throw new SandboxError(`You are not in the conversation ${channelId}.`, 403);
  }
}

const stringValues = (record: Json): Record<string, string> =>
  Object.fromEntries(Object.entries(record).map(([key, value]) => [key, String(value)]));
