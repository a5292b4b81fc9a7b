// views.*: open and push modals (with a fresh trigger id), update them, publish Home tabs.

import { formatProblems, isJson, viewProblems, type Json } from '../blockKit.js';
import { ApiFailure, fail, ok, parseMaybeJson, str, type ApiHandler } from '../args.js';
import type { SlackState } from '../state.js';
import { MAX_MODAL_STACK, type ViewStore } from '../views.js';

export function viewsMethods(state: SlackState, views: ViewStore): Record<string, ApiHandler> {
  /** Reads and validates `args.view`; external ids must be unique across the team. */
  function readView(args: Json, type: 'modal' | 'home'): Json | ApiFailure {
    const view = parseMaybeJson(args.view);
    const problems = viewProblems(view, type);
    if (problems.length > 0 || !isJson(view)) return new ApiFailure(fail('invalid_arguments', formatProblems(problems)));
    const externalId = view.external_id;
    if (typeof externalId === 'string' && externalId !== '') {
      const owner = [...views.viewMap.values()].find((v) => v.externalId === externalId);
      const updating = str(args, 'view_id') ?? str(args, 'external_id');
      if (owner && owner.id !== updating && owner.externalId !== updating) return new ApiFailure(fail('duplicate_external_id'));
    }
    return view;
  }

  /** A new views.open replaces whatever modal stack the user had. */
  function open(args: Json): Json {
    const trigger = views.checkTrigger(args);
    if (trigger instanceof ApiFailure) return trigger.body;
    const view = readView(args, 'modal');
    if (view instanceof ApiFailure) return view.body;
    trigger.use();
    for (const id of views.modalStacks.get(trigger.user) ?? []) views.viewMap.get(id)!.open = false;
    const modal = views.createModal(trigger.user, view, []);
    return ok({ view: views.viewPayload(modal) });
  }

  function push(args: Json): Json {
    const trigger = views.checkTrigger(args);
    if (trigger instanceof ApiFailure) return trigger.body;
    const view = readView(args, 'modal');
    if (view instanceof ApiFailure) return view.body;
    const stack = views.modalStacks.get(trigger.user) ?? [];
    if (stack.length >= MAX_MODAL_STACK) return fail('push_limit_reached');
    trigger.use();
    const modal = views.createModal(trigger.user, view, stack);
    return ok({ view: views.viewPayload(modal) });
  }

  /** Only open modals and published Home views can be updated. */
  function update(args: Json): Json {
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    const target = viewId
      ? views.viewMap.get(viewId)
      : externalId
        ? [...views.viewMap.values()].find((v) => v.externalId === externalId)
        : undefined;
    if (!target?.open) return fail('not_found');
    const hash = str(args, 'hash');
    if (hash !== undefined && hash !== '' && hash !== target.hash) return fail('hash_conflict');
    const view = readView(args, target.type);
    if (view instanceof ApiFailure) return view.body;
    views.replaceViewContent(target, view);
    return ok({ view: views.viewPayload(target) });
  }

  function publish(args: Json): Json {
    const userId = str(args, 'user_id') ?? '';
    if (!state.userMap.has(userId)) return fail('user_not_found');
    const existing = views.homeView(userId);
    const hash = str(args, 'hash');
    if (existing && hash !== undefined && hash !== '' && hash !== existing.hash) return fail('hash_conflict');
    const view = readView(args, 'home');
    if (view instanceof ApiFailure) return view.body;
    if (existing) {
      views.replaceViewContent(existing, view);
      return ok({ view: views.viewPayload(existing) });
    }
    return ok({ view: views.viewPayload(views.createHome(userId, view)) });
  }

  return { 'views.open': open, 'views.push': push, 'views.update': update, 'views.publish': publish };
}
