import type { AnyMiddlewareArgs, App } from '@slack/bolt';
import { controlCharacterIn } from '../../domain/text.js';
import type { VouchContext } from '../context.js';

type Inputs = Record<string, Record<string, { value?: unknown }>>;

/** Each text field of a submitted modal with a control character in it, and what to do about it. */
function fieldsWithControlCharacters(values: Inputs): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    for (const input of Object.values(actions)) {
      const found = typeof input?.value === 'string' ? controlCharacterIn(input.value) : null;
      if (found && !errors[blockId]) errors[blockId] = `Remove the control character (${found}) from this field; nothing was saved.`;
    }
  }
  return errors;
}

/**
 * Text with a NUL or another control character (tab and newline aside) is bad input: refused at
 * the edge, before any listener or the database sees it. A modal gets an inline error on each
 * such field, a command an ephemeral answer.
 */
export function register(app: App, ctx: VouchContext): void {
  app.use(async (args) => {
    const { body, next } = args;
    const ack = (args as AnyMiddlewareArgs & { ack?: (response?: object) => Promise<void> }).ack;
    const user = (body as { user?: { id?: string }; user_id?: string }).user?.id ?? (body as { user_id?: string }).user_id;
    if (ack && body.type === 'view_submission') {
      const errors = fieldsWithControlCharacters((body as { view?: { state?: { values?: Inputs } } }).view?.state?.values ?? {});
      if (Object.keys(errors).length > 0) {
        ctx.logger.warn({ user, fields: Object.keys(errors) }, 'modal refused: control characters');
        return ack({ response_action: 'errors', errors });
      }
    }
    const command = body as { command?: unknown; text?: unknown };
    if (ack && typeof command.command === 'string' && typeof command.text === 'string') {
      const found = controlCharacterIn(command.text);
      if (found) {
        ctx.logger.warn({ user, command: command.command }, 'command refused: control characters');
        return ack({
          response_type: 'ephemeral',
          text: `The text after \`${command.command}\` contains a control character (${found}), which Vouch does not accept; nothing was changed.`,
        });
      }
    }
    await next();
  });
}
