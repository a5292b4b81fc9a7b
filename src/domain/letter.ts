/** How long the letter's download may take, from the request to its last byte. */
export const LETTER_TIMEOUT_MS = 15_000;

/** Slack's own cap on a file_input upload, and Vouch's default limit for the letter. */
export const DEFAULT_LETTER_MAX_BYTES = 10 * 1024 * 1024;

/** Why the letter was not read; the requester is told which. */
export type LetterProblem =
  | { kind: 'not_on_slack' }
  | { kind: 'too_large'; maxBytes: number }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'refused'; status: number }
  | { kind: 'unreadable' };

/**
 * The origins the bot token may be sent to when a file is downloaded: Slack's file host, and the
 * host of SLACK_API_URL when one is set (GovSlack-style hosts, the in-repo stand-in). A file's
 * URL comes from an API answer and, for a remote file, can point anywhere.
 */
export function slackFileOrigins(slackApiUrl: string | undefined): string[] {
  const origins = ['https://files.slack.com'];
  if (slackApiUrl && URL.canParse(slackApiUrl)) origins.push(new URL(slackApiUrl).origin);
  return origins;
}

/** True only for an absolute URL on one of `origins`, with no credentials of its own. */
export function mayReceiveToken(url: string, origins: readonly string[]): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (parsed.username || parsed.password) return false;
  return origins.includes(parsed.origin);
}

/** A size Slack or the download declared, over the limit: refuse before reading any byte. */
export function tooLarge(size: number | null | undefined, maxBytes: number): boolean {
  return typeof size === 'number' && Number.isFinite(size) && size > maxBytes;
}

/** 10 MB, 512 KB, 300 bytes: a limit in words (1 MB = 1,048,576 bytes). */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${bytes} bytes`;
}
