import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '@slack/bolt';
import { actionIds } from '../../../src/bot/blocks/setupMessages.js';
import { routeByIds } from '../../../src/bot/listeners/router.js';
import { delegations } from '../../../src/db/schema.js';
import { invite, people, provision, startHarness, type Harness } from '../../support/harness.js';
import { capturingLogger } from '../../support/logs.js';
import { blockActionsPayload, databaseSnapshot, sendPayload } from '../../support/payloads.js';

/** What a routed app hands Bolt itself, recorded. */
function recordingApp() {
  const registered: Array<{ method: string; constraint: unknown; listeners: number }> = [];
  const record =
    (method: string) =>
    (constraint: unknown, ...listeners: unknown[]) =>
      registered.push({ method, constraint, listeners: listeners.length });
  const app = { action: record('action'), view: record('view'), event: record('event') } as unknown as App;
  return { app, registered };
}

describe('routing clicks and forms by id', () => {
  it('gives Bolt one listener per payload type, however many ids are registered', () => {
    const { app, registered } = recordingApp();
    const routed = routeByIds(app).app;
    for (const id of ['a', 'b', 'c']) routed.action(id, async () => {});
    routed.view('form', async () => {});
    expect(registered.map((r) => r.method)).toEqual(['action', 'view']);
  });

  it('passes what it cannot route by one id (a pattern, several middlewares, an event) to Bolt as it is', () => {
    const { app, registered } = recordingApp();
    const routed = routeByIds(app).app;
    routed.action(/^x/, async () => {});
    routed.action(
      'y',
      async ({ next }) => next(),
      async () => {},
    );
    routed.event('app_home_opened', async () => {});
    expect(registered.slice(2)).toEqual([
      { method: 'action', constraint: /^x/, listeners: 1 },
      { method: 'action', constraint: 'y', listeners: 2 },
      { method: 'event', constraint: 'app_home_opened', listeners: 1 },
    ]);
  });

  it('refuses a second handler for the same id (one of them would never run)', () => {
    const routed = routeByIds(recordingApp().app).app;
    routed.action('a', async () => {});
    expect(() => routed.action('a', async () => {})).toThrow('two action handlers for "a"');
  });
});

describe('the routed app', () => {
  let h: Harness;
  let log: ReturnType<typeof capturingLogger>;
  beforeEach(async () => {
    log = capturingLogger('warn');
    h = await startHarness({ logger: log.logger });
    await provision(h);
    await invite(h, h.slack.lastDm(people.primary.id)!);
  });
  afterEach(async () => {
    await h.close();
  });

  it('acks a click on an action id Vouch has no handler for, logs it and changes nothing', async () => {
    const before = await databaseSnapshot(h);
    const response = await sendPayload(h, blockActionsPayload(h, people.primary.id, { actionId: 'delegation.retired', value: 'x' }));
    expect(response.status).toBe(200);
    expect(log.lines().at(-1)).toMatchObject({ level: 40, msg: 'click on an unknown action ignored', action: 'delegation.retired' });
    expect(await databaseSnapshot(h)).toEqual(before);
  });

  it('routes a known click to its handler', async () => {
    const [delegation] = await h.database.db.select().from(delegations);
    const response = await sendPayload(
      h,
      blockActionsPayload(h, people.primary.id, { actionId: actionIds.approve, value: delegation!.id }),
    );
    expect(response.status).toBe(200);
    const [after] = await h.database.db.select().from(delegations);
    expect(after?.status).toBe('awaiting_acceptance');
  });
});
