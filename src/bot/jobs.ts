import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import cron, { type Logger as CronLogger, type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { acquireLease, releaseLease } from '../db/leases.js';
import { pruneSent } from '../db/outbox.js';
import { pruneSettledMessages } from '../db/messages.js';
import type { SweepResult } from '../workflows/timers.js';
import type { VouchContext } from './context.js';

const LEASE_MS = 5 * 60_000;

/** node-cron's coordinator backed by Postgres leases: one replica runs each tick. */
export function postgresRunCoordinator(ctx: Pick<VouchContext, 'db'>, holder: string): RunCoordinator {
  // node-cron's key is `<task name>:<tick ISO time>`; task names here have no colon.
  const parse = (key: string) => {
    const cut = key.indexOf(':');
    return { name: key.slice(0, cut), slot: new Date(key.slice(cut + 1)) };
  };
  return {
    shouldRun: (key, ttlMs) => {
      const { name, slot } = parse(key);
      return acquireLease(ctx.db, { name, holder, slot, ttlMs: ttlMs || LEASE_MS }, new Date());
    },
    onComplete: (key) => releaseLease(ctx.db, { name: parse(key).name, holder }, new Date()),
  };
}

/**
 * The coordinator, with each tick followed from its lease request to its release (`track` gets a
 * promise that settles then), so that stopping waits for a tick in flight instead of closing the
 * database under it; once `stopping`, a tick asks the database for nothing and is not run.
 */
export function followTicks(
  coordinator: RunCoordinator,
  hooks: { stopping: () => boolean; track: (tick: Promise<void>) => void },
): RunCoordinator {
  const ticks = new Map<string, () => void>();
  const end = (key: string) => {
    ticks.get(key)?.();
    ticks.delete(key);
  };
  return {
    shouldRun: async (key, ttlMs) => {
      if (hooks.stopping()) return false;
      hooks.track(new Promise<void>((resolve) => ticks.set(key, resolve)));
      try {
        const allowed = await coordinator.shouldRun(key, ttlMs);
        if (!allowed) end(key);
        return allowed;
      } catch (error) {
        end(key);
        throw error;
      }
    },
    onComplete: async (key) => {
      try {
        await coordinator.onComplete?.(key);
      } finally {
        end(key);
      }
    },
  };
}

/**
 * node-cron's own messages (an overlap skipped, a missed tick, a coordinator failure) as pino
 * lines: its default logger prints coloured text to the console, between the JSON lines.
 */
export function cronLogger(logger: Logger, job: string): CronLogger {
  const child = logger.child({ component: 'node-cron', job });
  const split = (message: string | Error, err?: Error) =>
    message instanceof Error ? { fields: { err: message }, text: message.message } : { fields: err ? { err } : {}, text: message };
  return {
    info: (message) => child.info(message),
    warn: (message) => child.warn(message),
    error: (message, err) => {
      const { fields, text } = split(message, err);
      child.error(fields, text);
    },
    debug: (message, err) => {
      const { fields, text } = split(message, err);
      child.debug(fields, text);
    },
  };
}

/** The timers: expire what is due, send reminders, redraw messages left behind, and prune. */
export class Jobs {
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private stopping = false;
  readonly replicaId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly ctx: VouchContext,
    private readonly schedule: { sweep: string; reconcile: string },
  ) {}

  start(): void {
    const coordinator = followTicks(postgresRunCoordinator(this.ctx, this.replicaId), {
      stopping: () => this.stopping,
      track: (tick) => void this.track(tick),
    });
    const job = (name: string, schedule: string, run: () => Promise<unknown>) =>
      cron.schedule(schedule, () => (this.stopping ? undefined : this.track(run())), {
        name,
        noOverlap: true,
        distributed: true,
        runCoordinator: coordinator,
        distributedLease: LEASE_MS,
        unref: true,
        logger: cronLogger(this.ctx.logger, name),
      });
    this.tasks.push(
      job('sweep', this.schedule.sweep, () => this.runSweep()),
      job('reminders', this.schedule.sweep, () => this.runReminders()),
      job('reconcile', this.schedule.reconcile, () => this.runReconcile()),
      job('prune', this.schedule.sweep, () => this.runPrune()),
    );
  }

  /** Expires setup invitations and confirmations that are due, and edits their DMs. */
  runSweep(): Promise<SweepResult> {
    return this.run('sweep', () => this.ctx.workflows.timers.sweep());
  }

  /** Reminders before deadlines, and for recovery requests left open too long. */
  runReminders(): Promise<{ setupInvitations: number; confirmations: number; recoveries: number }> {
    const { workflows } = this.ctx;
    return this.run('reminders', async () => ({
      ...(await workflows.timers.remind()),
      recoveries: await workflows.recovery.remindOpen(),
    }));
  }

  /** Redraws messages left behind their record (a failed or lost edit), so no stale button survives. */
  runReconcile(): Promise<number> {
    return this.run('reconcile', () => this.ctx.workflows.timers.reconcile());
  }

  /**
   * Bounded storage: delivered outbox rows older than OUTBOX_RETENTION, and the records of messages
   * that no redraw will touch again, go in small batches; what a run leaves, the next one takes.
   * Dead rows stay for an operator (`npm run outbox:retry` or `outbox:prune-dead`); the audit trail
   * is never pruned.
   */
  runPrune(): Promise<{ outbox: number; messages: number }> {
    const { db, clock, retention } = this.ctx;
    return this.run('prune', async () => {
      const before = new Date(clock().getTime() - retention.outboxMs);
      return { outbox: await pruneSent(db, before), messages: await pruneSettledMessages(db, before) };
    });
  }

  /** Every job once, now (the sandbox's "run the timers" and tests use it). */
  async runAll(): Promise<void> {
    await this.runSweep();
    await this.runReminders();
    await this.runReconcile();
    await this.runPrune();
  }

  /** Stops the timers and waits for runs in progress, whose leases are then released. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.tasks.map((t) => t.stop()));
    this.tasks.length = 0;
    // A tick already asking for its lease ends with its release; each step may add the next.
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** One run: timed, logged with an id of its own, and followed by delivery of what it queued. */
  private async run<T>(job: string, work: () => Promise<T>): Promise<T> {
    const runId = randomUUID();
    const started = performance.now();
    try {
      const result = await this.ctx.metrics.timeJob(job, work);
      this.ctx.logger.info({ job, runId, result, ms: Math.round(performance.now() - started) }, `${job} done`);
      await this.ctx.outbox.kick();
      return result;
    } catch (error) {
      this.ctx.logger.error({ job, runId, err: error }, `${job} failed`);
      throw error;
    }
  }

  private async track<T>(run: Promise<T>): Promise<T> {
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }
}
