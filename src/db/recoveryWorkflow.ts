import { and, asc, eq, isNull, or, lte, sql } from 'drizzle-orm';
import type { Database, Executor } from './client.js';
import { accounts, recoveryApprovals, recoveryRequests, type Account, type RecoveryRequest } from './schema.js';
import { audit } from './audit.js';
import { enqueue } from './outbox.js';
import { activeAdmins, findAccountByName, grantAdmin } from './accounts.js';
import {
  checkRecoveryDecision,
  completesQuorum,
  recoveryMachine,
  recoveryReminderDue,
  type RecoveryCheck,
  type RecoveryForm,
  type RecoveryRefusal,
} from '../domain/recovery.js';
import type { Notice } from '../domain/notice.js';

/** What the request form found in the database, for the checks support sees. */
export async function recoveryLookup(
  db: Database,
  input: { accountName: string; emailToAdd: string },
): Promise<{ account: Account | null; activeAdmins: number; earlierOpenReference: string | null }> {
  const account = (await findAccountByName(db, input.accountName)) ?? null;
  if (!account) return { account: null, activeAdmins: 0, earlierOpenReference: null };
  const admins = await activeAdmins(db, account.id);
  const [earlier] = await db
    .select({ reference: recoveryRequests.reference })
    .from(recoveryRequests)
    .where(
      and(
        eq(recoveryRequests.accountId, account.id),
        eq(recoveryRequests.status, 'open'),
        sql`lower(${recoveryRequests.emailToAdd}) = lower(${input.emailToAdd})`,
      ),
    )
    .orderBy(asc(recoveryRequests.createdAt))
    .limit(1);
  return { account, activeAdmins: admins.length, earlierOpenReference: earlier?.reference ?? null };
}

const threadNotice = (supportChannelId: string, requestId: string, notice: Notice) =>
  ({ type: 'notice', channel: supportChannelId, notice, threadOf: requestId }) as const;

export async function createRecoveryRequest(
  db: Database,
  input: {
    reference: string;
    requesterUserId: string;
    accountId: string | null;
    form: RecoveryForm;
    letter: { fileId: string; name: string; permalink: string | null; sha256: string };
    checks: RecoveryCheck[];
    approvalsRequired: number;
    supportChannelId: string;
  },
  now: Date,
): Promise<RecoveryRequest> {
  return db.transaction(async (tx) => {
    const { form } = input;
    const [request] = await tx
      .insert(recoveryRequests)
      .values({
        reference: input.reference,
        requesterUserId: input.requesterUserId,
        accountName: form.accountName.trim(),
        accountId: input.accountId,
        emailToAdd: form.emailToAdd.trim(),
        reason: form.reason.trim(),
        contractNumber: form.contractNumber.trim(),
        officerName: form.officerName.trim(),
        officerTitle: form.officerTitle.trim(),
        officerEmail: form.officerEmail.trim(),
        letterFileId: input.letter.fileId,
        letterFileName: input.letter.name,
        letterPermalink: input.letter.permalink,
        letterSha256: input.letter.sha256,
        checks: input.checks,
        approvalsRequired: input.approvalsRequired,
        createdAt: now,
      })
      .returning();
    if (!request) throw new Error('insert returned nothing');
    await audit(
      tx,
      {
        accountId: input.accountId,
        actor: input.requesterUserId,
        action: 'recovery.requested',
        subjectKind: 'recovery_request',
        subjectId: request.id,
        after: {
          reference: request.reference,
          emailToAdd: request.emailToAdd,
          officer: request.officerEmail,
          letterSha256: request.letterSha256,
        },
      },
      now,
    );
    await enqueue(
      tx,
      `post:recovery:${request.id}`,
      { type: 'post', surface: 'recovery', subjectId: request.id, channel: input.supportChannelId },
      now,
    );
    await enqueue(tx, `support_homes:${request.id}:${request.version}`, { type: 'support_homes' }, now);
    return request;
  });
}

export type DecisionResult =
  | { ok: true; outcome: 'vote_recorded' | 'approved' | 'rejected' | 'blocked'; request: RecoveryRequest }
  | { ok: false; refusal: RecoveryRefusal };

export interface DecisionInput {
  requestId: string;
  actor: string;
  actorIsSupport: boolean;
  actorEmail: string | null;
  supportChannelId: string;
}

async function loadForDecision(tx: Executor, requestId: string) {
  const [request] = await tx.select().from(recoveryRequests).where(eq(recoveryRequests.id, requestId)).for('update');
  if (!request) return undefined;
  const approvals = await tx.select().from(recoveryApprovals).where(eq(recoveryApprovals.requestId, requestId));
  return { request, approverUserIds: approvals.map((a) => a.approverUserId) };
}

async function bump(tx: Executor, id: string, set: Partial<RecoveryRequest>, fromOpen: boolean): Promise<RecoveryRequest | undefined> {
  const [row] = await tx
    .update(recoveryRequests)
    .set({ ...set, version: sql`${recoveryRequests.version} + 1` })
    .where(and(eq(recoveryRequests.id, id), fromOpen ? eq(recoveryRequests.status, 'open') : undefined))
    .returning();
  return row;
}

/**
 * One support member approves. Below the quorum the vote is counted; the vote that completes it
 * adds the admin (resolved by the caller from the e-mail beforehand). When that person cannot be
 * found, nothing is recorded: the request stays open and the thread says why.
 */
export async function approveRecovery(
  db: Database,
  input: DecisionInput & { newAdmin: { userId: string } | { problem: string }; officerUserId: string | null },
  now: Date,
): Promise<DecisionResult> {
  return db.transaction(async (tx): Promise<DecisionResult> => {
    const loaded = await loadForDecision(tx, input.requestId);
    if (!loaded) return { ok: false, refusal: { reason: 'not_found' } };
    const { request, approverUserIds } = loaded;
    const refusal = checkRecoveryDecision({
      ...request,
      actorUserId: input.actor,
      actorIsSupport: input.actorIsSupport,
      actorEmail: input.actorEmail,
      approverUserIds,
      action: 'approve',
    });
    if (refusal) return { ok: false, refusal };
    const thread = (notice: Notice, key: string) => enqueue(tx, key, threadNotice(input.supportChannelId, request.id, notice), now);
    const subject = { accountId: request.accountId, actor: input.actor, subjectKind: 'recovery_request', subjectId: request.id };

    if (!completesQuorum(approverUserIds.length, request.approvalsRequired)) {
      await tx.insert(recoveryApprovals).values({ requestId: request.id, approverUserId: input.actor, at: now });
      const moved = (await bump(tx, request.id, {}, true)) as RecoveryRequest;
      await audit(
        tx,
        {
          ...subject,
          action: 'recovery.approval_recorded',
          after: { approvals: approverUserIds.length + 1, required: request.approvalsRequired },
        },
        now,
      );
      await enqueue(tx, `redraw:${moved.id}:${moved.version}`, { type: 'redraw', subjectId: moved.id }, now);
      await thread(
        {
          kind: 'recovery_vote',
          reference: request.reference,
          byUserId: input.actor,
          approvals: approverUserIds.length + 1,
          required: request.approvalsRequired,
        },
        `notice:recovery_vote:${request.id}:${input.actor}`,
      );
      return { ok: true, outcome: 'vote_recorded', request: moved };
    }

    if (!request.accountId || 'problem' in input.newAdmin) {
      const problem = 'problem' in input.newAdmin ? input.newAdmin.problem : 'No Enterprise Account matched this request.';
      const moved = (await bump(tx, request.id, { blockedReason: problem }, true)) as RecoveryRequest;
      await audit(tx, { ...subject, action: 'recovery.approval_blocked', after: { problem } }, now);
      await enqueue(tx, `redraw:${moved.id}:${moved.version}`, { type: 'redraw', subjectId: moved.id }, now);
      await thread(
        { kind: 'recovery_blocked', reference: request.reference, problem },
        `notice:recovery_blocked:${request.id}:${moved.version}`,
      );
      return { ok: true, outcome: 'blocked', request: moved };
    }

    const addedUserId = input.newAdmin.userId;
    await tx.insert(recoveryApprovals).values({ requestId: request.id, approverUserId: input.actor, at: now });
    const moved = (await bump(
      tx,
      request.id,
      { status: recoveryMachine.transitions.approve.to, decidedAt: now, decidedBy: input.actor, addedUserId, blockedReason: null },
      true,
    )) as RecoveryRequest;
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, request.accountId));
    const accountName = account?.name ?? request.accountName;
    const granted = await grantAdmin(tx, { accountId: request.accountId, userId: addedUserId, grantedBy: input.actor }, now);
    await audit(
      tx,
      [
        {
          ...subject,
          action: 'recovery.approved',
          before: { status: 'open' },
          after: { status: 'approved', addedUserId, approvers: [...approverUserIds, input.actor], letterSha256: request.letterSha256 },
        },
        ...(granted
          ? [
              {
                ...subject,
                action: 'admin.granted',
                subjectKind: 'admin',
                subjectId: addedUserId,
                before: { admin: false },
                after: { admin: true, recovery: request.reference, letterSha256: request.letterSha256 },
              },
            ]
          : []),
      ],
      now,
    );
    await enqueue(tx, `redraw:${moved.id}:${moved.version}`, { type: 'redraw', subjectId: moved.id }, now);
    await thread(
      { kind: 'recovery_approved', reference: request.reference, byUserId: input.actor, addedUserId, accountName },
      `notice:recovery_approved:${request.id}`,
    );
    const granted_ = (audience: 'requester' | 'new_admin' | 'officer'): Notice => ({
      kind: 'recovery_granted',
      audience,
      reference: request.reference,
      accountName,
      addedUserId,
      requesterUserId: request.requesterUserId,
      officerName: request.officerName,
    });
    await enqueue(
      tx,
      `notice:recovery_granted:${request.id}:requester`,
      { type: 'notice', channel: request.requesterUserId, notice: granted_('requester') },
      now,
    );
    if (addedUserId !== request.requesterUserId) {
      await enqueue(
        tx,
        `notice:recovery_granted:${request.id}:new_admin`,
        { type: 'notice', channel: addedUserId, notice: granted_('new_admin') },
        now,
      );
    }
    if (input.officerUserId) {
      await enqueue(
        tx,
        `notice:recovery_granted:${request.id}:officer`,
        { type: 'notice', channel: input.officerUserId, notice: granted_('officer') },
        now,
      );
    } else {
      await thread(
        { kind: 'recovery_officer_absent', reference: request.reference, officerEmail: request.officerEmail },
        `notice:recovery_officer_absent:${request.id}`,
      );
    }
    await enqueue(tx, `support_homes:${moved.id}:${moved.version}`, { type: 'support_homes' }, now);
    await enqueue(tx, `home:${addedUserId}:${moved.id}:${moved.version}`, { type: 'home', userId: addedUserId }, now);
    return { ok: true, outcome: 'approved', request: moved };
  });
}

export async function rejectRecovery(db: Database, input: DecisionInput & { reason: string }, now: Date): Promise<DecisionResult> {
  return db.transaction(async (tx): Promise<DecisionResult> => {
    const loaded = await loadForDecision(tx, input.requestId);
    if (!loaded) return { ok: false, refusal: { reason: 'not_found' } };
    const { request, approverUserIds } = loaded;
    const refusal = checkRecoveryDecision({
      ...request,
      actorUserId: input.actor,
      actorIsSupport: input.actorIsSupport,
      actorEmail: input.actorEmail,
      approverUserIds,
      action: 'reject',
    });
    if (refusal) return { ok: false, refusal };
    const moved = (await bump(
      tx,
      request.id,
      { status: recoveryMachine.transitions.reject.to, decidedAt: now, decidedBy: input.actor, rejectionReason: input.reason },
      true,
    )) as RecoveryRequest;
    await audit(
      tx,
      {
        accountId: request.accountId,
        actor: input.actor,
        action: 'recovery.rejected',
        subjectKind: 'recovery_request',
        subjectId: request.id,
        before: { status: 'open' },
        after: { status: 'rejected', reason: input.reason, letterSha256: request.letterSha256 },
      },
      now,
    );
    await enqueue(tx, `redraw:${moved.id}:${moved.version}`, { type: 'redraw', subjectId: moved.id }, now);
    await enqueue(
      tx,
      `notice:recovery_rejected:${request.id}`,
      threadNotice(input.supportChannelId, request.id, {
        kind: 'recovery_rejected',
        reference: request.reference,
        byUserId: input.actor,
        reason: input.reason,
      }),
      now,
    );
    await enqueue(
      tx,
      `notice:recovery_declined:${request.id}`,
      {
        type: 'notice',
        channel: request.requesterUserId,
        notice: { kind: 'recovery_declined', reference: request.reference, accountName: request.accountName, reason: input.reason },
      },
      now,
    );
    await enqueue(tx, `support_homes:${moved.id}:${moved.version}`, { type: 'support_homes' }, now);
    return { ok: true, outcome: 'rejected', request: moved };
  });
}

export async function findRecoveryRequest(db: Executor, id: string): Promise<RecoveryRequest | undefined> {
  const [row] = await db.select().from(recoveryRequests).where(eq(recoveryRequests.id, id));
  return row;
}

export async function openRecoveryRequests(db: Executor): Promise<RecoveryRequest[]> {
  return db.select().from(recoveryRequests).where(eq(recoveryRequests.status, 'open')).orderBy(asc(recoveryRequests.createdAt));
}

/** One reminder per period in the thread of every request still open after it. */
export async function remindOpenRecoveries(db: Database, now: Date, periodMs: number, supportChannelId: string): Promise<number> {
  return db.transaction(async (tx) => {
    const cutoff = new Date(now.getTime() - periodMs);
    const due = await tx
      .select()
      .from(recoveryRequests)
      .where(
        and(
          eq(recoveryRequests.status, 'open'),
          or(
            and(isNull(recoveryRequests.lastRemindedAt), lte(recoveryRequests.createdAt, cutoff)),
            lte(recoveryRequests.lastRemindedAt, cutoff),
          ),
        ),
      )
      .for('update', { skipLocked: true });
    let sent = 0;
    for (const request of due) {
      if (!recoveryReminderDue(request, now, periodMs)) continue;
      await tx.update(recoveryRequests).set({ lastRemindedAt: now }).where(eq(recoveryRequests.id, request.id));
      await enqueue(
        tx,
        `notice:recovery_reminder:${request.id}:${now.getTime()}`,
        threadNotice(supportChannelId, request.id, {
          kind: 'recovery_reminder',
          reference: request.reference,
          openSince: request.createdAt.toISOString(),
        }),
        now,
      );
      sent++;
    }
    return sent;
  });
}
