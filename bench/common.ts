/** What the benchmark processes share: the fake workspace's credentials, config, table resets. */

import { sql } from 'drizzle-orm';
import { loadConfig, type Config } from '../src/config.js';
import type { Database } from '../src/db/client.js';
import { BOT_TOKEN, SIGNING_SECRET } from './workspace.js';

export { BOT_ID, BOT_TOKEN, BOT_USER_ID, SIGNING_SECRET } from './workspace.js';

/** Vouch's configuration as `npm start` would load it, every tunable at its default. */
export function vouchConfig(slackApiUrl: string | undefined): Config {
  return loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackApiUrl,
    SUPPORT_CHANNEL_ID: 'C0SUPPORT',
    PROVISIONING_TOKEN: 'bench-provisioning-token-0123456789',
    LOG_LEVEL: 'warn',
  });
}

/** Empties every table of the app (whatever tables the current migrations made). */
export async function truncateAll(db: Database): Promise<void> {
  const rows = (await db.execute(sql`select tablename from pg_tables where schemaname = 'public'`)) as unknown as Array<{
    tablename: string;
  }>;
  if (rows.length === 0) return;
  const list = rows.map((r) => `"${r.tablename}"`).join(', ');
  await db.execute(sql.raw(`truncate table ${list} restart identity cascade`));
}
