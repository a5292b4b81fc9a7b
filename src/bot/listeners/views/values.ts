import type { ViewOutput } from '@slack/bolt';
import { z } from 'zod';
import { slackUserId } from '../payload.js';

// A view's state is what the person's client sent: every value is parsed, never trusted to have
// the type Slack documents.

/** Reads an input whose block and action share one id (as every Vouch modal does). */
function field(view: ViewOutput, id: string): unknown {
  const block: unknown = view.state?.values?.[id];
  return typeof block === 'object' && block !== null ? (block as Record<string, unknown>)[id] : undefined;
}

const textInput = z.object({ value: z.string() });
const userInput = z.object({ selected_user: slackUserId });
const fileInput = z.object({ files: z.array(z.object({ id: z.string().regex(/^F[A-Z0-9]{1,30}$/), name: z.string().optional() })).min(1) });

/** A text input's value, trimmed; '' when it is empty or not text. */
export function textValue(view: ViewOutput, id: string): string {
  const input = textInput.safeParse(field(view, id));
  return input.success ? input.data.value.trim() : '';
}

/** A user picker's choice, or null when there is none or it is not a Slack user id. */
export function userValue(view: ViewOutput, id: string): string | null {
  const input = userInput.safeParse(field(view, id));
  return input.success ? input.data.selected_user : null;
}

/** The first file of a file input, or null. */
export function fileValue(view: ViewOutput, id: string): { id: string; name: string } | null {
  const input = fileInput.safeParse(field(view, id));
  const file = input.success ? input.data.files[0] : undefined;
  return file ? { id: file.id, name: file.name ?? file.id } : null;
}
