import { describe, expect, it } from 'vitest';
import { describeBytes, mayReceiveToken, slackFileOrigins, tooLarge } from '../../src/domain/letter.js';

describe('where the bot token may go when a file is downloaded', () => {
  it('Slack’s file host, over HTTPS, on its own port', () => {
    const origins = slackFileOrigins(undefined);
    expect(origins).toEqual(['https://files.slack.com']);
    expect(mayReceiveToken('https://files.slack.com/files-pri/T0-F0/letter.pdf', origins)).toBe(true);
    expect(mayReceiveToken('http://files.slack.com/files-pri/T0-F0/letter.pdf', origins)).toBe(false);
    expect(mayReceiveToken('https://files.slack.com:8443/x', origins)).toBe(false);
  });

  it('nowhere else: look-alike hosts, other Slack hosts, credentials in the URL, non-URLs', () => {
    const origins = slackFileOrigins(undefined);
    for (const url of [
      'https://files.slack.com.evil.example/x',
      'https://evil.example/files.slack.com/x',
      'https://slack.com/x',
      'https://user:pass@files.slack.com/x',
      'https://files.slack.com@evil.example/x',
      '/files-pri/T0-F0/letter.pdf',
      'not a url',
      '',
    ]) {
      expect(mayReceiveToken(url, origins), url).toBe(false);
    }
  });

  it('with SLACK_API_URL set, its host too (scheme and port included)', () => {
    const origins = slackFileOrigins('http://127.0.0.1:4100/api/');
    expect(origins).toEqual(['https://files.slack.com', 'http://127.0.0.1:4100']);
    expect(mayReceiveToken('http://127.0.0.1:4100/files/F1/letter.pdf', origins)).toBe(true);
    expect(mayReceiveToken('http://127.0.0.1:4101/files/F1/letter.pdf', origins)).toBe(false);
    expect(mayReceiveToken('https://127.0.0.1:4100/files/F1/letter.pdf', origins)).toBe(false);
  });
});

describe('the letter’s size', () => {
  it('a declared size over the limit is too large; an unknown one is checked while reading', () => {
    expect(tooLarge(10 * 1024 * 1024 + 1, 10 * 1024 * 1024)).toBe(true);
    expect(tooLarge(10 * 1024 * 1024, 10 * 1024 * 1024)).toBe(false);
    expect(tooLarge(undefined, 1024)).toBe(false);
    expect(tooLarge(Number.NaN, 1024)).toBe(false);
  });

  it('limits in words', () => {
    expect(describeBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(describeBytes(64 * 1024)).toBe('64 KB');
    expect(describeBytes(1536 * 1024 + 1)).toBe('1.5 MB');
    expect(describeBytes(1500)).toBe('1500 bytes');
  });
});
