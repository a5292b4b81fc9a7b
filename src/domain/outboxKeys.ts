/**
 * The identity of every queued Slack write. Queuing the same key twice (a replayed click, a
 * retried transaction, two replicas) stores one row, so these keys are what makes each
 * notification go out once. Every key is built here; nothing else spells one.
 *
 * A key is a list of parts joined by ':'. A part may also be a placeholder of the caller's type
 * `P`, so that a set-based SQL statement builds the very same keys from column expressions.
 */
type Part<P> = string | number | P;

export const outboxKeyParts = {
  /** Re-render every message that shows a record, once per version of that record. */
  redraw: <P = never>(subjectId: Part<P>, version: Part<P>) => ['redraw', subjectId, version],
  /** Re-publish one person's Home tab after a record (at a version) that concerns them changed. */
  home: <P = never>(userId: Part<P>, subjectId: Part<P>, version: Part<P>) => ['home', userId, subjectId, version],
  /** Re-publish every support member's Home tab after a recovery request changed. */
  supportHomes: <P = never>(requestId: Part<P>, version: Part<P>) => ['support_homes', requestId, version],
  /** The first message showing a record: the setup DM, the confirmation, the invitee's, the support post. */
  post: <P = never>(surface: Part<P>, subjectId: Part<P>) => ['post', surface, subjectId],
  /** The setup message sent again on `/enterprise setup`, once per request time. */
  repost: <P = never>(subjectId: Part<P>, at: Part<P>) => ['post', 'setup', subjectId, 'resend', at],
  /** A redraw the reconcile job queues for a record whose messages lag behind `version`. */
  reconcile: <P = never>(subjectId: Part<P>, version: Part<P>) => ['reconcile', subjectId, version],
  /** A recovery letter uploaded into its request's thread, once per letter (its SHA-256). */
  letter: <P = never>(subjectId: Part<P>, sha256: Part<P>) => ['letter', subjectId, sha256],
  /** The audit trail of an account as CSV, to one reader, once per request. */
  auditCsv: <P = never>(accountId: Part<P>, userId: Part<P>, at: Part<P>) => ['audit_csv', accountId, userId, at],
  /** A one-off notice of `kind` about `subjectId`; more parts tell apart several of one kind. */
  notice: <P = never>(kind: string, subjectId: Part<P>, ...more: Part<P>[]) => ['notice', kind, subjectId, ...more],
} as const satisfies Record<string, (...args: never[]) => unknown[]>;

const join = (parts: readonly (string | number)[]) => parts.join(':');

/** The finished keys, for everything that is not SQL. */
export const outboxKey = {
  redraw: (subjectId: string, version: number) => join(outboxKeyParts.redraw(subjectId, version)),
  home: (userId: string, subjectId: string, version: number) => join(outboxKeyParts.home(userId, subjectId, version)),
  supportHomes: (requestId: string, version: number) => join(outboxKeyParts.supportHomes(requestId, version)),
  post: (surface: string, subjectId: string) => join(outboxKeyParts.post(surface, subjectId)),
  repost: (subjectId: string, at: Date) => join(outboxKeyParts.repost(subjectId, at.getTime())),
  reconcile: (subjectId: string, version: number) => join(outboxKeyParts.reconcile(subjectId, version)),
  letter: (subjectId: string, sha256: string) => join(outboxKeyParts.letter(subjectId, sha256)),
  auditCsv: (accountId: string, userId: string, at: Date) => join(outboxKeyParts.auditCsv(accountId, userId, at.getTime())),
  notice: (kind: string, subjectId: string, ...more: (string | number)[]) => join(outboxKeyParts.notice(kind, subjectId, ...more)),
} as const;
