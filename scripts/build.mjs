// `npm run build`: compiles src/ to dist/ and copies the sandbox page's static files. tsc runs
// incrementally (its build info is kept in dist/), and the build ends by writing a fingerprint of
// its inputs to dist/. With --if-stale (what `npm start` runs) nothing is done when dist/ holds
// the build of the inputs as they are now: a restart then costs a hash of the sources, not a
// compile. Plain JavaScript, so that it runs before anything is compiled.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampFile = join(root, 'dist', '.build-fingerprint');
/** What the compiled output depends on, besides the installed packages. */
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];

/** The input files under `path` (itself when it is a file), relative to the root, in a fixed order. */
function files(path) {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** A hash of every input file's path and content. */
function fingerprint() {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(files)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const ifStale = process.argv.includes('--if-stale');
const wanted = fingerprint();
const built = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null;
if (ifStale && built === wanted && existsSync(join(root, 'dist', 'main.js'))) process.exit(0);

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
cpSync(join(root, 'src/sandbox/page/public'), join(root, 'dist/sandbox/page/public'), { recursive: true });
writeFileSync(stampFile, `${wanted}\n`);
