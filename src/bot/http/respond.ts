import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Bolt's custom routes take callbacks; a failure must become a 500, not an unhandled rejection. */
export const guarded = (logger: Logger, handler: Handler) => (req: IncomingMessage, res: ServerResponse) => {
  handler(req, res).catch((error: unknown) => {
    logger.error({ err: error, path: req.url }, 'HTTP route failed');
    if (!res.headersSent) sendJson(res, 500, { error: 'internal_error' });
  });
};

/** Constant-time bearer token check; hashing first makes the lengths equal too. */
export function tokenMatches(header: string | undefined, expected: string): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
