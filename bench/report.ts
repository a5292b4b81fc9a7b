/**
 * One figure of the benchmark table and of results.json: what was measured, against what, the
 * ratio, the target and whether it is met. Every comparison puts Vouch first: ratio = value /
 * reference. A target bounds the ratio (`x`) or the value itself (its unit).
 */

import { round } from './stats.js';

export interface Figure {
  /** Which target of the benchmarks it belongs to (the README's numbering) and what it measures. */
  benchmark: string;
  unit: string;
  /** The measured figure; text for figures made of several counts. */
  value: number | string;
  /** What the value is compared with, measured in the same run. */
  reference: string | null;
  referenceValue: number | null;
  ratio: number | null;
  /** `<= 2x`, `>= 0.9x` (of the ratio), `< 150 MB` (of the value), or a condition in words. */
  target: string | null;
  /** null: a figure reported without a target. */
  met: boolean | null;
}

export interface Bound {
  /** Upper bound, inclusive. */
  max?: number;
  /** Lower bound, inclusive. */
  min?: number;
}

const within = (x: number, bound: Bound) =>
  Number.isFinite(x) && (bound.max === undefined || x <= bound.max) && (bound.min === undefined || x >= bound.min);

const boundText = (bound: Bound, suffix: string) =>
  [bound.min !== undefined ? `>= ${bound.min}${suffix}` : '', bound.max !== undefined ? `<= ${bound.max}${suffix}` : '']
    .filter(Boolean)
    .join(', ');

/** Vouch against a reference measured beside it; with `target`, a bound on the ratio. */
export function compared(
  benchmark: string,
  unit: string,
  value: number,
  reference: { label: string; value: number },
  target?: Bound,
): Figure {
  const ratio = reference.value === 0 ? Number.NaN : value / reference.value;
  return {
    benchmark,
    unit,
    value,
    reference: reference.label,
    referenceValue: reference.value,
    ratio,
    target: target ? boundText(target, 'x') : null,
    met: target ? within(ratio, target) : null,
  };
}

/** A figure on its own; with `target`, a bound on the value in its unit. */
export function measured(benchmark: string, unit: string, value: number | string, target?: Bound): Figure {
  return {
    benchmark,
    unit,
    value,
    reference: null,
    referenceValue: null,
    ratio: null,
    target: target ? boundText(target, unit ? ` ${unit}` : '') : null,
    met: target && typeof value === 'number' ? within(value, target) : null,
  };
}

/** A figure whose target is a condition (no lost messages, the audit trail kept whole…). */
export function checked(benchmark: string, unit: string, value: number | string, condition: string, met: boolean): Figure {
  return { benchmark, unit, value, reference: null, referenceValue: null, ratio: null, target: condition, met };
}

const digitsFor = (x: number) => (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : Math.abs(x) >= 1 ? 2 : 3);
const show = (x: number | string | null, unit = '') => {
  if (x === null) return '';
  if (typeof x === 'string') return x;
  if (!Number.isFinite(x)) return '-';
  const text = x.toLocaleString('en-US', { maximumFractionDigits: digitsFor(x), minimumFractionDigits: 0 });
  return unit ? `${text} ${unit}` : text;
};

/** The table printed at the end of a run: one line per figure. */
export function printFigures(figures: Figure[]): string {
  const header = ['benchmark', 'Vouch', 'reference', 'ratio', 'target', 'met'];
  const rows = figures.map((f) => [
    f.benchmark,
    show(f.value, f.unit),
    f.reference === null ? '' : `${show(f.referenceValue, f.unit)} ${f.reference}`,
    f.ratio === null ? '' : `${show(round(f.ratio, 2))}x`,
    f.target ?? '',
    f.met === null ? '' : f.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((_, n) => Math.max(...[header, ...rows].map((r) => r[n]!.length)));
  const line = (r: string[]) =>
    r.map((cell, n) => (n === 0 || n === 2 || n === 4 ? cell.padEnd(widths[n]!) : cell.padStart(widths[n]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The same figures as a Markdown table, for the README's Benchmarks section. */
export function markdownFigures(figures: Figure[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = figures.map((f) => [
    f.benchmark,
    show(f.value, f.unit),
    f.reference === null ? '' : `${show(f.referenceValue, f.unit)} ${f.reference}`,
    f.ratio === null ? '' : `${show(round(f.ratio, 2))}×`,
    f.target ?? '',
    f.met === null ? '' : f.met ? 'yes' : '**no**',
  ]);
  return [
    '| benchmark | Vouch | reference | ratio | target | met |',
    '| --- | --: | --- | --: | --- | --- |',
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}
