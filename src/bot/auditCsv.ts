import type { AuditSubjects } from '../db/audit.js';
import type { AuditEvent } from '../db/schema.js';
import { auditSentence } from './blocks/auditTrail.js';

/**
 * The audit trail as CSV: one row per event, oldest first, with the sentence the page shows (in
 * plain text, people by their Slack id) and every code, id and value.
 */

/** `actor_team`: distributed, the workspace the person acted from (last, so older readers of the file keep their columns). */
export const AUDIT_CSV_COLUMNS = ['at', 'what', 'actor', 'action', 'subject_kind', 'subject_id', 'before', 'after', 'actor_team'] as const;

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
 * first) gets a leading apostrophe, so it shows as text: the trail holds what people typed.
 */
export function csvCell(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

/**
 * Mrkdwn as plain text: Vouch's own formatting marks dropped (what people typed never holds a bare
 * one: escaping shows theirs through a date's fallback), a date's fallback, a mention as @id,
 * entities decoded.
 */
export function plainText(markup: string): string {
  return markup
    .split(/(<[^<>]*>)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/[*_~`]/g, '')))
    .join('')
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<@([UW][A-Z0-9]+)>/g, '@$1')
    .replace(/<#([CGD][A-Z0-9]+)>/g, '#$1')
    .replace(/<([^|<>]+)\|([^<>]*)>/g, '$2')
    .replace(/\u00AD/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const json = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));

export function auditCsv(events: readonly AuditEvent[], account: { name: string }, subjects: AuditSubjects): string {
  const rows = events.map((e) =>
    [
      e.at.toISOString(),
      plainText(auditSentence(e, account, subjects).text),
      e.actor,
      e.action,
      e.subjectKind,
      e.subjectId,
      json(e.before),
      json(e.after),
      e.actorTeamId ?? '',
    ].map(csvCell),
  );
  return `${[[...AUDIT_CSV_COLUMNS], ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`;
}
