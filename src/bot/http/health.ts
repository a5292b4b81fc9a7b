import { readFileSync } from 'node:fs';
import type { CustomRoute } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import { migrationsFolder, ping, rowsOf, type Database } from '../../db/client.js';
import { outboxStats } from '../../db/outbox.js';
import type { VouchContext } from '../context.js';
import { guarded, sendJson, tokenMatches } from './respond.js';

const expectedMigrations = (JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }).entries
  .length;

async function appliedMigrations(db: Database): Promise<number> {
  const result = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  const rows = rowsOf<{ n: number }>(result);
  return rows[0]?.n ?? 0;
}

/**
 * /healthz: the process answers. /readyz: it can do its work. Both are open and show no secrets.
 * /metrics: Prometheus, behind `metricsToken` as a bearer token when one is set.
 */
export function healthRoutes(ctx: VouchContext, options: { metricsToken?: string | undefined } = {}): CustomRoute[] {
  const { metricsToken } = options;
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: guarded(ctx.logger, async (_req, res) => {
        const database = await ping(ctx.db);
        const outbox = database ? await outboxStats(ctx.db, ctx.clock()) : null;
        sendJson(res, database ? 200 : 503, { status: database ? 'ok' : 'unavailable', database, outbox });
      }),
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: guarded(ctx.logger, async (_req, res) => {
        const database = await ping(ctx.db);
        const applied = database ? await appliedMigrations(ctx.db) : 0;
        const migrationsCurrent = applied === expectedMigrations;
        const outbox = database ? await outboxStats(ctx.db, ctx.clock()) : null;
        const channel = await ctx.support.verdict();
        const ready = database && migrationsCurrent && channel.ok;
        sendJson(res, ready ? 200 : 503, {
          ready,
          database,
          migrations: { applied, expected: expectedMigrations, current: migrationsCurrent },
          outbox,
          supportChannel: {
            id: ctx.support.channelId,
            private: channel.isPrivate,
            ok: channel.ok,
            ...(channel.ok ? (channel.warning ? { warning: channel.warning } : {}) : { problem: channel.problem }),
          },
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
