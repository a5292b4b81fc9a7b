// Failing on demand: the next calls to a method answer HTTP 500, 429 with Retry-After, or
// `ok: false`; answers can be delayed; sliding-window rate limits answer 429 like Slack's, whose
// limits hold per workspace.

import { setTimeout as sleep } from 'node:timers/promises';

import type { Json } from './blockKit.js';
import { fail, str, type Reply } from './args.js';
import type { Failure, RateLimitConfig } from './types.js';

export class Faults {
  private readonly failures = new Map<string, Array<{ failure: Failure; remaining: number; channel?: string; team?: string }>>();
  private readonly delays = new Map<string, number>();
  private rateLimit: RateLimitConfig = {};
  private readonly rateWindows = new Map<string, number[]>();

  /** `channelKey` names the channel a call goes into (a user id stands for the DM with them). */
  constructor(
    private readonly now: () => number,
    private readonly channelKey: (channel: string) => string,
  ) {}

  failNext(method: string, failure: Failure, times: number, where: { channel?: string; team?: string }): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({
      failure,
      remaining: times,
      ...(where.channel ? { channel: this.channelKey(where.channel) } : {}),
      ...(where.team ? { team: where.team } : {}),
    });
    this.failures.set(method, queue);
  }

  setDelay(method: string, ms: number): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  setRateLimit(config: RateLimitConfig): void {
    this.rateLimit = config;
    this.rateWindows.clear();
  }

  /** Waits out the delay set for `method`, if any (real milliseconds). */
  async delay(method: string): Promise<void> {
    const delay = this.delays.get(method);
    if (delay !== undefined) await sleep(delay);
  }

  /** The injected failure for this call, or the rate limit's 429, or undefined to go on. `team`: the workspace it acts in. */
  intercept(method: string, args: Json, team?: string): Reply | undefined {
    return this.takeFailure(method, args, team) ?? this.checkRateLimit(method, args, team);
  }

  private takeFailure(method: string, args: Json, team: string | undefined): Reply | undefined {
    const queue = this.failures.get(method);
    const channel = this.channelKey(str(args, 'channel') ?? '');
    const index =
      queue?.findIndex((f) => (f.channel === undefined || f.channel === channel) && (f.team === undefined || f.team === team)) ?? -1;
    const next = queue?.[index];
    if (!queue || !next) return undefined;
    if (--next.remaining <= 0) queue.splice(index, 1);
    const { failure } = next;
    if ('error' in failure) return { status: 200, json: fail(failure.error) };
    if (failure.status === 429) {
      return { status: 429, json: fail('ratelimited'), headers: { 'retry-after': String(failure.retryAfter) } };
    }
    return { status: 500, raw: { body: 'Internal Server Error (injected by FakeSlack)', contentType: 'text/plain' } };
  }

  /** Sliding windows; a call only counts when it is let through. */
  private checkRateLimit(method: string, args: Json, team: string | undefined): Reply | undefined {
    const windows: Array<{ key: string; limit: number; spanMs: number }> = [];
    const perMethod = this.rateLimit.perMinutePerMethod?.[method];
    if (perMethod !== undefined) windows.push({ key: `method:${team ?? ''}:${method}`, limit: perMethod, spanMs: 60_000 });
    const perChannel = this.rateLimit.perChannelPerSecond;
    if (perChannel !== undefined && method === 'chat.postMessage') {
      windows.push({ key: `channel:${team ?? ''}:${this.channelKey(str(args, 'channel') ?? '')}`, limit: perChannel, spanMs: 1000 });
    }
    const now = this.now();
    for (const { key, limit, spanMs } of windows) {
      const hits = (this.rateWindows.get(key) ?? []).filter((t) => t > now - spanMs);
      this.rateWindows.set(key, hits);
      if (hits.length >= limit) {
        const retryAfter = Math.max(1, Math.ceil((hits[0]! + spanMs - now) / 1000));
        return { status: 429, json: fail('ratelimited'), headers: { 'retry-after': String(retryAfter) } };
      }
    }
    for (const { key } of windows) this.rateWindows.get(key)!.push(now);
    return undefined;
  }
}
