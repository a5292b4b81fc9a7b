import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { slackLogger, withSafeErrors } from '../src/logger.js';
import { capturingLogger } from './support/logs.js';

describe('logged errors never carry the values of SQL parameters', () => {
  const failedInsert = () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "accounts_name_lower"'), {
      code: '23505',
      detail: 'Key (lower(name))=(secret corp) already exists.',
    });
    return new DrizzleQueryError('insert into "accounts" ("name", "contract_number") values ($1, $2)', ['Secret Corp', 'C-SECRET'], cause);
  };

  it('a failed query keeps its SQL, stack and cause, and loses its parameters and the detail quoting them', () => {
    const logs = capturingLogger();
    withSafeErrors(logs.logger).error({ err: failedInsert() }, 'failed');
    const [line] = logs.lines();
    const err = line?.err as { type: string; message: string; stack: string; query: string };
    expect(err.type).toBe('DrizzleQueryError');
    expect(err.query).toBe('insert into "accounts" ("name", "contract_number") values ($1, $2)');
    expect(err.message).toContain('params: [not logged]');
    expect(err.message).toContain('duplicate key value violates unique constraint');
    expect(err.stack).toContain('caused by: Error: duplicate key value');
    expect(logs.text()).not.toMatch(/secret corp|C-SECRET/i);
  });

  it('Bolt’s own log lines that quote an error lose them too', () => {
    const logs = capturingLogger();
    slackLogger(withSafeErrors(logs.logger)).error('An unhandled error occurred:', failedInsert());
    slackLogger(withSafeErrors(logs.logger)).error(`text: ${String(failedInsert())}`);
    expect(logs.lines()).toHaveLength(2);
    expect(logs.text()).toContain('params: [not logged]');
    expect(logs.text()).not.toMatch(/secret corp|C-SECRET/i);
  });

  it('other errors are logged as they are', () => {
    const logs = capturingLogger();
    withSafeErrors(logs.logger).error(
      { err: Object.assign(new Error('channel_not_found'), { data: { error: 'channel_not_found' } }) },
      'x',
    );
    expect(logs.lines()[0]?.err).toMatchObject({ message: 'channel_not_found', data: { error: 'channel_not_found' } });
  });
});
