import { and, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Database, Executor } from './client.js';
import {
  accounts,
  adminMemberships,
  delegations,
  setupInvitations,
  type Account,
  type DelegationRow,
  type SetupInvitation,
} from './schema.js';
import { audit, type AuditEntry } from './audit.js';
import { enqueue, enqueueAll, type QueuedWrite } from './outbox.js';
import { activeAdmins, findAccountByName, grantAdmin, holdsManage, isAdmin } from './accounts.js';
import { isUniqueViolation } from './errors.js';
import { expireDueInvitations } from './expireInvitations.js';
import {
  checkSetupInvitation,
  decideFreshInvitation,
  setupInvitationExpiresAt,
  setupInvitationMachine,
  type SetupInvitationEvent,
  type SetupInvitationFacts,
} from '../domain/setupInvitation.js';
import { checkInvitee, confirmationExpiresAt, delegationMachine, type DelegationEvent, type InviteeProblem } from '../domain/delegation.js';
import type { Refusal } from '../domain/refusal.js';

export interface Ttls {
  setupInviteMs: number;
  confirmMs: number;
}

type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };
const refused = (refusal: Refusal) => ({ ok: false, refusal }) as const;

// ---------------------------------------------------------------------------------------------
// Transitions: the only writers of a status, guarded by the machine's `from` states.

async function moveInvitation(
  tx: Executor,
  id: string,
  event: SetupInvitationEvent,
  now: Date,
  extra: Partial<Pick<SetupInvitation, 'closedBy' | 'handedToUserId'>> = {},
): Promise<SetupInvitation | undefined> {
  const { from, to } = setupInvitationMachine.transitions[event];
  const [row] = await tx
    .update(setupInvitations)
    .set({ status: to, version: sql`${setupInvitations.version} + 1`, closedAt: now, ...extra })
    .where(and(eq(setupInvitations.id, id), inArray(setupInvitations.status, [...from])))
    .returning();
  if (row) {
    await enqueue(tx, `redraw:${row.id}:${row.version}`, { type: 'redraw', subjectId: row.id }, now);
    await refreshHomes(tx, [row.holderUserId], row.id, row.version, now);
  }
  return row;
}

/** Home tabs show what waits for people: the refreshes after a change that concerns them. */
function homeRefreshes(userIds: string[], subjectId: string, version: number): QueuedWrite[] {
  return [...new Set(userIds)].map((userId) => ({ key: `home:${userId}:${subjectId}:${version}`, payload: { type: 'home', userId } }));
}

async function refreshHomes(tx: Executor, userIds: string[], subjectId: string, version: number, now: Date): Promise<void> {
  await enqueueAll(tx, homeRefreshes(userIds, subjectId, version), now);
}

/** What a transition writes besides the record: more outbox rows and audit events. */
interface AlongWith {
  queue?: QueuedWrite[];
  audit?: AuditEntry[];
}

/**
 * Moves a delegation that this transaction has locked. The lock makes the new version known, so
 * the guarded update, its redraw and Home refreshes and `along` go out together in one round trip.
 */
async function moveDelegation(
  tx: Executor,
  locked: DelegationRow,
  event: DelegationEvent,
  now: Date,
  extra: Partial<Pick<DelegationRow, 'closedBy' | 'approvedAt' | 'acceptExpiresAt'>> = {},
  along: AlongWith = {},
): Promise<DelegationRow> {
  const { from, to } = delegationMachine.transitions[event];
  const closes = !delegationMachine.isLive(to);
  const version = locked.version + 1;
  const [[row]] = await Promise.all([
    tx
      .update(delegations)
      .set({ status: to, version, ...(closes ? { closedAt: now } : {}), ...extra })
      .where(and(eq(delegations.id, locked.id), eq(delegations.version, locked.version), inArray(delegations.status, [...from])))
      .returning(),
    enqueueAll(
      tx,
      [
        { key: `redraw:${locked.id}:${version}`, payload: { type: 'redraw', subjectId: locked.id } },
        ...homeRefreshes([locked.inviterUserId, locked.inviteeUserId], locked.id, version),
        ...(along.queue ?? []),
      ],
      now,
    ),
    audit(tx, along.audit ?? [], now),
  ]);
  // Cannot happen under the lock; throwing rolls back the rows queued beside it.
  if (!row) throw new Error(`delegation ${locked.id} was not ${from.join(' or ')} although locked`);
  return row;
}

/** Closes whatever delegation is still live on the account (a newer one replaces it). */
async function closeLiveDelegations(
  tx: Executor,
  accountId: string,
  event: 'supersede' | 'expire' | 'revoke',
  actor: string,
  now: Date,
  onlyInviter?: string,
): Promise<void> {
  const live = await tx
    .select()
    .from(delegations)
    .where(
      and(
        eq(delegations.accountId, accountId),
        inArray(delegations.status, [...delegationMachine.transitions[event].from]),
        onlyInviter ? eq(delegations.inviterUserId, onlyInviter) : undefined,
      ),
    )
    .for('update');
  const to = delegationMachine.transitions[event].to;
  for (const d of live) {
    await moveDelegation(
      tx,
      d,
      event,
      now,
      { closedBy: actor },
      {
        audit: [
          {
            accountId,
            actor,
            action: `delegation.${to}`,
            subjectKind: 'delegation',
            subjectId: d.id,
            before: { status: d.status },
            after: { status: to },
          },
        ],
      },
    );
  }
}

async function issueInvitation(tx: Executor, account: Pick<Account, 'id'>, holderUserId: string, actor: string, now: Date, ttlMs: number) {
  const [invitation] = await tx
    .insert(setupInvitations)
    .values({ accountId: account.id, holderUserId, issuedAt: now, expiresAt: setupInvitationExpiresAt(now, ttlMs) })
    .returning();
  if (!invitation) throw new Error('insert returned nothing');
  await audit(
    tx,
    {
      accountId: account.id,
      actor,
      action: 'setup_invitation.issued',
      subjectKind: 'setup_invitation',
      subjectId: invitation.id,
      after: { holder: holderUserId, expiresAt: invitation.expiresAt },
    },
    now,
  );
  await enqueue(
    tx,
    `post:setup:${invitation.id}`,
    { type: 'post', surface: 'setup', subjectId: invitation.id, channel: holderUserId },
    now,
  );
  await refreshHomes(tx, [holderUserId], invitation.id, invitation.version, now);
  return invitation;
}

// ---------------------------------------------------------------------------------------------
// Provisioning

export type ProvisionResult = { ok: true; account: Account; invitation: SetupInvitation } | { ok: false; problem: 'name_taken' };

export async function provisionAccount(
  db: Database,
  input: { name: string; contractNumber: string; primaryContactUserId: string; actor: string },
  now: Date,
  ttls: Ttls,
): Promise<ProvisionResult> {
  try {
    return await db.transaction(async (tx) => {
      if (await findAccountByName(tx, input.name)) return { ok: false, problem: 'name_taken' } as const;
      const [account] = await tx
        .insert(accounts)
        .values({
          name: input.name.trim(),
          contractNumber: input.contractNumber.trim(),
          primaryContactUserId: input.primaryContactUserId,
          createdBy: input.actor,
          createdAt: now,
        })
        .returning();
      if (!account) throw new Error('insert returned nothing');
      await grantAdmin(tx, { accountId: account.id, userId: input.primaryContactUserId, grantedBy: input.actor }, now);
      await audit(
        tx,
        [
          {
            accountId: account.id,
            actor: input.actor,
            action: 'account.provisioned',
            subjectKind: 'account',
            subjectId: account.id,
            after: { name: account.name, contractNumber: account.contractNumber, primaryContact: account.primaryContactUserId },
          },
          {
            accountId: account.id,
            actor: input.actor,
            action: 'admin.granted',
            subjectKind: 'admin',
            subjectId: input.primaryContactUserId,
            after: { admin: true, reason: 'primary contact' },
          },
        ],
        now,
      );
      const invitation = await issueInvitation(tx, account, input.primaryContactUserId, input.actor, now, ttls.setupInviteMs);
      return { ok: true, account, invitation } as const;
    });
  } catch (error) {
    // Two requests raced for the same name; the loser learns it like a late one would.
    if (isUniqueViolation(error, 'accounts_name_unique')) return { ok: false, problem: 'name_taken' };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// The setup invitation

interface LoadedInvitation {
  invitation: SetupInvitation;
  account: Account;
  facts: SetupInvitationFacts;
}

/**
 * Loads an invitation, by its id or by a delegation hanging on it, with the facts its rules need,
 * in one statement; `lock` serializes clicks on it.
 */
async function loadInvitation(
  tx: Executor,
  which: { id: string } | { delegationId: string },
  lock: boolean,
): Promise<LoadedInvitation | undefined> {
  const holderIsAdmin = sql<boolean>`${holdsManage(tx, accounts.id, setupInvitations.holderUserId)}`.mapWith(Boolean);
  const query = tx
    .select({ invitation: setupInvitations, account: accounts, holderIsAdmin })
    .from(setupInvitations)
    .innerJoin(accounts, eq(accounts.id, setupInvitations.accountId))
    .where(
      'id' in which
        ? eq(setupInvitations.id, which.id)
        : inArray(
            setupInvitations.id,
            tx.select({ id: delegations.setupInvitationId }).from(delegations).where(eq(delegations.id, which.delegationId)),
          ),
    );
  const [row] = lock ? await query.for('update', { of: setupInvitations }) : await query;
  if (!row) return undefined;
  return {
    invitation: row.invitation,
    account: row.account,
    facts: {
      invitation: row.invitation,
      accountStatus: row.account.status,
      holderIsAdmin: row.holderIsAdmin,
    },
  };
}

/** Checks, without changing anything, that `actor` may use the invitation now (opening a modal). */
export async function checkInvitationUse(
  db: Database,
  invitationId: string,
  actor: string,
  now: Date,
): Promise<Result<{ account: Account; invitation: SetupInvitation }>> {
  const loaded = await loadInvitation(db, { id: invitationId }, false);
  if (!loaded) return refused({ reason: 'not_found' });
  const refusal = checkSetupInvitation(loaded.facts, actor, now);
  return refusal ? refused(refusal) : { ok: true, value: { account: loaded.account, invitation: loaded.invitation } };
}

export type CompleteSetupResult = Result<Account> | { ok: false; problem: 'name_taken' };

/** "Set up the account": the holder confirms the account's details and it becomes active. */
export async function completeSetup(
  db: Database,
  input: { invitationId: string; actor: string; accountName: string },
  now: Date,
): Promise<CompleteSetupResult> {
  try {
    return await db.transaction(async (tx): Promise<CompleteSetupResult> => {
      const loaded = await loadInvitation(tx, { id: input.invitationId }, true);
      if (!loaded) return refused({ reason: 'not_found' });
      const refusal = checkSetupInvitation(loaded.facts, input.actor, now);
      if (refusal) return refused(refusal);
      const { account } = loaded;
      const newName = input.accountName.trim();
      if (newName.toLowerCase() !== account.name.toLowerCase()) {
        const other = await findAccountByName(tx, newName);
        if (other) return { ok: false, problem: 'name_taken' };
      }
      const [updated] = await tx
        .update(accounts)
        .set({ name: newName, status: 'active', setUpAt: now, setUpBy: input.actor })
        .where(and(eq(accounts.id, account.id), eq(accounts.status, 'pending_setup')))
        .returning();
      if (!updated) return refused({ reason: 'account_active' });
      await moveInvitation(tx, loaded.invitation.id, 'complete', now, { closedBy: input.actor });
      await closeLiveDelegations(tx, account.id, 'supersede', input.actor, now);
      await audit(
        tx,
        [
          {
            accountId: account.id,
            actor: input.actor,
            action: 'account.set_up',
            subjectKind: 'account',
            subjectId: account.id,
            before: { name: account.name, status: account.status },
            after: { name: updated.name, status: updated.status },
          },
          {
            accountId: account.id,
            actor: input.actor,
            action: 'setup_invitation.completed',
            subjectKind: 'setup_invitation',
            subjectId: loaded.invitation.id,
            before: { status: 'pending' },
            after: { status: 'completed' },
          },
        ],
        now,
      );
      if (account.primaryContactUserId !== input.actor) {
        await enqueue(
          tx,
          `notice:set_up:${account.id}`,
          {
            type: 'notice',
            channel: account.primaryContactUserId,
            notice: { kind: 'account_set_up', accountName: updated.name, byUserId: input.actor, at: now.toISOString() },
          },
          now,
        );
      }
      return { ok: true, value: updated };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'accounts_name_unique')) return { ok: false, problem: 'name_taken' };
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Invite someone else

export type InviteeFacts = { userId: string; email: string | null; isBot: boolean; deactivated: boolean };
export type RequestDelegationResult = Result<DelegationRow> | { ok: false; problem: InviteeProblem };

/** The invite modal was submitted: record the request and ask the inviter to confirm it. */
export async function requestDelegation(
  db: Database,
  input: { invitationId: string; actor: string; invitee: InviteeFacts },
  now: Date,
  ttls: Ttls,
): Promise<RequestDelegationResult> {
  return db.transaction(async (tx): Promise<RequestDelegationResult> => {
    const loaded = await loadInvitation(tx, { id: input.invitationId }, true);
    if (!loaded) return refused({ reason: 'not_found' });
    const refusal = checkSetupInvitation(loaded.facts, input.actor, now);
    if (refusal) return refused(refusal);
    const problem = checkInvitee({
      inviteeUserId: input.invitee.userId,
      inviterUserId: input.actor,
      inviteeIsAdmin: await isAdmin(tx, loaded.account.id, input.invitee.userId),
      inviteeIsBot: input.invitee.isBot,
      inviteeDeactivated: input.invitee.deactivated,
    });
    if (problem) return { ok: false, problem };

    await closeLiveDelegations(tx, loaded.account.id, 'supersede', input.actor, now);
    const [delegation] = await tx
      .insert(delegations)
      .values({
        accountId: loaded.account.id,
        setupInvitationId: loaded.invitation.id,
        inviterUserId: input.actor,
        inviteeUserId: input.invitee.userId,
        inviteeEmail: input.invitee.email,
        requestedAt: now,
        confirmExpiresAt: confirmationExpiresAt(now, ttls.confirmMs),
      })
      .returning();
    if (!delegation) throw new Error('insert returned nothing');
    await audit(
      tx,
      {
        accountId: loaded.account.id,
        actor: input.actor,
        action: 'delegation.requested',
        subjectKind: 'delegation',
        subjectId: delegation.id,
        after: { invitee: delegation.inviteeUserId, confirmExpiresAt: delegation.confirmExpiresAt },
      },
      now,
    );
    await enqueue(
      tx,
      `post:confirmation:${delegation.id}`,
      { type: 'post', surface: 'confirmation', subjectId: delegation.id, channel: input.actor },
      now,
    );
    await refreshHomes(tx, [input.actor], delegation.id, delegation.version, now);
    return { ok: true, value: delegation };
  });
}

/** "Start again" on an expired confirmation: who was invited, if the invitation still works. */
export async function restartDelegation(
  db: Database,
  delegationId: string,
  actor: string,
  now: Date,
): Promise<Result<{ invitationId: string; account: Account; inviteeUserId: string }>> {
  const [delegation] = await db.select().from(delegations).where(eq(delegations.id, delegationId));
  if (!delegation) return refused({ reason: 'not_found' });
  const use = await checkInvitationUse(db, delegation.setupInvitationId, actor, now);
  if (!use.ok) return use;
  return {
    ok: true,
    value: { invitationId: delegation.setupInvitationId, account: use.value.account, inviteeUserId: delegation.inviteeUserId },
  };
}

// ---------------------------------------------------------------------------------------------
// `/enterprise setup`

export type FreshInvitationOutcome =
  | { account: Account; kind: 'resent'; expiresAt: Date }
  | { account: Account; kind: 'issued'; expiresAt: Date }
  | { account: Account; kind: 'held_by_other'; holderUserId: string; expiresAt: Date }
  | { account: Account; kind: 'account_active' };

/**
 * For every account the caller administers: re-send their live setup message, or issue a fresh
 * invitation when theirs is gone (expired, revoked) and the account is still not set up.
 */
export async function freshSetupInvitations(db: Database, actor: string, now: Date, ttls: Ttls): Promise<FreshInvitationOutcome[]> {
  return db.transaction(async (tx) => {
    const administered = await tx
      .select({ account: accounts })
      .from(adminMemberships)
      .innerJoin(accounts, eq(accounts.id, adminMemberships.accountId))
      .where(and(eq(adminMemberships.userId, actor), sql`${adminMemberships.removedAt} is null`))
      .orderBy(accounts.name)
      .for('update', { of: accounts });
    const outcomes: FreshInvitationOutcome[] = [];
    for (const { account } of administered) {
      const [live] = await tx
        .select()
        .from(setupInvitations)
        .where(and(eq(setupInvitations.accountId, account.id), eq(setupInvitations.status, 'pending')))
        .for('update');
      const decision = decideFreshInvitation(
        { actorUserId: actor, actorIsAdmin: true, accountStatus: account.status, live: live ?? null },
        now,
        ttls.setupInviteMs,
      );
      switch (decision.kind) {
        case 'not_admin':
          break;
        case 'account_active':
          outcomes.push({ account, kind: 'account_active' });
          break;
        case 'held_by_other':
          outcomes.push({ account, kind: 'held_by_other', holderUserId: decision.holderUserId, expiresAt: decision.expiresAt });
          break;
        case 'resend':
          if (live) {
            await enqueue(
              tx,
              `post:setup:${live.id}:resend:${now.getTime()}`,
              { type: 'post', surface: 'setup', subjectId: live.id, channel: actor },
              now,
            );
            outcomes.push({ account, kind: 'resent', expiresAt: live.expiresAt });
          }
          break;
        case 'issue': {
          // A pending invitation past its deadline that the sweep has not reached yet expires now.
          if (live) await expireInvitation(tx, live, now);
          const invitation = await issueInvitation(tx, account, actor, actor, now, ttls.setupInviteMs);
          outcomes.push({ account, kind: 'issued', expiresAt: invitation.expiresAt });
          break;
        }
      }
    }
    return outcomes;
  });
}

// ---------------------------------------------------------------------------------------------
// Expiry

async function expireInvitation(tx: Executor, invitation: SetupInvitation, now: Date): Promise<void> {
  const moved = await moveInvitation(tx, invitation.id, 'expire', now, { closedBy: 'system' });
  if (!moved) return;
  await audit(
    tx,
    {
      accountId: invitation.accountId,
      actor: 'system',
      action: 'setup_invitation.expired',
      subjectKind: 'setup_invitation',
      subjectId: invitation.id,
      before: { status: 'pending' },
      after: { status: 'expired', expiresAt: invitation.expiresAt },
    },
    now,
  );
  await closeLiveDelegations(tx, invitation.accountId, 'expire', 'system', now);
}

export interface SweepResult {
  setupInvitations: number;
  delegations: number;
}

/**
 * Expires what is due, in batches so that no transaction grows with the backlog. The partial
 * indexes keep each batch proportional to the number due, not to the table.
 */
export async function sweepExpired(db: Database, now: Date, batchSize = 500): Promise<SweepResult> {
  const result: SweepResult = { setupInvitations: 0, delegations: 0 };
  for (;;) {
    const n = await expireDueInvitations(db, now, batchSize);
    result.setupInvitations += n;
    if (n < batchSize) break;
  }
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(delegations)
        .where(
          or(
            and(eq(delegations.status, 'awaiting_confirmation'), lte(delegations.confirmExpiresAt, now)),
            and(eq(delegations.status, 'awaiting_acceptance'), lte(delegations.acceptExpiresAt, now)),
          ),
        )
        .limit(batchSize)
        .for('update', { skipLocked: true });
      for (const d of due) {
        await moveDelegation(
          tx,
          d,
          'expire',
          now,
          { closedBy: 'system' },
          {
            audit: [
              {
                accountId: d.accountId,
                actor: 'system',
                action: 'delegation.expired',
                subjectKind: 'delegation',
                subjectId: d.id,
                before: { status: d.status },
                after: { status: 'expired' },
              },
            ],
          },
        );
        if (d.status === 'awaiting_acceptance') {
          const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, d.accountId));
          await enqueue(
            tx,
            `notice:unanswered:${d.id}`,
            {
              type: 'notice',
              channel: d.inviterUserId,
              notice: {
                kind: 'invitation_expired_unanswered',
                accountName: account?.name ?? '',
                inviteeUserId: d.inviteeUserId,
                at: now.toISOString(),
              },
            },
            now,
          );
        }
      }
      return due.length;
    });
    result.delegations += n;
    if (n < batchSize) break;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Admin removal (the seed's "someone has removed you as an admin")

export type RemoveAdminResult = { ok: true } | { ok: false; problem: 'not_allowed' | 'not_admin' | 'last_admin' };

/**
 * Removes manage from `userId` and at once revokes the setup invitation and confirmations they
 * hold, so their buttons stop working and their DMs say why.
 */
export async function removeAdmin(
  db: Database,
  input: { accountId: string; userId: string; actor: string },
  now: Date,
): Promise<RemoveAdminResult> {
  return db.transaction(async (tx) => {
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, input.accountId)).for('update');
    if (!account) return { ok: false, problem: 'not_admin' } as const;
    const admins = (await activeAdmins(tx, input.accountId)).map((a) => a.userId);
    if (!admins.includes(input.actor)) return { ok: false, problem: 'not_allowed' } as const;
    if (!admins.includes(input.userId)) return { ok: false, problem: 'not_admin' } as const;
    if (admins.length === 1) return { ok: false, problem: 'last_admin' } as const;
    await tx
      .update(adminMemberships)
      .set({ removedAt: now, removedBy: input.actor })
      .where(
        and(eq(adminMemberships.accountId, input.accountId), eq(adminMemberships.userId, input.userId), isNull(adminMemberships.removedAt)),
      );
    await audit(
      tx,
      {
        accountId: input.accountId,
        actor: input.actor,
        action: 'admin.removed',
        subjectKind: 'admin',
        subjectId: input.userId,
        before: { admin: true },
        after: { admin: false },
      },
      now,
    );

    const held = await tx
      .select()
      .from(setupInvitations)
      .where(
        and(
          eq(setupInvitations.accountId, input.accountId),
          eq(setupInvitations.holderUserId, input.userId),
          eq(setupInvitations.status, 'pending'),
        ),
      )
      .for('update');
    for (const invitation of held) {
      const moved = await moveInvitation(tx, invitation.id, 'revoke', now, { closedBy: input.actor });
      if (moved)
        await audit(
          tx,
          {
            accountId: input.accountId,
            actor: input.actor,
            action: 'setup_invitation.revoked',
            subjectKind: 'setup_invitation',
            subjectId: invitation.id,
            before: { status: 'pending' },
            after: { status: 'revoked' },
          },
          now,
        );
    }
    await closeLiveDelegations(tx, input.accountId, 'revoke', input.actor, now, input.userId);
    if (input.actor !== input.userId) {
      await enqueue(
        tx,
        `notice:admin_removed:${input.accountId}:${input.userId}:${now.getTime()}`,
        { type: 'notice', channel: input.userId, notice: { kind: 'admin_removed', accountName: account.name, byUserId: input.actor } },
        now,
      );
    }
    await enqueue(tx, `home:${input.userId}:${input.accountId}:${now.getTime()}`, { type: 'home', userId: input.userId }, now);
    return { ok: true } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// Reminders before a deadline: one each, never after the record left its pending state.

export async function sendDeadlineReminders(
  db: Database,
  now: Date,
  before: { setupMs: number; confirmMs: number },
): Promise<{ setupInvitations: number; confirmations: number }> {
  return db.transaction(async (tx) => {
    const setupDue = await tx
      .update(setupInvitations)
      .set({ remindedAt: now })
      .where(
        and(
          eq(setupInvitations.status, 'pending'),
          isNull(setupInvitations.remindedAt),
          lte(setupInvitations.expiresAt, new Date(now.getTime() + before.setupMs)),
          gt(setupInvitations.expiresAt, now),
        ),
      )
      .returning();
    for (const invitation of setupDue) {
      const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, invitation.accountId));
      await enqueue(
        tx,
        `notice:setup_reminder:${invitation.id}`,
        {
          type: 'notice',
          channel: invitation.holderUserId,
          notice: { kind: 'setup_reminder', accountName: account?.name ?? '', expiresAt: invitation.expiresAt.toISOString() },
        },
        now,
      );
    }
    const confirmDue = await tx
      .update(delegations)
      .set({ remindedAt: now })
      .where(
        and(
          eq(delegations.status, 'awaiting_confirmation'),
          isNull(delegations.remindedAt),
          lte(delegations.confirmExpiresAt, new Date(now.getTime() + before.confirmMs)),
          gt(delegations.confirmExpiresAt, now),
        ),
      )
      .returning();
    for (const d of confirmDue) {
      const [account] = await tx.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, d.accountId));
      await enqueue(
        tx,
        `notice:confirmation_reminder:${d.id}`,
        {
          type: 'notice',
          channel: d.inviterUserId,
          notice: {
            kind: 'confirmation_reminder',
            accountName: account?.name ?? '',
            inviteeUserId: d.inviteeUserId,
            expiresAt: d.confirmExpiresAt.toISOString(),
          },
        },
        now,
      );
    }
    return { setupInvitations: setupDue.length, confirmations: confirmDue.length };
  });
}
