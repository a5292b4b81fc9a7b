import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database } from '../db/client.js';
import { outboxStats } from '../db/outbox.js';

/** Vouch's Prometheus metrics; one registry per Vouch, so tests and replicas in one process stay apart. */
export class Metrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'vouch_slack_requests_total',
    help: 'Requests from Slack by payload type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly ackSeconds = new Histogram({
    name: 'vouch_slack_ack_seconds',
    help: 'Time from receiving a Slack request to answering it (the ack)',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
    registers: [this.registry],
  });

  readonly jobSeconds = new Histogram({
    name: 'vouch_job_duration_seconds',
    help: 'Scheduled job runs by job and outcome',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [this.registry],
  });

  readonly slackErrors = new Counter({
    name: 'vouch_slack_api_errors_total',
    help: 'Failed Slack Web API calls by method and error code',
    labelNames: ['method', 'code'] as const,
    registers: [this.registry],
  });

  constructor(db: Database, clock: () => Date) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vouch_' });
    // Outbox figures are read from the database when scraped, so every replica reports the same.
    const depth = new Gauge({ name: 'vouch_outbox_pending', help: 'Outbox rows waiting for delivery', registers: [this.registry] });
    const dead = new Gauge({ name: 'vouch_outbox_dead', help: 'Outbox rows given up on', registers: [this.registry] });
    const age = new Gauge({
      name: 'vouch_outbox_oldest_pending_seconds',
      help: 'Age of the oldest waiting outbox row',
      registers: [this.registry],
    });
    new Gauge({
      name: 'vouch_outbox_scrape',
      help: 'Internal: refreshes the outbox gauges on scrape',
      registers: [this.registry],
      async collect() {
        const stats = await outboxStats(db, clock());
        depth.set(stats.pending);
        dead.set(stats.dead);
        age.set(stats.oldestPendingSeconds ?? 0);
        this.set(1);
      },
    });
  }

  /** Times a job run and counts its outcome. */
  async timeJob<T>(job: string, run: () => Promise<T>): Promise<T> {
    const end = this.jobSeconds.startTimer({ job });
    try {
      const result = await run();
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    }
  }
}
