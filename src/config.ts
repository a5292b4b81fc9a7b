import { z } from 'zod';
import cron from 'node-cron';
import { parseDuration } from './domain/duration.js';
import { DEFAULT_LETTER_MAX_BYTES } from './domain/letter.js';

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

const configSchema = z.object({
  SLACK_BOT_TOKEN: z.string().regex(/^xox[bp]-/, 'must be a bot token starting with xoxb-'),
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
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const missing = issue.code === 'invalid_type' && env[name] === undefined;
    return missing ? `${name} is missing` : `${name} ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/**
 * What `npm start` runs. Without a Slack bot token it is the sandbox, for someone trying Vouch
 * out; but a production deployment (NODE_ENV=production, as the Dockerfile and Procfile set)
 * that lost its token must not quietly serve a sandbox on loopback: that is a configuration error.
 */
export function startupMode(env: Record<string, string | undefined>): 'bot' | 'sandbox' {
  if (env.SLACK_BOT_TOKEN) return 'bot';
  if (env.NODE_ENV === 'production') {
    throw new ConfigError(['SLACK_BOT_TOKEN is missing, and NODE_ENV is production: a deployment runs against Slack, never the sandbox']);
  }
  return 'sandbox';
}
