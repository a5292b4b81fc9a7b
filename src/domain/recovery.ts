import type { Workspace } from './workspace.js';
import { defineMachine } from './stateMachine.js';
import type { Answer, DirectoryPerson } from './directory.js';
import { audited, queue, refreshHomes, type Decision, type Effect } from './effects.js';
import { outboxKey } from './outboxKeys.js';
import type { AdminCount } from './people.js';

/**
 * Admin recovery (seed 001): someone with no admin left asks for access, a C-level officer
 * vouches with a signed letter, and support decides in the support channel.
 */
export const recoveryStates = ['open', 'awaiting_info', 'approved', 'rejected'] as const;
export type RecoveryStatus = (typeof recoveryStates)[number];
/** A request no transition leads out of. */
export type DecidedRecoveryStatus = Extract<RecoveryStatus, 'approved' | 'rejected'>;

export const recoveryMachine = defineMachine(recoveryStates, {
  /** The last approval the quorum needed arrived, and the admin was added. */
  approve: { from: ['open'], to: 'approved' },
  /** A support member rejected it, with a reason (also while a question waits for the requester). */
  reject: { from: ['open', 'awaiting_info'], to: 'rejected' },
  /** An approval below the quorum was counted; the request waits for the next one. */
  vote: { from: ['open'], to: 'open' },
  /** The quorum was reached but the admin could not be added (no such person, no account): it stays open and says why. */
  block: { from: ['open'], to: 'open' },
  /** Still open after RECOVERY_REMIND_AFTER: a reminder went to its thread. */
  remind: { from: ['open'], to: 'open' },
  /** A support member asked the requester for more information: the request waits for the reply. */
  ask: { from: ['open'], to: 'awaiting_info' },
  /** The requester replied (perhaps with a corrected letter): back to support for review. */
  reply: { from: ['awaiting_info'], to: 'open' },
  /** Still unanswered after RECOVERY_REMIND_AFTER: the requester was reminded by DM. */
  remind_requester: { from: ['awaiting_info'], to: 'awaiting_info' },
});
export type RecoveryEvent = keyof typeof recoveryMachine.transitions;

export type RecoveryRefusal =
  | { reason: 'not_support' }
  | { reason: 'own_request' }
  | { reason: 'already_voted' }
  | { reason: 'already_decided'; status: DecidedRecoveryStatus }
  /** A question waits for the requester's answer: nobody approves, or asks another, until they reply. */
  | { reason: 'awaiting_info' }
  /** Only the requester answers support's question. */
  | { reason: 'not_requester' }
  /** The question was answered already, or no answer is needed any more (the request was decided). */
  | { reason: 'question_closed'; status: 'answered' | 'withdrawn' }
  /** Slack did not answer a question the decision cannot do without: nothing was recorded. */
  | { reason: 'slack_unavailable' }
  | { reason: 'not_found' };

/** What a support member does to a request, and the transition it needs. */
export type RecoveryAction = 'approve' | 'reject' | 'ask';
const actionEvent: Record<RecoveryAction, RecoveryEvent> = { approve: 'approve', reject: 'reject', ask: 'ask' };

/**
 * Whether `actor` may approve, reject or ask now: only support, only while the request is in
 * play (approve and ask only while it is not waiting for the requester's answer), never one's own
 * request, never a request that adds oneself (the Slack user of the e-mail to add is compared by
 * user id), and an approval once per person. An approval is refused when Slack could not say who
 * the e-mail to add belongs to; a rejection or a question, which grant nothing, are not.
 */
export function checkRecoveryDecision(input: {
  status: RecoveryStatus;
  requesterUserId: string;
  actorUserId: string;
  actorIsSupport: boolean;
  /** The Slack user of the e-mail to add (null: nobody has it). */
  newAdmin: Answer<DirectoryPerson | null>;
  approverUserIds: readonly string[];
  action: RecoveryAction;
}): RecoveryRefusal | null {
  if (!input.actorIsSupport) return { reason: 'not_support' };
  if (!recoveryMachine.isLive(input.status)) return { reason: 'already_decided', status: input.status as DecidedRecoveryStatus };
  if (!recoveryMachine.can(input.status, actionEvent[input.action])) return { reason: 'awaiting_info' };
  if (input.actorUserId === input.requesterUserId) return { reason: 'own_request' };
  if (input.newAdmin.answered) {
    if (input.newAdmin.value?.userId === input.actorUserId) return { reason: 'own_request' };
  } else if (input.action === 'approve') {
    return { reason: 'slack_unavailable' };
  }
  if (input.action === 'approve' && input.approverUserIds.includes(input.actorUserId)) return { reason: 'already_voted' };
  return null;
}

/**
 * Why the person to add cannot be made an admin, or null when they can. The words are stored
 * (the request shows the last one) and posted in the request's thread.
 */
export function newAdminProblem(person: DirectoryPerson | null, email: string): string | null {
  if (!person) return `No one in this workspace has the e-mail address ${email}. Ask them to join Slack, then approve again.`;
  if (person.deactivated) return `The Slack account with ${email} is deactivated.`;
  if (person.isBot) return `${email} belongs to an app, not a person.`;
  return null;
}

/** Whether this approval completes the quorum. */
export function completesQuorum(approvalsSoFar: number, required: number): boolean {
  return approvalsSoFar + 1 >= required;
}

// ---------------------------------------------------------------------------------------------
// The request form: exactly the letter's contents, all required.

export const recoveryFieldLimits = {
  accountName: 80,
  emailToAdd: 254,
  reason: 2000,
  contractNumber: 40,
  officerName: 120,
  officerTitle: 120,
  officerEmail: 254,
} as const;
export type RecoveryField = keyof typeof recoveryFieldLimits;

export const allowedLetterTypes = ['pdf', 'png', 'jpg', 'jpeg'] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type RecoveryForm = Record<RecoveryField, string>;

/** Field → message for every problem in the form; empty when it is valid. */
export function validateRecoveryForm(
  form: RecoveryForm,
  letter: { name: string } | null,
): Partial<Record<RecoveryField | 'letter', string>> {
  const errors: Partial<Record<RecoveryField | 'letter', string>> = {};
  for (const field of Object.keys(recoveryFieldLimits) as RecoveryField[]) {
    const value = form[field].trim();
    const limit = recoveryFieldLimits[field];
    if (!value) errors[field] = 'This is required.';
    else if (value.length > limit) errors[field] = `Keep this to ${limit} characters or fewer (now ${value.length}).`;
    else if ((field === 'emailToAdd' || field === 'officerEmail') && !EMAIL.test(value))
      errors[field] = 'Enter an e-mail address such as name@company.com.';
  }
  if (!letter) errors.letter = 'Attach the signed letter (PDF or image).';
  else {
    const problem = letterTypeProblem(letter.name);
    if (problem) errors.letter = problem;
  }
  return errors;
}

/** Why a file cannot be the letter (by its name's extension), or null when it can. */
export function letterTypeProblem(fileName: string): string | null {
  const extension = fileName.split('.').pop()?.toLowerCase() ?? '';
  return (allowedLetterTypes as readonly string[]).includes(extension) ? null : 'The letter must be a PDF, PNG or JPEG file.';
}

// ---------------------------------------------------------------------------------------------
// The checks support would otherwise make by hand.

export type CheckOutcome = 'pass' | 'warn' | 'fail';
export interface RecoveryCheck {
  label: string;
  outcome: CheckOutcome;
  detail: string;
}

export interface RecoveryFacts {
  /** `admins`: how many, and how many of them are deactivated in Slack. */
  account: { name: string; contractNumber: string; admins: AdminCount; primaryContactEmail: string | null } | null;
  contractNumber: string;
  /** A request still in play for the same account (or, with no account, the same name) and e-mail. */
  earlierOpenReference: string | null;
  requesterEmail: string | null;
  emailToAdd: string;
  officerEmail: string;
  /** Whether the requester names themselves as the officer (null: Slack could not tell). */
  officerIsRequester: boolean | null;
  /**
   * Distributed: whether the requester's Slack workspace is the account's (absent with one
   * workspace, where everyone shares it).
   */
  requesterInAccountWorkspace?: boolean;
}

/**
 * Whether the requester names themselves as the officer: the officer's e-mail is the requester's
 * Slack address, or belongs to the requester's Slack user. Null when Slack could tell neither.
 */
export function officerIsRequester(input: {
  requesterUserId: string;
  requesterEmail: string | null;
  officerEmail: string;
  /** The Slack user of the officer's e-mail (null: nobody has it). */
  officer: Answer<DirectoryPerson | null>;
}): boolean | null {
  if (input.requesterEmail !== null && input.requesterEmail.toLowerCase() === input.officerEmail.trim().toLowerCase()) return true;
  if (input.officer.answered) return input.officer.value?.userId === input.requesterUserId;
  // A Slack user has one address: a requester whose address is another is not the officer's user.
  return input.requesterEmail === null ? null : false;
}

const domainOf = (email: string) => email.split('@').pop()?.toLowerCase() ?? '';

const admins = (n: number) => `${n} admin${n === 1 ? '' : 's'}`;

/**
 * Whether anyone could add the person without support: only admins whose Slack account is active
 * can. "1 admin, deactivated in Slack" passes; an active one warns.
 */
export function activeAdminsCheck({ active, deactivated }: AdminCount): RecoveryCheck {
  const label = 'Active admins';
  if (active === 0) {
    const detail =
      deactivated === 0
        ? 'None: recovery is the way back.'
        : `None active: ${admins(deactivated)}, ${deactivated === 1 ? '' : 'all '}deactivated in Slack. Recovery is the way back.`;
    return { label, outcome: 'pass', detail };
  }
  const also = deactivated === 0 ? '' : ` (and ${admins(deactivated)} deactivated in Slack)`;
  return {
    label,
    outcome: 'warn',
    detail: `${active} active ${active === 1 ? 'admin' : 'admins'}${also}: they could add this person themselves.`,
  };
}

export function recoveryChecks(facts: RecoveryFacts): RecoveryCheck[] {
  const { account } = facts;
  const checks: RecoveryCheck[] = [];
  if (!account) {
    checks.push({ label: 'Account', outcome: 'fail', detail: 'No Enterprise Account has this name.' });
  } else {
    checks.push({ label: 'Account', outcome: 'pass', detail: `Found: ${account.name}.` });
    const contractMatches = account.contractNumber.trim().toLowerCase() === facts.contractNumber.trim().toLowerCase();
    checks.push({
      label: 'Contract number',
      outcome: contractMatches ? 'pass' : 'fail',
      detail: contractMatches ? 'Matches the account’s.' : 'Does not match the account’s contract number.',
    });
    if (facts.requesterInAccountWorkspace !== undefined)
      checks.push({
        label: 'Workspace',
        outcome: facts.requesterInAccountWorkspace ? 'pass' : 'fail',
        detail: facts.requesterInAccountWorkspace
          ? 'The requester is in the account’s Slack workspace.'
          : 'The requester writes from another Slack workspace than the account’s.',
      });
    checks.push(activeAdminsCheck(account.admins));
  }
  checks.push(
    facts.earlierOpenReference
      ? {
          label: 'Repeat request',
          outcome: 'warn',
          detail: `An earlier request for this ${account ? 'account' : 'account name'} and e-mail is still open (${facts.earlierOpenReference}).`,
        }
      : {
          label: 'Repeat request',
          outcome: 'pass',
          detail: `No earlier open request for this ${account ? 'account' : 'account name'} and e-mail.`,
        },
  );
  if (facts.requesterEmail === null) {
    checks.push({ label: 'Requester', outcome: 'warn', detail: 'Their Slack e-mail address could not be read: compare it by hand.' });
  } else {
    const self = facts.requesterEmail.toLowerCase() === facts.emailToAdd.toLowerCase();
    checks.push({
      label: 'Requester',
      outcome: self ? 'pass' : 'warn',
      detail: self
        ? 'Asks to add their own Slack e-mail address.'
        : `Asks to add an address that is not their own Slack e-mail (${facts.requesterEmail}).`,
    });
  }
  checks.push(
    facts.officerIsRequester === null
      ? { label: 'Officer', outcome: 'warn', detail: 'Could not tell whether the officer is the requester: compare by hand.' }
      : facts.officerIsRequester
        ? {
            label: 'Officer',
            outcome: 'fail',
            detail: 'The requester names themselves as the officer: the letter must come from someone else.',
          }
        : { label: 'Officer', outcome: 'pass', detail: 'Someone other than the requester.' },
  );
  const contact = account?.primaryContactEmail ?? null;
  if (contact === null) {
    checks.push({ label: 'Officer’s domain', outcome: 'warn', detail: 'No primary contact e-mail to compare with.' });
  } else {
    const same = domainOf(contact) === domainOf(facts.officerEmail);
    checks.push({
      label: 'Officer’s domain',
      outcome: same ? 'pass' : 'warn',
      detail: same
        ? `Same domain as the primary contact (${domainOf(contact)}).`
        : `${domainOf(facts.officerEmail)} differs from the primary contact’s ${domainOf(contact)}.`,
    });
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------
// Filing: a new request, stored with the checks as they are now.

export interface RecoveryLetter {
  fileId: string;
  name: string;
  permalink: string | null;
  sha256: string;
}

/**
 * A new request: stored with the checks as they are now, posted to the support channel, a
 * receipt sent to the requester by DM, and shown on support's Home tabs and the requester's.
 */
export function decideRecoveryFiling(input: {
  id: string;
  reference: string;
  requesterUserId: string;
  /** The requester's workspace (distributed). */
  requesterWorkspace?: Workspace;
  form: RecoveryForm;
  letter: RecoveryLetter;
  accountId: string | null;
  facts: Omit<RecoveryFacts, 'contractNumber' | 'emailToAdd' | 'officerEmail'>;
  approvalsRequired: number;
  supportChannelId: string;
}): Decision<RecoveryStatus> {
  const { id, form, letter } = input;
  const emailToAdd = form.emailToAdd.trim();
  const officerEmail = form.officerEmail.trim();
  const checks = recoveryChecks({ ...input.facts, contractNumber: form.contractNumber, emailToAdd, officerEmail });
  return {
    next: 'open',
    effects: [
      {
        type: 'create_recovery_request',
        request: {
          id,
          reference: input.reference,
          requesterUserId: input.requesterUserId,
          ...(input.requesterWorkspace
            ? { requesterTeamId: input.requesterWorkspace.teamId, requesterEnterpriseId: input.requesterWorkspace.enterpriseId }
            : {}),
          accountName: form.accountName.trim(),
          accountId: input.accountId,
          emailToAdd,
          reason: form.reason.trim(),
          contractNumber: form.contractNumber.trim(),
          officerName: form.officerName.trim(),
          officerTitle: form.officerTitle.trim(),
          officerEmail,
          letterFileId: letter.fileId,
          letterFileName: letter.name,
          letterPermalink: letter.permalink,
          letterSha256: letter.sha256,
          checks,
          approvalsRequired: input.approvalsRequired,
        },
      },
      audited({
        accountId: input.accountId,
        actor: input.requesterUserId,
        action: 'recovery.requested',
        subjectKind: 'recovery_request',
        subjectId: id,
        after: { reference: input.reference, emailToAdd, officer: officerEmail, letterSha256: letter.sha256 },
      }),
      queue(outboxKey.post('recovery', id), { type: 'post', surface: 'recovery', subjectId: id, channel: input.supportChannelId }),
      uploadLetter(input.supportChannelId, { id, reference: input.reference }, letter),
      // The requester's receipt: what they sent and what happens next, redrawn as the request moves.
      queue(outboxKey.post('recovery_receipt', id), {
        type: 'post',
        surface: 'recovery_receipt',
        subjectId: id,
        channel: input.requesterUserId,
      }),
      queue(outboxKey.supportHomes(id, 1), { type: 'support_homes' }),
      ...refreshHomes([input.requesterUserId], id, 1),
    ],
  };
}

/**
 * The letter, uploaded into the request's thread in the support channel with its SHA-256: a file
 * picked in a modal is shared nowhere, so support could not open it otherwise. Queued behind the
 * request's post in the channel's queue.
 */
export function uploadLetter(supportChannelId: string, request: { id: string; reference: string }, letter: RecoveryLetter): Effect {
  return queue(outboxKey.letter(request.id, letter.sha256), {
    type: 'letter',
    channel: supportChannelId,
    threadOf: request.id,
    reference: request.reference,
    fileId: letter.fileId,
    fileName: letter.name,
    sha256: letter.sha256,
  });
}

/** A reference a person can read out: no 0/O or 1/I to confuse. */
export function recoveryReference(random: () => number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let code = '';
  for (let i = 0; i < 6; i++) code += alphabet[Math.floor(random() * alphabet.length)];
  return `REC-${code}`;
}

/**
 * Whether a request is due for its periodic reminder: support's, in its thread, while it waits for
 * review; the requester's, by DM, while a question waits for their answer. Due once a period has
 * passed since it began to wait (filed, asked, answered) and since the last reminder.
 */
export function recoveryReminderDue(
  request: { status: RecoveryStatus; createdAt: Date; waitingSince: Date | null; lastRemindedAt: Date | null },
  now: Date,
  periodMs: number,
): boolean {
  if (!recoveryMachine.isLive(request.status)) return false;
  const since = Math.max((request.waitingSince ?? request.createdAt).getTime(), request.lastRemindedAt?.getTime() ?? 0);
  return now.getTime() - since >= periodMs;
}
