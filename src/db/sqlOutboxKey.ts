import { sql, type SQL } from 'drizzle-orm';

/**
 * An outbox key as a SQL expression, from the parts `outboxKeyParts` lists (values, or column
 * expressions of the statement), so a set-based statement queues the very keys `outboxKey` builds.
 */
export function sqlOutboxKey(parts: readonly (string | number | SQL)[]): SQL {
  const texts = parts.map((part) => (typeof part === 'object' ? sql`(${part})::text` : sql`${String(part)}::text`));
  return sql`(${sql.join(texts, sql` || ':' || `)})`;
}
