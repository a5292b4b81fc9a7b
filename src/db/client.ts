import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything that can run a query: the database itself or an open transaction. */
export type Executor = Database | Tx;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Applies pending migrations from `drizzle/`; safe on every start and from several replicas. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATION_LOCK = 7461636;
const LOCK_TIMEOUT_MS = 2_000;

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Opens the database: postgres.js for a DATABASE_URL, otherwise embedded PGlite, stored in
 * `dataDir` or in memory when `dataDir` is 'memory://'.
 */
export async function openDatabase(options: { url?: string; dataDir?: string }): Promise<DatabaseHandle> {
  if (options.url) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    // Hosted Postgres (Heroku's, say) wants TLS without saying so in its URL: PGSSLMODE asks for it.
    const ssl = (process.env.PGSSLMODE || undefined) as 'require' | 'prefer' | 'allow' | 'verify-full' | undefined;
    // A click commits before Slack hears back, and Slack waits 3 seconds: a statement that would
    // wait longer than 2 for a lock fails instead, so the person sees an error and nothing changed,
    // rather than Slack showing a timeout for a click that later takes effect.
    const client = postgres(options.url, {
      max: 10,
      onnotice: () => {},
      connection: { lock_timeout: LOCK_TIMEOUT_MS },
      ...(ssl ? { ssl } : {}),
    });
    return {
      db: drizzle(preparing(client), { schema }) as unknown as Database,
      kind: 'postgres',
      async migrate() {
        // One replica migrates at a time: a session lock, so everything runs on one connection.
        // The others wait, then find nothing left to do.
        const single = postgres(options.url as string, { max: 1, onnotice: () => {}, ...(ssl ? { ssl } : {}) });
        try {
          await single`select pg_advisory_lock(${MIGRATION_LOCK})`;
          await migrate(drizzle(single), { migrationsFolder });
          await single`select pg_advisory_unlock(${MIGRATION_LOCK})`;
        } finally {
          await single.end({ timeout: 5 });
        }
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzle(client, { schema });
  return {
    db: db as unknown as Database,
    kind: 'pglite',
    migrate: () => migrate(db, { migrationsFolder }),
    close: () => client.close(),
  };
}

/**
 * Drizzle sends its queries unnamed, and postgres.js then asks the server for each parameterized
 * query's types before running it: two round trips and a new plan every time. Named (prepared)
 * statements, which postgres.js keeps per connection by query text, take one round trip after
 * the first run. Applies inside transactions and savepoints too.
 */
function preparing<T extends Sql>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      switch (property) {
        case 'unsafe':
          return (query: string, args?: unknown[], options?: object) => target.unsafe(query, args as never, { ...options, prepare: true });
        case 'begin':
          return (fn: (tx: T) => unknown) => target.begin((tx) => fn(preparing(tx as unknown as T)));
        case 'savepoint':
          return (fn: (tx: T) => unknown) =>
            (target as unknown as { savepoint(f: (tx: T) => unknown): unknown }).savepoint((tx: T) => fn(preparing(tx)));
        default:
          return Reflect.get(target, property, receiver);
      }
    },
  });
}

export async function ping(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

/** The rows of a raw `execute`: postgres.js returns an array, PGlite an object holding `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}
