import type { Refusal } from './refusal.js';

/**
 * What every workflow returns. `ok` carries the value; `refused` says why a button or command no
 * longer works (one sentence for the person, nothing changed); `invalid` names the form fields
 * to correct (inline errors in a modal, nothing changed).
 */
export const outcomeKinds = ['ok', 'refused', 'invalid'] as const;
export type OutcomeKind = (typeof outcomeKinds)[number];

export type Ok<T> = { kind: 'ok'; value: T };
export type Refused<R = Refusal> = { kind: 'refused'; refusal: R };
/** Field `F` is wrong in the way `P` says (a code the adapter words for its form or API). */
export type Invalid<F extends string = string, P extends string = string> = { kind: 'invalid'; problems: Partial<Record<F, P>> };

export type Outcome<T, R = Refusal, F extends string = never, P extends string = string> =
  | Ok<T>
  | Refused<R>
  | ([F] extends [never] ? never : Invalid<F, P>);

export const ok = <T>(value: T): Ok<T> => ({ kind: 'ok', value });
export const refused = <R>(refusal: R): Refused<R> => ({ kind: 'refused', refusal });
export const invalid = <F extends string, P extends string = string>(problems: Partial<Record<F, P>>): Invalid<F, P> => ({
  kind: 'invalid',
  problems,
});
