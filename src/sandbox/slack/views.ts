// Views as Slack keeps them: each user's modal stack (at most 3), their Home tab, what they
// typed, the trigger ids that open modals, and how Slack applies a view_submission's answer.

import { randomBytes } from 'node:crypto';

import { formatProblems, isJson, viewProblems, type Json } from './blockKit.js';
import { ApiFailure, fail, parseMaybeJson, str } from './args.js';
import type { SlackState } from './state.js';
import type { FakeView, ViewAckOutcome, ViewState } from './types.js';

export const MAX_MODAL_STACK = 3;

export class ViewStore {
  readonly viewMap = new Map<string, FakeView>();
  readonly modalStacks = new Map<string, string[]>();
  private readonly homeViewIds = new Map<string, string>();
  private readonly triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();

  constructor(private readonly state: SlackState) {}

  /** Issues a trigger id for an interaction by `userId`, usable once for views.open/push. */
  newTriggerId(userId: string): string {
    const { state } = this;
    const id = `${state.nextSeq()}.${state.teamId.replace(/\D/g, '') || '0'}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { user: userId, issuedAt: state.now(), used: false });
    return id;
  }

  /** Checks a trigger id without using it up (failed calls must not change state). */
  checkTrigger(args: Json): { user: string; use: () => void } | ApiFailure {
    const triggerId = str(args, 'trigger_id') ?? '';
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return new ApiFailure(fail('invalid_trigger_id'));
    if (trigger.used) return new ApiFailure(fail('exchanged_trigger_id'));
    if (this.state.now() - trigger.issuedAt > this.state.triggerTtlMs) return new ApiFailure(fail('expired_trigger_id'));
    return { user: trigger.user, use: () => (trigger.used = true) };
  }

  view(viewId: string): FakeView | undefined {
    return this.viewMap.get(viewId);
  }

  requireView(viewId: string): FakeView {
    const view = this.viewMap.get(viewId);
    if (!view) throw new Error(`Unknown view ${viewId}`);
    return view;
  }

  openView(userId: string): FakeView | undefined {
    const id = this.modalStacks.get(userId)?.at(-1);
    return id === undefined ? undefined : this.viewMap.get(id);
  }

  viewStack(userId: string): FakeView[] {
    return (this.modalStacks.get(userId) ?? []).map((id) => this.requireView(id));
  }

  homeView(userId: string): FakeView | undefined {
    const id = this.homeViewIds.get(userId);
    return id === undefined ? undefined : this.viewMap.get(id);
  }

  setViewState(viewId: string, state: ViewState): void {
    const view = this.requireView(viewId);
    view.state = structuredClone(state);
  }

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
    this.state.change({ kind: 'view', user: view.user, viewId });
  }

  createModal(userId: string, view: Json, stack: string[]): FakeView {
    const { state } = this;
    const id = state.nextId('V');
    const modal: FakeView = {
      id,
      type: 'modal',
      user: userId,
      hash: state.newHash(),
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
    state.change({ kind: 'view', user: userId, viewId: id });
    return modal;
  }

  /** The user's first Home tab (views.publish replaces the content of later ones). */
  createHome(userId: string, view: Json): FakeView {
    const { state } = this;
    const id = state.nextId('V');
    const home: FakeView = {
      id,
      type: 'home',
      user: userId,
      hash: state.newHash(),
      view: this.normalizeView(view),
      state: { values: {} },
      rootViewId: id,
      previousViewId: null,
      open: true,
    };
    this.viewMap.set(id, home);
    this.homeViewIds.set(userId, id);
    state.change({ kind: 'home', user: userId, viewId: id });
    return home;
  }

  replaceViewContent(view: FakeView, newView: Json): void {
    view.view = this.normalizeView(newView);
    view.hash = this.state.newHash();
    if (typeof newView.external_id === 'string' && newView.external_id !== '') view.externalId = newView.external_id;
    this.state.change({ kind: view.type === 'home' ? 'home' : 'view', user: view.user, viewId: view.id });
  }

  private normalizeView(view: Json): Json {
    return { ...structuredClone(view), blocks: this.state.normalize(Array.isArray(view.blocks) ? view.blocks : []) };
  }

  /** The view as Slack puts it into payloads and API responses. */
  viewPayload(view: FakeView): Json {
    const { state } = this;
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
      team_id: state.teamId,
      state: structuredClone(view.state),
      hash: view.hash,
      previous_view_id: view.previousViewId,
      root_view_id: view.rootViewId,
      app_id: state.appId,
      app_installed_team_id: state.teamId,
      bot_id: state.botId,
    };
  }

  /** What Slack does with the bot's answer to a view_submission (see FakeSlack.applyViewAck). */
  resolveViewAck(view: FakeView, ack: Json | undefined): ViewAckOutcome {
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
}
