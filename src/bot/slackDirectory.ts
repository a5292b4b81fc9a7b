import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { answer, noAnswer, type Answer } from '../domain/directory.js';
import type { PeopleDirectory, SupportChannel } from '../workflows/directory.js';
import type { SupportDirectory } from './supportDirectory.js';

const slackErrorCode = (error: unknown): string | undefined => (error as { data?: { error?: string } }).data?.error;

/**
 * Asks Slack, and turns a failure into "Slack did not answer" (logged without the question's
 * personal data). Errors that are answers (`users_not_found`) are handled by the caller first.
 */
async function ask<T>(logger: Logger, method: string, call: () => Promise<T>): Promise<Answer<T>> {
  try {
    return answer(await call());
  } catch (error) {
    const e = error as { code?: string; statusCode?: number };
    logger.warn({ method, code: e.code, slackError: slackErrorCode(error), status: e.statusCode }, 'Slack did not answer');
    return noAnswer;
  }
}

interface SlackUser {
  name?: string;
  real_name?: string;
  profile?: { real_name?: string; display_name?: string };
}

/** A person's name as Slack shows it: their real name, else their display name, else their username. */
function slackName(user: SlackUser | undefined): string | null {
  if (!user) return null;
  return user.real_name || user.profile?.real_name || user.profile?.display_name || user.name || null;
}

/** The people directory of the workflows, on the Web API (users.info, users.lookupByEmail). */
export function slackPeopleDirectory(client: WebClient, logger: Logger): PeopleDirectory {
  return {
    emailOf: (userId) =>
      ask(logger, 'users.info', async () => {
        try {
          return (await client.users.info({ user: userId })).user?.profile?.email ?? null;
        } catch (error) {
          if (slackErrorCode(error) === 'user_not_found') return null;
          throw error;
        }
      }),
    isDeactivated: (userId) =>
      ask(logger, 'users.info', async () => {
        try {
          const { user } = await client.users.info({ user: userId });
          return user ? Boolean(user.deleted) : null;
        } catch (error) {
          if (slackErrorCode(error) === 'user_not_found') return null;
          throw error;
        }
      }),
    nameOf: (userId) =>
      ask(logger, 'users.info', async () => {
        try {
          return slackName((await client.users.info({ user: userId })).user);
        } catch (error) {
          if (slackErrorCode(error) === 'user_not_found') return null;
          throw error;
        }
      }),
    userOfEmail: (email) =>
      ask(logger, 'users.lookupByEmail', async () => {
        try {
          const { user } = await client.users.lookupByEmail({ email });
          return user?.id
            ? { userId: user.id, isBot: Boolean(user.is_bot), deactivated: Boolean(user.deleted), name: slackName(user) }
            : null;
        } catch (error) {
          if (slackErrorCode(error) === 'users_not_found') return null;
          throw error;
        }
      }),
  };
}

/** The support channel of the workflows, on the bot's cached directory of its members. */
export function supportChannelPort(directory: SupportDirectory, logger: Logger): SupportChannel {
  return {
    channelId: directory.channelId,
    teamId: directory.teamId,
    isMember: (userId, workspace) => ask(logger, 'conversations.members', () => directory.isMember(userId, workspace)),
    inSupportWorkspace: (workspace) => directory.inSupportWorkspace(workspace),
    membersNow: () =>
      ask(logger, 'conversations.members', () => {
        directory.forget();
        return directory.members();
      }),
  };
}
