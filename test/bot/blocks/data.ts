import type { AnyBlock, KnownBlock } from '@slack/types';
import { fieldLimits } from '../../../src/bot/blocks/modals.js';
import { REJECT_REASON_LIMIT } from '../../../src/bot/blocks/recoveryModals.js';
import type { Account, AuditEvent, DelegationRow, RecoveryQuestion, RecoveryRequest, SetupInvitation } from '../../../src/db/schema.js';
import { recoveryFieldLimits, type RecoveryCheck } from '../../../src/domain/recovery.js';
import { RECOVERY_ANSWER_LIMIT, RECOVERY_QUESTION_LIMIT } from '../../../src/domain/recoveryQuestions.js';

/**
 * Rows as the builders receive them, for representative data and for the worst case: the
 * longest values the forms and the provisioning API accept, made of what escaping makes longest
 * (a formatting character between letters, each one shown through a date's fallback).
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const now = new Date('2026-11-23T09:00:00Z');
export const inHours = (hours: number) => new Date(now.getTime() + hours * HOUR);

/** What `slackDate` writes for `at`: each reader's time zone, with the UTC time as fallback. */
export const dateToken = (at: Date) =>
  `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} at {time}|${at.toISOString().replace('T', ' ').slice(0, 16)} UTC>`;

export const people = {
  pat: 'U0PAT000001',
  cole: 'U0COLE00001',
  sam: 'U0SAM000001',
  riley: 'U0RILEY0001',
  support: 'U0SUPPORT01',
} as const;

export const ids = {
  account: '8a0c1f7e-1b64-4d4e-9a51-0d6a3e1c2b01',
  invitation: '5b2e7d10-3c2a-4b8f-8f6e-1a2b3c4d5e02',
  delegation: 'c3d4e5f6-a7b8-4c9d-8e0f-112233445503',
  request: 'f0e1d2c3-b4a5-4968-8776-655443322104',
  question: '0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c205',
} as const;

/** `n` characters, each one that escaping makes five. */
export const ampersands = (n: number) => '&'.repeat(n);
/**
 * `n` characters that escaping makes longest: a formatting character between letters, each shown
 * as typed through a date's fallback (`<!date^00000000^{_}|*>`, 22 characters for one).
 */
export const costliest = (n: number) => '*a'.repeat(Math.ceil(n / 2)).slice(0, n);
/** A valid e-mail address of exactly `n` characters, as costly as it gets. */
export const longEmail = (n: number) => `${costliest(n - 5)}@a.*a`;

/** Whitespace taken out: a text split over sections, compared with the whole. */
export const squash = (text: string) => text.replace(/\s+/g, '');

/** The longest value of every field a person can type, at its limit. */
export const longest = {
  accountName: costliest(fieldLimits.accountName),
  contractNumber: costliest(fieldLimits.contractNumber),
  emailToAdd: longEmail(recoveryFieldLimits.emailToAdd),
  reason: costliest(recoveryFieldLimits.reason),
  officerName: costliest(recoveryFieldLimits.officerName),
  officerTitle: costliest(recoveryFieldLimits.officerTitle),
  officerEmail: longEmail(recoveryFieldLimits.officerEmail),
  rejectionReason: costliest(REJECT_REASON_LIMIT),
  inviteeEmail: longEmail(254),
  question: costliest(RECOVERY_QUESTION_LIMIT),
  answer: costliest(RECOVERY_ANSWER_LIMIT),
} as const;

export const account = (over: Partial<Account> = {}): Account => ({
  id: ids.account,
  teamId: null,
  enterpriseId: null,
  name: 'Acme Corp',
  contractNumber: 'C-1042',
  primaryContactUserId: people.pat,
  status: 'pending_setup',
  createdBy: 'provisioning-api',
  createdAt: now,
  setUpAt: null,
  setUpBy: null,
  ...over,
});

export const invitation = (over: Partial<SetupInvitation> = {}): SetupInvitation => ({
  id: ids.invitation,
  accountId: ids.account,
  holderUserId: people.pat,
  status: 'pending',
  version: 1,
  issuedAt: now,
  expiresAt: inHours(30 * 24),
  closedAt: null,
  closedBy: null,
  handedToUserId: null,
  remindedAt: null,
  holderRemovedAt: null,
  ...over,
});

export const delegation = (over: Partial<DelegationRow> = {}): DelegationRow => ({
  id: ids.delegation,
  accountId: ids.account,
  setupInvitationId: ids.invitation,
  inviterUserId: people.pat,
  inviteeUserId: people.cole,
  inviteeEmail: null,
  inviteeIsAdmin: false,
  status: 'awaiting_confirmation',
  version: 1,
  requestedAt: now,
  confirmExpiresAt: inHours(24),
  approvedAt: null,
  acceptExpiresAt: null,
  closedAt: null,
  closedBy: null,
  remindedAt: null,
  inviterRemovedAt: null,
  ...over,
});

export const checks: RecoveryCheck[] = [
  { label: 'Account', outcome: 'pass', detail: 'Found: Acme Corp.' },
  { label: 'Active admins', outcome: 'warn', detail: '1 active admin(s): they could add this person themselves.' },
  { label: 'Contract number', outcome: 'fail', detail: 'Does not match the account’s contract number.' },
];

export const recoveryRequest = (over: Partial<RecoveryRequest> = {}): RecoveryRequest => ({
  id: ids.request,
  requesterTeamId: null,
  requesterEnterpriseId: null,
  crossWorkspace: null,
  reference: 'REC-7KQ2ZP',
  requesterUserId: people.riley,
  accountName: 'Acme Corp',
  accountId: ids.account,
  emailToAdd: 'riley@acme.example',
  reason: 'Our only admin left the company and her mailbox was deleted.',
  contractNumber: 'C-1042',
  officerName: 'Dana Whitfield',
  officerTitle: 'CIO',
  officerEmail: 'dana@acme.example',
  letterFileId: 'F0LETTER01',
  letterFileName: 'letter.pdf',
  letterPermalink: 'https://acme.slack.com/files/U0RILEY0001/F0LETTER01/letter.pdf',
  letterSha256: 'a'.repeat(64),
  checks,
  status: 'open',
  approvalsRequired: 1,
  version: 1,
  createdAt: now,
  decidedAt: null,
  decidedBy: null,
  rejectionReason: null,
  addedUserId: null,
  blockedReason: null,
  lastRemindedAt: null,
  waitingSince: null,
  ...over,
});

export const recoveryQuestion = (over: Partial<RecoveryQuestion> = {}): RecoveryQuestion => ({
  id: ids.question,
  requestId: ids.request,
  askedBy: people.sam,
  question: 'The letter is not signed.\nCan you send one signed in ink?',
  askedAt: now,
  status: 'asked',
  version: 1,
  answer: null,
  answeredAt: null,
  letterFileName: null,
  letterSha256: null,
  ...over,
});

/** A recovery request with every field a person types at its limit. */
export const longestRecoveryRequest = (over: Partial<RecoveryRequest> = {}): RecoveryRequest =>
  recoveryRequest({
    accountName: longest.accountName,
    emailToAdd: longest.emailToAdd,
    reason: longest.reason,
    contractNumber: longest.contractNumber,
    officerName: longest.officerName,
    officerTitle: longest.officerTitle,
    officerEmail: longest.officerEmail,
    letterFileName: `${costliest(251)}.pdf`,
    checks: [
      { label: 'Account', outcome: 'pass', detail: `Found: ${longest.accountName}.` },
      { label: 'Contract number', outcome: 'fail', detail: 'Does not match the account’s contract number.' },
      { label: 'Active admins', outcome: 'warn', detail: '12 active admin(s): they could add this person themselves.' },
      { label: 'Repeat request', outcome: 'warn', detail: 'An earlier request for this account and e-mail is still open (REC-ABCDEF).' },
      { label: 'Requester', outcome: 'warn', detail: 'Their Slack e-mail address could not be read: compare it by hand.' },
      { label: 'Officer’s domain', outcome: 'warn', detail: 'No primary contact e-mail to compare with.' },
    ],
    ...over,
  });

let seq = 0;
export const auditEvent = (over: Partial<AuditEvent> = {}): AuditEvent => ({
  id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  actorTeamId: null,
  accountId: ids.account,
  actor: people.pat,
  action: 'account.set_up',
  subjectKind: 'account',
  subjectId: ids.account,
  before: { status: 'pending_setup' },
  after: { status: 'active' },
  at: now,
  seq,
  ...over,
});

export interface ButtonSeen {
  blockId: string | undefined;
  label: string;
  actionId: string | undefined;
  value: string | undefined;
  style?: string;
}

/** Every button in `blocks`, in display order, as the parts a test cares about. */
export function buttonsIn(blocks: readonly AnyBlock[]): ButtonSeen[] {
  return (blocks as KnownBlock[]).flatMap((block) =>
    block.type === 'actions'
      ? block.elements.flatMap((e) =>
          e.type === 'button'
            ? [
                {
                  blockId: block.block_id,
                  label: e.text.text,
                  actionId: e.action_id,
                  value: e.value,
                  ...(e.style ? { style: e.style } : {}),
                },
              ]
            : [],
        )
      : [],
  );
}

/** The texts of `blocks` that a block of `type` shows (header text, section text, context elements). */
export function textsOf(blocks: readonly AnyBlock[], type: 'header' | 'section' | 'context'): string[] {
  return (blocks as KnownBlock[]).flatMap((block) => {
    if (block.type !== type) return [];
    if (block.type === 'header') return [block.text.text];
    if (block.type === 'section') return block.text ? [block.text.text] : [];
    if (block.type === 'context') return block.elements.flatMap((e) => ('text' in e && typeof e.text === 'string' ? [e.text] : []));
    return [];
  });
}
