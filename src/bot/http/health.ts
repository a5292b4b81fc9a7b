import { readFileSync } from 'node:fs';
import type { CustomRoute } from '@slack/bolt';
import { migrationsFolder, ping } from '../../db/client.js';
import { outboxStatsWith, type OutboxStats } from '../../db/outbox.js';
import type { VouchContext } from '../context.js';
import type { SlackStatus } from '../slackIdentity.js';
import { guarded, sendJson, tokenMatches } from './respond.js';

const expectedMigrations = (JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }).entries
  .length;

/**
 * One round trip when all is well. When it fails, a plain ping tells a database that does not
 * answer from one that does but is not migrated yet.
 */
async function read(
  ctx: VouchContext,
  migrations: boolean,
): Promise<{ database: boolean; outbox: OutboxStats | null; appliedMigrations: number | null }> {
  try {
    const { stats, appliedMigrations } = await outboxStatsWith(ctx.db, ctx.clock(), migrations);
    return { database: true, outbox: stats, appliedMigrations };
  } catch {
    return { database: await ping(ctx.db), outbox: null, appliedMigrations: null };
  }
}

/**
 * /healthz: the process answers. /readyz: it can do its work. Both are open and show no secrets.
 * /metrics: Prometheus, behind `metricsToken` as a bearer token when one is set. Each reads the
 * database in one round trip through partial indexes, so probes stay cheap however much delivered
 * history the outbox holds; a database that does not answer is the failed read.
 */
export function healthRoutes(
  ctx: VouchContext,
  options: { metricsToken?: string | undefined; slack?: () => SlackStatus } = {},
): CustomRoute[] {
  const { metricsToken } = options;
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: guarded(ctx.logger, async (_req, res) => {
        const { database, outbox } = await read(ctx, false);
        sendJson(res, database ? 200 : 503, { status: database ? 'ok' : 'unavailable', database, outbox });
      }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: guarded(ctx.logger, async (_req, res) => {
        // Not ready until Slack accepted the bot token; only then can the support channel be read.
        const slack = options.slack?.() ?? null;
        const slackAnswered = slack === null || slack.state === 'ok';
        const [{ database, outbox, appliedMigrations }, channel] = await Promise.all([
          read(ctx, true),
          slackAnswered ? ctx.support.verdict() : null,
        ]);
        const applied = appliedMigrations ?? 0;
        const migrationsCurrent = applied === expectedMigrations;
        const ready = database && migrationsCurrent && slackAnswered && channel?.ok === true;
        sendJson(res, ready ? 200 : 503, {
          ready,
          database,
          migrations: { applied, expected: expectedMigrations, current: migrationsCurrent },
          outbox,
          ...(slack ? { slack } : {}),
          supportChannel: channel
            ? {
                id: ctx.support.channelId,
                private: channel.isPrivate,
                ok: channel.ok,
                ...(channel.ok ? (channel.warning ? { warning: channel.warning } : {}) : { problem: channel.problem }),
              }
            : { id: ctx.support.channelId, private: null, ok: false, problem: 'not read yet: Slack has not accepted the bot token' },
        });
      }),
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: guarded(ctx.logger, async (req, res) => {
        if (metricsToken !== undefined && !tokenMatches(req.headers.authorization, metricsToken)) {
          res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8' });
          res.end('Send Authorization: Bearer <METRICS_TOKEN>.\n');
          return;
        }
        const body = await ctx.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType });
        res.end(body);
      }),
    },
  ];
}
