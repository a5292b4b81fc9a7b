/**
 * Start-up against Slack: the bot token is checked (auth.test) before Vouch takes work. Slack
 * refusing the token is a configuration error, said once, naming the setting; Slack not answering
 * is waited out with backoff for a while, then said the same way.
 */

/** Slack's answers that mean the token itself is wrong, with what to do about each. */
const refusals: Record<string, string> = {
  invalid_auth: 'is not a token of this workspace (invalid_auth)',
  not_authed: 'was not accepted: Slack saw no token (not_authed)',
  account_inactive: 'belongs to an app or user that was deactivated or uninstalled (account_inactive)',
  token_revoked: 'was revoked, or the app was uninstalled (token_revoked)',
};

/** What one failed auth.test means for start-up. */
export type StartupFailure =
  | { kind: 'refused'; code: string }
  /** Worth another try: no answer, a 5xx, a rate limit, or an answer that is no verdict on the token. */
  | { kind: 'unanswered'; reason: string };

/** The shape of the Web API client's errors, as far as start-up cares. */
export interface SlackCallError {
  code?: string;
  message?: string;
  data?: { error?: string };
  statusCode?: number;
  original?: { code?: string; message?: string; cause?: { code?: string } };
}

export function classifyStartupFailure(error: SlackCallError): StartupFailure {
  const platform = error.data?.error;
  if (platform && Object.hasOwn(refusals, platform)) return { kind: 'refused', code: platform };
  if (platform) return { kind: 'unanswered', reason: `Slack answered ${platform}` };
  if (error.code === 'slack_webapi_http_error') return { kind: 'unanswered', reason: `HTTP ${error.statusCode ?? '?'}` };
  if (error.code === 'slack_webapi_rate_limited_error') return { kind: 'unanswered', reason: 'rate limited' };
  // fetch wraps the network's own error (ECONNREFUSED, ENOTFOUND…) as its cause.
  const original = error.original;
  const cause = original?.cause?.code ?? original?.code ?? original?.message ?? error.message ?? 'no answer';
  return { kind: 'unanswered', reason: cause };
}

/** The one line Vouch stops with when Slack refuses a token. */
export function refusedTokenProblem(setting: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN', code: string): string {
  const what = refusals[code] ?? `was refused (${code})`;
  const fix =
    setting === 'SLACK_BOT_TOKEN'
      ? 'set it to the app’s Bot User OAuth Token (xoxb-…, under OAuth & Permissions), reinstalling the app to the workspace if it was removed'
      : 'set it to an app-level token of this app with connections:write (xapp-…, under Basic Information)';
  return `Slack refused ${setting}: the token ${what}. Fix ${setting}: ${fix}.`;
}

/** The one line Vouch stops with when Slack did not answer in time. */
export function unansweredProblem(waitedMs: number, attempts: number, lastReason: string, apiUrl: string | undefined): string {
  const where = apiUrl ? `SLACK_API_URL (${apiUrl})` : 'SLACK_API_URL (unset: Slack’s own address)';
  return `Slack did not answer auth.test for ${Math.round(waitedMs / 1000)} s (${attempts} tries, last: ${lastReason}). Check the network between Vouch and Slack, and ${where}.`;
}

export interface StartupBackoff {
  /** First wait; each next one doubles. */
  baseMs: number;
  /** No wait is longer. */
  maxMs: number;
}

export const defaultStartupBackoff: StartupBackoff = { baseMs: 1_000, maxMs: 15_000 };

/** The wait after the `attempt`-th failed try (1-based): doubling, capped, with half of it jittered. */
export function startupRetryDelayMs(attempt: number, random: () => number = Math.random, backoff = defaultStartupBackoff): number {
  const full = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + random() * (full / 2));
}
