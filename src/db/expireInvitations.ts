import { sql } from 'drizzle-orm';
import { rowsOf, type Database } from './client.js';

/**
 * The expiry sweep's bulk step, one statement per batch: claim up to `batchSize` due setup
 * invitations (SKIP LOCKED, so replicas take different rows), make the machine's guarded
 * `pending → expired` update, expire the live delegations that hang on them, and write the
 * same outbox rows (with `enqueue`'s keys, so a replay adds nothing) and audit events that the
 * row-by-row transitions would. Set-based, so a sweep costs a few statements, not a few per row.
 */
export async function expireDueInvitations(db: Database, now: Date, batchSize: number): Promise<number> {
  const at = now.toISOString();
  const result = await db.execute(sql`
    with due as (
      select id from setup_invitations
      where status = 'pending' and expires_at <= ${at}::timestamptz
      limit ${batchSize}::int
      for update skip locked
    ), expired as (
      update setup_invitations i set status = 'expired', version = i.version + 1, closed_at = ${at}::timestamptz, closed_by = 'system'
      from due where i.id = due.id and i.status = 'pending'
      returning i.id, i.account_id, i.holder_user_id, i.version, i.expires_at
    ), live as (
      select d.id, d.status from delegations d join expired e on e.account_id = d.account_id
      where d.status in ('awaiting_confirmation', 'awaiting_acceptance')
      for update of d
    ), closed as (
      update delegations d set status = 'expired', version = d.version + 1, closed_at = ${at}::timestamptz, closed_by = 'system'
      from live l where d.id = l.id
      returning d.id, d.account_id, d.inviter_user_id, d.invitee_user_id, d.version, l.status as before_status
    ), queued as (
      insert into outbox (key, payload, created_at, next_attempt_at)
      select key, payload, ${at}::timestamptz, ${at}::timestamptz from (
        select 'redraw:' || id || ':' || version as key, jsonb_build_object('type', 'redraw', 'subjectId', id) as payload from expired
        union all
        select 'home:' || holder_user_id || ':' || id || ':' || version, jsonb_build_object('type', 'home', 'userId', holder_user_id) from expired
        union all
        select 'redraw:' || id || ':' || version, jsonb_build_object('type', 'redraw', 'subjectId', id) from closed
        union all
        select distinct 'home:' || u || ':' || id || ':' || version, jsonb_build_object('type', 'home', 'userId', u)
        from closed cross join lateral (values (inviter_user_id), (invitee_user_id)) v(u)
      ) rows
      on conflict (key) do nothing
    ), audited as (
      insert into audit_events (account_id, actor, action, subject_kind, subject_id, before, after, at)
      select account_id, 'system', 'setup_invitation.expired', 'setup_invitation', id,
             jsonb_build_object('status', 'pending'), jsonb_build_object('status', 'expired', 'expiresAt', expires_at), ${at}::timestamptz
      from expired
      union all
      select account_id, 'system', 'delegation.expired', 'delegation', id,
             jsonb_build_object('status', before_status), jsonb_build_object('status', 'expired'), ${at}::timestamptz
      from closed
    )
    select count(*)::int as n from expired`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}
