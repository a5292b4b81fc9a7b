import { typedName } from '../../../domain/typedName.js';

/**
 * `NAME <@U123|name>`, `NAME person@company.com` or `NAME @cole` (a name typed rather than picked
 * from Slack's list): the account name, then who.
 */
export type PersonArg = { userId: string } | { email: string } | { typedName: string };

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

/**
 * Splits `NAME @person`: the person is the last word when it is a mention or an e-mail address;
 * else a name typed after the last @, which may have spaces (`Acme Corp @Cole Miller`).
 */
export function nameAndPerson(text: string): { name: string; person: PersonArg } | null {
  const words = text.trim().split(/\s+/);
  const last = words.at(-1);
  const person = last ? parsePerson(last) : null;
  if (person && words.length > 1) return { name: accountNameArg(words.slice(0, -1).join(' ')), person };
  const at = words.findLastIndex((w) => w.startsWith('@'));
  if (at < 1) return null;
  const typed = typedName(words.slice(at).join(' '));
  return typed ? { name: accountNameArg(words.slice(0, at).join(' ')), person: { typedName: typed } } : null;
}
