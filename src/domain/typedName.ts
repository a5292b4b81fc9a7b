/**
 * `@cole` typed as plain text rather than picked from Slack's list (which would send a mention,
 * `<@U…|cole>`): who in the workspace it names. Vouch never guesses: a name that fits no one, or
 * more than one person, is answered with how to pick the person instead.
 */

/** A person of the workspace with the names one may type after @. */
export interface NamedPerson {
  userId: string;
  /** Slack's `name`, the handle. */
  name: string;
  /** Slack's `profile.display_name`, what people see; may be empty. */
  displayName: string;
  isBot: boolean;
  deactivated: boolean;
}

export type NameMatch = { kind: 'one'; userId: string } | { kind: 'none' } | { kind: 'many'; userIds: string[] };

/** What to say when a typed name cannot be used; the last words are the instruction itself. */
export const PICK_FROM_LIST = 'pick the person from the list that appears when you type @';

const fold = (text: string) => text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');

/** `@cole` → `cole`; anything else (a mention, an e-mail, a bare word, `@` alone) → null. */
export function typedName(text: string): string | null {
  const match = /^@([^<>@\s][^<>@]*)$/.exec(text.trim());
  return match?.[1] ? match[1].trim() : null;
}

/**
 * The one active person (no bot, not deactivated) whose display name or name is `typed`,
 * ignoring case; none, or all of them when there are several.
 */
export function matchTypedName(typed: string, people: Iterable<NamedPerson>): NameMatch {
  const wanted = fold(typed);
  if (wanted === '') return { kind: 'none' };
  const userIds = new Set<string>();
  for (const person of people) {
    if (person.isBot || person.deactivated) continue;
    if (fold(person.displayName) === wanted || fold(person.name) === wanted) userIds.add(person.userId);
  }
  const [only, ...others] = userIds;
  if (only === undefined) return { kind: 'none' };
  return others.length === 0 ? { kind: 'one', userId: only } : { kind: 'many', userIds: [only, ...others] };
}
