import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase, rowsOf, type DatabaseHandle } from '../../src/db/client.js';

/** Which database the suite runs on: real Postgres when DATABASE_URL is set, else PGlite. */
export const onRealPostgres = Boolean(process.env.DATABASE_URL);

/**
 * A new, migrated database: an in-memory PGlite, or a new database on the DATABASE_URL server
 * (dropped on close) so test files never see each other's rows.
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

let shared: Promise<DatabaseHandle & { url?: string }> | undefined;
let truncate: Promise<SQL> | undefined;

/**
 * One statement that empties every table the migrations made, read from the database itself so
 * that a new table is emptied without anyone remembering to add it here.
 */
async function truncateAll(handle: DatabaseHandle): Promise<SQL> {
  const tables = rowsOf<{ name: string }>(
    await handle.db.execute(sql`
      select quote_ident(tablename) as name from pg_tables where schemaname = current_schema() order by tablename`),
  ).map((t) => t.name);
  if (tables.length === 0) throw new Error('the test database has no tables: were the migrations run?');
  return sql.raw(`truncate table ${tables.join(', ')} restart identity cascade`);
}

/**
 * The test file's database, emptied. Creating a database costs seconds, so each test file
 * makes one and every test starts from empty tables.
 */
export async function emptyDatabase(): Promise<DatabaseHandle & { url?: string }> {
  shared ??= freshDatabase();
  const handle = await shared;
  truncate ??= truncateAll(handle);
  await handle.db.execute(await truncate);
  return handle;
}
