import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const file = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');
const procfile = Object.fromEntries(
  file('Procfile')
    .trim()
    .split('\n')
    .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
);
const scripts = (JSON.parse(file('package.json')) as { scripts: Record<string, string> }).scripts;

describe('deployment files', () => {
  it('the Dockerfile builds with the build script and its inputs, and runs the Procfile web command', () => {
    const build = file('Dockerfile').split(/^FROM /m)[1] ?? '';
    for (const input of ['tsconfig.json', 'tsconfig.build.json', 'scripts', 'src'])
      expect(build).toMatch(new RegExp(`^COPY .*\\b${input}\\b`, 'm'));
    expect(build).toMatch(/^RUN npm run build$/m);
    const cmd = /^CMD (\[.*\])$/m.exec(file('Dockerfile'))?.[1];
    expect(cmd && (JSON.parse(cmd) as string[]).join(' ')).toBe(procfile.web);
  });

  it('the Procfile runs what npm start and npm run db:migrate run, compiled', () => {
    expect(procfile.web).toMatch(/^node (--[\w-]+=\d+ )*dist\/main\.js$/);
    // npm start compiles only when dist/ is stale, then runs what the Procfile runs.
    expect(scripts.start).toBe('node scripts/build.mjs --if-stale && node dist/main.js');
    expect(scripts.build).toBe('node scripts/build.mjs');
    expect(procfile.release).toBe(scripts['db:migrate']);
  });
});
