/**
 * Unexpected failures carry a code a caller can switch on and a log line can group by, in the
 * spirit of bolt-js's `CodedError`. Expected outcomes (a refused click, a bad form) are not
 * errors: they are `Outcome`s.
 */
export const vouchErrorCodes = [
  /** An INSERT … RETURNING returned no row. */
  'db.insert_returned_nothing',
  /** A guarded update found the record in another state although the transaction holds its lock. */
  'db.lost_guarded_update',
  /** A record a decision needs is missing although a foreign key points at it. */
  'db.missing_row',
  /** Configuration that cannot run. */
  'config.invalid',
  /** Slack refused or did not answer a call Vouch cannot do without. */
  'slack.unavailable',
] as const;
export type VouchErrorCode = (typeof vouchErrorCodes)[number];

export class VouchError extends Error {
  override readonly name = 'VouchError';
  constructor(
    readonly code: VouchErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const vouchError = (code: VouchErrorCode, message: string, details?: Record<string, unknown>) =>
  new VouchError(code, message, details);

export const isVouchError = (error: unknown, code?: VouchErrorCode): error is VouchError =>
  error instanceof VouchError && (code === undefined || error.code === code);
