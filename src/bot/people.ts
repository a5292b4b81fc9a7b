import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { InviteeFacts } from '../workflows/delegation.js';
import { answer, noAnswer, type Answer } from '../domain/directory.js';
import { matchTypedName, type NameMatch, type NamedPerson } from '../domain/typedName.js';

/** What a person is told when Slack could not answer a look-up: nothing was guessed, nothing changed. */
export const SLACK_DID_NOT_ANSWER = 'Slack did not answer; try again.';

/** Why a person cannot be given manage, in the words of the invite form (and of add-admin). */
export const personProblemText = {
  bot: 'Choose a person, not an app.',
  deactivated: 'This person’s Slack account is deactivated.',
} as const;

export type PersonChoice = { userId: string | null; email: string | null };
export type ResolvedPerson = { ok: true; person: InviteeFacts } | { ok: false; field: 'user' | 'email'; message: string };

const emailSchema = z.email();

function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } }).data?.error;
}

/**
 * Turns a modal's "a person, or their e-mail" pair into a Slack user, asking Slack for the
 * facts the rules need (bot, deactivated). Exactly one of the two must be given.
 */
export async function resolvePerson(client: WebClient, choice: PersonChoice): Promise<ResolvedPerson> {
  const email = choice.email?.trim() || null;
  if (choice.userId && email) return { ok: false, field: 'email', message: 'Choose a person or type an e-mail address, not both.' };
  if (!choice.userId && !email) return { ok: false, field: 'user', message: 'Choose a person, or type their e-mail address below.' };

  if (email) {
    if (!emailSchema.safeParse(email).success) return { ok: false, field: 'email', message: 'That is not a valid e-mail address.' };
    try {
      const found = await client.users.lookupByEmail({ email });
      const user = found.user;
      if (!user?.id) return { ok: false, field: 'email', message: 'No one in this workspace has that e-mail address.' };
      return { ok: true, person: { userId: user.id, email, isBot: Boolean(user.is_bot), deactivated: Boolean(user.deleted) } };
    } catch (error) {
      if (slackErrorCode(error) === 'users_not_found') {
        return {
          ok: false,
          field: 'email',
          message: 'No one in this workspace has that e-mail address. Ask them to join Slack first, or choose someone else.',
        };
      }
      throw error;
    }
  }

  let user: Awaited<ReturnType<typeof client.users.info>>['user'];
  try {
    user = (await client.users.info({ user: choice.userId as string })).user;
  } catch (error) {
    if (slackErrorCode(error) === 'user_not_found')
      return { ok: false, field: 'user', message: 'No one in this workspace has that Slack user id.' };
    throw error;
  }
  return {
    ok: true,
    person: { userId: choice.userId as string, email: null, isBot: Boolean(user?.is_bot), deactivated: Boolean(user?.deleted) },
  };
}

/**
 * Who a name typed after @ names, asking Slack for the whole directory a page at a time
 * (users.list). Not answered when Slack fails on any page: Vouch then says so, never guesses.
 */
export async function personNamed(client: WebClient, typed: string): Promise<Answer<NameMatch>> {
  const people: NamedPerson[] = [];
  let cursor: string | undefined;
  try {
    do {
      const page = await client.users.list({ limit: 200, ...(cursor ? { cursor } : {}) });
      for (const member of page.members ?? []) {
        if (!member.id) continue;
        people.push({
          userId: member.id,
          name: member.name ?? '',
          displayName: member.profile?.display_name ?? '',
          isBot: Boolean(member.is_bot) || member.id === 'USLACKBOT',
          deactivated: Boolean(member.deleted),
        });
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
  } catch {
    return noAnswer;
  }
  return answer(matchTypedName(typed, people));
}

/** The user with this e-mail address, null when there is none; not answered when Slack failed. */
export async function personWithEmail(client: WebClient, email: string): Promise<Answer<string | null>> {
  try {
    return answer((await client.users.lookupByEmail({ email })).user?.id ?? null);
  } catch (error) {
    return slackErrorCode(error) === 'users_not_found' ? answer(null) : noAnswer;
  }
}
