import { eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { rowsOf, type Executor } from '../db/client.js';
import { delegations, setupInvitations } from '../db/schema.js';
import { sqlOutboxKey } from '../db/sqlOutboxKey.js';
import { homeViewersOnly, queueChannelSql } from '../db/outbox.js';
import { delegationDeadlines, delegationMachine } from '../domain/delegation.js';
import { SYSTEM_ACTOR, unansweredIfExpiredFrom } from '../domain/expiry.js';
import { outboxKeyParts } from '../domain/outboxKeys.js';
import { setupInvitationDeadlines, setupInvitationMachine } from '../domain/setupInvitation.js';

/**
 * The expiry sweep, set-based: one statement per batch claims up to `batchSize` due rows (SKIP
 * LOCKED, so replicas take different rows), makes the machine's guarded `expire` move, and writes
 * the outbox rows and audit events that `expireSetupInvitation` / `expireDelegation` in the domain
 * decide for one row (a test holds the two to the same result). The partial indexes keep a batch
 * proportional to the number due, not to the table.
 *
 * Which rows are due is not written here: the filter is built from the machines' deadline tables,
 * the same tables `isSetupInvitationDue` and `isDelegationDue` read.
 */

/** `(status = s and <deadline of s> <= now) or …` for every state of a deadline table (false for none). */
function dueFilter(status: PgColumn, deadlines: Record<string, PgColumn>, now: Date): SQL {
  const due = Object.entries(deadlines).map(([state, deadline]) => sql`(${eq(status, state)} and ${lte(deadline, now)})`);
  return sql`(false ${sql.join(
    due.map((d) => sql` or ${d}`),
    sql``,
  )})`;
}

export const setupInvitationsDue = (now: Date): SQL =>
  dueFilter(
    setupInvitations.status,
    Object.fromEntries(Object.entries(setupInvitationDeadlines).map(([state, field]) => [state, setupInvitations[field]])),
    now,
  );

export const delegationsDue = (now: Date): SQL =>
  dueFilter(
    delegations.status,
    Object.fromEntries(Object.entries(delegationDeadlines).map(([state, field]) => [state, delegations[field]])),
    now,
  );

const col = (name: string) => sql.raw(name);
/** A `timestamptz` as JSON shows a JavaScript Date, so the sweep's audit entries read like everyone else's. */
const jsonDate = (column: string) => sql`to_char(${col(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// Each row: its key, its payload, and the channel it posts a new message into (none for redraws
// and Home tabs, the notice's for a notice: as `postedChannel` says for `enqueueAll`).
// Each row also names its account, whose workspace the row goes to (`queuedRows`).
const redrawRows = (from: string) =>
  sql`select ${sqlOutboxKey(outboxKeyParts.redraw(col('id'), col('version')))} as key, jsonb_build_object('type', 'redraw', 'subjectId', id) as payload, null::text as channel, account_id from ${col(from)}`;
const homeRows = (from: string, user: string) =>
  sql`select ${sqlOutboxKey(outboxKeyParts.home(col(user), col('id'), col('version')))}, jsonb_build_object('type', 'home', 'userId', ${col(user)}), null::text, account_id from ${col(from)}`;
/** The holder's short DM saying their invitation expired, with Get a new invitation: a new message into their DM. */
const expiredDmRows = (from: string) =>
  sql`select ${sqlOutboxKey(outboxKeyParts.post('setup_expired', col('id')))} as key,
      jsonb_build_object('type', 'post', 'surface', 'setup_expired', 'subjectId', id, 'channel', holder_user_id) as payload,
      holder_user_id as channel, account_id from ${col(from)}`;
/** The Home tabs of both people of each delegation in `from`. */
const delegationHomeRows = (from: string) =>
  sql`select distinct ${sqlOutboxKey(outboxKeyParts.home(col('u'), col('id'), col('version')))}, jsonb_build_object('type', 'home', 'userId', u), null::text, account_id
      from ${col(from)} cross join lateral (values (inviter_user_id), (invitee_user_id)) people(u)`;
/**
 * The outbox columns of `rows`; distributed (`perWorkspace`), each going to its account's
 * workspace (its DMs queued per workspace, as `queueChannel` does); with one workspace, to it.
 */
const queuedRows = (at: SQL, rows: SQL, perWorkspace: boolean) => {
  const team = perWorkspace ? 'a.team_id' : 'null::text';
  return sql`select r.key, r.payload, ${queueChannelSql('r.channel', team)}, ${sql.raw(team)}, ${at}, ${at}
      from (${rows}) r left join accounts a on a.id = r.account_id
      where ${sql.raw(homeViewersOnly('r.payload', team))}`;
};

const invitationExpire = setupInvitationMachine.transitions.expire;
const delegationExpire = delegationMachine.transitions.expire;

/** The audit entry of each delegation in `from` that expired. */
const delegationExpiryAudit = (at: SQL, from: string) =>
  sql`select account_id, ${SYSTEM_ACTOR}::text, ${`delegation.${delegationExpire.to}`}::text, 'delegation', id,
             jsonb_build_object('status', before_status), jsonb_build_object('status', ${delegationExpire.to}::text), ${at}
      from ${col(from)}`;

/** Expires up to `batchSize` due setup invitations and the delegations live on their accounts; how many invitations. */
export async function expireDueSetupInvitations(db: Executor, now: Date, batchSize: number, perWorkspace = false): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const result = await db.execute(sql`
    with due as (
      select id, status from setup_invitations where ${setupInvitationsDue(now)}
      limit ${batchSize}::int
      for update skip locked
    ), expired as (
      update setup_invitations i set status = ${invitationExpire.to}, version = i.version + 1, closed_at = ${at}, closed_by = ${SYSTEM_ACTOR}
      from due where i.id = due.id and ${inArray(sql`i.status`, [...invitationExpire.from])}
      returning i.id, i.account_id, i.holder_user_id, i.version, i.expires_at, due.status as before_status
    ), live as (
      select d.id, d.status from delegations d join expired e on e.account_id = d.account_id
      where ${inArray(sql`d.status`, [...delegationExpire.from])}
      for update of d
    ), closed as (
      update delegations d set status = ${delegationExpire.to}, version = d.version + 1, closed_at = ${at}, closed_by = ${SYSTEM_ACTOR}
      from live l where d.id = l.id
      returning d.id, d.account_id, d.inviter_user_id, d.invitee_user_id, d.version, l.status as before_status
    ), queued as (
      insert into outbox (key, payload, channel, team_id, created_at, next_attempt_at)
      ${queuedRows(
        at,
        sql`${expiredDmRows('expired')}
        union all ${redrawRows('expired')}
        union all ${homeRows('expired', 'holder_user_id')}
        union all ${redrawRows('closed')}
        union all ${delegationHomeRows('closed')}`,
        perWorkspace,
      )}
      on conflict (key) do nothing
    ), audited as (
      insert into audit_events (account_id, actor, action, subject_kind, subject_id, before, after, at)
      select account_id, ${SYSTEM_ACTOR}::text, ${`setup_invitation.${invitationExpire.to}`}::text, 'setup_invitation', id,
             jsonb_build_object('status', before_status),
             jsonb_build_object('status', ${invitationExpire.to}::text, 'expiresAt', ${jsonDate('expires_at')}), ${at}
      from expired
      union all
      ${delegationExpiryAudit(at, 'closed')}
    )
    select count(*)::int as n from expired`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}

/** Expires up to `batchSize` delegations past their own deadline; how many. */
export async function expireDueDelegations(db: Executor, now: Date, batchSize: number, perWorkspace = false): Promise<number> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const result = await db.execute(sql`
    with due as (
      select id, status from delegations where ${delegationsDue(now)}
      limit ${batchSize}::int
      for update skip locked
    ), closed as (
      update delegations d set status = ${delegationExpire.to}, version = d.version + 1, closed_at = ${at}, closed_by = ${SYSTEM_ACTOR}
      from due where d.id = due.id and ${inArray(sql`d.status`, [...delegationExpire.from])}
      returning d.id, d.account_id, d.inviter_user_id, d.invitee_user_id, d.version, due.status as before_status
    ), unanswered as (
      select c.id, c.account_id, c.inviter_user_id, c.invitee_user_id, a.name as account_name
      from closed c join accounts a on a.id = c.account_id
      where c.before_status = ${unansweredIfExpiredFrom}
    ), queued as (
      insert into outbox (key, payload, channel, team_id, created_at, next_attempt_at)
      ${queuedRows(
        at,
        sql`${redrawRows('closed')}
        union all ${delegationHomeRows('closed')}
        union all
        select ${sqlOutboxKey(outboxKeyParts.notice('unanswered', col('id')))},
               jsonb_build_object('type', 'notice', 'channel', inviter_user_id, 'notice', jsonb_build_object(
                 'kind', 'invitation_expired_unanswered', 'accountName', account_name, 'inviteeUserId', invitee_user_id,
                 'at', ${now.toISOString()}::text)),
               inviter_user_id, account_id
        from unanswered`,
        perWorkspace,
      )}
      on conflict (key) do nothing
    ), audited as (
      insert into audit_events (account_id, actor, action, subject_kind, subject_id, before, after, at)
      ${delegationExpiryAudit(at, 'closed')}
    )
    select count(*)::int as n from closed`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}
