// files.info (downloads are served by the HTTP server, see http.ts).

import type { Json } from '../blockKit.js';
import { fail, ok, str, type ApiHandler } from '../args.js';
import type { SlackState } from '../state.js';

export function filesMethods(state: SlackState): Record<string, ApiHandler> {
  function info(args: Json): Json {
    const file = state.fileObject(str(args, 'file') ?? '');
    return file ? ok({ file }) : fail('file_not_found');
  }

  return { 'files.info': info };
}
