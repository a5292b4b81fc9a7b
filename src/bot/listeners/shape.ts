import type { App, ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';

// Before any listener runs, a request must have the shape Slack gives it: an action list, a view,
// a command's text. A signed payload that does not (a forged or damaged one) is acked and logged,
// and goes no further, rather than throwing inside Bolt and answering 500.

const user = z.object({ id: z.string() });
const shapes: Record<string, z.ZodType> = {
  block_actions: z.object({
    user,
    actions: z.array(z.object({ action_id: z.string(), type: z.string() })).min(1),
  }),
  view_submission: z.object({
    user,
    view: z.object({
      id: z.string(),
      callback_id: z.string(),
      private_metadata: z.string().optional(),
      state: z.object({ values: z.record(z.string(), z.unknown()) }),
    }),
  }),
  view_closed: z.object({ user, view: z.object({ callback_id: z.string() }) }),
  slash_command: z.object({ command: z.string(), text: z.string(), user_id: z.string(), trigger_id: z.string() }),
  event_callback: z.object({ event: z.object({ type: z.string() }) }),
};

function kind(body: Record<string, unknown>): string {
  if (typeof body.command === 'string' || 'command' in body) return 'slash_command';
  return typeof body.type === 'string' ? body.type : 'unknown';
}

/**
 * Wraps the app's entry point, so that the check runs before Bolt itself reads the body (it reads
 * `user.id` and the first action before any middleware), over HTTP and Socket Mode alike.
 */
export function guardShapes(app: App, logger: Logger): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event: ReceiverEvent) => {
    const body = event.body as Record<string, unknown>;
    const type = kind(body);
    const shape = shapes[type];
    if (!shape || shape.safeParse(body).success) return processEvent(event);
    await event.ack();
    logger.warn({ type }, 'Slack request of the wrong shape ignored');
  };
}
