import type { AllMiddlewareArgs, App, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';

// Bolt runs every listener's own middleware (its type filter and its id match) for every request,
// so 19 listeners cost 19 matches per click. Here each payload type gets one Bolt listener, which
// looks the handler up by `action_id` or `callback_id`: the listener modules still register with
// `app.action(id, handler)` and `app.view(id, handler)`, unchanged, on the routed app.

type Handler = (args: never) => unknown;
type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs;
type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs;

/** The routed app, and where a click on an action id no handler claims goes. */
export interface Routed {
  app: App;
  /** Called for a click whose action id has no handler (a button from an older version, a forged one). */
  onUnknownAction(handler: (args: ActionArgs) => Promise<void>): void;
}

/**
 * Wraps `app`: `action` and `view` with one string id and one handler are routed; anything else
 * (a pattern, constraints, several middlewares, events, commands) goes to Bolt as it is.
 */
export function routeByIds(app: App): Routed {
  const actions = new Map<string, Handler>();
  const views = new Map<string, Handler>();
  let unknownAction: ((args: ActionArgs) => Promise<void>) | undefined;

  const claim = (table: Map<string, Handler>, kind: string, id: string, handler: Handler) => {
    if (table.has(id)) throw new Error(`two ${kind} handlers for "${id}"`);
    table.set(id, handler);
  };

  app.action(/.*/, async (args: ActionArgs) => {
    const body = args.body as { actions?: Array<{ action_id?: string }> };
    const handler = actions.get(body.actions?.[0]?.action_id ?? '');
    if (handler) await (handler as (a: ActionArgs) => unknown)(args);
    else if (unknownAction) await unknownAction(args);
  });
  // A submission of a form no handler claims is left unanswered, as Bolt does with no listener.
  app.view(/.*/, async (args: ViewArgs) => {
    const handler = views.get(args.view.callback_id);
    if (handler) await (handler as (a: ViewArgs) => unknown)(args);
  });

  const routed = new Proxy(app, {
    get(target, property, receiver) {
      if (property === 'action' || property === 'view') {
        const table = property === 'action' ? actions : views;
        const direct = Reflect.get(target, property, receiver) as (...args: unknown[]) => void;
        return (constraint: unknown, ...listeners: Handler[]) => {
          if (typeof constraint === 'string' && listeners.length === 1) return claim(table, property, constraint, listeners[0]!);
          return direct.call(target, constraint, ...listeners);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  return {
    app: routed,
    onUnknownAction(handler) {
      unknownAction = handler;
    },
  };
}
