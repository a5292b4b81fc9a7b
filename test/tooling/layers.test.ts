import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The layer rules of `npm run lint`, applied to a small tree with one wrong import of each kind.
const rules = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as IConfiguration;

let root: string;
const previousDirectory = process.cwd();

async function file(path: string, text: string) {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

async function violations(): Promise<string[]> {
  const { output } = await cruise(['src'], { validate: true, ruleSet: { forbidden: rules.forbidden }, tsPreCompilationDeps: true });
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

describe('the layer rules', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'vouch-layers-'));
    await file('src/domain/rule.js', 'export const rule = 1;\n');
    await file('src/db/queries.js', "import { rule } from '../domain/rule.js';\nexport const q = rule;\n");
    await file('src/workflows/flow.js', "import { q } from '../db/queries.js';\nexport const flow = q;\n");
    await file('src/bot/listener.js', "import { flow } from '../workflows/flow.js';\nexport const l = flow;\n");
    await file('src/sandbox/fake.js', "import { l } from '../bot/listener.js';\nexport const fake = l;\n");
    process.chdir(root);
  });
  afterAll(async () => {
    process.chdir(previousDirectory);
    await rm(root, { recursive: true, force: true });
  });

  it('pass imports that point inwards', async () => {
    expect(await violations()).toEqual([]);
  });

  it('fail a domain that imports the database, a db that imports a workflow, and product code that imports the sandbox', async () => {
    await file('src/domain/wrong.js', "import { q } from '../db/queries.js';\nexport const w = q;\n");
    await file('src/db/wrong.js', "import { flow } from '../workflows/flow.js';\nexport const w = flow;\n");
    await file('src/workflows/wrong.js', "import { fake } from '../sandbox/fake.js';\nexport const w = fake;\n");
    expect(await violations()).toEqual(
      [
        'db-below-workflows: src/db/wrong.js → src/workflows/flow.js',
        'product-without-sandbox: src/workflows/wrong.js → src/sandbox/fake.js',
        'workflows-below-bot: src/workflows/wrong.js → src/sandbox/fake.js',
        'domain-is-pure: src/domain/wrong.js → src/db/queries.js',
      ].sort(),
    );
  });
});
