import { and, asc, desc, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import { build, runBuilt } from './prepared.js';
import type { Executor } from './client.js';
import { auditEvents, delegations, recoveryRequests, setupInvitations, slackInstallations, type AuditEvent } from './schema.js';
import type { AuditEntry } from '../domain/effects.js';
import type { CrossWorkspace, WorkspaceInWords } from '../domain/workspace.js';

const auditStatement = build(sql`
  insert into audit_events (account_id, actor, actor_team_id, action, subject_kind, subject_id, before, after, at)
  select e.account_id, e.actor, e.actor_team_id, e.action, e.subject_kind, e.subject_id, e.before, e.after, ${sql.placeholder('now')}::text::timestamptz
  from jsonb_to_recordset(${sql.placeholder('rows')}::text::jsonb)
    as e(account_id uuid, actor text, actor_team_id text, action text, subject_kind text, subject_id text, before jsonb, after jsonb)`);

/**
 * An audit entry as the insert reads it. `actorTeamId`: the workspace of the person who acted
 * (distributed); the entries of `system` and `api` have none.
 */
export const auditRow = (e: AuditEntry, actorTeamId: string | null = null) => ({
  account_id: e.accountId,
  actor: e.actor,
  actor_team_id: e.actor === 'system' || e.actor === 'api' ? null : actorTeamId,
  action: e.action,
  subject_kind: e.subjectKind,
  subject_id: e.subjectId,
  before: e.before ?? null,
  after: e.after ?? null,
});

/** Records a change in the same transaction as the change itself, in one statement. */
export async function audit(tx: Executor, entries: AuditEntry | AuditEntry[], now: Date, actorTeamId: string | null = null): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  await runBuilt(tx, auditStatement, { rows: JSON.stringify(list.map((e) => auditRow(e, actorTeamId))), now: now.toISOString() });
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass back as `beforeSeq` for the next older page; null on the last page. */
  olderThan: number | null;
}

/** The account's audit trail, newest first, a page at a time. */
export async function auditPage(db: Executor, accountId: string, beforeSeq: number | null, pageSize = 10): Promise<AuditPage> {
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.accountId, accountId), beforeSeq === null ? undefined : lt(auditEvents.seq, beforeSeq)))
    .orderBy(desc(auditEvents.seq))
    .limit(pageSize + 1);
  const events = rows.slice(0, pageSize);
  return { events, olderThan: rows.length > pageSize ? (events.at(-1)?.seq ?? null) : null };
}

/**
 * The people and references the events of a page are about, so that each can be told in words:
 * who invited whom, whose setup invitation, which recovery request.
 */
export interface AuditSubjects {
  delegations: Record<string, { inviterUserId: string; inviteeUserId: string }>;
  invitations: Record<string, { holderUserId: string }>;
  recoveries: Record<
    string,
    {
      reference: string;
      emailToAdd: string;
      requesterUserId: string;
      addedUserId: string | null;
      /** Distributed, filed from a customer's workspace: support's people in words for it (see `CrossWorkspace`). */
      crossWorkspace?: CrossWorkspace | null;
    }
  >;
  /**
   * Distributed, read from another workspace than the account's (support, in the provider's): the
   * account's workspace in words, with the Slack names Vouch knows of its people, and the reader's.
   */
  readAway?: { account: WorkspaceInWords; readerTeamId: string };
  /** Distributed: the names of the workspaces people acted from (team id → name), as their installs say. */
  workspaces?: Record<string, string>;
}

export async function auditSubjects(db: Executor, events: readonly AuditEvent[]): Promise<AuditSubjects> {
  const ids = (kind: string) => [...new Set(events.filter((e) => e.subjectKind === kind).map((e) => e.subjectId))];
  const [delegationIds, invitationIds, recoveryIds] = [ids('delegation'), ids('setup_invitation'), ids('recovery_request')];
  const actorTeams = [...new Set(events.flatMap((e) => (e.actorTeamId ? [e.actorTeamId] : [])))];
  const [ds, is, rs, ws] = await Promise.all([
    delegationIds.length === 0
      ? []
      : db
          .select({ id: delegations.id, inviterUserId: delegations.inviterUserId, inviteeUserId: delegations.inviteeUserId })
          .from(delegations)
          .where(inArray(delegations.id, delegationIds)),
    invitationIds.length === 0
      ? []
      : db
          .select({ id: setupInvitations.id, holderUserId: setupInvitations.holderUserId })
          .from(setupInvitations)
          .where(inArray(setupInvitations.id, invitationIds)),
    recoveryIds.length === 0
      ? []
      : db
          .select({
            id: recoveryRequests.id,
            reference: recoveryRequests.reference,
            emailToAdd: recoveryRequests.emailToAdd,
            requesterUserId: recoveryRequests.requesterUserId,
            addedUserId: recoveryRequests.addedUserId,
            crossWorkspace: recoveryRequests.crossWorkspace,
          })
          .from(recoveryRequests)
          .where(inArray(recoveryRequests.id, recoveryIds)),
    actorTeams.length === 0
      ? []
      : db
          .select({ teamId: slackInstallations.teamId, name: slackInstallations.teamName })
          .from(slackInstallations)
          .where(inArray(slackInstallations.teamId, actorTeams)),
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => Object.fromEntries(rows.map(({ id, ...rest }) => [id, rest]));
  const workspaces = Object.fromEntries(ws.flatMap((w) => (w.teamId && w.name ? [[w.teamId, w.name]] : [])));
  return { delegations: byId(ds), invitations: byId(is), recoveries: byId(rs), workspaces };
}

/** The account's whole trail up to `upTo`, oldest first, for the CSV export. */
export function wholeTrail(db: Executor, accountId: string, upTo: Date): Promise<AuditEvent[]> {
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.accountId, accountId), lte(auditEvents.at, upTo)))
    .orderBy(asc(auditEvents.seq));
}
