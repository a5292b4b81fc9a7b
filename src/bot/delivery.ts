import type { WebClient } from '@slack/web-api';
import { ErrorCode } from '@slack/web-api';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import type { OutboxRow, SlackMessageRow } from '../db/schema.js';
import {
  claimDue,
  forgetPastPaces,
  markFailed,
  markSent,
  nextPaceInMs,
  releaseClaims,
  type OutboxPayload,
  type Pace,
} from '../db/outbox.js';
import { loadSubject, markRendered, messagesShowing, recordPosted } from '../db/messages.js';
import { classifySlackError, nextAttemptAt, defaultRetryPolicy, type DeliveryFailure, type RetryPolicy } from '../domain/retry.js';
import { renderMoved, renderSurface, type RenderSettings } from './render.js';
import { noticeMessage } from './blocks/notices.js';
import { letterComment } from './blocks/recoveryMessages.js';
import { auditCsvComment, auditCsvFileName } from './blocks/adminReplies.js';
import { auditCsv } from './auditCsv.js';
import { auditSubjects, wholeTrail } from '../db/audit.js';
import { findAccount } from '../db/accounts.js';
import { readLetter, type LetterLimits } from './letters.js';
import { homeView, type HomeOffsets } from './blocks/home.js';
import { homeViewerIds, isHomeViewer, loadHome } from '../db/home.js';
import type { SupportDirectory } from './supportDirectory.js';
import type { Metrics } from './metrics.js';
import { isWorkspaceUnavailable, workspaceOfFailedCall } from './installations/errors.js';

/** Why an outbox row is dead when its workspace uninstalled Vouch (or revoked its tokens). */
export const WORKSPACE_UNINSTALLED = 'workspace_uninstalled';

export interface DeliveryDeps {
  db: Database;
  /** The one workspace's client; distributed, the provider's (where the support channel is). */
  client: WebClient;
  /** Distributed: a client for one customer's workspace, calling with its install's current token. */
  clientFor?: (teamId: string) => WebClient;
  clock: () => Date;
  settings: RenderSettings;
  support: SupportDirectory;
  /** The recovery letter's download, as when it was filed: its upload reads it again. */
  letters: LetterLimits;
}

/**
 * The client of a write into `channel` of workspace `teamId`: the support channel is always in
 * the provider's workspace; anything else (a DM, a Home tab) in the customer's workspace the
 * outbox row names, when there is one.
 */
function clientOf(deps: DeliveryDeps, teamId: string | null, channel?: string): { client: WebClient; teamId: string | null } {
  if (teamId === null || !deps.clientFor || channel === deps.support.channelId) return { client: deps.client, teamId: null };
  return { client: deps.clientFor(teamId), teamId };
}

/**
 * The workspace an outbox row's calls go to, as 429 pauses key it: '' with one workspace;
 * distributed, the provider's for the support channel, support's Home tabs and rows naming no
 * workspace (see `clientOf`), else the row's.
 */
export function rowWorkspace(deps: DeliveryDeps, row: Pick<OutboxRow, 'teamId' | 'channel' | 'payload'>): string {
  if (!deps.clientFor) return '';
  const provider = deps.support.teamId ?? '';
  if (row.teamId === null || row.channel === deps.support.channelId) return provider;
  return (row.payload as OutboxPayload).type === 'support_homes' ? provider : row.teamId;
}

/**
 * The workspace whose rate limit a failed row hit: the one its failing call went to (a letter is
 * read in the requester's workspace and uploaded in the provider's), else the row's.
 */
function rateLimitedWorkspace(deps: DeliveryDeps, row: Pick<OutboxRow, 'teamId' | 'channel' | 'payload'>, error: unknown): string {
  if (!deps.clientFor) return '';
  return workspaceOfFailedCall(error) ?? rowWorkspace(deps, row);
}

/** Raised when a write must wait for another one (a thread reply for its parent); retried later. */
class NotYet extends Error {}

/** A write that failed for a reason of its own, not Slack's error code: retried unless `permanent`. */
class WriteFailed extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** The parent message of a record's thread in `channel`, or NotYet while it is not posted. */
async function threadParent(db: Database, subjectId: string, channel: string): Promise<string> {
  const parent = (await messagesShowing(db, subjectId)).find((m) => m.channelId === channel);
  if (!parent) throw new NotYet(`the message of ${subjectId} is not posted yet`);
  return parent.ts;
}

/**
 * Uploads a recovery letter into its request's thread: fetched from Slack again by its file id,
 * and only if its bytes still have the fingerprint support was shown (files.getUploadURLExternal,
 * the bytes to the address Slack gave, files.completeUploadExternal into the thread).
 */
async function uploadLetter(payload: Extract<OutboxPayload, { type: 'letter' }>, deps: DeliveryDeps, teamId: string | null): Promise<void> {
  // Distributed, the letter is a file of the requester's workspace, read with its token; the
  // upload goes into the support channel, in the provider's.
  const { client } = deps;
  const threadTs = await threadParent(deps.db, payload.threadOf, payload.channel);
  const read = await readLetter(clientOf(deps, teamId).client, payload.fileId, deps.letters);
  if (!read.ok) {
    // What no retry changes: a file outside Slack, or one over the limit. The rest (Slack slow, or
    // the file gone) is tried again until OUTBOX_MAX_ATTEMPTS, then kept as a dead row.
    throw new WriteFailed(`letter not read: ${read.detail}`, read.problem.kind === 'not_on_slack' || read.problem.kind === 'too_large');
  }
  if (read.letter.sha256 !== payload.sha256) {
    throw new WriteFailed(`the letter's bytes changed since they were fingerprinted (now ${read.letter.sha256})`, true);
  }
  const { upload_url: uploadUrl, file_id: fileId } = await client.files.getUploadURLExternal({
    filename: payload.fileName,
    length: read.bytes.length,
  });
  if (!uploadUrl || !fileId) throw new WriteFailed('files.getUploadURLExternal gave no upload address', false);
  let sent: Response;
  try {
    sent = await fetch(uploadUrl, { method: 'POST', body: read.bytes, signal: AbortSignal.timeout(deps.letters.timeoutMs) });
  } catch (error) {
    throw new WriteFailed(`the letter's upload failed: ${(error as Error).message}`, false);
  }
  if (!sent.ok) throw new WriteFailed(`the letter's upload answered HTTP ${sent.status}`, false);
  await client.files.completeUploadExternal({
    files: [{ id: fileId, title: payload.fileName }],
    channel_id: payload.channel,
    thread_ts: threadTs,
    initial_comment: letterComment(payload).text,
  });
}

/**
 * An account's audit trail as a CSV file in a reader's DM: built from the trail as it stood when
 * they asked, uploaded (files.getUploadURLExternal, the bytes, files.completeUploadExternal) into
 * their DM with the bot, whose channel id conversations.open gives (an upload takes no user id).
 */
async function uploadAuditCsv(
  payload: Extract<OutboxPayload, { type: 'audit_csv' }>,
  deps: DeliveryDeps,
  teamId: string | null,
): Promise<void> {
  const { db } = deps;
  // Into the reader's DM, in the workspace the write is tagged with.
  const { client } = clientOf(deps, teamId);
  const account = await findAccount(db, payload.accountId);
  if (!account) return; // the account is gone; there is nothing to send
  const upTo = new Date(payload.upTo);
  const events = await wholeTrail(db, account.id, upTo);
  const bytes = Buffer.from(auditCsv(events, account, await auditSubjects(db, events)), 'utf8');
  const opened = await client.conversations.open({ users: payload.userId });
  const channel = opened.channel?.id;
  if (!channel) throw new WriteFailed('conversations.open gave no DM channel', false);
  const filename = auditCsvFileName(account.name, upTo);
  const { upload_url: uploadUrl, file_id: fileId } = await client.files.getUploadURLExternal({ filename, length: bytes.length });
  if (!uploadUrl || !fileId) throw new WriteFailed('files.getUploadURLExternal gave no upload address', false);
  let sent: Response;
  try {
    sent = await fetch(uploadUrl, { method: 'POST', body: bytes, signal: AbortSignal.timeout(deps.letters.timeoutMs) });
  } catch (error) {
    throw new WriteFailed(`the audit trail's upload failed: ${(error as Error).message}`, false);
  }
  if (!sent.ok) throw new WriteFailed(`the audit trail's upload answered HTTP ${sent.status}`, false);
  await client.files.completeUploadExternal({
    files: [{ id: fileId, title: filename }],
    channel_id: channel,
    initial_comment: auditCsvComment(account.name, events.length, upTo).text,
  });
}

/**
 * Publishes one person's Home tab from the current state. `teamId`: their workspace
 * (distributed), whose records alone they see, published with that workspace's token.
 */
export async function publishHome(
  userId: string,
  deps: DeliveryDeps,
  offsets: HomeOffsets = {},
  teamId: string | null = null,
): Promise<void> {
  const { client } = teamId === deps.support.teamId ? { client: deps.client } : clientOf(deps, teamId);
  const isSupport = await deps.support.isMember(userId, { teamId, enterpriseId: null });
  const data = await loadHome(deps.db, userId, isSupport, teamId);
  await client.views.publish({ user_id: userId, view: homeView(data, deps.support.channelId, offsets) });
}

/** A link to a message, or null when Slack does not give one now (the copy then says "below"). */
async function permalinkOf(client: WebClient, channel: string, ts: string): Promise<string | null> {
  try {
    const found = await client.chat.getPermalink({ channel, message_ts: ts });
    return found.permalink ?? null;
  } catch {
    return null;
  }
}

/** Edits each of these messages (of one record) that shows an older state than the record's. */
async function redrawMessages(messages: readonly SlackMessageRow[], deps: DeliveryDeps): Promise<void> {
  const first = messages[0];
  if (!first) return;
  const subject = await loadSubject(deps.db, first.subjectId);
  if (!subject) return;
  for (const shown of messages) {
    if (shown.renderedVersion >= subject.version) continue; // already shows this state or a later one
    // Each message is edited in the workspace it was posted in; one whose workspace uninstalled
    // Vouch cannot be, and holds back none of the others (support's message of the same request).
    const { client } = clientOf(deps, shown.teamId);
    const { text, blocks } = shown.movedToTs
      ? renderMoved(subject, await permalinkOf(client, shown.channelId, shown.movedToTs))
      : renderSurface(subject, shown.surface, deps.settings);
    try {
      await client.chat.update({ channel: shown.channelId, ts: shown.ts, text, blocks });
    } catch (error) {
      if (isWorkspaceUnavailable(error) && error.reason !== 'refresh_failed') continue;
      throw error;
    }
    await markRendered(deps.db, shown.id, subject.version);
  }
}

/** Performs one outbox row's Slack write, in the workspace `teamId` (distributed). Throws what the Web API threw. */
export async function deliver(payload: OutboxPayload, deps: DeliveryDeps, teamId: string | null = null): Promise<void> {
  const { db } = deps;
  switch (payload.type) {
    case 'post': {
      const subject = await loadSubject(db, payload.subjectId);
      if (!subject) return; // the record is gone; there is nothing to show
      const { text, blocks } = renderSurface(subject, payload.surface, deps.settings);
      const target = clientOf(deps, teamId, payload.channel);
      const posted = await target.client.chat.postMessage({ channel: payload.channel, text, blocks, unfurl_links: false });
      const newest = {
        surface: payload.surface,
        subjectId: payload.subjectId,
        channelId: posted.channel as string,
        ts: posted.ts as string,
      };
      // Sent again (`/enterprise setup`): the older copies in this conversation now point here.
      await recordPosted(db, { ...newest, teamId: target.teamId, renderedVersion: subject.version }, deps.clock());
      // A change that committed while we were posting found no message to edit, and older copies
      // wait to point to this one: catch up now, on this message and its copies only (the record's
      // other messages have redraws of their own). The post itself is done, so a failed edit must
      // not have this row post it again: what it could not edit stays behind its record, and the
      // reconciliation redraws it.
      try {
        const copies = (await messagesShowing(db, payload.subjectId)).filter(
          (m) => m.surface === newest.surface && m.channelId === newest.channelId,
        );
        await redrawMessages(copies, deps);
      } catch {
        /* left to the reconciliation */
      }
      return;
    }
    case 'redraw':
      return redrawMessages(await messagesShowing(db, payload.subjectId), deps);
    case 'notice': {
      const { client } = clientOf(deps, teamId, payload.channel);
      const { text, blocks } = noticeMessage(payload.notice);
      const threadTs = payload.threadOf ? await threadParent(db, payload.threadOf, payload.channel) : undefined;
      await client.chat.postMessage({
        channel: payload.channel,
        text,
        blocks,
        unfurl_links: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return;
    }
    case 'letter':
      return uploadLetter(payload, deps, teamId);
    case 'audit_csv':
      return uploadAuditCsv(payload, deps, teamId);
    case 'home': {
      // Only people who have opened the Home tab have one to refresh.
      const team = deps.clientFor ? teamId : null;
      if (await isHomeViewer(db, payload.userId, team)) await publishHome(payload.userId, deps, {}, team);
      return;
    }
    case 'support_homes': {
      // Support is in the provider's workspace (the one workspace when there is only one).
      const members = await deps.support.members();
      for (const userId of await homeViewerIds(db, deps.support.teamId))
        if (members.has(userId)) await publishHome(userId, deps, {}, deps.support.teamId);
      return;
    }
  }
}

export function classifyDeliveryError(error: unknown): DeliveryFailure & { description: string } {
  // Distributed: the workspace has no live install (uninstalled, revoked): nothing can be sent there
  // until it installs Vouch again (then `npm run outbox:retry`). A refresh Slack did not answer passes.
  if (isWorkspaceUnavailable(error)) {
    return error.reason === 'refresh_failed'
      ? { kind: 'transient', description: error.data.error }
      : { kind: 'permanent', description: WORKSPACE_UNINSTALLED };
  }
  const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return { kind: 'rate_limited', retryAfterMs: (e.retryAfter ?? 1) * 1000, description: `rate limited for ${e.retryAfter}s` };
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      return { ...classifySlackError(code), description: code };
    }
    case ErrorCode.HTTPError:
      return { kind: 'transient', description: `HTTP ${e.statusCode}` };
    case ErrorCode.RequestError:
      return { kind: 'transient', description: `request failed: ${e.message}` };
    default:
      if (error instanceof NotYet) return { kind: 'transient', description: error.message };
      if (error instanceof WriteFailed) return { kind: error.permanent ? 'permanent' : 'transient', description: error.message };
      // A bug of ours (a render error, say): retrying will not help, so keep it for an operator.
      return { kind: 'permanent', description: e.message ?? String(error) };
  }
}

export interface OutboxWorkerOptions extends DeliveryDeps {
  logger: Logger;
  policy?: RetryPolicy;
  batchSize?: number;
  leaseMs?: number;
  /** A row is delivered only while its claim has this much time left (two Slack call timeouts). */
  claimMarginMs?: number;
  /** Gap between two new messages into one channel, across all replicas; 0 turns pacing off. */
  channelGapMs?: number;
  metrics?: Metrics;
}

/** The Web API method a payload's delivery calls first, for error metrics. */
const methodOf: Record<OutboxPayload['type'], string> = {
  post: 'chat.postMessage',
  redraw: 'chat.update',
  notice: 'chat.postMessage',
  letter: 'files.completeUploadExternal',
  audit_csv: 'files.completeUploadExternal',
  home: 'views.publish',
  support_homes: 'views.publish',
};

/** How often a process forgets the pace of channels that have long been quiet. */
const FORGET_PACES_EVERY_MS = 5 * 60_000;

/**
 * Delivers the outbox after each commit (kick) and on a timer (for retries and for rows left by
 * a crash). One drain at a time per process; other replicas take other rows (SKIP LOCKED).
 * New messages into one channel go out one at a time, in order, at most one per `channelGapMs`
 * across all replicas (see claimDue). A drain takes what is due now; when rows are left waiting
 * only for their channel's pace, a wake-up is set for the moment the first channel is free.
 */
export class OutboxWorker {
  private draining: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;
  /** The next drain for a channel whose pace holds its next message now. */
  private wakeUp: NodeJS.Timeout | null = null;
  /**
   * After a 429 the whole workspace waits, not just the row that got it; each workspace on its
   * own (distributed), keyed by the rows' team ('' for the one workspace, or none named).
   */
  private readonly pausedUntil = new Map<string, number>();
  private pacesForgottenAt = performance.now();
  private readonly gapMs: number;
  private pollMs = 1_000;

  constructor(private readonly deps: OutboxWorkerOptions) {
    this.gapMs = deps.channelGapMs ?? 1_000;
  }

  /** What a direct, non-queued write (a Home tab opened just now) needs. */
  get deliveryDeps(): DeliveryDeps {
    return this.deps;
  }

  /**
   * Asks for a drain soon; the returned promise settles when the drain it joined is over. It never
   * rejects: a drain that fails (the database is away) is logged, and the timer tries again.
   */
  kick(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = this.drainLoop()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'outbox drain failed; the next one retries'))
      .finally(() => {
        this.draining = null;
      });
    return this.draining;
  }

  /**
   * Drains, then waits out the pace of channels that still have messages due, until none is left
   * waiting: what a person sees once everything an action queued has been posted. Like kick, it
   * never rejects (a drain that failed was logged).
   */
  async settle(): Promise<void> {
    for (;;) {
      await this.kick();
      if (this.gapMs <= 0 || this.stopping) return;
      const ms = await nextPaceInMs(this.deps.db, this.deps.clock()).catch(() => null);
      if (ms === null) return;
      await sleep(Math.max(ms, 1));
    }
  }

  start(pollMs = this.pollMs): void {
    this.pollMs = pollMs;
    this.stopping = false;
    this.timer ??= setInterval(() => void this.kick(), pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping = true;
    if (this.wakeUp) clearTimeout(this.wakeUp);
    this.wakeUp = null;
    await this.draining;
  }

  private async drainLoop(): Promise<void> {
    do {
      this.again = false;
      while ((await this.drainOnce()) > 0) {
        /* keep going while rows were due */
      }
    } while (this.again);
    await this.wakeForPacedChannels();
  }

  /** Sets the wake-up for the first channel whose pace holds back a due message, if any. */
  private async wakeForPacedChannels(): Promise<void> {
    if (this.gapMs <= 0 || this.stopping) return;
    const { db, clock } = this.deps;
    if (performance.now() - this.pacesForgottenAt > FORGET_PACES_EVERY_MS) {
      this.pacesForgottenAt = performance.now();
      await forgetPastPaces(db);
    }
    if (this.paused(clock().getTime()).all) return; // the timer resumes after a 429
    const ms = await nextPaceInMs(db, clock());
    // Longer than the poll (another replica's 429, say): the timer comes back for it.
    if (ms === null || ms > this.pollMs || this.stopping) return;
    if (this.wakeUp) clearTimeout(this.wakeUp);
    this.wakeUp = setTimeout(
      () => {
        this.wakeUp = null;
        void this.kick();
      },
      Math.max(ms, 1),
    );
    this.wakeUp.unref();
  }

  /**
   * The workspaces waiting out a 429 now: `all` when the one workspace (or rows naming none)
   * waits, else the teams whose rows are not claimed until their pause ends.
   */
  private paused(now: number): { all: boolean; teams: string[] } {
    const teams: string[] = [];
    for (const [team, until] of this.pausedUntil) {
      if (now >= until) this.pausedUntil.delete(team);
      else if (team === '') return { all: true, teams: [] };
      else teams.push(team);
    }
    return { all: false, teams };
  }

  /** Claims and delivers one batch; returns how many rows it delivered or failed. */
  async drainOnce(): Promise<number> {
    const { db, clock, logger } = this.deps;
    const claimedAt = clock().getTime();
    const paused = this.paused(claimedAt);
    if (paused.all) return 0;
    const leaseMs = this.deps.leaseMs ?? 60_000;
    const claimEnds = new Date(claimedAt + leaseMs);
    const { support } = this.deps;
    const provider = support.teamId !== null ? { teamId: support.teamId, channel: support.channelId } : undefined;
    const rows = await claimDue(db, new Date(claimedAt), this.deps.batchSize ?? 20, leaseMs, {
      teams: paused.teams,
      ...(provider ? { provider } : {}),
    });
    for (const [index, row] of rows.entries()) {
      // Once the claim runs short, another worker may soon take these rows: hand back what is
      // still ours rather than deliver a row that someone else could be delivering too.
      const now = clock().getTime();
      if (now > claimEnds.getTime() - (this.deps.claimMarginMs ?? 20_000)) {
        if (now < claimEnds.getTime())
          await releaseClaims(
            db,
            rows.slice(index).map((r) => r.id),
            claimEnds,
          );
        return index;
      }
      const payload = row.payload as OutboxPayload;
      const pace: Pace | undefined = row.channel ? { channel: row.channel, gapMs: this.gapMs } : undefined;
      try {
        await deliver(payload, this.deps, row.teamId);
        await markSent(db, row.id, clock(), pace);
      } catch (error) {
        const failure = classifyDeliveryError(error);
        this.deps.metrics?.slackErrors.inc({ method: methodOf[payload.type], code: failure.description.split(' ')[0] ?? 'unknown' });
        const retryAt = nextAttemptAt(failure, row.attempts, clock(), this.deps.policy ?? defaultRetryPolicy);
        // A row that waits for a retry stays at the head of its channel's queue: the channel's
        // later rows wait with it, other channels do not.
        await markFailed(db, row.id, { error: failure.description, retryAt }, pace);
        const log = { outboxKey: row.key, attempts: row.attempts, failure: failure.description, retryAt };
        if (retryAt) logger.warn(log, 'Slack write failed; will retry');
        else logger.error(log, 'Slack write failed for good; row marked dead');
        if (failure.kind === 'rate_limited') {
          // The workspace that said so waits (the provider's for a support-channel post, whoever
          // queued it); the rest of the batch going there goes back untried, other workspaces' rows go on.
          const team = rateLimitedWorkspace(this.deps, row, error);
          this.pausedUntil.set(team, clock().getTime() + failure.retryAfterMs);
          const later = rows.slice(index + 1);
          const held = later.filter((r) => rowWorkspace(this.deps, r) === team);
          await releaseClaims(
            db,
            held.map((r) => r.id),
            claimEnds,
          );
          if (team === '' || held.length === later.length) return index + 1;
          rows.splice(index + 1, later.length, ...later.filter((r) => rowWorkspace(this.deps, r) !== team));
        }
      }
    }
    return rows.length;
  }
}
