import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';

/** Which database the suite runs on: real Postgres when DATABASE_URL is set, else PGlite. */
export const onRealPostgres = Boolean(process.env.DATABASE_URL);

/**
 * A fresh, migrated database for one test: an in-memory PGlite, or a new database on the
 * DATABASE_URL server (dropped on close) so tests never see each other's rows.
 */
export async function freshDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase({ dataDir: 'memory://' });
    await handle.migrate();
    return handle;
  }
  const name = `vouch_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  await handle.migrate();
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
