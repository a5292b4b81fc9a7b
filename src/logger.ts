import pino, { type Logger, type LoggerOptions } from 'pino';
import { LogLevel, type Logger as SlackLogger } from '@slack/logger';

/** drizzle's failed query puts its parameters' values in its message: `Failed query: …\nparams: …`. */
const PARAMS_MARK = '\nparams: ';
/** Fields of database errors that carry values: the parameters, and a constraint's `Key (…)=(…)` detail. */
const VALUE_FIELDS = new Set(['params', 'parameters', 'detail']);

/**
 * The error as it may be logged: a database error keeps its query (placeholders only), code,
 * table and stack, but never the values of its parameters, which are user-supplied.
 */
export function withoutValues(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error) || depth > 8) return err;
  const cause = withoutValues(err.cause, depth + 1);
  const at = err.message.indexOf(PARAMS_MARK);
  const hidden = Object.keys(err).some((key) => VALUE_FIELDS.has(key));
  if (at < 0 && !hidden && cause === err.cause) return err;
  const message = at < 0 ? err.message : `${err.message.slice(0, at)}${PARAMS_MARK}[not logged]`;
  const head = `${err.name}: ${err.message}`;
  const stack = err.stack?.startsWith(head) ? `${err.name}: ${message}${err.stack.slice(head.length)}` : `${err.name}: ${message}`;
  const copy = Object.create(Object.getPrototypeOf(err) as object) as Record<string, unknown>;
  for (const [key, value] of Object.entries(err)) if (!VALUE_FIELDS.has(key)) copy[key] = value;
  for (const [key, value] of Object.entries({ message, stack, cause })) {
    if (key !== 'cause' || value !== undefined) Object.defineProperty(copy, key, { value, writable: true, configurable: true });
  }
  return copy;
}

/** The same for text that quotes an error (Bolt's own log lines): nothing after `params:`. */
const withoutValuesInText = (text: string) => {
  const at = text.indexOf(PARAMS_MARK);
  return at < 0 ? text : `${text.slice(0, at)}${PARAMS_MARK}[not logged]`;
};

const errSerializer = (err: unknown) => pino.stdSerializers.err(withoutValues(err) as Error);

/** Any logger, logging errors without their parameters' values (loggers passed in by tests too). */
export function withSafeErrors(logger: Logger): Logger {
  return logger.child({}, { serializers: { err: errSerializer } });
}

/**
 * JSON logs; tokens and secrets are redacted wherever they appear in a logged object. `hooks` see
 * every line (children's too) before it is written.
 */
export function createLogger(level: string, hooks?: LoggerOptions['hooks']): Logger {
  return pino({
    level,
    ...(hooks ? { hooks } : {}),
    serializers: { err: errSerializer },
    redact: {
      paths: [
        'token',
        '*.token',
        'headers.authorization',
        '*.headers.authorization',
        'SLACK_BOT_TOKEN',
        'SLACK_SIGNING_SECRET',
        'SLACK_APP_TOKEN',
        'SLACK_CLIENT_SECRET',
        'SLACK_STATE_SECRET',
        'INSTALLATION_ENCRYPTION_KEY',
        'INSTALLATION_ENCRYPTION_PREVIOUS_KEYS',
        'client_secret',
        '*.client_secret',
        'refresh_token',
        '*.refresh_token',
        'PROVISIONING_TOKEN',
        'METRICS_TOKEN',
      ],
      censor: '[redacted]',
    },
  });
}

const levels: Record<LogLevel, string> = {
  [LogLevel.ERROR]: 'error',
  [LogLevel.WARN]: 'warn',
  [LogLevel.INFO]: 'info',
  [LogLevel.DEBUG]: 'debug',
};

/** Bolt and the Web API client log through pino too. */
export function slackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack' });
  const line = (msg: unknown[]) => msg.map((m) => withoutValuesInText(String(withoutValues(m)))).join(' ');
  return {
    debug: (...msg: unknown[]) => child.debug(line(msg)),
    info: (...msg: unknown[]) => child.info(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    setLevel: () => {},
    getLevel: () => (Object.entries(levels).find(([, name]) => name === child.level)?.[0] as LogLevel) ?? LogLevel.INFO,
    setName: () => {},
  };
}
