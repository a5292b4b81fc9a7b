// The reference of benchmark 1: the fewest hand-written SQL statements making a click on Approve
// take effect. One statement via postgres.js, no ORM, no Bolt, no HTTP: it locks the delegation
// with its invitation, refuses what Vouch refuses (someone else's click, a delegation no longer
// awaiting confirmation, its deadline or its invitation's passed, an invitation no longer pending
// or whose holder lost `manage`, an account already set up), makes the guarded update, and writes
// exactly Vouch's rows: the audit event, the redraw, the invitee's DM, and a Home tab refresh for
// each of the two people who has opened Home. Racing clicks on one delegation: one wins (the
// others find it moved under the lock and change nothing).

import postgres from 'postgres';
import { percentile } from './stats.js';

export interface MinimalRun {
  perSecond: number;
  p50: number;
  p99: number;
  approved: number;
  refused: number;
}

export const minimalApprove = `
  with d as (
    select d.id, d.version, i.expires_at as invitation_expires_at
    from delegations d
    join setup_invitations i on i.id = d.setup_invitation_id
    join accounts a on a.id = d.account_id
    where d.id = $1::uuid and d.inviter_user_id = $2::text and d.status = 'awaiting_confirmation' and d.confirm_expires_at > $3::timestamptz
      and i.status = 'pending' and i.expires_at > $3::timestamptz and i.holder_user_id = d.inviter_user_id
      and a.status = 'pending_setup'
      and exists (select 1 from admin_memberships m where m.account_id = a.id and m.user_id = i.holder_user_id and m.removed_at is null)
    for update of i, d
  ), moved as (
    update delegations x set status = 'awaiting_acceptance', version = x.version + 1, approved_at = $3::timestamptz,
      accept_expires_at = d.invitation_expires_at
    from d where x.id = d.id and x.version = d.version and x.status = 'awaiting_confirmation'
    returning x.id, x.version, x.account_id, x.inviter_user_id, x.invitee_user_id
  ), audited as (
    insert into audit_events (account_id, actor, action, subject_kind, subject_id, before, after, at)
    select account_id, inviter_user_id, 'delegation.approved', 'delegation', id::text,
      '{"status":"awaiting_confirmation"}'::jsonb, '{"status":"awaiting_acceptance"}'::jsonb, $3::timestamptz
    from moved
  ), queued as (
    insert into outbox (key, payload, channel, created_at, next_attempt_at)
    select r.key, r.payload, r.channel, $3::timestamptz, $3::timestamptz
    from moved m, lateral (values
      ('redraw:' || m.id || ':' || m.version, jsonb_build_object('type', 'redraw', 'subjectId', m.id), null::text, null::text),
      ('home:' || m.inviter_user_id || ':' || m.id || ':' || m.version, jsonb_build_object('type', 'home', 'userId', m.inviter_user_id), null, m.inviter_user_id),
      ('home:' || m.invitee_user_id || ':' || m.id || ':' || m.version, jsonb_build_object('type', 'home', 'userId', m.invitee_user_id), null, m.invitee_user_id),
      ('post:invitee:' || m.id, jsonb_build_object('type', 'post', 'surface', 'invitee', 'subjectId', m.id, 'channel', m.invitee_user_id), m.invitee_user_id, null)
    ) r(key, payload, channel, home)
    where r.home is null or exists (select 1 from home_viewers h where h.user_id = r.home)
    on conflict (key) do nothing
  )
  select count(*)::int as approved from moved`;

/** `connections` callers approve the targets one after another for `durationS`, each in one statement. */
export async function runMinimal(
  databaseUrl: string,
  targets: Array<{ id: string; inviter: string }>,
  connections: number,
  durationS: number,
): Promise<MinimalRun> {
  // As Vouch's pool: 10 connections, statements prepared once per connection.
  const client = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  try {
    await client`select 1`;
    const latencies: number[] = [];
    let approved = 0;
    let next = 0;
    const until = performance.now() + durationS * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until && next < targets.length) {
          const target = targets[next++]!;
          const t = performance.now();
          const [row] = await client.unsafe(minimalApprove, [target.id, target.inviter, new Date().toISOString()], { prepare: true });
          latencies.push(performance.now() - t);
          approved += (row as { approved: number } | undefined)?.approved ?? 0;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      perSecond: latencies.length / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      approved,
      refused: latencies.length - approved,
    };
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * What an Approve wrote for each delegation of `ids` that was approved, with its ids and people
 * replaced by placeholders: the delegation's new state, its outbox rows, its audit events. Two
 * sides that write the same rows give the same signatures.
 */
export const approvedSignatures = `
  with d as (
    select d.id::text as sid, d.inviter_user_id as inviter, d.invitee_user_id as invitee, d.status, d.version,
      d.approved_at is not null as approved,
      -- to the millisecond: a JavaScript Date carries no more
      abs(extract(epoch from d.accept_expires_at - i.expires_at)) < 0.001 as accept_until_invitation
    from delegations d join setup_invitations i on i.id = d.setup_invitation_id
    where d.id = any($1::uuid[]) and d.status = 'awaiting_acceptance'
  ), o as (
    select d.sid, jsonb_agg(jsonb_build_object(
        'key', replace(replace(replace(o.key, d.sid, 'D'), d.inviter, 'INVITER'), d.invitee, 'INVITEE'),
        'payload', replace(replace(replace(o.payload::text, d.sid, 'D'), d.inviter, 'INVITER'), d.invitee, 'INVITEE'),
        'channel', replace(replace(o.channel, d.inviter, 'INVITER'), d.invitee, 'INVITEE')) order by o.key) as rows
    from outbox o join d on d.sid = substring(o.key from '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')
    group by d.sid
  ), a as (
    select d.sid, jsonb_agg(jsonb_build_object('actor', case when a.actor = d.inviter then 'INVITER' else a.actor end,
        'action', a.action, 'kind', a.subject_kind, 'before', a.before, 'after', a.after) order by a.seq) as rows
    from audit_events a join d on d.sid = a.subject_id
    group by d.sid
  )
  select jsonb_build_object('status', d.status, 'version', d.version, 'approvedAt', d.approved,
           'acceptUntilInvitation', d.accept_until_invitation, 'outbox', o.rows, 'audit', a.rows)::text as signature, count(*)::int as n
  from d left join o on o.sid = d.sid left join a on a.sid = d.sid
  group by 1`;
