import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from './client.js';

/**
 * Finds messages that show an older state than their record has (a chat.update that failed for
 * good, or was lost in an outage): each such record with its current version. The scan reads the
 * stored messages and looks each one's record up by its key (a correlated subquery the planner
 * keeps as one index probe per message, never a pass over a record table), so its cost follows the
 * stored messages only. Those are the messages of records still in play and few others: once a
 * closed record's messages show its final state, the prune job deletes them
 * (`pruneSettledMessages`), so the scan does not grow with history.
 */
export async function staleRecordVersions(db: Database): Promise<Array<{ subjectId: string; version: number }>> {
  const stale = await db.execute(sql`
    select distinct subject_id, version from (
      select m.subject_id, m.rendered_version,
        case m.surface
          when 'setup' then (select s.version from setup_invitations s where s.id = m.subject_id)
          when 'setup_expired' then (select s.version from setup_invitations s where s.id = m.subject_id)
          when 'recovery' then (select r.version from recovery_requests r where r.id = m.subject_id)
          when 'recovery_receipt' then (select r.version from recovery_requests r where r.id = m.subject_id)
          when 'recovery_question' then (select q.version from recovery_questions q where q.id = m.subject_id)
          else (select d.version from delegations d where d.id = m.subject_id)
        end as version
      from slack_messages m
    ) shown
    where rendered_version < version`);
  return rowsOf<{ subject_id: string; version: number }>(stale).map((row) => ({ subjectId: row.subject_id, version: row.version }));
}
