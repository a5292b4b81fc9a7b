import { describe, expect, it } from 'vitest';
import { nextAttemptAt, classifySlackError } from '../../src/domain/retry.js';
import { parseDuration } from '../../src/domain/duration.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const now = new Date('2026-11-23T00:00:00Z');
const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };
const delay = (d: Date | null) => (d ? d.getTime() - now.getTime() : null);

describe('retry policy', () => {
  it('backs off exponentially with jitter between half and all of the step', () => {
    expect(delay(nextAttemptAt({ kind: 'transient' }, 1, now, policy, () => 0))).toBe(500);
    expect(delay(nextAttemptAt({ kind: 'transient' }, 3, now, policy, () => 1))).toBe(4000);
  });
  it('waits at least as long as a 429 asked', () => {
    expect(delay(nextAttemptAt({ kind: 'rate_limited', retryAfterMs: 30_000 }, 1, now, policy, () => 1))).toBe(30_000);
  });
  it('gives up at once on a permanent error, and after the last attempt', () => {
    expect(nextAttemptAt({ kind: 'permanent' }, 1, now, policy)).toBeNull();
    expect(nextAttemptAt({ kind: 'transient' }, 5, now, policy)).toBeNull();
    expect(classifySlackError('channel_not_found')).toEqual({ kind: 'permanent' });
    expect(classifySlackError('internal_error')).toEqual({ kind: 'transient' });
  });
});

describe('configuration', () => {
  const valid = {
    SLACK_BOT_TOKEN: 'xoxb-1',
    SLACK_SIGNING_SECRET: 'secret',
    SUPPORT_CHANNEL_ID: 'C0SUPPORT',
    PROVISIONING_TOKEN: 'a-long-provisioning-token',
  };
  it('parses durations in s, m, h and d', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1w')).toBeNull();
    expect(parseDuration('0d')).toBeNull();
  });
  it('fills defaults', () => {
    const config = loadConfig(valid);
    expect(config.PORT).toBe(3000);
    expect(config.SETUP_INVITE_TTL).toBe(30 * 86_400_000);
    expect(config.CONFIRM_TTL).toBe(86_400_000);
    expect(config.SWEEP_SCHEDULE).toBe('* * * * *');
    expect(config.OUTBOX_RETENTION).toBe(7 * 86_400_000);
    expect(config.DATABASE_URL).toBeUndefined();
  });
  it('METRICS_TOKEN is optional, and 16 characters or more when set', () => {
    expect(loadConfig(valid).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ ...valid, METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ ...valid, METRICS_TOKEN: 'a-long-metrics-token' }).METRICS_TOKEN).toBe('a-long-metrics-token');
    expect(() => loadConfig({ ...valid, METRICS_TOKEN: 'short' })).toThrow('METRICS_TOKEN must be at least 16 characters');
  });
  it('SUPPORT_CHANNEL_ALLOW_PUBLIC is false unless set to true', () => {
    expect(loadConfig(valid).SUPPORT_CHANNEL_ALLOW_PUBLIC).toBe(false);
    expect(loadConfig({ ...valid, SUPPORT_CHANNEL_ALLOW_PUBLIC: 'true' }).SUPPORT_CHANNEL_ALLOW_PUBLIC).toBe(true);
    expect(() => loadConfig({ ...valid, SUPPORT_CHANNEL_ALLOW_PUBLIC: 'yes' })).toThrow(
      'SUPPORT_CHANNEL_ALLOW_PUBLIC must be true or false',
    );
  });
  it('keeps delivered outbox rows at least an hour', () => {
    expect(loadConfig({ ...valid, OUTBOX_RETENTION: '2h' }).OUTBOX_RETENTION).toBe(7_200_000);
    expect(() => loadConfig({ ...valid, OUTBOX_RETENTION: '30m' })).toThrow('OUTBOX_RETENTION must be at least 1h');
  });
  it('LETTER_MAX_BYTES is 10 MB unless set', () => {
    expect(loadConfig(valid).LETTER_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(loadConfig({ ...valid, LETTER_MAX_BYTES: '5242880' }).LETTER_MAX_BYTES).toBe(5 * 1024 * 1024);
    expect(() => loadConfig({ ...valid, LETTER_MAX_BYTES: '10MB' })).toThrow('LETTER_MAX_BYTES');
  });
  it('lists every problem at once and points to .env.example', () => {
    let error: unknown;
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'nope', CONFIRM_TTL: 'soon', SWEEP_SCHEDULE: 'every minute' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('SLACK_BOT_TOKEN'),
        'SLACK_SIGNING_SECRET is missing',
        'SUPPORT_CHANNEL_ID is missing',
        'PROVISIONING_TOKEN is missing',
        expect.stringContaining('CONFIRM_TTL'),
        expect.stringContaining('SWEEP_SCHEDULE'),
      ]),
    );
    expect(message).toContain('.env.example');
  });
});
