// The stand-in's HTTP server: the Web API under /api/ (a bot token names the workspace a call
// acts in; the app-level token opens Socket Mode; oauth.v2.access takes the app's credentials),
// the OAuth authorize page, response_url posts, private file downloads, and the Socket Mode
// WebSocket. Every request passes delay → injected failure → rate limit → handler, and is
// recorded with its answer and the workspace it acted in.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { isJson, type Json } from './blockKit.js';
import { fail, ok, str, type Reply } from './args.js';
import type { Faults } from './faults.js';
import { AUTHORIZE_PATH, type FakeOAuth } from './oauth.js';
import { FakeSocketMode, SOCKET_MODE_PATH } from './socketMode.js';
import type { FileServing, RecordedCall } from './types.js';
import type { FakeWorkspace } from './workspace.js';

/** Form fields the WebClient JSON-encodes because they are objects/arrays. */
const JSON_FORM_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'files']);

export interface SlackHttpDeps {
  /** The app's identity and its app-level token (Socket Mode). */
  appId: string;
  appToken: string;
  now: () => number;
  workspaces: () => FakeWorkspace[];
  oauth: FakeOAuth;
  faults: Faults;
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
    this.socket = new FakeSocketMode(this.deps.appId);
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
    const { appToken, oauth, workspaces } = this.deps;
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
      if (!parsed.ok) return this.serve(res, method, args, () => ({ status: 200, json: fail(parsed.error) }));
      // The app's own credentials, no token: the code exchange and the refresh of rotating tokens.
      if (method === 'oauth.v2.access') {
        return this.serve(res, method, args, () => ({ status: 200, json: oauth.access(args, basicAuth(req)) }));
      }
      // The one method of the app-level token: a Socket Mode connection's URL.
      if (method === 'apps.connections.open') {
        return this.serve(res, method, args, () => {
          if (token !== appToken) return { status: 200, json: fail(token ? 'invalid_auth' : 'not_authed') };
          return {
            status: 200,
            json: ok({ url: `ws://127.0.0.1:${this.listeningPort}${SOCKET_MODE_PATH}?ticket=${randomBytes(8).toString('hex')}` }),
          };
        });
      }
      const owner = oauth.owner(token, args);
      if (!owner.ok) return this.serve(res, method, args, () => ({ status: 200, json: fail(owner.error) }));
      const { workspace, installation } = owner;
      return this.serve(
        res,
        method,
        args,
        () => {
          if (method === 'auth.test' && installation?.isEnterpriseInstall) {
            return { status: 200, json: oauth.orgAuthTest(installation, workspace) };
          }
          // The workspaces a token may act in: an org-wide install's, its organization's (one page).
          if (method === 'auth.teams.list') {
            const teams = installation?.isEnterpriseInstall ? oauth.orgWorkspaces(installation.enterpriseId) : [workspace];
            return {
              status: 200,
              json: ok({ teams: teams.map((w) => ({ id: w.teamId, name: w.teamName })), response_metadata: { next_cursor: '' } }),
            };
          }
          const handler = workspace.api.get(method);
          return { status: 200, json: handler ? handler(args) : fail('unknown_method') };
        },
        workspace.teamId,
      );
    }

    if (path === AUTHORIZE_PATH && (req.method === 'GET' || req.method === 'POST')) {
      const form = req.method === 'POST' ? new URLSearchParams((await readBody(req)).toString('utf8')) : url.searchParams;
      const args: Json = Object.fromEntries(form);
      const step = req.method === 'POST' ? 'oauth_authorize_decision' : 'oauth_authorize_page';
      return this.serve(res, step, args, () => (req.method === 'POST' ? oauth.decide(form) : oauth.authorizePage(form)));
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
      const workspace = workspaces().find((w) => w.responseUrls.has(id));
      await this.serve(
        res,
        'response_url',
        args,
        () => {
          if (!isJson(payload)) return { status: 400, json: fail('invalid_payload') };
          return workspace ? workspace.responseUrls.handle(id, payload) : { status: 404, json: fail('no_service') };
        },
        workspace?.teamId,
      );
      return;
    }

    // The bytes of a file begun with files.getUploadURLExternal: no token, as at Slack's own upload address.
    const uploadMatch = /^\/upload\/([^/]+)$/.exec(path);
    if (uploadMatch && req.method === 'POST') {
      const uploadId = decodeURIComponent(uploadMatch[1]!);
      const body = await readBody(req);
      const workspace = workspaces().find((w) => w.state.uploads.has(uploadId));
      await this.serve(
        res,
        'file_upload',
        { upload: uploadId, bytes: body.length },
        () => {
          const upload = workspace?.state.uploads.get(uploadId);
          if (!upload) return { status: 404, raw: { body: 'Upload not found', contentType: 'text/plain' } };
          upload.content = body;
          return { status: 200, raw: { body: `OK - ${body.length}`, contentType: 'text/plain' } };
        },
        workspace?.teamId,
      );
      return;
    }

    const fileMatch = /^\/files\/([^/]+)\//.exec(path);
    if (fileMatch && req.method === 'GET') {
      const fileId = decodeURIComponent(fileMatch[1]!);
      const owner = oauth.owner(bearerToken(req), {});
      const serving = workspaces()
        .map((w) => w.state.fileMap.get(fileId))
        .find((f) => f !== undefined)?.serving;
      if (serving?.repeat !== undefined || serving?.stall || serving?.redirect) {
        this.streamFile(fileId, serving, owner.ok ? owner.workspace : undefined, res);
        return;
      }
      await this.serve(
        res,
        'file_download',
        { file: fileId },
        () => this.serveFile(fileId, owner.ok ? owner.workspace : undefined, url),
        owner.ok ? owner.workspace.teamId : undefined,
      );
      return;
    }

    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }

  /** Delay → injected failure → rate limit → real handler, then record and send. */
  private async serve(res: ServerResponse, method: string, args: Json, handle: () => Reply, team?: string): Promise<void> {
    const { now, faults, record } = this.deps;
    const at = now();
    await faults.delay(method);
    const reply = faults.intercept(method, args, team) ?? handle();
    record({ method, args, at, status: reply.status, response: reply.json ?? null, ...(team !== undefined ? { team } : {}) });
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
  private streamFile(fileId: string, serving: FileServing, workspace: FakeWorkspace | undefined, res: ServerResponse): void {
    const { now, record } = this.deps;
    const file = workspace?.state.fileMap.get(fileId);
    record({
      method: 'file_download',
      args: { file: fileId },
      at: now(),
      status: file ? 200 : 403,
      response: null,
      ...(workspace ? { team: workspace.teamId } : {}),
    });
    if (!file) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
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

  /** A private file of the workspace the bot token acts in. */
  private serveFile(fileId: string, workspace: FakeWorkspace | undefined, url: URL): Reply {
    if (!workspace)
      return { status: 403, raw: { body: 'Forbidden: Authorization: Bearer <bot token> required', contentType: 'text/plain' } };
    const file = workspace.state.fileMap.get(fileId);
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

/** `Authorization: Basic` with the app's client id and secret, which oauth.v2.access accepts too. */
function basicAuth(req: IncomingMessage): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const [id = '', ...secret] = Buffer.from(match[1]!, 'base64').toString('utf8').split(':');
  return { id, secret: secret.join(':') };
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
