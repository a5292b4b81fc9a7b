// auth.test and users.*: who the bot is, looking people up by id or email, and the whole
// directory a page at a time (users.list with a cursor, as Slack pages it).

import type { Json } from '../blockKit.js';
import { fail, ok, str, type ApiHandler } from '../args.js';
import type { SlackState } from '../state.js';

export function usersMethods(state: SlackState): Record<string, ApiHandler> {
  function authTest(): Json {
    return ok({
      url: `${state.baseUrl}/`,
      team: state.teamName,
      user: state.userMap.get(state.botUserId)?.name ?? 'vouch',
      team_id: state.teamId,
      user_id: state.botUserId,
      bot_id: state.botId,
      ...(state.enterpriseId ? { enterprise_id: state.enterpriseId } : {}),
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

  /** Slack's cursors are opaque; this one is the offset of the next page. */
  function list(args: Json): Json {
    const cursor = str(args, 'cursor') ?? '';
    const offset = cursor === '' ? 0 : Number(/^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1] ?? Number.NaN);
    if (!Number.isInteger(offset)) return fail('invalid_cursor');
    const asked = Number(str(args, 'limit') ?? 0);
    // Slack answers at most 1,000 a page whatever the limit, and some default without one.
    const size = asked > 0 ? Math.min(asked, 1000) : 100;
    const users = [...state.userMap.values()];
    const page = users.slice(offset, offset + size);
    const next = offset + size < users.length ? Buffer.from(`offset:${offset + size}`).toString('base64') : '';
    return ok({
      members: page.map((u) => state.userPayload(u)),
      cache_ts: Math.floor(state.now() / 1000),
      response_metadata: { next_cursor: next },
    });
  }

  return { 'auth.test': authTest, 'users.lookupByEmail': lookupByEmail, 'users.info': info, 'users.list': list };
}
