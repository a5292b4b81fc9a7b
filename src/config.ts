import { z } from 'zod';
import cron from 'node-cron';
import { parseDuration } from './domain/duration.js';
import { DEFAULT_LETTER_MAX_BYTES } from './domain/letter.js';
import { decodeKey } from './db/tokenCipher.js';

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration such as 90s, 15m, 24h or 30d` });
        return z.NEVER;
      }
      return ms;
    });

const cronExpression = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((expr) => cron.validate(expr), `must be a node-cron expression such as "${fallback}"`);

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const encryptionKeyHint = 'must be 32 random bytes in base64, such as the output of: openssl rand -base64 32';

const configSchema = z.object({
  // One workspace: its bot token. Distribution (many workspaces install Vouch): the app's OAuth settings.
  // Which one is meant, and what each needs, is checked in `modeProblems`.
  SLACK_BOT_TOKEN: optionalText.refine((v) => v === undefined || /^xox[bp]-/.test(v), 'must be a bot token starting with xoxb-'),
  SLACK_CLIENT_ID: optionalText.refine(
    (v) => v === undefined || /^\d+\.\d+$/.test(v),
    'must be the app’s Client ID (Basic Information), such as 1234567890.1234567890',
  ),
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  SLACK_AUTHORIZE_URL: optionalText.refine((v) => v === undefined || URL.canParse(v), 'must be a URL'),
  SUPPORT_TEAM_ID: optionalText.refine((v) => v === undefined || /^T[A-Z0-9]+$/.test(v), 'must be a workspace id such as T0123ABCD'),
  INSTALLATION_ENCRYPTION_KEY: optionalText.refine((v) => v === undefined || decodeKey(v) !== null, encryptionKeyHint),
  INSTALLATION_ENCRYPTION_PREVIOUS_KEYS: optionalText
    .transform((v) =>
      v === undefined
        ? []
        : v
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean),
    )
    .refine((keys) => keys.every((k) => decodeKey(k) !== null), `each key ${encryptionKeyHint} (comma-separated)`),
  SLACK_SIGNING_SECRET: z.string().min(1, 'is required'),
  SLACK_APP_TOKEN: optionalText.refine((v) => v === undefined || v.startsWith('xapp-'), 'must start with xapp-'),
  SLACK_API_URL: optionalText.refine((v) => v === undefined || URL.canParse(v), 'must be a URL'),
  SUPPORT_CHANNEL_ID: z.string().regex(/^[CG][A-Z0-9]+$/, 'must be a channel id such as C0123ABCD'),
  SUPPORT_CHANNEL_ALLOW_PUBLIC: optionalText
    .refine((v) => v === undefined || v === 'true' || v === 'false', 'must be true or false')
    .transform((v) => v === 'true'),
  DATABASE_URL: optionalText.refine(
    (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
    'must be a postgres:// URL (leave it unset for the embedded database)',
  ),
  DATA_DIR: z.string().default('.data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PROVISIONING_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  SETUP_INVITE_TTL: duration('30d'),
  CONFIRM_TTL: duration('24h'),
  SWEEP_SCHEDULE: cronExpression('* * * * *'),
  RECONCILE_SCHEDULE: cronExpression('*/5 * * * *'),
  RECOVERY_APPROVALS: z.coerce.number().int().min(1).max(10).default(1),
  RECOVERY_REMIND_AFTER: duration('24h'),
  SETUP_REMIND_BEFORE: duration('3d'),
  CONFIRM_REMIND_BEFORE: duration('2h'),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  SLACK_STARTUP_TIMEOUT: duration('60s'),
  LETTER_MAX_BYTES: z.coerce.number().int().min(1024, 'must be at least 1024 (bytes)').default(DEFAULT_LETTER_MAX_BYTES),
  METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters (or unset)'),
  // Delivered rows are what makes a replayed write a no-op (their key): kept at least an hour.
  OUTBOX_RETENTION: duration('7d').refine((ms) => ms >= 3_600_000, 'must be at least 1h'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

/** The settings distribution needs besides those of one workspace. */
const distributionSettings = ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SUPPORT_TEAM_ID', 'INSTALLATION_ENCRYPTION_KEY'] as const;

const isSet = (value: string | undefined) => value !== undefined && value.trim() !== '';

/**
 * Which way Slack is reached: one workspace (`SLACK_BOT_TOKEN`), or distribution, where each
 * workspace installs Vouch through OAuth (`SLACK_CLIENT_ID` and the settings it needs).
 */
export function slackMode(config: Partial<Pick<Config, 'SLACK_BOT_TOKEN' | 'SLACK_CLIENT_ID'>>): 'single' | 'distributed' {
  return config.SLACK_CLIENT_ID ? 'distributed' : 'single';
}

/** The problems of the choice between one workspace and distribution, whatever else is wrong. */
function modeProblems(env: Record<string, string | undefined>): string[] {
  const token = isSet(env.SLACK_BOT_TOKEN);
  const client = isSet(env.SLACK_CLIENT_ID);
  if (token && client) {
    return [
      'SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: set SLACK_BOT_TOKEN to serve one workspace, or SLACK_CLIENT_ID (with the other distribution settings) to let many workspaces install Vouch, not both',
    ];
  }
  if (!client) {
    return token
      ? []
      : ['SLACK_BOT_TOKEN is missing (or, to let many workspaces install Vouch, set SLACK_CLIENT_ID and the other distribution settings)'];
  }
  return [
    ...distributionSettings.filter((name) => !isSet(env[name])).map((name) => `${name} is missing (distribution needs it)`),
    ...(isSet(env.SLACK_APP_TOKEN)
      ? [
          'SLACK_APP_TOKEN cannot be used with distribution: workspaces install Vouch over HTTP (its /slack/install and /slack/oauth_redirect pages), so leave Socket Mode off',
        ]
      : []),
  ];
}

/** The timing and policy settings, with their defaults, for code that builds Vouch directly. */
export const tunableDefaults = configSchema
  .pick({
    SETUP_INVITE_TTL: true,
    CONFIRM_TTL: true,
    SWEEP_SCHEDULE: true,
    RECONCILE_SCHEDULE: true,
    RECOVERY_APPROVALS: true,
    RECOVERY_REMIND_AFTER: true,
    SETUP_REMIND_BEFORE: true,
    CONFIRM_REMIND_BEFORE: true,
    OUTBOX_MAX_ATTEMPTS: true,
    OUTBOX_RETENTION: true,
    SLACK_STARTUP_TIMEOUT: true,
    LETTER_MAX_BYTES: true,
  })
  .parse({});
export type Tunables = typeof tunableDefaults;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Vouch cannot start: its configuration has ${problems.length} problem(s):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSee .env.example for every setting and its meaning.',
    );
  }

  /** The same on one line, for a log line a platform shows as it is. */
  get line(): string {
    return `Vouch cannot start: ${this.problems.join('; ')}${this.problems.length > 1 ? '. See .env.example for every setting.' : ''}`;
  }
}

/** Reads the environment once; reports every problem together rather than the first. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  const problems = [
    ...modeProblems(env),
    ...(result.success
      ? []
      : result.error.issues.map((issue) => {
          const name = issue.path.join('.');
          const missing = issue.code === 'invalid_type' && env[name] === undefined;
          return missing ? `${name} is missing` : `${name} ${issue.message}`;
        })),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

/**
 * What `npm start` runs. Without Slack credentials (a bot token, or the client id of a distributed
 * app) it is the sandbox, for someone trying Vouch out; but a production deployment
 * (NODE_ENV=production, as the Dockerfile and Procfile set) that lost them must not quietly serve
 * a sandbox on loopback: that is a configuration error.
 */
export function startupMode(env: Record<string, string | undefined>): 'bot' | 'sandbox' {
  if (env.SLACK_BOT_TOKEN || env.SLACK_CLIENT_ID) return 'bot';
  if (env.NODE_ENV === 'production') {
    throw new ConfigError([
      'SLACK_BOT_TOKEN is missing (as is SLACK_CLIENT_ID, for distribution), and NODE_ENV is production: a deployment runs against Slack, never the sandbox',
    ]);
  }
  return 'sandbox';
}
