import type { BlockAction, ViewOutput } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { z } from 'zod';
import { mrkdwn, textMessage } from '../blocks/format.js';
import { tellClicker } from './reply.js';

// A payload is signed by Slack, but its button values and private_metadata are only what Vouch
// (or anyone who can forge a click in their own client) put there. Every value is parsed here,
// at the listener's edge, before any of it reaches the database.

/** A row id as the database stores it. */
export const rowId = z.uuid();

/** A Slack user id as Slack sends it (`U…`, or `W…` on Enterprise Grid). */
export const slackUserId = z.string().regex(/^[UW][A-Z0-9]{1,20}$/);

/** A button's value: the schema's output, or null for a value Vouch never made. */
export function parseButtonValue<S extends z.ZodType>(schema: S, value: string | undefined): z.output<S> | null {
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}

/** A button whose value is JSON (a cursor, say), parsed against the schema. */
export function parseJsonButtonValue<S extends z.ZodType>(schema: S, value: string | undefined): z.output<S> | null {
  try {
    return parseButtonValue(schema, JSON.parse(value ?? ''));
  } catch {
    return null;
  }
}

/** A modal's private_metadata: the schema's output, or null when it is missing or not ours. */
export function parseMetadata<S extends z.ZodType>(schema: S, view: Pick<ViewOutput, 'private_metadata'>): z.output<S> | null {
  try {
    const result = schema.safeParse(JSON.parse(view.private_metadata || 'null'));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

export const damagedButtonText = mrkdwn`This button is damaged; nothing was changed.`;
export const damagedFormText = mrkdwn`This form is damaged; nothing was changed.`;

const clip = (value: unknown) => (typeof value === 'string' ? value.slice(0, 80) : typeof value);

/** Logs a malformed payload (its first characters only) at warn. */
export function warnDamaged(logger: Logger, what: { user: string; id: string; kind: 'button' | 'form' }, value: unknown): void {
  logger.warn(
    { user: what.user, [what.kind === 'button' ? 'action' : 'callbackId']: what.id, value: clip(value) },
    `damaged ${what.kind} ignored`,
  );
}

/** Answers a click on a button whose value is not one Vouch made: an ephemeral, a warn line. */
export async function refuseDamagedButton(
  client: WebClient,
  logger: Logger,
  body: BlockAction,
  actionId: string,
  value: unknown,
): Promise<void> {
  warnDamaged(logger, { user: body.user.id, id: actionId, kind: 'button' }, value);
  await tellClicker(client, body, textMessage(damagedButtonText));
}
