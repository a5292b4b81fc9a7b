/**
 * A state machine is a table of named transitions, each from a set of states to one state.
 * Stores use `from` as the guard of a conditional UPDATE, so the table is the only place a
 * transition's legality is written down.
 */
export type Transitions<S extends string, E extends string> = {
  readonly [Event in E]: { readonly from: readonly S[]; readonly to: S };
};

export interface Machine<S extends string, E extends string> {
  readonly states: readonly S[];
  readonly transitions: Transitions<S, E>;
  /** States with at least one way out: the record is still in play. */
  readonly liveStates: readonly S[];
  can(state: S, event: E): boolean;
  /** The state after `event`, or null when `event` is not allowed from `state`. */
  next(state: S, event: E): S | null;
  isLive(state: S): boolean;
}

export function defineMachine<S extends string, E extends string>(states: readonly S[], transitions: Transitions<S, E>): Machine<S, E> {
  const events = Object.keys(transitions) as E[];
  const liveStates = states.filter((s) => events.some((e) => transitions[e].from.includes(s)));
  return {
    states,
    transitions,
    liveStates,
    can: (state, event) => transitions[event].from.includes(state),
    next: (state, event) => (transitions[event].from.includes(state) ? transitions[event].to : null),
    isLive: (state) => liveStates.includes(state),
  };
}
