import { closeDelegation, type DelegationRecord } from './delegation.js';
import { audited, moved, notify, queue, redraw, refreshHomes, type Decision, type Effect } from './effects.js';
import { outboxKey } from './outboxKeys.js';
import { ok, refused, type Outcome } from './outcome.js';
import type { SetupInvitationRecord } from './setupInvitation.js';
import { activeOnes, type AdminPerson } from './people.js';

/**
 * Admins of an Enterprise Account hold `manage` on it. Who may read an account's admins and its
 * audit trail (never change them): its admins, and support.
 */
export function mayReadAccount(reader: { isAdmin: boolean; isSupport: boolean }): boolean {
  return reader.isAdmin || reader.isSupport;
}

export type PersonProblem = 'bot' | 'deactivated';

/** Who may hold `manage` (by invitation or added by an admin): an active person, not an app. */
export function personProblem(person: { isBot: boolean; deactivated: boolean }): PersonProblem | null {
  if (person.isBot) return 'bot';
  if (person.deactivated) return 'deactivated';
  return null;
}

/**
 * A reader (an admin of the account, or support) asks for the account's whole audit trail as a
 * CSV file: it goes to their DM, and the trail records who took a copy.
 */
export function decideAuditExport(account: AccountRef, actor: string, now: Date): Effect[] {
  return [
    audited({ accountId: account.id, actor, action: 'audit.exported', subjectKind: 'account', subjectId: account.id }),
    queue(outboxKey.auditCsv(account.id, actor, now), { type: 'audit_csv', userId: actor, accountId: account.id, upTo: now.toISOString() }),
  ];
}

/** Why `/enterprise add-admin` changed nothing: the caller is not an admin (only admins change admins), or the person already is. */
export type AddAdminRefusal = { reason: 'not_allowed' } | { reason: 'already_admin' };

/**
 * Why `/enterprise remove-admin` changed nothing: the caller is not an admin, the person is not
 * one, or removing them would leave the account without an active admin (recovery is the way
 * back, not this); `deactivated`: how many admins are left who are deactivated in Slack.
 */
export type RemoveAdminRefusal = { reason: 'not_allowed' } | { reason: 'not_admin' } | { reason: 'last_admin'; deactivated: number };

interface AccountRef {
  id: string;
  name: string;
}

/** The person the change is about sees it on their Home tab, once per change (its time tells changes apart). */
const refreshTheirHome = (userId: string, accountId: string, now: Date) =>
  queue(outboxKey.home(userId, accountId, now.getTime()), { type: 'home', userId });

/** An admin gives `manage` to someone else, who is told by DM. */
export function decideAddAdmin(
  facts: { account: AccountRef; actorIsAdmin: boolean; targetIsAdmin: boolean },
  input: { userId: string; actor: string },
  now: Date,
): Outcome<Decision<null>, AddAdminRefusal> {
  const { account } = facts;
  if (!facts.actorIsAdmin) return refused({ reason: 'not_allowed' });
  if (facts.targetIsAdmin) return refused({ reason: 'already_admin' });
  return ok({
    next: null,
    effects: [
      { type: 'grant_admin', accountId: account.id, userId: input.userId, grantedBy: input.actor },
      audited({
        accountId: account.id,
        actor: input.actor,
        action: 'admin.granted',
        subjectKind: 'admin',
        subjectId: input.userId,
        before: { admin: false },
        after: { admin: true },
      }),
      notify(outboxKey.notice('admin_added', account.id, input.userId, now.getTime()), input.userId, {
        kind: 'admin_added',
        accountName: account.name,
        byUserId: input.actor,
      }),
      refreshTheirHome(input.userId, account.id, now),
    ],
  });
}

/**
 * Whether a closed record still offers its person a next step that only an admin may take: an
 * expired setup invitation offers Get a new invitation, an expired confirmation that was never
 * approved offers Start again, until their person is removed as an admin.
 */
export function offersNextStep(
  record:
    | { kind: 'setup_invitation'; status: SetupInvitationRecord['status']; holderRemovedAt: Date | null }
    | { kind: 'delegation'; status: DelegationRecord['status']; approvedAt: Date | null; inviterRemovedAt: Date | null },
): boolean {
  if (record.status !== 'expired') return false;
  return record.kind === 'setup_invitation'
    ? record.holderRemovedAt === null
    : record.approvedAt === null && record.inviterRemovedAt === null;
}

/** The record stops offering its next step; its messages and its person's Home tab are drawn again. */
function withdrawNextStep(record: 'setup_invitation' | 'delegation', r: { id: string; version: number }, concerns: string[]): Effect[] {
  return [
    { type: 'withdraw_next_step', record, id: r.id, version: r.version },
    redraw(r.id, r.version + 1),
    ...refreshHomes(concerns, r.id, r.version + 1),
  ];
}

/**
 * Whether `actor` may remove `userId` from the admins: asked once before the confirmation is
 * shown (so nobody confirms in vain), and again under lock when it is confirmed.
 */
export function checkRemoveAdmin(admins: readonly AdminPerson[], input: { userId: string; actor: string }): RemoveAdminRefusal | null {
  const ids = admins.map((a) => a.userId);
  if (!ids.includes(input.actor)) return { reason: 'not_allowed' };
  if (!ids.includes(input.userId)) return { reason: 'not_admin' };
  // Only active people count: an account whose admins are all deactivated in Slack has no one left.
  const left = admins.filter((a) => a.userId !== input.userId);
  if (activeOnes(left).length === 0) return { reason: 'last_admin', deactivated: left.length };
  return null;
}

/**
 * Removes `manage` from someone (never the last admin) and at once revokes the setup invitation
 * they hold (`held`) and the delegations they asked for (`delegations`), so their buttons stop
 * working and their DMs say why. They are told, unless they removed themselves.
 */
export function decideRemoveAdmin(
  facts: {
    account: AccountRef;
    /** Every current admin, each with whether Slack says their account is deactivated. */
    admins: readonly AdminPerson[];
    held: readonly SetupInvitationRecord[];
    delegations: readonly DelegationRecord[];
    /**
     * Their closed records that still offer them a next step (`offersNextStep`): expired setup
     * invitations (Get a new invitation) and expired confirmations (Start again).
     */
    nextSteps?: { invitations: readonly SetupInvitationRecord[]; confirmations: readonly DelegationRecord[] };
  },
  input: { userId: string; actor: string },
  now: Date,
): Outcome<Decision<null>, RemoveAdminRefusal> {
  const { account } = facts;
  const refusal = checkRemoveAdmin(facts.admins, input);
  if (refusal) return refused(refusal);
  const effects: Effect[] = [
    { type: 'remove_admin', accountId: account.id, userId: input.userId, removedBy: input.actor },
    audited({
      accountId: account.id,
      actor: input.actor,
      action: 'admin.removed',
      subjectKind: 'admin',
      subjectId: input.userId,
      before: { admin: true },
      after: { admin: false },
    }),
  ];
  for (const invitation of facts.held) {
    effects.push(
      ...moved(
        { record: 'setup_invitation', id: invitation.id, event: 'revoke', version: invitation.version, set: { closedBy: input.actor } },
        [invitation.holderUserId],
      ),
      audited({
        accountId: account.id,
        actor: input.actor,
        action: 'setup_invitation.revoked',
        subjectKind: 'setup_invitation',
        subjectId: invitation.id,
        before: { status: 'pending' },
        after: { status: 'revoked' },
      }),
    );
  }
  effects.push(...facts.delegations.flatMap((d) => closeDelegation(d, 'revoke', input.actor)));
  // Their expired messages stop offering what only an admin may do: every message of theirs
  // that still shows a button is drawn again.
  for (const invitation of facts.nextSteps?.invitations ?? []) {
    effects.push(...withdrawNextStep('setup_invitation', invitation, [invitation.holderUserId]));
  }
  for (const d of facts.nextSteps?.confirmations ?? []) {
    effects.push(...withdrawNextStep('delegation', d, [d.inviterUserId]));
  }
  if (input.actor !== input.userId) {
    effects.push(
      notify(outboxKey.notice('admin_removed', account.id, input.userId, now.getTime()), input.userId, {
        kind: 'admin_removed',
        accountName: account.name,
        byUserId: input.actor,
      }),
    );
  }
  effects.push(refreshTheirHome(input.userId, account.id, now));
  return ok({ next: null, effects });
}
