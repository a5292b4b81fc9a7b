/** `NAME <@U123|name>` or `NAME person@company.com`: the account name, then who. */
export type PersonArg = { userId: string } | { email: string };

const MENTION = /^<@([UW][A-Z0-9]+)(\|[^>]*)?>$/;
const EMAIL = /^<?(?:mailto:[^|>]+\|)?([^\s@<>|]+@[^\s@<>|]+\.[^\s@<>|]+)>?$/;

export function parsePerson(token: string): PersonArg | null {
  const mention = MENTION.exec(token);
  if (mention?.[1]) return { userId: mention[1] };
  const email = EMAIL.exec(token);
  if (email?.[1]) return { email: email[1] };
  return null;
}

/** Account names may contain spaces and may be quoted. */
export function accountNameArg(text: string): string {
  return text
    .trim()
    .replace(/^["“](.*)["”]$/, '$1')
    .trim();
}

/** Splits `NAME @person`: the person is the last word. */
export function nameAndPerson(text: string): { name: string; person: PersonArg } | null {
  const words = text.trim().split(/\s+/);
  const last = words.pop();
  if (!last || words.length === 0) return null;
  const person = parsePerson(last);
  return person ? { name: accountNameArg(words.join(' ')), person } : null;
}
