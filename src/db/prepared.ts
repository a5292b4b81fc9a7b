import { getTableColumns, is, SQL } from 'drizzle-orm';
import { PgDialect, type PgColumn, type PgSession, type PgTable } from 'drizzle-orm/pg-core';
import { rowsOf, type Executor } from './client.js';

// Building a statement with drizzle costs more CPU than PostgreSQL spends running a click's
// statements. The hot statements are built here once, with `sql.placeholder` for their values,
// and each run binds the built text to whichever executor it is given: the database, or the
// transaction the workflow opened (a query drizzle's `.prepare()` made on the database would run
// outside that transaction).

const dialect = new PgDialect();

/** A statement's text and its parameter slots, built once. */
export interface BuiltQuery {
  sql: string;
  params: unknown[];
}

export function build(query: SQL | { getSQL(): SQL }): BuiltQuery {
  return dialect.sqlToQuery(is(query, SQL) ? query : query.getSQL());
}

/** Runs a built statement in `ex` with the placeholders' values; its rows as the driver returns them. */
export async function runBuilt<T>(ex: Executor, query: BuiltQuery, values: Record<string, unknown> = {}): Promise<T[]> {
  // Every drizzle database and transaction holds the session it runs on (not in drizzle's public types).
  const { session } = ex as unknown as { session: PgSession };
  return rowsOf<T>(await session.prepareQuery(query, undefined, undefined, false).execute(values));
}

/**
 * A table's columns selected under `alias`, each named `prefix` + its field, and the reader that
 * turns such a row back into the table's record (each value through its column's mapping, as a
 * drizzle select would).
 */
export function selectedColumns<T extends PgTable>(table: T, alias: string, prefix: string) {
  const columns = Object.entries(getTableColumns(table)) as Array<[string, PgColumn]>;
  const list = columns.map(([field, column]) => `"${alias}"."${column.name}" as "${prefix}${field}"`).join(', ');
  return {
    list,
    read(row: Record<string, unknown>): T['$inferSelect'] {
      const record: Record<string, unknown> = {};
      for (const [field, column] of columns) {
        const value = row[prefix + field];
        record[field] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
      }
      return record as T['$inferSelect'];
    },
  };
}
