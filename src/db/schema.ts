import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { setupInvitationStates } from '../domain/setupInvitation.js';
import { delegationStates } from '../domain/delegation.js';
import { recoveryMachine, recoveryStates } from '../domain/recovery.js';
import { recoveryQuestionStates } from '../domain/recoveryQuestions.js';
import { messageSurfaces } from '../domain/effects.js';
import type { CrossWorkspace } from '../domain/workspace.js';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const accountStatuses = ['pending_setup', 'active'] as const;

export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    contractNumber: text('contract_number').notNull(),
    primaryContactUserId: text('primary_contact_user_id').notNull(),
    /**
     * The Slack workspace the account belongs to (its primary contact's), and its Enterprise Grid
     * organization if any. Every person of the account (admins, invitation holders, inviters,
     * invitees) is a user of this workspace (or of this organization): a user id stored on the
     * account's records is read as (team_id, user id). Null only with one workspace, when Vouch
     * did not know its team when the account was made.
     */
    teamId: text('team_id'),
    enterpriseId: text('enterprise_id'),
    status: text('status', { enum: accountStatuses }).notNull().default('pending_setup'),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull(),
    setUpAt: at('set_up_at'),
    setUpBy: text('set_up_by'),
  },
  (t) => [
    uniqueIndex('accounts_name_unique').on(sql`lower(${t.name})`),
    check('accounts_status_check', sql`${t.status} in (${inList(accountStatuses)})`),
  ],
);

/** Who holds `manage` on an account. Removal is soft so the history stays readable. */
export const adminMemberships = pgTable(
  'admin_memberships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    userId: text('user_id').notNull(),
    grantedBy: text('granted_by').notNull(),
    grantedAt: at('granted_at').notNull(),
    removedBy: text('removed_by'),
    removedAt: at('removed_at'),
  },
  (t) => [
    uniqueIndex('admin_memberships_active_unique').on(t.accountId, t.userId).where(sql`${t.removedAt} is null`),
    index('admin_memberships_user').on(t.userId).where(sql`${t.removedAt} is null`),
  ],
);

export const setupInvitations = pgTable(
  'setup_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    holderUserId: text('holder_user_id').notNull(),
    status: text('status', { enum: setupInvitationStates }).notNull().default('pending'),
    /** Bumped on every change, so a stored message knows whether it shows the latest state. */
    version: integer('version').notNull().default(1),
    issuedAt: at('issued_at').notNull(),
    expiresAt: at('expires_at').notNull(),
    closedAt: at('closed_at'),
    closedBy: text('closed_by'),
    /** For a handed-over invitation: who took the setup over. */
    handedToUserId: text('handed_to_user_id'),
    /** When the one reminder before the deadline went out. */
    remindedAt: at('reminded_at'),
    /**
     * For an expired invitation: when its holder was removed as an admin, so its messages no
     * longer offer a new invitation.
     */
    holderRemovedAt: at('holder_removed_at'),
  },
  (t) => [
    check('setup_invitations_status_check', sql`${t.status} in (${inList(setupInvitationStates)})`),
    uniqueIndex('setup_invitations_one_live').on(t.accountId).where(sql`${t.status} = 'pending'`),
    index('setup_invitations_due').on(t.expiresAt).where(sql`${t.status} = 'pending'`),
    index('setup_invitations_holder').on(t.holderUserId),
  ],
);

export const delegations = pgTable(
  'delegations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    setupInvitationId: uuid('setup_invitation_id')
      .notNull()
      .references(() => setupInvitations.id),
    inviterUserId: text('inviter_user_id').notNull(),
    inviteeUserId: text('invitee_user_id').notNull(),
    /** The address the inviter typed, when they chose by e-mail rather than from the picker. */
    inviteeEmail: text('invitee_email'),
    /** The invitee already held `manage` when invited: the setup is handed to an existing admin. */
    inviteeIsAdmin: boolean('invitee_is_admin').notNull().default(false),
    status: text('status', { enum: delegationStates }).notNull().default('awaiting_confirmation'),
    version: integer('version').notNull().default(1),
    requestedAt: at('requested_at').notNull(),
    confirmExpiresAt: at('confirm_expires_at').notNull(),
    approvedAt: at('approved_at'),
    acceptExpiresAt: at('accept_expires_at'),
    closedAt: at('closed_at'),
    closedBy: text('closed_by'),
    /** When the one reminder before the confirmation deadline went out. */
    remindedAt: at('reminded_at'),
    /**
     * For an expired confirmation: when its inviter was removed as an admin, so it no longer
     * offers Start again.
     */
    inviterRemovedAt: at('inviter_removed_at'),
  },
  (t) => [
    check('delegations_status_check', sql`${t.status} in (${inList(delegationStates)})`),
    uniqueIndex('delegations_one_live').on(t.accountId).where(sql`${t.status} in ('awaiting_confirmation', 'awaiting_acceptance')`),
    index('delegations_confirm_due').on(t.confirmExpiresAt).where(sql`${t.status} = 'awaiting_confirmation'`),
    index('delegations_accept_due').on(t.acceptExpiresAt).where(sql`${t.status} = 'awaiting_acceptance'`),
    index('delegations_invitation').on(t.setupInvitationId),
  ],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').references(() => accounts.id),
    actor: text('actor').notNull(),
    /** The actor's workspace: the account's, or the provider's for support; null for `system`, `api`, or one workspace. */
    actorTeamId: text('actor_team_id'),
    action: text('action').notNull(),
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    at: at('at').notNull(),
    /** Insertion order, for stable paging among events of the same instant. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
  },
  (t) => [index('audit_events_account').on(t.accountId, t.seq)],
);

/**
 * An admin-recovery request: the Slack form of the seed's signed letter from a C-level officer,
 * reviewed by support in the support channel.
 */
export const recoveryRequests = pgTable(
  'recovery_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short code the requester can quote to support. */
    reference: text('reference').notNull(),
    requesterUserId: text('requester_user_id').notNull(),
    /** The requester's workspace (and organization): the new admin and the officer are looked up there, and told there. */
    requesterTeamId: text('requester_team_id'),
    requesterEnterpriseId: text('requester_enterprise_id'),
    accountName: text('account_name').notNull(),
    /** The account the name matched when the request came in, if any. */
    accountId: uuid('account_id').references(() => accounts.id),
    emailToAdd: text('email_to_add').notNull(),
    reason: text('reason').notNull(),
    contractNumber: text('contract_number').notNull(),
    officerName: text('officer_name').notNull(),
    officerTitle: text('officer_title').notNull(),
    officerEmail: text('officer_email').notNull(),
    letterFileId: text('letter_file_id').notNull(),
    letterFileName: text('letter_file_name').notNull(),
    letterPermalink: text('letter_permalink'),
    letterSha256: text('letter_sha256').notNull(),
    /** What support would otherwise check by hand, as found when the request came in. */
    checks: jsonb('checks').notNull(),
    status: text('status', { enum: recoveryStates }).notNull().default('open'),
    approvalsRequired: integer('approvals_required').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull(),
    decidedAt: at('decided_at'),
    decidedBy: text('decided_by'),
    rejectionReason: text('rejection_reason'),
    addedUserId: text('added_user_id'),
    /** The last problem that kept an approved-by-quorum request from completing. */
    blockedReason: text('blocked_reason'),
    lastRemindedAt: at('last_reminded_at'),
    /** Since when it waits for whoever it waits for now (support, or the requester's answer); null: since it was filed. */
    waitingSince: at('waiting_since'),
    /**
     * Distributed, filed from a customer's workspace: the names (Slack's and the workspace's) each
     * side shows of the other's people in words, looked up when the request is filed and decided.
     * Null when the requester is in the support channel's workspace, or with one workspace.
     */
    crossWorkspace: jsonb('cross_workspace').$type<CrossWorkspace>(),
  },
  (t) => [
    check('recovery_requests_status_check', sql`${t.status} in (${inList(recoveryStates)})`),
    uniqueIndex('recovery_requests_reference').on(t.reference),
    /** Requests still in play: support's queue and the reminders read them here. */
    index('recovery_requests_live')
      .on(t.createdAt)
      .where(sql`${t.status} in (${inList(recoveryMachine.liveStates)})`),
    index('recovery_requests_requester').on(t.requesterUserId),
  ],
);

/**
 * A question support asked the requester about a recovery request ("Ask for more information"),
 * and the answer, perhaps with a corrected letter. At most one waits for an answer per request.
 */
export const recoveryQuestions = pgTable(
  'recovery_questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => recoveryRequests.id),
    askedBy: text('asked_by').notNull(),
    question: text('question').notNull(),
    askedAt: at('asked_at').notNull(),
    status: text('status', { enum: recoveryQuestionStates }).notNull().default('asked'),
    /** Bumped on every change, so its DM knows whether it shows the latest state. */
    version: integer('version').notNull().default(1),
    answer: text('answer'),
    answeredAt: at('answered_at'),
    /** The corrected letter that came with the answer, if any. */
    letterFileName: text('letter_file_name'),
    letterSha256: text('letter_sha256'),
  },
  (t) => [
    check('recovery_questions_status_check', sql`${t.status} in (${inList(recoveryQuestionStates)})`),
    uniqueIndex('recovery_questions_one_asked').on(t.requestId).where(sql`${t.status} = 'asked'`),
    index('recovery_questions_request').on(t.requestId),
  ],
);

export const recoveryApprovals = pgTable(
  'recovery_approvals',
  {
    requestId: uuid('request_id')
      .notNull()
      .references(() => recoveryRequests.id),
    approverUserId: text('approver_user_id').notNull(),
    at: at('at').notNull(),
  },
  (t) => [uniqueIndex('recovery_approvals_once').on(t.requestId, t.approverUserId)],
);

/**
 * People Slack said were deactivated (`user_change`, or `deleted: true` from `users.info`), and
 * kept when Slack later says they are back. No row: active. A deactivated admin keeps their
 * membership but is not an active admin.
 */
export const slackPeople = pgTable(
  'slack_people',
  {
    /**
     * The workspace the user id is a person of (distributed: the Enterprise Grid organization, else
     * the team; see `workspaceKey`); '' with one workspace. A '' row applies to an account of any
     * workspace, a keyed one only to the accounts of its workspace (`coalesce(enterprise_id, team_id)`).
     */
    workspaceKey: text('workspace_key').notNull().default(''),
    userId: text('user_id').notNull(),
    deactivated: boolean('deactivated').notNull(),
    /** When Slack last said so. */
    changedAt: at('changed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceKey, t.userId] })],
);

/** People who have opened Vouch's Home tab, so changes that concern them refresh it. */
export const homeViewers = pgTable(
  'home_viewers',
  {
    /** The person's workspace (distributed); '' with one workspace. */
    teamId: text('team_id').notNull().default(''),
    userId: text('user_id').notNull(),
    openedAt: at('opened_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

export { messageSurfaces, type MessageSurface } from '../domain/effects.js';

/** Every Slack message a record was rendered into, so later changes can edit it. */
export const slackMessages = pgTable(
  'slack_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    surface: text('surface', { enum: messageSurfaces }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    channelId: text('channel_id').notNull(),
    /** The workspace the message is in (distributed); null with one workspace. */
    teamId: text('team_id'),
    ts: text('ts').notNull(),
    /** The record version this message shows; behind the record means it needs a redraw. */
    renderedVersion: integer('rendered_version').notNull(),
    /**
     * The newer copy of the same message in the same channel that replaced this one (a setup
     * message sent again): this copy then only points to that one, with no buttons.
     */
    movedToTs: text('moved_to_ts'),
    postedAt: at('posted_at').notNull(),
  },
  (t) => [
    check('slack_messages_surface_check', sql`${t.surface} in (${inList(messageSurfaces)})`),
    uniqueIndex('slack_messages_channel_ts').on(sql`coalesce(${t.teamId}, '')`, t.channelId, t.ts),
    index('slack_messages_subject').on(t.subjectId),
  ],
);

export const outboxStatuses = ['pending', 'sent', 'dead'] as const;

/**
 * Slack writes that follow a state change, written in the same transaction as the change and
 * delivered after commit. `key` makes a replayed transaction queue nothing twice.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: outboxStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: at('created_at').notNull(),
    nextAttemptAt: at('next_attempt_at').notNull(),
    /** A claim lease: another worker may take the row once it lapses (its holder crashed). */
    lockedUntil: at('locked_until'),
    sentAt: at('sent_at'),
    lastError: text('last_error'),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    /**
     * The channel a new message goes to (a user id means their DM); null for edits and Home tabs.
     * A channel's rows are posted one at a time in `seq` order, at Slack's pace.
     */
    channel: text('channel'),
    /**
     * The workspace the write goes to, delivered with that workspace's current token; null with
     * one workspace, and for the support channel (always the provider's workspace).
     */
    teamId: text('team_id'),
  },
  (t) => [
    uniqueIndex('outbox_key_unique').on(t.key),
    check('outbox_status_check', sql`${t.status} in (${inList(outboxStatuses)})`),
    index('outbox_due').on(t.nextAttemptAt, t.seq).where(sql`${t.status} = 'pending'`),
    index('outbox_channel_queue').on(t.channel, t.seq).where(sql`${t.status} = 'pending' and ${t.channel} is not null`),
    /** Dead rows are few: health checks count them here instead of reading the table. */
    index('outbox_dead').on(t.createdAt).where(sql`${t.status} = 'dead'`),
    /** Delivered rows by age, so pruning finds the old ones without reading the others. */
    index('outbox_sent').on(t.sentAt).where(sql`${t.status} = 'sent'`),
  ],
);

/**
 * Slack's pace of new messages per channel, shared by every replica: the next message into
 * `channel` is not posted before `nextPostAt`, a time on the database's clock. A channel without
 * a row (or whose time has passed) may be posted to at once.
 */
export const outboxChannels = pgTable(
  'outbox_channels',
  {
    channel: text('channel').primaryKey(),
    nextPostAt: at('next_post_at').notNull(),
  },
  (t) => [index('outbox_channels_next_post').on(t.nextPostAt)],
);

/** Leases that make each scheduled job tick run on one replica only. */
export const jobLeases = pgTable('job_leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  leasedUntil: at('leased_until').notNull(),
  /** The tick last run, so a tick that another replica already ran is never run again. */
  lastSlot: at('last_slot').notNull(),
});

export const installationRevocations = ['app_uninstalled', 'tokens_revoked', 'refresh_refused'] as const;
export type InstallationRevocation = (typeof installationRevocations)[number];

/**
 * Where Vouch is installed when it is distributed (Slack OAuth): one row per workspace, or per
 * Enterprise Grid organization for an org-wide install, updated by a reinstall. The tokens are
 * sealed with INSTALLATION_ENCRYPTION_KEY (AES-256-GCM, bound to the row's `install_key`), so a
 * dump of the database holds none in clear; they are erased when the install ends.
 */
export const slackInstallations = pgTable(
  'slack_installations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** `team:T…` for a workspace, `enterprise:E…` for an org-wide install. */
    installKey: text('install_key').notNull(),
    teamId: text('team_id'),
    teamName: text('team_name'),
    enterpriseId: text('enterprise_id'),
    enterpriseName: text('enterprise_name'),
    enterpriseUrl: text('enterprise_url'),
    isEnterpriseInstall: boolean('is_enterprise_install').notNull().default(false),
    appId: text('app_id'),
    botId: text('bot_id'),
    botUserId: text('bot_user_id').notNull(),
    botScopes: text('bot_scopes').notNull(),
    /** Who installed it (or installed it again last). */
    installerUserId: text('installer_user_id').notNull(),
    /** Sealed; null once the install ended. */
    botToken: text('bot_token'),
    /** Sealed; with token rotation only. */
    botRefreshToken: text('bot_refresh_token'),
    /** With token rotation: when `bot_token` stops working. */
    botTokenExpiresAt: at('bot_token_expires_at'),
    installedAt: at('installed_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    refreshedAt: at('refreshed_at'),
    /** Set by app_uninstalled or tokens_revoked (or a refresh Slack refused for good); cleared by a reinstall. */
    revokedAt: at('revoked_at'),
    revokedReason: text('revoked_reason', { enum: installationRevocations }),
  },
  (t) => [
    uniqueIndex('slack_installations_key').on(t.installKey),
    index('slack_installations_enterprise').on(t.enterpriseId),
    check(
      'slack_installations_scope_check',
      sql`(${t.isEnterpriseInstall} and ${t.enterpriseId} is not null) or (not ${t.isEnterpriseInstall} and ${t.teamId} is not null)`,
    ),
    check(
      'slack_installations_revoked_check',
      sql`${t.revokedReason} is null or ${t.revokedReason} in (${inList(installationRevocations)})`,
    ),
    // Revoked with a reason, and a live install always has its token.
    check(
      'slack_installations_live_check',
      sql`(${t.revokedAt} is null) = (${t.revokedReason} is null) and (${t.revokedAt} is not null or ${t.botToken} is not null)`,
    ),
  ],
);

/**
 * The OAuth `state` of installs under way: one row per visit to the install page, deleted when
 * Slack sends the installer back with it, so a state works once. Only its hash is kept.
 */
export const oauthStates = pgTable(
  'oauth_states',
  {
    stateHash: text('state_hash').primaryKey(),
    installOptions: jsonb('install_options').notNull(),
    createdAt: at('created_at').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index('oauth_states_expiry').on(t.expiresAt)],
);

export type Account = typeof accounts.$inferSelect;
export type SetupInvitation = typeof setupInvitations.$inferSelect;
export type DelegationRow = typeof delegations.$inferSelect;
export type SlackMessageRow = typeof slackMessages.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type RecoveryRequest = typeof recoveryRequests.$inferSelect;
export type RecoveryQuestion = typeof recoveryQuestions.$inferSelect;
export type SlackInstallationRow = typeof slackInstallations.$inferSelect;
