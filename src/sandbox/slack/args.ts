// Reading Web API arguments and writing Slack's answers: `{ ok: true, … }`, `{ ok: false, error }`,
// and the message content (text, blocks, attachments) that chat.* and response_url share.

import { blockProblems, formatProblems, type Json } from './blockKit.js';

/** An HTTP answer of the stand-in: JSON, or raw bytes (file downloads, injected 500s). */
export interface Reply {
  status: number;
  json?: Json;
  raw?: { body: Buffer | string; contentType: string };
  headers?: Record<string, string>;
}

export type ApiHandler = (args: Json) => Json;

export interface MessageContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

const MAX_TEXT = 40_000;

export const ok = (extra: Json = {}): Json => ({ ok: true, ...extra });

/** A Slack error answer produced while validating, before any state changes. */
export class ApiFailure {
  constructor(readonly body: Json) {}
}
export const fail = (error: string, messages?: string[]): Json =>
  messages && messages.length > 0 ? { ok: false, error, response_metadata: { messages } } : { ok: false, error };

export function str(args: Json, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function flag(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}

/** Accepts an already-parsed object or a JSON string (JSON bodies may carry either). */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Reads and validates text/blocks/attachments the way chat.postMessage and response_url do. */
export function readContent(args: Json): MessageContent | ApiFailure {
  const blocks = parseMaybeJson(args.blocks);
  const attachments = parseMaybeJson(args.attachments);
  if (blocks !== undefined && !Array.isArray(blocks)) return new ApiFailure(fail('invalid_blocks_format'));
  if (attachments !== undefined && !Array.isArray(attachments)) return new ApiFailure(fail('invalid_attachments'));
  const text = str(args, 'text');
  if (text === undefined && blocks === undefined && attachments === undefined) return new ApiFailure(fail('no_text'));
  if (text !== undefined && text.length > MAX_TEXT) return new ApiFailure(fail('msg_too_long'));
  if (blocks !== undefined) {
    const problems = blockProblems(blocks, 50);
    if (problems.length > 0) return new ApiFailure(fail('invalid_blocks', formatProblems(problems)));
  }
  return {
    ...(text !== undefined ? { text } : {}),
    ...(blocks !== undefined ? { blocks } : {}),
    ...(attachments !== undefined ? { attachments } : {}),
  };
}
