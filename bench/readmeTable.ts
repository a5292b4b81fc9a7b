// `npx tsx bench/readmeTable.ts`: bench/results.json's figures as the Markdown table of the
// README's Benchmarks section.

import { readFileSync } from 'node:fs';
import { markdownFigures, type Figure } from './report.js';

const results = JSON.parse(readFileSync(new URL('./results.json', import.meta.url), 'utf8')) as { figures?: Figure[] };
if (!results.figures) throw new Error('bench/results.json has no figures: run npm run bench first');
console.log(markdownFigures(results.figures));
