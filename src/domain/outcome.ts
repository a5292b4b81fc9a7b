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
export type Invalid<F extends string = string> = { kind: 'invalid'; problems: Partial<Record<F, string>> };

export type Outcome<T, R = Refusal, F extends string = never> = Ok<T> | Refused<R> | ([F] extends [never] ? never : Invalid<F>);

export const ok = <T>(value: T): Ok<T> => ({ kind: 'ok', value });
export const refused = <R>(refusal: R): Refused<R> => ({ kind: 'refused', refusal });
export const invalid = <F extends string>(problems: Partial<Record<F, string>>): Invalid<F> => ({ kind: 'invalid', problems });
