import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from './client.js';
import { enqueue } from './outbox.js';

/**
 * Finds messages that show an older state than their record has (a chat.update that failed for
 * good, or was lost in an outage) and queues a redraw for each such record.
 */
export async function queueStaleRedraws(db: Database, now: Date): Promise<number> {
  const stale = await db.execute(sql`
    select distinct m.subject_id, coalesce(si.version, d.version, r.version) as version
    from slack_messages m
    left join setup_invitations si on si.id = m.subject_id
    left join delegations d on d.id = m.subject_id
    left join recovery_requests r on r.id = m.subject_id
    where m.rendered_version < coalesce(si.version, d.version, r.version)`);
  const rows = rowsOf<{ subject_id: string; version: number }>(stale);
  for (const row of rows) {
    await enqueue(db, `reconcile:${row.subject_id}:${row.version}`, { type: 'redraw', subjectId: row.subject_id }, now);
  }
  return rows.length;
}
