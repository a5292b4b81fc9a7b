/** How a failed Slack write went wrong, as far as retrying is concerned. */
export type DeliveryFailure = { kind: 'rate_limited'; retryAfterMs: number } | { kind: 'transient' } | { kind: 'permanent' };

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/**
 * When to try again after `attempts` tries (counting the one that just failed), or null to give
 * up. Exponential backoff with full jitter; a rate limit waits at least as long as Slack asked.
 */
export function nextAttemptAt(
  failure: DeliveryFailure,
  attempts: number,
  now: Date,
  policy: RetryPolicy = defaultRetryPolicy,
  random: () => number = Math.random,
): Date | null {
  if (failure.kind === 'permanent' || attempts >= policy.maxAttempts) return null;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const jittered = backoff / 2 + random() * (backoff / 2);
  const wait = failure.kind === 'rate_limited' ? Math.max(failure.retryAfterMs, jittered) : jittered;
  return new Date(now.getTime() + wait);
}

/** Slack errors that no retry can fix. */
const permanentSlackErrors = new Set([
  'channel_not_found',
  'user_not_found',
  'user_disabled',
  'account_inactive',
  'is_archived',
  'not_in_channel',
  'cannot_dm_bot',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'missing_scope',
  'invalid_blocks',
  'invalid_arguments',
  'msg_too_long',
  'no_text',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
]);

export function classifySlackError(error: string): DeliveryFailure {
  return permanentSlackErrors.has(error) ? { kind: 'permanent' } : { kind: 'transient' };
}
