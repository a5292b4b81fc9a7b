import type { Notice } from './notice.js';
import type { SetupInvitationEvent } from './setupInvitation.js';
import type { DelegationEvent } from './delegation.js';
import type { RecoveryCheck, RecoveryEvent } from './recovery.js';
import type { RecoveryQuestionEvent } from './recoveryQuestions.js';
import { outboxKey } from './outboxKeys.js';

/**
 * What a decision does, as plain data. The domain decides it; `applyEffects` in the workflows
 * layer stores it in the transaction that loaded the facts, so the change, its audit trail and
 * its Slack messages (the outbox) commit together or not at all.
 */

/**
 * The messages a record is drawn into: a setup invitation's DM (and, once it expired, the short DM
 * saying so with Get a new invitation), a delegation's confirmation and
 * invitee DMs, a recovery request's post in the support channel and receipt to the requester, and
 * a question's DM to the requester.
 */
export const messageSurfaces = [
  'setup',
  'setup_expired',
  'confirmation',
  'invitee',
  'recovery',
  'recovery_receipt',
  'recovery_question',
] as const;
export type MessageSurface = (typeof messageSurfaces)[number];

/** A Slack write to make once the transaction that decided it has committed. */
export type OutboxPayload =
  /** Render a record into a new message in `channel` (a user id means their DM) and remember it. */
  | { type: 'post'; surface: MessageSurface; subjectId: string; channel: string }
  /** Re-render every stored message that shows this record. */
  | { type: 'redraw'; subjectId: string }
  /** A one-off message telling someone what happened; in the thread of a record's message if `threadOf`. */
  | { type: 'notice'; channel: string; notice: Notice; threadOf?: string }
  /**
   * A recovery letter uploaded into the thread of a record's message in `channel`, with its
   * fingerprint. Its bytes are not stored: the delivery fetches them from Slack again by `fileId`
   * (where the requester uploaded them) and uploads them only if their SHA-256 is `sha256`.
   */
  | { type: 'letter'; channel: string; threadOf: string; reference: string; fileId: string; fileName: string; sha256: string }
  /** The account's audit trail up to `upTo` (an ISO time), as a CSV file in `userId`'s DM. */
  | { type: 'audit_csv'; userId: string; accountId: string; upTo: string }
  /** Re-publish one person's Home tab. */
  | { type: 'home'; userId: string }
  /** Re-publish the Home tab of every support member who has opened it. */
  | { type: 'support_homes' };

/** One Slack write to queue; the key (from `outboxKey`) is its identity. */
export interface QueuedWrite {
  key: string;
  payload: OutboxPayload;
}

export interface AuditEntry {
  accountId: string | null;
  /** A Slack user id, or `system` for the timers, or `api` for the provisioning API. */
  actor: string;
  action: string;
  subjectKind: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
}

/**
 * A guarded state change: `event` of the record's state machine, allowed only from the machine's
 * `from` states and only if the record is still at `version` (the version the decision saw).
 * A transition into a closed state also stamps the closing time.
 */
export type Move =
  | {
      record: 'setup_invitation';
      id: string;
      event: SetupInvitationEvent;
      version: number;
      set?: { closedBy?: string; handedToUserId?: string };
    }
  | {
      record: 'delegation';
      id: string;
      event: DelegationEvent;
      version: number;
      set?: { closedBy?: string; approvedAt?: Date; acceptExpiresAt?: Date };
    }
  | {
      record: 'recovery_request';
      id: string;
      event: RecoveryEvent;
      version: number;
      set?: {
        decidedAt?: Date;
        decidedBy?: string;
        rejectionReason?: string;
        addedUserId?: string;
        blockedReason?: string | null;
        lastRemindedAt?: Date;
        waitingSince?: Date;
        /** A corrected letter replaces the one support reviews. */
        letterFileId?: string;
        letterFileName?: string;
        letterPermalink?: string | null;
        letterSha256?: string;
      };
    }
  | {
      record: 'recovery_question';
      id: string;
      event: RecoveryQuestionEvent;
      version: number;
      set?: { answer?: string; answeredAt?: Date; letterFileName?: string | null; letterSha256?: string | null };
    };

export interface NewAccount {
  id: string;
  name: string;
  contractNumber: string;
  primaryContactUserId: string;
  createdBy: string;
  /** The primary contact's workspace, where the account belongs (null: the one workspace, unknown). */
  teamId?: string | null;
  enterpriseId?: string | null;
}

export interface NewSetupInvitation {
  id: string;
  accountId: string;
  holderUserId: string;
  expiresAt: Date;
}

export interface NewDelegation {
  id: string;
  accountId: string;
  setupInvitationId: string;
  inviterUserId: string;
  inviteeUserId: string;
  inviteeEmail: string | null;
  /** The invitee already holds `manage`: the holder hands an existing admin the setup. */
  inviteeIsAdmin: boolean;
  confirmExpiresAt: Date;
}

export interface NewRecoveryRequest {
  id: string;
  reference: string;
  requesterUserId: string;
  /** The requester's workspace (distributed). */
  requesterTeamId?: string | null;
  requesterEnterpriseId?: string | null;
  accountName: string;
  /** The account the name matched when the request came in, if any. */
  accountId: string | null;
  emailToAdd: string;
  reason: string;
  contractNumber: string;
  officerName: string;
  officerTitle: string;
  officerEmail: string;
  letterFileId: string;
  letterFileName: string;
  letterPermalink: string | null;
  letterSha256: string;
  checks: RecoveryCheck[];
  approvalsRequired: number;
}

export interface NewRecoveryQuestion {
  id: string;
  requestId: string;
  askedBy: string;
  question: string;
}

export type Effect =
  | { type: 'move'; move: Move }
  | { type: 'create_account'; account: NewAccount }
  /** The account's details confirmed and the account active: allowed only while it waits for setup. */
  | { type: 'activate_account'; accountId: string; name: string; by: string }
  | { type: 'issue_setup_invitation'; invitation: NewSetupInvitation }
  | { type: 'create_delegation'; delegation: NewDelegation }
  | { type: 'create_recovery_request'; request: NewRecoveryRequest }
  /** Support's question to the requester, waiting for the answer. */
  | { type: 'create_recovery_question'; question: NewRecoveryQuestion }
  /** One support member's approval of a recovery request, counted towards its quorum. */
  | { type: 'record_recovery_approval'; requestId: string; approverUserId: string }
  /** An approval that no longer counts (its approver left support, or is the person to add). */
  | { type: 'withdraw_recovery_approval'; requestId: string; approverUserId: string }
  /** Grants `manage`; granting it to someone who holds it changes nothing. */
  | { type: 'grant_admin'; accountId: string; userId: string; grantedBy: string }
  | { type: 'remove_admin'; accountId: string; userId: string; removedBy: string }
  /** What Slack said of a person's account: deactivated or not (see `people.ts`). */
  | { type: 'person_status'; workspaceKey: string; userId: string; deactivated: boolean }
  /**
   * A closed record still offering its person a next step (an expired setup invitation's Get a
   * new invitation, an expired confirmation's Start again) stops offering it: that person was
   * removed as an admin. Stamps the time and bumps the version (guarded by it), so its messages
   * are drawn again; no state changes.
   */
  | { type: 'withdraw_next_step'; record: 'setup_invitation' | 'delegation'; id: string; version: number }
  | { type: 'audit'; entry: AuditEntry }
  | { type: 'queue'; write: QueuedWrite };

// ---------------------------------------------------------------------------------------------
// Small builders, so decisions read as what they do.

export const queue = (key: string, payload: OutboxPayload): Effect => ({ type: 'queue', write: { key, payload } });
export const audited = (entry: AuditEntry): Effect => ({ type: 'audit', entry });

/** Every change of a record redraws the messages that show it, once per version. */
export const redraw = (subjectId: string, version: number): Effect =>
  queue(outboxKey.redraw(subjectId, version), { type: 'redraw', subjectId });

/** Home tabs show what waits for people: refresh the tab of each person a change concerns. */
export const refreshHomes = (userIds: readonly string[], subjectId: string, version: number): Effect[] =>
  [...new Set(userIds)].map((userId) => queue(outboxKey.home(userId, subjectId, version), { type: 'home', userId }));

export const notify = (key: string, channel: string, notice: Notice, threadOf?: string): Effect =>
  queue(key, { type: 'notice', channel, notice, ...(threadOf ? { threadOf } : {}) });

/**
 * A record moves to its next version: the guarded change, the redraw of its messages, and the
 * Home tabs of the people it concerns.
 */
export function moved(move: Move, concerns: readonly string[]): Effect[] {
  const version = move.version + 1;
  return [{ type: 'move', move }, redraw(move.id, version), ...refreshHomes(concerns, move.id, version)];
}

/** A decision that went through: the state the record moves to, and everything that does. */
export interface Decision<N> {
  next: N;
  effects: Effect[];
}
