// The Web API methods the stand-in answers, by name. Each family keeps its own file.

import type { ApiHandler } from '../args.js';
import type { MessageStore } from '../messages.js';
import type { SlackState } from '../state.js';
import type { ViewStore } from '../views.js';
import { chatMethods } from './chat.js';
import { conversationsMethods } from './conversations.js';
import { filesMethods } from './files.js';
import { usersMethods } from './users.js';
import { viewsMethods } from './views.js';

export function webApiMethods(state: SlackState, messages: MessageStore, views: ViewStore): Map<string, ApiHandler> {
  return new Map(
    Object.entries({
      ...usersMethods(state),
      ...conversationsMethods(state),
      ...chatMethods(state, messages),
      ...viewsMethods(state, views),
      ...filesMethods(state, messages),
    }),
  );
}
