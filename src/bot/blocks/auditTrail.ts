import type { AuditSubjects } from '../../db/audit.js';
import type { AuditEvent } from '../../db/schema.js';
import { code, type Mrkdwn, mention, mrkdwn, slackDate } from './format.js';
import { person as personIn } from './person.js';

/**
 * The audit trail in people's words: one sentence per event, with people as mentions. The codes
 * and ids stay out of the sentence (the page shows them small under it, and the CSV has them all).
 */

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const when = (value: unknown): Date | null => {
  const at = text(value);
  return at && !Number.isNaN(Date.parse(at)) ? new Date(at) : null;
};

/** Who did it: a person, or what acts on its own. */
export function actorWords(actor: string): Mrkdwn {
  if (/^[UW][A-Z0-9]+$/.test(actor)) return mention(actor);
  if (actor === 'api') return mrkdwn`The provider’s systems`;
  if (actor === 'slack') return mrkdwn`Slack`;
  return mrkdwn`Vouch`;
}

const until = (at: Date | null): Mrkdwn => (at ? mrkdwn` (until ${slackDate(at)})` : mrkdwn``);

/** One event as a sentence; an event Vouch has no words for is named by its code. */
export function auditSentence(e: AuditEvent, account: { name: string }, subjects: AuditSubjects): Mrkdwn {
  const recovery = subjects.recoveries[e.subjectId];
  // Distributed: support acts from the provider's workspace, where a mention would not resolve for the account's admins.
  const supportSide = recovery?.crossWorkspace?.support;
  // Read from another workspace than the account's (support): the account's people are named in words.
  const away = subjects.readAway;
  const person = (userId: string | null | undefined): Mrkdwn => (userId ? personIn(userId, away?.account) : mrkdwn`someone`);
  const by = away
    ? e.actorTeamId === away.account.teamId
      ? personIn(e.actor, away.account)
      : actorWords(e.actor)
    : supportSide && e.actorTeamId === supportSide.teamId
      ? personIn(e.actor, supportSide)
      : actorWords(e.actor);
  const before = obj(e.before);
  const after = obj(e.after);
  const name = mrkdwn`*${account.name}*`;
  const delegation = subjects.delegations[e.subjectId];
  const invitee = person(delegation?.inviteeUserId ?? text(after.invitee));
  const inviter = person(delegation?.inviterUserId);
  const reference = recovery?.reference ?? text(after.reference) ?? 'a recovery request';
  const holder = person(subjects.invitations[e.subjectId]?.holderUserId ?? text(before.holder) ?? text(after.holder));

  switch (e.action) {
    case 'account.provisioned':
      return mrkdwn`${by} provisioned ${name} (contract ${text(after.contractNumber) ?? '?'}), with ${person(text(after.primaryContact))} as its primary contact`;
    case 'account.set_up': {
      const renamed = text(before.name) && text(after.name) && before.name !== after.name;
      return renamed ? mrkdwn`${by} set up ${name}, renamed from “${text(before.name) ?? ''}”` : mrkdwn`${by} set up ${name}`;
    }
    case 'admin.granted':
      if (text(after.reason) === 'primary contact') return mrkdwn`${person(e.subjectId)} is an admin as the primary contact`;
      if (text(after.invitedBy))
        return mrkdwn`${person(e.subjectId)} accepted the invitation of ${person(text(after.invitedBy))} and is now an admin`;
      if (text(after.recovery))
        return mrkdwn`${person(e.subjectId)} is now an admin through recovery request ${text(after.recovery) ?? ''}`;
      return mrkdwn`${by} made ${person(e.subjectId)} an admin`;
    case 'admin.removed':
      return e.actor === e.subjectId ? mrkdwn`${by} stepped down as an admin` : mrkdwn`${by} removed ${person(e.subjectId)} as an admin`;
    case 'admin.deactivated_in_slack':
      return mrkdwn`${person(e.subjectId)}’s Slack account was deactivated: not an active admin while it is`;
    case 'admin.reactivated_in_slack':
      return mrkdwn`${person(e.subjectId)}’s Slack account is active again, and so is their admin role`;
    case 'setup_invitation.issued':
      return mrkdwn`${holder} got an invitation to set up ${name}${until(when(after.expiresAt))}`;
    case 'setup_invitation.completed':
      return mrkdwn`${holder}’s setup invitation was used: ${name} is set up`;
    case 'setup_invitation.expired':
      return mrkdwn`${holder}’s setup invitation expired unused`;
    case 'setup_invitation.revoked':
      return mrkdwn`${holder}’s setup invitation was withdrawn when ${by} removed them as an admin`;
    case 'setup_invitation.handed_over':
      return mrkdwn`${holder} handed the setup of ${name} to ${person(text(after.handedTo))}`;
    case 'delegation.requested': {
      const confirmBy = when(after.confirmExpiresAt);
      return mrkdwn`${by} invited ${invitee} to set up ${name}${confirmBy ? mrkdwn` (confirmation until ${slackDate(confirmBy)})` : ''}`;
    }
    case 'delegation.approved':
      return mrkdwn`${by} confirmed the invitation of ${invitee}, who was asked to accept`;
    case 'delegation.cancelled':
      return mrkdwn`${by} cancelled the invitation of ${invitee} before confirming it`;
    case 'delegation.accepted':
      return mrkdwn`${invitee} accepted the invitation of ${inviter} to set up ${name}`;
    case 'delegation.declined':
      return mrkdwn`${invitee} declined the invitation of ${inviter} to set up ${name}`;
    case 'delegation.expired':
      return text(before.status) === 'awaiting_acceptance'
        ? mrkdwn`The invitation of ${invitee} expired unanswered`
        : mrkdwn`${inviter} did not confirm the invitation of ${invitee} in time; it expired`;
    case 'delegation.revoked':
      return mrkdwn`The invitation of ${invitee} was withdrawn: ${inviter} is no longer an admin`;
    case 'delegation.superseded':
      return mrkdwn`The invitation of ${invitee} was no longer needed and closed`;
    case 'recovery.requested':
      return mrkdwn`${by} asked support to add ${text(after.emailToAdd) ?? recovery?.emailToAdd ?? 'someone'} as an admin of ${name} (recovery request ${reference})`;
    case 'recovery.approval_recorded':
      return mrkdwn`${by} approved recovery request ${reference} (${String(after.approvals ?? '?')} of ${String(after.required ?? '?')} approvals)`;
    case 'recovery.approval_withdrawn':
      return mrkdwn`The approval of ${supportSide && !away ? personIn(text(before.approver) ?? '', supportSide) : text(before.approver) ? mention(text(before.approver) ?? '') : mrkdwn`someone`} on recovery request ${reference} no longer counts`;
    case 'recovery.approval_blocked':
      return mrkdwn`Recovery request ${reference} could not be completed: ${text(after.problem) ?? 'a problem'}`;
    case 'recovery.approved':
      return mrkdwn`${by} approved recovery request ${reference}: ${person(text(after.addedUserId) ?? recovery?.addedUserId)} is now an admin`;
    case 'recovery.rejected':
      return mrkdwn`${by} rejected recovery request ${reference}: ${text(after.reason) ?? ''}`;
    case 'recovery.info_requested':
      return mrkdwn`${by} asked ${person(recovery?.requesterUserId)} for more information on recovery request ${reference}`;
    case 'recovery.info_provided':
      return mrkdwn`${by} answered support’s question on recovery request ${reference}`;
    case 'audit.exported':
      return mrkdwn`${by} took a copy of this audit trail (CSV)`;
    default:
      return mrkdwn`${by}: ${code(e.action)}`;
  }
}

/** What stays behind the sentence, small: the time, the event's code and the record it changed. */
export const auditDetails = (e: AuditEvent, account?: { teamId: string | null }, subjects?: AuditSubjects): Mrkdwn =>
  mrkdwn`${slackDate(e.at)}${actorWorkspace(e, account, subjects)} · Details: ${code(e.action)} on ${e.subjectKind} ${code(e.subjectId)}`;

/**
 * Distributed: where the person who acted is from, when that is not the account's workspace
 * (support in the provider's, say), since a user id alone names no one across workspaces.
 */
function actorWorkspace(e: AuditEvent, account: { teamId: string | null } | undefined, subjects: AuditSubjects | undefined): Mrkdwn {
  if (!e.actorTeamId || !account?.teamId || e.actorTeamId === account.teamId) return mrkdwn``;
  const name = subjects?.workspaces?.[e.actorTeamId];
  return name
    ? mrkdwn` · acted from the workspace ${name} (${code(e.actorTeamId)})`
    : mrkdwn` · acted from the workspace ${code(e.actorTeamId)}`;
}
