import { createHash } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { mayReceiveToken, tooLarge, type LetterProblem } from '../domain/letter.js';

export interface Letter {
  fileId: string;
  name: string;
  permalink: string | null;
  sha256: string;
}

export interface LetterLimits {
  maxBytes: number;
  timeoutMs: number;
  /** Where the bot token may go: see `slackFileOrigins`. */
  origins: readonly string[];
  /** The download's deadline; tests end it by hand instead of waiting. */
  deadline?: (ms: number) => AbortSignal;
}

export type LetterResult = { ok: true; letter: Letter } | { ok: false; problem: LetterProblem; detail: string };
/** The letter with its bytes, for its upload into the request's thread. */
export type LetterBytesResult = { ok: true; letter: Letter; bytes: Buffer } | { ok: false; problem: LetterProblem; detail: string };

const MAX_REDIRECTS = 3;

/**
 * Reads the uploaded letter with the bot token and fingerprints its bytes, so support can tell
 * later that the file they saw is the file that was approved. Fails closed: the token goes only
 * to Slack's file hosts (each redirect checked too), a declared size over the limit is refused
 * before any byte is read, the body is hashed as it streams and dropped past the limit, and the
 * whole download has a deadline.
 */
export async function fingerprintLetter(client: WebClient, fileId: string, limits: LetterLimits): Promise<LetterResult> {
  const read = await download(client, fileId, limits, false);
  return read.ok ? { ok: true, letter: read.letter } : read;
}

/**
 * The letter's bytes and fingerprint, read as `fingerprintLetter` reads them (the same checks,
 * the same limit), for the delivery that uploads it into the request's thread: the bytes are
 * fetched from Slack again for each attempt and never stored.
 */
export async function readLetter(client: WebClient, fileId: string, limits: LetterLimits): Promise<LetterBytesResult> {
  return download(client, fileId, limits, true);
}

/**
 * The token a file download carries: the client's own, or, for a distributed workspace's client
 * (which has none of its own and picks its install's token for each call), that install's current one.
 */
async function botTokenOf(client: WebClient): Promise<string | undefined> {
  const workspace = client as WebClient & { currentToken?: () => Promise<string> };
  return typeof workspace.currentToken === 'function' ? workspace.currentToken() : client.token;
}

async function download(client: WebClient, fileId: string, limits: LetterLimits, keep: boolean): Promise<LetterBytesResult> {
  const fail = (problem: LetterProblem, detail: string): LetterBytesResult => ({ ok: false, problem, detail });
  let file: Awaited<ReturnType<WebClient['files']['info']>>['file'];
  try {
    file = (await client.files.info({ file: fileId })).file;
  } catch (error) {
    return fail({ kind: 'unreadable' }, `files.info failed: ${(error as { data?: { error?: string } }).data?.error ?? 'unreachable'}`);
  }
  let url = file?.url_private_download ?? file?.url_private;
  if (!file || !url) return fail({ kind: 'unreadable' }, 'the file has no download URL');
  if (!mayReceiveToken(url, limits.origins)) return fail({ kind: 'not_on_slack' }, `the file is at ${hostOf(url)}, not on Slack`);
  if (tooLarge(file.size, limits.maxBytes)) {
    return fail({ kind: 'too_large', maxBytes: limits.maxBytes }, `files.info says ${file.size} bytes`);
  }

  const deadline = (limits.deadline ?? AbortSignal.timeout)(limits.timeoutMs);
  const overLimit = new AbortController();
  const signal = AbortSignal.any([deadline, overLimit.signal]);
  try {
    let response: Response | undefined;
    for (let hop = 0; ; hop++) {
      response = await fetch(url, { headers: { authorization: `Bearer ${await botTokenOf(client)}` }, redirect: 'manual', signal });
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (location === null) break;
      await response.body?.cancel();
      url = new URL(location, url).toString();
      if (hop >= MAX_REDIRECTS) return fail({ kind: 'unreadable' }, 'too many redirects');
      if (!mayReceiveToken(url, limits.origins)) return fail({ kind: 'not_on_slack' }, `redirected to ${hostOf(url)}, not Slack`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      return fail({ kind: 'refused', status: response.status }, `download answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (tooLarge(declared, limits.maxBytes)) {
      overLimit.abort();
      return fail({ kind: 'too_large', maxBytes: limits.maxBytes }, `the download declares ${declared} bytes`);
    }
    const hash = createHash('sha256');
    const chunks: Uint8Array[] = [];
    let received = 0;
    for await (const chunk of response.body ?? []) {
      received += chunk.byteLength;
      if (received > limits.maxBytes) break; // leaving the loop cancels the body
      hash.update(chunk);
      if (keep) chunks.push(chunk);
    }
    if (received > limits.maxBytes) {
      overLimit.abort();
      return fail({ kind: 'too_large', maxBytes: limits.maxBytes }, `more than ${limits.maxBytes} bytes arrived`);
    }
    return {
      ok: true,
      letter: { fileId, name: file.name ?? fileId, permalink: file.permalink ?? null, sha256: hash.digest('hex') },
      bytes: Buffer.concat(chunks),
    };
  } catch (error) {
    if (deadline.aborted) return fail({ kind: 'timeout', afterMs: limits.timeoutMs }, 'the download did not finish in time');
    return fail({ kind: 'unreadable' }, `the download failed: ${(error as Error).message}`);
  }
}

const hostOf = (url: string) => (URL.canParse(url) ? new URL(url).host : 'an address that is not a URL');

/** A Slack user's e-mail address, or null when Slack does not know it. */
export async function emailOf(client: WebClient, userId: string): Promise<string | null> {
  try {
    return (await client.users.info({ user: userId })).user?.profile?.email ?? null;
  } catch {
    return null;
  }
}

/** The active person with this e-mail address, or why there is none. */
export async function userByEmail(client: WebClient, email: string): Promise<{ userId: string } | { problem: string }> {
  try {
    const { user } = await client.users.lookupByEmail({ email });
    if (!user?.id) return { problem: `No one in this workspace has the e-mail address ${email}.` };
    if (user.deleted) return { problem: `The Slack account with ${email} is deactivated.` };
    if (user.is_bot) return { problem: `${email} belongs to an app, not a person.` };
    return { userId: user.id };
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code === 'users_not_found')
      return { problem: `No one in this workspace has the e-mail address ${email}. Ask them to join Slack, then approve again.` };
    return { problem: `Slack could not look up ${email} (${code ?? 'unreachable'}). Try approving again in a moment.` };
  }
}
