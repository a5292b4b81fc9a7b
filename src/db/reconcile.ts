import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from './client.js';

/**
 * Finds messages that show an older state than their record has (a chat.update that failed for
 * good, or was lost in an outage): each such record with its current version. Each surface is
 * joined to its own record table only. The scan reads the stored messages, which hold the messages
 * of records still in play and few others: once a closed record's messages show its final state,
 * the prune job deletes them (`pruneSettledMessages`), so the scan does not grow with history.
 */
export async function staleRecordVersions(db: Database): Promise<Array<{ subjectId: string; version: number }>> {
  const stale = await db.execute(sql`
    select m.subject_id, s.version from slack_messages m join setup_invitations s on s.id = m.subject_id
    where m.surface = 'setup' and m.rendered_version < s.version
    union
    select m.subject_id, d.version from slack_messages m join delegations d on d.id = m.subject_id
    where m.surface in ('confirmation', 'invitee') and m.rendered_version < d.version
    union
    select m.subject_id, r.version from slack_messages m join recovery_requests r on r.id = m.subject_id
    where m.surface = 'recovery' and m.rendered_version < r.version`);
  return rowsOf<{ subject_id: string; version: number }>(stale).map((row) => ({ subjectId: row.subject_id, version: row.version }));
}
