// The sandbox page's HTTP server: one static page, a small JSON API over SandboxOperations,
// and Server-Sent Events so the page redraws whenever the Slack stand-in changes.

import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { FakeFile, FakeSlack, FakeSlackChange } from '../slack/index.js';
import { clockSteps, SandboxError, type SandboxOperations } from './operations.js';

const MAX_JSON_BYTES = 64 * 1024;
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const HEARTBEAT_MS = 20_000;

const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/page.js': { file: 'page.js', type: 'text/javascript; charset=utf-8' },
  '/draw.js': { file: 'draw.js', type: 'text/javascript; charset=utf-8' },
  '/view.js': { file: 'view.js', type: 'text/javascript; charset=utf-8' },
  '/page.css': { file: 'page.css', type: 'text/css; charset=utf-8' },
};

// The page's script and styles come from this server only; the CSP makes that binding.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Uploaded files are anyone's bytes: only these show in the browser, and always sandboxed. */
const INLINE_FILE_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'text/plain']);

const user = z.string().min(1);
/** The person's workspace: user ids are only unique within one. */
const team = z.string().min(1).optional();
const fieldValue = z.union([
  z.string(),
  z.null(),
  z.object({ user: z.string() }),
  z.object({ option: z.string() }),
  z.object({ files: z.array(z.object({ id: z.string(), name: z.string(), mimetype: z.string().optional() })) }),
]);
const clickBase = { user, team, label: z.string(), actionId: z.string().optional() };

const schemas = {
  command: z.object({ user, team, channel: z.string(), text: z.string().max(4000) }),
  click: z.discriminatedUnion('surface', [
    z.object({ ...clickBase, surface: z.enum(['message', 'ephemeral']), channel: z.string(), ts: z.string() }),
    z.object({ ...clickBase, surface: z.literal('home') }),
    z.object({ ...clickBase, surface: z.literal('view'), viewId: z.string() }),
  ]),
  submit: z.object({ user, team, viewId: z.string(), values: z.record(z.string(), fieldValue) }),
  view: z.object({ user, team, viewId: z.string() }),
  home: z.object({ user, team }),
  provision: z.record(z.string(), z.unknown()),
  clock: z.object({ by: z.enum(clockSteps) }),
  deactivate: z.object({ user, team, deactivated: z.boolean() }),
  workspace: z.object({ team: z.string().min(1) }),
};

type Handler = (req: IncomingMessage, url: URL) => Promise<unknown>;

export interface PageServer {
  url: string;
  address: AddressInfo;
  stop(): Promise<void>;
}

export async function startPageServer(options: { port: number; operations: SandboxOperations; slack: FakeSlack }): Promise<PageServer> {
  const { operations: ops, slack } = options;
  const publicDir = new URL('./public/', import.meta.url);
  const files = new Map(
    await Promise.all(
      Object.entries(STATIC_FILES).map(
        async ([path, { file, type }]) => [path, { body: await readFile(new URL(file, publicDir)), type }] as const,
      ),
    ),
  );
  const events = new EventStream();
  slack.on('change', (change) => events.send(change));

  const routes: Record<string, Handler> = {
    'GET /api/state': async (_req, url) => ops.state(whoIn(url)),
    'POST /api/command': async (req) => ops.command(await readJson(req, schemas.command)),
    'POST /api/click': async (req) => ops.click(await readJson(req, schemas.click)),
    'POST /api/submit': async (req) => ops.submit(await readJson(req, schemas.submit)),
    'POST /api/close-view': async (req) => ops.closeView(await readJson(req, schemas.view)),
    'POST /api/home-opened': async (req) => ops.homeOpened(await readJson(req, schemas.home)),
    'POST /api/provision': async (req) => ops.provision(await readJson(req, schemas.provision)),
    'POST /api/upload': async (req, url) => ops.upload(await readUpload(req, url)),
    'POST /api/deactivate': async (req) => ops.setDeactivated(await readJson(req, schemas.deactivate)),
    'POST /api/uninstall': async (req) => {
      const result = await ops.uninstall(await readJson(req, schemas.workspace));
      events.send({ kind: 'install' });
      return result;
    },
    'POST /api/install': async (req) => {
      const result = await ops.install(await readJson(req, schemas.workspace));
      events.send({ kind: 'install' });
      return result;
    },
    'POST /api/clock/advance': async (req) => {
      const clock = await ops.advanceClock((await readJson(req, schemas.clock)).by);
      events.send({ kind: 'clock' });
      return clock;
    },
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const key = `${req.method ?? 'GET'} ${url.pathname}`;
    const file = req.method === 'GET' ? files.get(url.pathname) : undefined;
    if (file)
      return void res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache', ...SECURITY_HEADERS }).end(file.body);
    if (key === 'GET /api/events') return events.open(req, res);
    const fileAt = req.method === 'GET' ? /^\/files\/([^/]+)\/([^/]+)$/.exec(url.pathname) : null;
    if (fileAt) return sendFile(res, ops.file(decodeURIComponent(fileAt[1]!), decodeURIComponent(fileAt[2]!)));
    const route = routes[key];
    if (!route) return sendJson(res, 404, { error: `No ${key} here.` });
    route(req, url).then(
      (result) => sendJson(res, 200, result ?? { ok: true }),
      (error: unknown) => sendJson(res, ...errorReply(error)),
    );
  });
  await listen(server, options.port);
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    address,
    async stop() {
      events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is in use: set PORT to a free port for the sandbox page.`) : error),
    );
    // Loopback only: the page acts as every person of the workspace, without a login.
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/** Everyone's page hears every change and fetches its own person's state again. */
class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat = setInterval(() => this.write(': keep-alive\n\n'), HEARTBEAT_MS).unref();

  open(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  send(change: FakeSlackChange | { kind: 'clock' | 'install' }): void {
    this.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
  res.end(JSON.stringify(body));
}

function sendFile(res: ServerResponse, file: FakeFile | undefined): void {
  if (!file) {
    sendJson(res, 404, { error: 'No such file.' });
    return;
  }
  const inline = INLINE_FILE_TYPES.has(file.mimetype);
  res.writeHead(200, {
    'content-type': inline ? file.mimetype : 'application/octet-stream',
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'content-security-policy': 'sandbox',
    'x-content-type-options': 'nosniff',
  });
  res.end(file.content);
}

/** Problems with the request are the person's to see; anything else is a sandbox bug, said so. */
function errorReply(error: unknown): [number, { error: string }] {
  if (error instanceof SandboxError) return [error.status, { error: error.message }];
  if (error instanceof z.ZodError)
    return [400, { error: `Bad request: ${error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}` }];
  // The driver refuses what Slack would not allow (a button no longer there, a modal not on top).
  return [409, { error: error instanceof Error ? error.message : String(error) }];
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new SandboxError(`The request is larger than ${limit} bytes.`, 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * JSON bodies only: another web site can send a plain form to this port, but not
 * `application/json` without a CORS preflight, which this server never grants.
 */
async function readJson<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
    throw new SandboxError('Send JSON (content-type: application/json).', 415);
  const text = (await readBody(req, MAX_JSON_BYTES)).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new SandboxError('The body is not JSON.');
  }
  return schema.parse(body);
}

/** A file's bytes as the body; its name in `x-file-name` (a custom header, so also preflighted). */
/** Who a GET or an upload is for: `?user=U…&team=T…` (the team may be left out when the user id is in one workspace only). */
function whoIn(url: URL): { user: string; team?: string } {
  const team = url.searchParams.get('team');
  return { user: url.searchParams.get('user') ?? '', ...(team ? { team } : {}) };
}

async function readUpload(
  req: IncomingMessage,
  url: URL,
): Promise<{ user: string; team?: string; name: string; mimetype: string; content: Buffer }> {
  const name = req.headers['x-file-name'];
  if (typeof name !== 'string' || name === '') throw new SandboxError('Send the file name in x-file-name.');
  return {
    ...whoIn(url),
    name: decodeURIComponent(name),
    mimetype: req.headers['content-type'] || 'application/octet-stream',
    content: await readBody(req, MAX_UPLOAD_BYTES),
  };
}
