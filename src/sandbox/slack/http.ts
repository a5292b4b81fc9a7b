// The stand-in's HTTP server: the Web API under /api/ (bot token, or the app-level token for
// apps.connections.open), response_url posts, private file downloads, and the Socket Mode
// WebSocket. Every request passes delay → injected failure → rate limit → handler, and is
// recorded with its answer.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { isJson, type Json } from './blockKit.js';
import { fail, ok, str, type ApiHandler, type Reply } from './args.js';
import type { Faults } from './faults.js';
import type { ResponseUrls } from './responseUrl.js';
import { FakeSocketMode, SOCKET_MODE_PATH } from './socketMode.js';
import type { SlackState } from './state.js';
import type { FileServing, RecordedCall } from './types.js';

/** Form fields the WebClient JSON-encodes because they are objects/arrays. */
const JSON_FORM_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata']);

export interface SlackHttpDeps {
  state: SlackState;
  api: Map<string, ApiHandler>;
  faults: Faults;
  responseUrls: ResponseUrls;
  record: (call: RecordedCall) => void;
  /** A misbehaving file's download has sent its headers (and, if it stalls, its first bytes). */
  onDownload: (fileId: string) => void;
}

export class SlackHttpServer {
  private server: Server | undefined;
  private readonly bytesServed = new Map<string, number>();
  private listeningPort: number | undefined;
  private socket: FakeSocketMode | undefined;

  constructor(private readonly deps: SlackHttpDeps) {}

  get port(): number | undefined {
    return this.listeningPort;
  }

  /** Where the stand-in listens (loopback only). */
  get address(): AddressInfo {
    if (!this.server) throw new Error('FakeSlack is not started');
    return this.server.address() as AddressInfo;
  }

  get socketMode(): FakeSocketMode | undefined {
    return this.socket;
  }

  async start(port: number): Promise<void> {
    if (this.server) throw new Error('FakeSlack is already started');
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`FakeSlack internal error: ${err instanceof Error ? err.message : String(err)}`);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.listeningPort = (server.address() as AddressInfo).port;
    this.socket = new FakeSocketMode(this.deps.state.appId);
    this.socket.attach(server);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.socket?.close();
    this.socket = undefined;
    // fetch keeps connections alive; drop them so close() resolves promptly.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { state, api, responseUrls } = this.deps;
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const path = url.pathname;

    if (path.startsWith('/api/')) {
      const method = decodeURIComponent(path.slice('/api/'.length));
      const body = await readBody(req);
      const parsed = parseApiArgs(req.headers['content-type'], body, url.searchParams);
      const bearer = bearerToken(req);
      const token = bearer ?? (parsed.ok ? str(parsed.args, 'token') : undefined);
      const args = parsed.ok ? parsed.args : {};
      delete args.token;
      await this.serve(res, method, args, () => {
        if (!parsed.ok) return { status: 200, json: fail(parsed.error) };
        // The one method of the app-level token: a Socket Mode connection's URL.
        if (method === 'apps.connections.open') {
          if (token !== state.appToken) return { status: 200, json: fail(token ? 'invalid_auth' : 'not_authed') };
          return {
            status: 200,
            json: ok({ url: `ws://127.0.0.1:${this.listeningPort}${SOCKET_MODE_PATH}?ticket=${randomBytes(8).toString('hex')}` }),
          };
        }
        if (token !== state.botToken) return { status: 200, json: fail(token ? 'invalid_auth' : 'not_authed') };
        const handler = api.get(method);
        return { status: 200, json: handler ? handler(args) : fail('unknown_method') };
      });
      return;
    }

    if (path.startsWith('/response/') && req.method === 'POST') {
      const id = path.slice('/response/'.length);
      const body = (await readBody(req)).toString('utf8');
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        payload = undefined;
      }
      const args = isJson(payload) ? payload : { raw: body };
      await this.serve(res, 'response_url', args, () =>
        isJson(payload) ? responseUrls.handle(id, payload) : { status: 400, json: fail('invalid_payload') },
      );
      return;
    }

    const fileMatch = /^\/files\/([^/]+)\//.exec(path);
    if (fileMatch && req.method === 'GET') {
      const fileId = decodeURIComponent(fileMatch[1]!);
      const serving = this.deps.state.fileMap.get(fileId)?.serving;
      if (serving?.repeat !== undefined || serving?.stall || serving?.redirect) {
        this.streamFile(fileId, serving, bearerToken(req), res);
        return;
      }
      await this.serve(res, 'file_download', { file: fileId }, () => this.serveFile(fileId, bearerToken(req), url));
      return;
    }

    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }

  /** Delay → injected failure → rate limit → real handler, then record and send. */
  private async serve(res: ServerResponse, method: string, args: Json, handle: () => Reply): Promise<void> {
    const { state, faults, record } = this.deps;
    const at = state.now();
    await faults.delay(method);
    const reply = faults.intercept(method, args) ?? handle();
    record({ method, args, at, status: reply.status, response: reply.json ?? null });
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.json !== undefined) {
      res.writeHead(reply.status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(reply.json));
    } else {
      res.writeHead(reply.status, { ...headers, 'content-type': reply.raw?.contentType ?? 'text/plain' });
      res.end(reply.raw?.body ?? '');
    }
  }

  /** Bytes a streamed download has sent so far. */
  servedBytes(fileId: string): number {
    return this.bytesServed.get(fileId) ?? 0;
  }

  /** A download that redirects, is huge or never ends: chunks as the reader takes them, stopping when it hangs up. */
  private streamFile(fileId: string, serving: FileServing, token: string | undefined, res: ServerResponse): void {
    const { state, record } = this.deps;
    const file = state.fileMap.get(fileId)!;
    const allowed = token === state.botToken;
    record({ method: 'file_download', args: { file: fileId }, at: state.now(), status: allowed ? 200 : 403, response: null });
    if (!allowed) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
    if (serving.redirect) return void res.writeHead(302, { location: serving.redirect }).end();
    res.writeHead(200, { 'content-type': file.mimetype });
    if (serving.stall) {
      res.write(file.content); // and nothing more, until the reader gives up
      this.deps.onDownload(fileId);
      return;
    }
    this.deps.onDownload(fileId);
    let left = serving.repeat ?? 1;
    const pump = () => {
      while (left > 0 && !res.destroyed) {
        left -= 1;
        this.bytesServed.set(fileId, (this.bytesServed.get(fileId) ?? 0) + file.content.length);
        if (!res.write(file.content)) return void res.once('drain', pump);
      }
      if (left <= 0) res.end();
    };
    res.once('close', () => {
      left = 0;
    });
    pump();
  }

  private serveFile(fileId: string, token: string | undefined, url: URL): Reply {
    if (token !== this.deps.state.botToken)
      return { status: 403, raw: { body: 'Forbidden: Authorization: Bearer <bot token> required', contentType: 'text/plain' } };
    const file = this.deps.state.fileMap.get(fileId);
    if (!file) return { status: 404, raw: { body: 'File not found', contentType: 'text/plain' } };
    const disposition = url.searchParams.has('download') ? `attachment; filename="${file.name}"` : 'inline';
    return { status: 200, raw: { body: file.content, contentType: file.mimetype }, headers: { 'content-disposition': disposition } };
  }
}

// ---------------------------------------------------------------------------
// Request parsing
// ---------------------------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match ? match[1]!.trim() : undefined;
}

/** Form bodies carry objects as JSON strings (that is how the WebClient sends them). */
function parseApiArgs(
  contentType: string | undefined,
  body: Buffer,
  query: URLSearchParams,
): { ok: true; args: Json } | { ok: false; error: string } {
  const args: Json = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = body.toString('utf8');
  if (type === 'application/json') {
    if (text.trim() === '') return { ok: true, args };
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isJson(parsed)) return { ok: false, error: 'invalid_json' };
      return { ok: true, args: { ...args, ...parsed } };
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
  }
  if (type === 'application/x-www-form-urlencoded' || (type === '' && text === '')) {
    for (const [key, value] of new URLSearchParams(text)) {
      if (JSON_FORM_FIELDS.has(key)) {
        try {
          args[key] = JSON.parse(value);
        } catch {
          return { ok: false, error: key === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments' };
        }
      } else {
        args[key] = value;
      }
    }
    return { ok: true, args };
  }
  return { ok: false, error: 'invalid_form_data' };
}
