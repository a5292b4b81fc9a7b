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
