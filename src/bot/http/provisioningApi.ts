import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import { fieldLimits } from '../blocks/modals.js';
import { afterCommit, type VouchContext } from '../context.js';
import { guarded, sendJson, tokenMatches } from './respond.js';
import { resolvePerson } from '../people.js';

const MAX_BODY_BYTES = 16 * 1024;

const provisionSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(fieldLimits.accountName, `must be at most ${fieldLimits.accountName} characters`),
    contractNumber: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(fieldLimits.contractNumber, `must be at most ${fieldLimits.contractNumber} characters`),
    primaryContactEmail: z.email('must be an e-mail address').optional(),
    primaryContactUserId: z
      .string()
      .regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id such as U0123ABCD')
      .optional(),
  })
  .strict()
  .refine((v) => Boolean(v.primaryContactEmail) !== Boolean(v.primaryContactUserId), {
    message: 'give exactly one of primaryContactEmail and primaryContactUserId',
    path: ['primaryContact'],
  });

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: number; error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413, error: `body larger than ${MAX_BODY_BYTES} bytes` };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, error: 'body is not JSON' };
  }
}

async function provision(ctx: VouchContext, provisioningToken: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!tokenMatches(req.headers.authorization, provisioningToken)) {
    return sendJson(res, 401, { error: 'unauthorized', message: 'Send Authorization: Bearer <PROVISIONING_TOKEN>.' });
  }
  const body = await readJson(req);
  if (!body.ok) return sendJson(res, body.status, { error: 'bad_request', message: body.error });
  const parsed = provisionSchema.safeParse(body.value);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[issue.path.join('.') || 'body'] ??= issue.message;
    return sendJson(res, 400, { error: 'invalid_fields', fields });
  }
  const input = parsed.data;
  const contact = await resolvePerson(ctx.client, { userId: input.primaryContactUserId ?? null, email: input.primaryContactEmail ?? null });
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
