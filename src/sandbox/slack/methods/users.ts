// auth.test and users.*: who the bot is, and looking people up by id or email.

import type { Json } from '../blockKit.js';
import { fail, ok, str, type ApiHandler } from '../args.js';
import type { SlackState } from '../state.js';

export function usersMethods(state: SlackState): Record<string, ApiHandler> {
  function authTest(): Json {
    return ok({
      url: `${state.baseUrl}/`,
      team: 'Vouch Sandbox',
      user: state.userMap.get(state.botUserId)?.name ?? 'vouch',
      team_id: state.teamId,
      user_id: state.botUserId,
      bot_id: state.botId,
      is_enterprise_install: false,
    });
  }

  function lookupByEmail(args: Json): Json {
    const email = (str(args, 'email') ?? '').toLowerCase();
    const user = [...state.userMap.values()].find((u) => u.email !== undefined && u.email.toLowerCase() === email);
    return user ? ok({ user: state.userPayload(user) }) : fail('users_not_found');
  }

  function info(args: Json): Json {
    const user = state.userMap.get(str(args, 'user') ?? '');
    return user ? ok({ user: state.userPayload(user) }) : fail('user_not_found');
  }

  return { 'auth.test': authTest, 'users.lookupByEmail': lookupByEmail, 'users.info': info };
}
