// The choice between one workspace (SLACK_BOT_TOKEN) and distribution (SLACK_CLIENT_ID and the
// settings it needs): every problem listed at once, as for every other setting.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, slackMode, startupMode } from '../src/config.js';

const common = { SLACK_SIGNING_SECRET: 'secret', SUPPORT_CHANNEL_ID: 'C0SUPPORT', PROVISIONING_TOKEN: 'a-long-provisioning-token' };
const key = Buffer.alloc(32, 1).toString('base64');
const distributed = {
  ...common,
  SLACK_CLIENT_ID: '1234567890.1234567890',
  SLACK_CLIENT_SECRET: 'client-secret',
  SLACK_STATE_SECRET: 'a-state-secret-of-some-length',
  SUPPORT_TEAM_ID: 'T0PROVIDER',
  INSTALLATION_ENCRYPTION_KEY: key,
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a configuration error');
}

describe('one workspace or distribution', () => {
  it('one workspace: SLACK_BOT_TOKEN, as always', () => {
    const config = loadConfig({ ...common, SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(slackMode(config)).toBe('single');
    expect(config.SLACK_CLIENT_ID).toBeUndefined();
    expect(config.INSTALLATION_ENCRYPTION_PREVIOUS_KEYS).toEqual([]);
  });

  it('distribution: the app’s OAuth settings, the provider’s workspace and the key, no bot token', () => {
    const config = loadConfig(distributed);
    expect(slackMode(config)).toBe('distributed');
    expect(config).toMatchObject({ SUPPORT_TEAM_ID: 'T0PROVIDER', INSTALLATION_ENCRYPTION_KEY: key });
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
    // Empty values, as in a copied .env.example, count as unset.
    expect(slackMode(loadConfig({ ...distributed, SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '' }))).toBe('distributed');
    expect(startupMode({ SLACK_CLIENT_ID: '1.2', NODE_ENV: 'production' })).toBe('bot');
  });

  it('lists every missing distribution setting at once, with the other problems', () => {
    expect(problemsOf({ ...common, SLACK_CLIENT_ID: '1234567890.1234567890', CONFIRM_TTL: 'soon' })).toEqual(
      expect.arrayContaining([
        'SLACK_CLIENT_SECRET is missing (distribution needs it)',
        'SLACK_STATE_SECRET is missing (distribution needs it)',
        'SUPPORT_TEAM_ID is missing (distribution needs it)',
        'INSTALLATION_ENCRYPTION_KEY is missing (distribution needs it)',
        expect.stringContaining('CONFIRM_TTL'),
      ]),
    );
  });

  it('refuses malformed settings, both modes at once, and Socket Mode with distribution', () => {
    const problems = problemsOf({
      ...distributed,
      SLACK_CLIENT_ID: 'abc',
      SLACK_STATE_SECRET: 'short',
      SUPPORT_TEAM_ID: 'C0NOTATEAM',
      INSTALLATION_ENCRYPTION_KEY: Buffer.alloc(16, 1).toString('base64'),
      INSTALLATION_ENCRYPTION_PREVIOUS_KEYS: `${key},nope`,
      SLACK_AUTHORIZE_URL: 'not a url',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^SLACK_CLIENT_ID must be the app’s Client ID/),
      'SLACK_STATE_SECRET must be at least 16 characters',
      'SLACK_AUTHORIZE_URL must be a URL',
      'SUPPORT_TEAM_ID must be a workspace id such as T0123ABCD',
      expect.stringMatching(/^INSTALLATION_ENCRYPTION_KEY must be 32 random bytes in base64/),
      expect.stringMatching(/^INSTALLATION_ENCRYPTION_PREVIOUS_KEYS each key must be 32 random bytes/),
    ]);
    expect(problemsOf({ ...distributed, SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set/),
    ]);
    expect(problemsOf({ ...distributed, SLACK_APP_TOKEN: 'xapp-1' })).toEqual([
      expect.stringMatching(/^SLACK_APP_TOKEN cannot be used with distribution/),
    ]);
    expect(problemsOf(common)).toEqual([expect.stringMatching(/^SLACK_BOT_TOKEN is missing \(or, to let many workspaces install Vouch/)]);
  });
});
