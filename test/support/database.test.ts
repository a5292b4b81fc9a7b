import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '../../src/db/client.js';
import { homeViewers, jobLeases } from '../../src/db/schema.js';
import { emptyDatabase } from './database.js';

const at = new Date('2026-11-23T09:00:00Z');

describe('emptyDatabase', () => {
  it('empties every table of the schema, including ones no list names', async () => {
    const handle = await emptyDatabase();
    await handle.db.insert(homeViewers).values({ userId: 'U1', openedAt: at });
    await handle.db.insert(jobLeases).values({ name: 'sweep', holder: 'a', leasedUntil: at, lastSlot: at });
    await emptyDatabase();
    const tables = rowsOf<{ name: string }>(
      await handle.db.execute(sql`select tablename as name from pg_tables where schemaname = current_schema()`),
    ).map((t) => t.name);
    expect(tables).toContain('home_viewers');
    for (const table of tables) {
      const [row] = rowsOf<{ n: number }>(await handle.db.execute(sql.raw(`select count(*)::int as n from "${table}"`)));
      expect({ table, rows: row?.n }).toEqual({ table, rows: 0 });
    }
  });
});
