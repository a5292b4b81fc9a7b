import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, startupMode } from '../src/config.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs the entry point in an empty directory (no `.env`) with exactly `env`, until it exits. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'vouch-main-'));
  const child = spawn(process.execPath, ['--import', tsxLoader, join(repoRoot, 'src', 'main.ts')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), TSX_TSCONFIG_PATH: join(repoRoot, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout.setEncoding('utf8').on('data', (c: string) => chunks.push(c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => chunks.push(c));
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, output: chunks.join('') });
    });
  });
}

describe('what npm start runs', () => {
  it('runs the bot with a Slack token, and the sandbox without one outside production', () => {
    expect(startupMode({ SLACK_BOT_TOKEN: 'xoxb-1', NODE_ENV: 'production' })).toBe('bot');
    expect(startupMode({})).toBe('sandbox');
    expect(startupMode({ NODE_ENV: 'development', SLACK_BOT_TOKEN: '' })).toBe('sandbox');
  });

  it('in production without a Slack token, it is a configuration error, never the sandbox', () => {
    expect(() => startupMode({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => startupMode({ NODE_ENV: 'production', SLACK_BOT_TOKEN: '' })).toThrow(/SLACK_BOT_TOKEN is missing/);
  });

  it('the production process says so and exits with code 1 before opening anything', { timeout: 30_000 }, async () => {
    const { code, output } = await runMain({ NODE_ENV: 'production', PORT: '0' });
    expect(code).toBe(1);
    expect(output).toContain('Vouch cannot start');
    expect(output).toContain('SLACK_BOT_TOKEN is missing');
    expect(output).not.toContain('Starting the Vouch sandbox');
  });
});
