/**
 * What Vouch learns about people from the workspace's directory (Slack). Slack can fail to
 * answer (rate limited, down, too slow), and that is a fact of its own: a rule that needs the
 * answer refuses rather than guesses, and a check shown to a person says it could not tell.
 */
export type Answer<T> = { answered: true; value: T } | { answered: false };

export const answer = <T>(value: T): Answer<T> => ({ answered: true, value });
export const noAnswer: Answer<never> = { answered: false };

/** The value, or `fallback` when Slack did not answer. */
export const answerOr = <T, F>(a: Answer<T>, fallback: F): T | F => (a.answered ? a.value : fallback);

/** A Slack user as the rules need them. */
export interface DirectoryPerson {
  userId: string;
  isBot: boolean;
  deactivated: boolean;
  /** Their Slack name (real name, else display name), when Slack said it. */
  name?: string | null;
}
