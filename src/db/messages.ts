import { eq } from 'drizzle-orm';
import type { Database } from './client.js';
import {
  accounts,
  delegations,
  recoveryApprovals,
  recoveryRequests,
  setupInvitations,
  slackMessages,
  type Account,
  type DelegationRow,
  type MessageSurface,
  type RecoveryRequest,
  type SetupInvitation,
  type SlackMessageRow,
} from './schema.js';

/** A record as a message shows it: the record, its account, and its version. */
export type MessageSubject =
  | { kind: 'setup_invitation'; version: number; invitation: SetupInvitation; account: Account }
  | { kind: 'delegation'; version: number; delegation: DelegationRow; invitation: SetupInvitation; account: Account }
  | { kind: 'recovery_request'; version: number; request: RecoveryRequest; approverUserIds: string[] };

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
    const approvals = await db
      .select()
      .from(recoveryApprovals)
      .where(eq(recoveryApprovals.requestId, subjectId))
      .orderBy(recoveryApprovals.at);
    return { kind: 'recovery_request', version: request.version, request, approverUserIds: approvals.map((a) => a.approverUserId) };
  }
  return undefined;
}

export async function messagesShowing(db: Database, subjectId: string): Promise<SlackMessageRow[]> {
  return db.select().from(slackMessages).where(eq(slackMessages.subjectId, subjectId));
}

export async function recordMessage(
  db: Database,
  input: { surface: MessageSurface; subjectId: string; channelId: string; ts: string; renderedVersion: number },
  now: Date,
): Promise<void> {
  await db
    .insert(slackMessages)
    .values({ ...input, postedAt: now })
    .onConflictDoNothing();
}

export async function markRendered(db: Database, id: string, version: number): Promise<void> {
  await db.update(slackMessages).set({ renderedVersion: version }).where(eq(slackMessages.id, id));
}
