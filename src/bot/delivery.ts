import type { WebClient } from '@slack/web-api';
import { ErrorCode } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import { claimDue, markFailed, markSent, releaseClaims, type OutboxPayload } from '../db/outbox.js';
import { loadSubject, markRendered, messagesShowing, recordMessage } from '../db/messages.js';
import { classifySlackError, nextAttemptAt, defaultRetryPolicy, type DeliveryFailure, type RetryPolicy } from '../domain/retry.js';
import { renderSurface, type RenderSettings } from './render.js';
import { noticeMessage } from './blocks/notices.js';
import { homeView } from './blocks/home.js';
import { homeViewerIds, isHomeViewer, loadHome } from '../db/home.js';
import type { SupportDirectory } from './supportDirectory.js';
import type { Metrics } from './metrics.js';

export interface DeliveryDeps {
  db: Database;
  client: WebClient;
  clock: () => Date;
  settings: RenderSettings;
  support: SupportDirectory;
}

/** Raised when a write must wait for another one (a thread reply for its parent); retried later. */
class NotYet extends Error {}

/** Publishes one person's Home tab from the current state. */
export async function publishHome(userId: string, deps: DeliveryDeps): Promise<void> {
  const isSupport = await deps.support.isMember(userId);
  const data = await loadHome(deps.db, userId, isSupport);
  await deps.client.views.publish({ user_id: userId, view: homeView(data, deps.support.channelId) });
}

/** Performs one outbox row's Slack write. Throws what the Web API threw. */
export async function deliver(payload: OutboxPayload, deps: DeliveryDeps): Promise<void> {
  const { db, client } = deps;
  switch (payload.type) {
    case 'post': {
      const subject = await loadSubject(db, payload.subjectId);
      if (!subject) return; // the record is gone; there is nothing to show
      const { text, blocks } = renderSurface(subject, payload.surface, deps.settings);
      const posted = await client.chat.postMessage({ channel: payload.channel, text, blocks, unfurl_links: false });
      await recordMessage(
        db,
        {
          surface: payload.surface,
          subjectId: payload.subjectId,
          channelId: posted.channel as string,
          ts: posted.ts as string,
          renderedVersion: subject.version,
        },
        deps.clock(),
      );
      // A change that committed while we were posting found no message to edit: catch up now.
      return deliver({ type: 'redraw', subjectId: payload.subjectId }, deps);
    }
    case 'redraw': {
      const subject = await loadSubject(db, payload.subjectId);
      if (!subject) return;
      for (const shown of await messagesShowing(db, payload.subjectId)) {
        if (shown.renderedVersion >= subject.version) continue; // already shows this state or a later one
        const { text, blocks } = renderSurface(subject, shown.surface, deps.settings);
        await client.chat.update({ channel: shown.channelId, ts: shown.ts, text, blocks });
        await markRendered(db, shown.id, subject.version);
      }
      return;
    }
    case 'notice': {
      const { text, blocks } = noticeMessage(payload.notice);
      let threadTs: string | undefined;
      if (payload.threadOf) {
        const parent = (await messagesShowing(db, payload.threadOf)).find((m) => m.channelId === payload.channel);
        if (!parent) throw new NotYet(`the message of ${payload.threadOf} is not posted yet`);
        threadTs = parent.ts;
      }
      await client.chat.postMessage({
        channel: payload.channel,
        text,
        blocks,
        unfurl_links: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return;
    }
    case 'home':
      // Only people who have opened the Home tab have one to refresh.
      if (await isHomeViewer(db, payload.userId)) await publishHome(payload.userId, deps);
      return;
    case 'support_homes': {
      const members = await deps.support.members();
      for (const userId of await homeViewerIds(db)) if (members.has(userId)) await publishHome(userId, deps);
      return;
    }
  }
}

export function classifyDeliveryError(error: unknown): DeliveryFailure & { description: string } {
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
      // A bug of ours (a render error, say): retrying will not help, so keep it for an operator.
      return { kind: 'permanent', description: e.message ?? String(error) };
  }
}

/**
 * Delivers the outbox after each commit (kick) and on a timer (for retries and for rows left by
 * a crash). One drain at a time per process; other replicas take other rows (SKIP LOCKED).
 */
/** Keeps writes to one channel apart (Slack allows about one message per second per channel). */
export class ChannelPacer {
  private readonly lastWrite = new Map<string, number>();

  constructor(
    private readonly gapMs: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async waitTurn(channel: string): Promise<void> {
    const last = this.lastWrite.get(channel);
    const wait = last === undefined ? 0 : last + this.gapMs - this.now();
    if (wait > 0) await this.sleep(wait);
    this.lastWrite.set(channel, this.now());
  }
}

/** The channel a payload writes a new message to, if any (edits are not paced). */
function postedChannel(payload: OutboxPayload): string | null {
  return payload.type === 'post' || payload.type === 'notice' ? payload.channel : null;
}

export interface OutboxWorkerOptions extends DeliveryDeps {
  logger: Logger;
  policy?: RetryPolicy;
  batchSize?: number;
  leaseMs?: number;
  /** A row is delivered only while its claim has this much time left (two Slack call timeouts). */
  claimMarginMs?: number;
  /** Gap between two messages to one channel; 0 turns pacing off. */
  channelGapMs?: number;
  metrics?: Metrics;
}

/** The Web API method a payload's delivery calls first, for error metrics. */
const methodOf: Record<OutboxPayload['type'], string> = {
  post: 'chat.postMessage',
  redraw: 'chat.update',
  notice: 'chat.postMessage',
  home: 'views.publish',
  support_homes: 'views.publish',
};

/**
 * Delivers the outbox after each commit (kick) and on a timer (for retries and for rows left by
 * a crash). One drain at a time per process; other replicas take other rows (SKIP LOCKED).
 */
export class OutboxWorker {
  private draining: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  /** After a 429 the whole workspace waits, not just the row that got it. */
  private pausedUntil = 0;
  private readonly pacer: ChannelPacer;

  constructor(private readonly deps: OutboxWorkerOptions) {
    this.pacer = new ChannelPacer(deps.channelGapMs ?? 1_000);
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

  start(pollMs = 1_000): void {
    this.timer ??= setInterval(() => void this.kick(), pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.draining;
  }

  private async drainLoop(): Promise<void> {
    do {
      this.again = false;
      while ((await this.drainOnce()) > 0) {
        /* keep going while rows were due */
      }
    } while (this.again);
  }

  /** Claims and delivers one batch; returns how many rows it delivered or failed. */
  async drainOnce(): Promise<number> {
    const { db, clock, logger } = this.deps;
    const claimedAt = clock().getTime();
    if (claimedAt < this.pausedUntil) return 0;
    const leaseMs = this.deps.leaseMs ?? 60_000;
    const claimEnds = new Date(claimedAt + leaseMs);
    const rows = await claimDue(db, new Date(claimedAt), this.deps.batchSize ?? 20, leaseMs);
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
      try {
        const channel = postedChannel(payload);
        if (channel) await this.pacer.waitTurn(channel);
        await deliver(payload, this.deps);
        await markSent(db, row.id, clock());
      } catch (error) {
        const failure = classifyDeliveryError(error);
        this.deps.metrics?.slackErrors.inc({ method: methodOf[payload.type], code: failure.description.split(' ')[0] ?? 'unknown' });
        const retryAt = nextAttemptAt(failure, row.attempts, clock(), this.deps.policy ?? defaultRetryPolicy);
        await markFailed(db, row.id, { error: failure.description, retryAt });
        const log = { outboxKey: row.key, attempts: row.attempts, failure: failure.description, retryAt };
        if (retryAt) logger.warn(log, 'Slack write failed; will retry');
        else logger.error(log, 'Slack write failed for good; row marked dead');
        if (failure.kind === 'rate_limited') {
          this.pausedUntil = clock().getTime() + failure.retryAfterMs;
          await releaseClaims(
            db,
            rows.slice(index + 1).map((r) => r.id),
            claimEnds,
          );
          return index + 1;
        }
      }
    }
    return rows.length;
  }
}
