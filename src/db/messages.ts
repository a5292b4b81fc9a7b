import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { teamKey } from './installations.js';
import { rowsOf, type Database } from './client.js';
import { build, runBuilt } from './prepared.js';
import {
  accounts,
  delegations,
  recoveryApprovals,
  recoveryQuestions,
  recoveryRequests,
  setupInvitations,
  slackInstallations,
  slackMessages,
  type Account,
  type DelegationRow,
  type MessageSurface,
  type RecoveryQuestion,
  type RecoveryRequest,
  type SetupInvitation,
  type SlackMessageRow,
} from './schema.js';
import { delegationMachine } from '../domain/delegation.js';
import { recoveryMachine } from '../domain/recovery.js';
import { recoveryQuestionMachine } from '../domain/recoveryQuestions.js';
import { setupInvitationMachine } from '../domain/setupInvitation.js';

/** A record as a message shows it: the record, its account, and its version. */
export type MessageSubject =
  | { kind: 'setup_invitation'; version: number; invitation: SetupInvitation; account: Account }
  | { kind: 'delegation'; version: number; delegation: DelegationRow; invitation: SetupInvitation; account: Account }
  | {
      kind: 'recovery_request';
      version: number;
      request: RecoveryRequest;
      approverUserIds: string[];
      /** Support's question waiting for the requester's answer, if any. */
      question: RecoveryQuestion | null;
      /** Distributed: the requester's workspace has uninstalled Vouch (or revoked its tokens). */
      requesterWorkspaceDisconnected?: boolean;
    }
  | { kind: 'recovery_question'; version: number; question: RecoveryQuestion; request: RecoveryRequest };

export async function loadSubject(db: Database, subjectId: string): Promise<MessageSubject | undefined> {
  const [inv] = await db
    .select({ invitation: setupInvitations, account: accounts })
    .from(setupInvitations)
    .innerJoin(accounts, eq(accounts.id, setupInvitations.accountId))
    .where(eq(setupInvitations.id, subjectId));
  if (inv) return { kind: 'setup_invitation', version: inv.invitation.version, ...inv };
  const [del] = await db
    .select({ delegation: delegations, invitation: setupInvitations, account: accounts })
    .from(delegations)
    .innerJoin(setupInvitations, eq(setupInvitations.id, delegations.setupInvitationId))
    .innerJoin(accounts, eq(accounts.id, delegations.accountId))
    .where(eq(delegations.id, subjectId));
  if (del) return { kind: 'delegation', version: del.delegation.version, ...del };
  const [request] = await db.select().from(recoveryRequests).where(eq(recoveryRequests.id, subjectId));
  if (request) {
    const [approvals, [question], [ended]] = await Promise.all([
      db.select().from(recoveryApprovals).where(eq(recoveryApprovals.requestId, subjectId)).orderBy(recoveryApprovals.at),
      db
        .select()
        .from(recoveryQuestions)
        .where(and(eq(recoveryQuestions.requestId, subjectId), eq(recoveryQuestions.status, 'asked'))),
      request.requesterTeamId
        ? db
            .select({ revokedAt: slackInstallations.revokedAt })
            .from(slackInstallations)
            .where(and(eq(slackInstallations.installKey, teamKey(request.requesterTeamId)), isNotNull(slackInstallations.revokedAt)))
        : [],
    ]);
    return {
      kind: 'recovery_request',
      version: request.version,
      request,
      approverUserIds: approvals.map((a) => a.approverUserId),
      question: question ?? null,
      ...(ended ? { requesterWorkspaceDisconnected: true } : {}),
    };
  }
  const [asked] = await db
    .select({ question: recoveryQuestions, request: recoveryRequests })
    .from(recoveryQuestions)
    .innerJoin(recoveryRequests, eq(recoveryRequests.id, recoveryQuestions.requestId))
    .where(eq(recoveryQuestions.id, subjectId));
  if (asked) return { kind: 'recovery_question', version: asked.question.version, ...asked };
  return undefined;
}

export async function messagesShowing(db: Database, subjectId: string): Promise<SlackMessageRow[]> {
  return db.select().from(slackMessages).where(eq(slackMessages.subjectId, subjectId));
}

const ph = (name: string) => sql.placeholder(name);

/**
 * Records a message just posted and, in the same statement (one round trip per post), retires
 * the older copies of it in the same channel: a record's message posted again there
 * (`/enterprise setup`) makes every older copy point to the new one from now on, drawn again as
 * such (its rendered version is reset, so the next redraw, or the reconciliation, edits it). One
 * live copy remains. Recording the same message twice records it once.
 */
const recordPostedStatement = build(sql`
  with recorded as (
    insert into slack_messages (surface, subject_id, channel_id, team_id, ts, rendered_version, posted_at)
    values (${ph('surface')}::text, ${ph('subjectId')}::uuid, ${ph('channelId')}::text, ${ph('teamId')}::text, ${ph('ts')}::text,
            ${ph('renderedVersion')}::int, ${ph('now')}::text::timestamptz)
    on conflict do nothing
    returning 1)
  update slack_messages set moved_to_ts = ${ph('ts')}::text, rendered_version = 0
  where subject_id = ${ph('subjectId')}::uuid and surface = ${ph('surface')}::text and channel_id = ${ph('channelId')}::text
    and ts <> ${ph('ts')}::text and (moved_to_ts is null or moved_to_ts <> ${ph('ts')}::text)`);

export async function recordPosted(
  db: Database,
  input: { surface: MessageSurface; subjectId: string; channelId: string; teamId?: string | null; ts: string; renderedVersion: number },
  now: Date,
): Promise<void> {
  await runBuilt(db, recordPostedStatement, {
    surface: input.surface,
    subjectId: input.subjectId,
    channelId: input.channelId,
    teamId: input.teamId ?? null,
    ts: input.ts,
    renderedVersion: input.renderedVersion,
    now: now.toISOString(),
  });
}

export async function markRendered(db: Database, id: string, version: number): Promise<void> {
  await db.update(slackMessages).set({ renderedVersion: version }).where(eq(slackMessages.id, id));
}

const inStates = (states: readonly string[]) =>
  sql.join(
    states.map((state) => sql`${state}`),
    sql`, `,
  );

/**
 * Deletes the records of messages no redraw will ever touch again: their record is closed (no
 * transition leads out of its state, so its version is final) and they already show that final
 * version (a recovery request's receipt, an answered question's DM). A recovery request's post in
 * the support channel is also the parent of the thread replies about it, so it
 * stays until `keepThreadParentsSince` (the outbox retention) has passed since the decision: any
 * reply queued with the decision has been sent or given up by then. Each message's record is
 * looked up by its key, as in the reconciliation, so a run costs what the stored messages cost,
 * not what the record tables hold. Batches as `pruneSent` does, each one resuming in key order
 * after the last message the previous one deleted, so that a run reads each message once.
 */
export async function pruneSettledMessages(
  db: Database,
  keepThreadParentsSince: Date,
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 1_000;
  const maxBatches = options.maxBatches ?? 20;
  // A closed record whose messages still offer a next step (an expired invitation's Get a new
  // invitation, an expired confirmation's Start again) is drawn again when its person is removed
  // as an admin (`offersNextStep`): its messages stay while its account waits for setup.
  const stillPending = (alias: string) =>
    sql.raw(`exists (select 1 from accounts a where a.id = ${alias}.account_id and a.status = 'pending_setup')`);
  const settledSetup = sql`exists (
            select 1 from setup_invitations s
            where s.id = m.subject_id and s.status not in (${inStates(setupInvitationMachine.liveStates)}) and s.version <= m.rendered_version
              and not (s.status = 'expired' and s.holder_removed_at is null and ${stillPending('s')}))`;
  let pruned = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (let batch = 0; batch < maxBatches; batch++) {
    const result = await db.execute(sql`
      with settled as (
        select m.id from slack_messages m
        where m.id > ${after}::uuid and case m.surface
          when 'setup' then ${settledSetup}
          when 'setup_expired' then ${settledSetup}
          when 'recovery' then exists (
            select 1 from recovery_requests r
            where r.id = m.subject_id and r.status not in (${inStates(recoveryMachine.liveStates)}) and r.version <= m.rendered_version
              and r.decided_at < ${keepThreadParentsSince.toISOString()}::timestamptz)
          when 'recovery_receipt' then exists (
            select 1 from recovery_requests r
            where r.id = m.subject_id and r.status not in (${inStates(recoveryMachine.liveStates)}) and r.version <= m.rendered_version)
          when 'recovery_question' then exists (
            select 1 from recovery_questions q
            where q.id = m.subject_id and q.status not in (${inStates(recoveryQuestionMachine.liveStates)}) and q.version <= m.rendered_version)
          else exists (
            select 1 from delegations d
            where d.id = m.subject_id and d.status not in (${inStates(delegationMachine.liveStates)}) and d.version <= m.rendered_version
              and not (d.status = 'expired' and d.approved_at is null and d.inviter_removed_at is null and ${stillPending('d')}))
        end
        order by m.id
        limit ${batchSize}::int
      )
      delete from slack_messages where id in (select id from settled) returning id`);
    const ids = rowsOf<{ id: string }>(result).map((row) => row.id);
    pruned += ids.length;
    if (ids.length < batchSize) break;
    // uuids order as their hex text does.
    after = ids.sort().at(-1) ?? after;
  }
  return pruned;
}
