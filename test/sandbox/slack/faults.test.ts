// Failing on demand (faults.ts): injected errors, rate limits, delays.

import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { FakeSlack } from '../../../src/sandbox/slack/index.js';
import { silentLogger, slackError, START, startFakeSlack } from './setup.js';

let clock: number;
let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  clock = START;
  ({ fake, client } = await startFakeSlack(() => clock));
});

afterEach(async () => {
  await fake.stop();
});

describe('FakeSlack with the real WebClient', () => {
  it('fails on demand: HTTP 500, 429 with Retry-After, and ok:false, without changing state', async () => {
    fake.failNext('chat.postMessage', { status: 500 });
    const http = await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'a' }));
    expect(http.code).toBe(ErrorCode.HTTPError);
    expect(http.statusCode).toBe(500);

    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const strict = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: silentLogger,
    });
    const limited = await slackError(strict.chat.postMessage({ channel: 'C0GENERAL', text: 'b' }));
    expect(limited.code).toBe(ErrorCode.RateLimitedError);
    expect(limited.retryAfter).toBe(7);

    fake.failNext('chat.postMessage', { error: 'fatal_error' }, 2);
    expect((await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'c' }))).data.error).toBe('fatal_error');
    expect((await slackError(client.chat.postMessage({ channel: 'C0GENERAL', text: 'd' }))).data.error).toBe('fatal_error');

    expect(fake.messages('C0GENERAL')).toHaveLength(0);
    await client.chat.postMessage({ channel: 'C0GENERAL', text: 'e' });
    expect(fake.messages('C0GENERAL').map((m) => m.text)).toEqual(['e']);
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([500, 429, 200, 200, 200]);
    expect(fake.calls('chat.postMessage')[1]!.response).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('fails the calls into one channel only, when told which', async () => {
    fake.failNext('chat.postMessage', { status: 500 }, 2, { channel: 'U0ALICE' });
    await client.chat.postMessage({ channel: 'C0GENERAL', text: 'elsewhere' });
    const strict = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });
    expect((await slackError(strict.chat.postMessage({ channel: 'U0ALICE', text: 'a' }))).code).toBe(ErrorCode.HTTPError);
    const dm = fake.dmChannelId('U0ALICE');
    expect((await slackError(strict.chat.postMessage({ channel: dm, text: 'b' }))).code).toBe(ErrorCode.HTTPError);
    await strict.chat.postMessage({ channel: 'U0ALICE', text: 'c' });
    expect(fake.dm('U0ALICE').map((m) => m.text)).toEqual(['c']);
    expect(fake.calls('chat.postMessage').map((c) => c.status)).toEqual([200, 500, 500, 200]);
  });

  it('rate-limits per channel with a sliding window', async () => {
    fake.setRateLimit({ perChannelPerSecond: 1 });
    const strict = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: silentLogger,
    });
    await strict.chat.postMessage({ channel: 'C0GENERAL', text: '1' });
    expect((await slackError(strict.chat.postMessage({ channel: 'C0GENERAL', text: '2' }))).code).toBe(ErrorCode.RateLimitedError);
    await strict.chat.postMessage({ channel: 'U0ALICE', text: 'other channel is fine' });
    clock += 1000;
    await strict.chat.postMessage({ channel: 'C0GENERAL', text: '3' });
    expect(fake.messages('C0GENERAL').map((m) => m.text)).toEqual(['1', '3']);
  });

  it('delays answers so client timeouts can be tested', async () => {
    fake.setDelay('chat.postMessage', 300);
    const impatient = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      timeout: 50,
      logger: silentLogger,
    });
    expect((await slackError(impatient.chat.postMessage({ channel: 'C0GENERAL', text: 'slow' }))).code).toBe(ErrorCode.RequestError);
  });
});
