// What the stand-in's own tests share: a started FakeSlack with Alice, Bob and #general, a real
// WebClient pointed at it, and small Block Kit builders.

import type { Button, SectionBlock } from '@slack/types';
import { LogLevel, WebClient, type Logger } from '@slack/web-api';

import { FakeSlack } from '../../../src/sandbox/slack/index.js';

// Payloads are asserted field by field; a loose type keeps that readable.
// biome-ignore lint/suspicious/noExplicitAny: field-by-field assertions on JSON payloads
export type Loose = Record<string, any>;

export const SECRET = 'test-signing-secret';

/** The clock every test starts at (ms). */
export const START = 1_732_300_000_000;

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

export function button(text: string, actionId: string, value?: string): Button {
  return { type: 'button', text: { type: 'plain_text', text }, action_id: actionId, ...(value ? { value } : {}) };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

export async function slackError(promise: Promise<unknown>): Promise<Loose> {
  try {
    await promise;
  } catch (err) {
    return err as Loose;
  }
  throw new Error('expected the call to fail');
}

/** A started stand-in on the clock `now`, with Alice, Bob and #general, and a WebClient for it. */
export async function startFakeSlack(now: () => number): Promise<{ fake: FakeSlack; client: WebClient }> {
  const fake = new FakeSlack({ now });
  await fake.start();
  fake.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Liddell', email: 'Alice@Example.com' });
  fake.addUser({ id: 'U0BOB', name: 'bob' });
  fake.addChannel({ id: 'C0GENERAL', name: 'general', members: ['U0ALICE', 'U0VOUCHBOT'] });
  const client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });
  return { fake, client };
}
