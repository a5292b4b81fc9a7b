import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import { fieldLimits } from '../blocks/modals.js';
import { afterCommit, type VouchContext } from '../context.js';
import { guarded, sendJson, tokenMatches } from './respond.js';
import { resolvePerson } from '../people.js';
import { controlCharacterIn } from '../../domain/text.js';

const MAX_BODY_BYTES = 16 * 1024;

/** Text without control characters (tab and newline aside): a NUL cannot even be stored. */
const text = () =>
  z.string().superRefine((value, ctx) => {
    const found = controlCharacterIn(value);
    if (found) ctx.addIssue({ code: 'custom', message: `must not contain control characters (found ${found})` });
  });

const provisionSchema = z
  .object({
    name: text().trim().min(1, 'is required').max(fieldLimits.accountName, `must be at most ${fieldLimits.accountName} characters`),
    contractNumber: text()
      .trim()
      .min(1, 'is required')
      .max(fieldLimits.contractNumber, `must be at most ${fieldLimits.contractNumber} characters`),
    primaryContactEmail: z.email('must be an e-mail address').optional(),
    primaryContactUserId: z
      .string()
      .regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id such as U0123ABCD')
      .optional(),
    /** Distributed: the customer's workspace, where the primary contact is and the account belongs. */
    slackTeamId: z
      .string()
      .regex(/^T[A-Z0-9]+$/, 'must be a Slack workspace id such as T0123ABCD')
      .optional(),
  })
  .strict()
  .refine((v) => Boolean(v.primaryContactEmail) !== Boolean(v.primaryContactUserId), {
    message: 'give exactly one of primaryContactEmail and primaryContactUserId',
    path: ['primaryContact'],
  });

/** Past this much, a client still sending is cut off rather than read to the end. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * Reads the body, keeping at most MAX_BODY_BYTES. A larger body is read to its end and dropped,
 * so the 413 reaches a client still sending: answering mid-upload and closing the socket would
 * reset its connection instead (up to MAX_DRAIN_BYTES; beyond that it is cut off).
 */
function readBody(req: IncomingMessage): Promise<{ ok: true; body: Buffer } | { ok: false; endless: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) {
        req.pause();
        resolve({ ok: false, endless: true });
      }
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? { ok: false, endless: false } : { ok: true, body: Buffer.concat(chunks) }));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const read = await readBody(req);
  if (!read.ok) {
    res.on('finish', () => read.endless && req.socket.destroy());
    sendJson(
      res,
      413,
      { error: 'too_large', message: `The body is larger than ${MAX_BODY_BYTES} bytes.` },
      read.endless ? { connection: 'close' } : {},
    );
    return { ok: false };
  }
  try {
    return { ok: true, value: JSON.parse(read.body.toString('utf8')) };
  } catch {
    sendJson(res, 400, { error: 'bad_request', message: 'body is not JSON' });
    return { ok: false };
  }
}

async function provision(ctx: VouchContext, provisioningToken: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!tokenMatches(req.headers.authorization, provisioningToken)) {
    return sendJson(res, 401, { error: 'unauthorized', message: 'Send Authorization: Bearer <PROVISIONING_TOKEN>.' });
  }
  const body = await readJson(req, res);
  if (!body.ok) return;
  const parsed = provisionSchema.safeParse(body.value);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.join('.') || 'body'] ??= issue.message;
    return sendJson(res, 400, { error: 'invalid_fields', fields });
  }
  const input = parsed.data;
  // Distributed: the account belongs to the customer's workspace, which must have installed Vouch;
  // its primary contact is looked up there, with that workspace's token.
  let client = ctx.client;
  let workspace = ctx.homeWorkspace();
  if (ctx.workspaces) {
    if (!input.slackTeamId) return sendJson(res, 400, { error: 'invalid_fields', fields: { slackTeamId: 'is required' } });
    const install = await ctx.workspaces.installed({ teamId: input.slackTeamId });
    if (!install) {
      return sendJson(res, 422, {
        error: 'workspace_not_installed',
        message: `Vouch is not installed in the Slack workspace ${input.slackTeamId} (or was uninstalled): its people install it from /slack/install first.`,
      });
    }
    client = ctx.workspaces.clientFor({ teamId: input.slackTeamId });
    workspace = { teamId: input.slackTeamId, enterpriseId: install.enterpriseId };
  } else if (input.slackTeamId) {
    return sendJson(res, 400, {
      error: 'invalid_fields',
      fields: { slackTeamId: 'is only taken when Vouch is distributed (SLACK_CLIENT_ID); this Vouch serves one workspace' },
    });
  }
  const contact = await resolvePerson(client, { userId: input.primaryContactUserId ?? null, email: input.primaryContactEmail ?? null });
  if (!contact.ok || contact.person.isBot || contact.person.deactivated) {
    return sendJson(res, 422, {
      error: 'unknown_primary_contact',
      message: 'The primary contact must be an active person in this Slack workspace.',
    });
  }
  const contactUserId = contact.person.userId;
  const result = await ctx.workflows.provisioning.provision({
    name: input.name,
    contractNumber: input.contractNumber,
    primaryContactUserId: contactUserId,
    actor: 'api',
    ...(workspace ? { workspace } : {}),
  });
  if (result.kind !== 'ok')
    return sendJson(res, 409, { error: 'name_taken', message: 'An Enterprise Account with this name already exists.' });
  const { account, invitation } = result.value;
  sendJson(res, 201, {
    id: account.id,
    name: account.name,
    status: account.status,
    primaryContactUserId: account.primaryContactUserId,
    setupInviteExpiresAt: invitation.expiresAt.toISOString(),
  });
  afterCommit(ctx);
}

/** POST /api/accounts: provisioning for the provider's systems. */
export function provisioningRoute(ctx: VouchContext, provisioningToken: string): CustomRoute {
  return {
    path: '/api/accounts',
    method: ['POST'],
    handler: guarded(ctx.logger, (req, res) => provision(ctx, provisioningToken, req, res)),
  };
}
