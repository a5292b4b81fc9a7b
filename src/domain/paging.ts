// A list longer than one Slack message fits shows a page at a time, with a button to the next:
// nothing is cut, and the count shown is the count of what the buttons reach.

export interface Page<T> {
  items: T[];
  /** 1-based position of the first item shown in the whole list (0 when the page is empty). */
  from: number;
  /** Position of the last item shown (0 when the page is empty). */
  to: number;
  total: number;
}

/** Where a list sorted by (time, id) continues: after the last item shown. */
export type SortKey = readonly [at: number, id: string];

const compare = (a: SortKey, b: SortKey) => (a[0] !== b[0] ? a[0] - b[0] : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);

/**
 * The page of `size` items after `after` in `items` (sorted by `key`), and where the next page
 * starts (null on the last one). Continuing after a key rather than an offset neither skips nor
 * repeats anyone when the list changed between two pages.
 */
export function pageAfter<T>(
  items: readonly T[],
  key: (item: T) => SortKey,
  after: SortKey | null,
  size: number,
): Page<T> & { next: SortKey | null } {
  const sorted = [...items].sort((a, b) => compare(key(a), key(b)));
  const start = after === null ? 0 : sorted.findIndex((item) => compare(key(item), after) > 0);
  const begin = start < 0 ? sorted.length : start;
  const shown = sorted.slice(begin, begin + size);
  const last = shown.at(-1);
  return {
    items: shown,
    from: shown.length > 0 ? begin + 1 : 0,
    to: begin + shown.length,
    total: sorted.length,
    next: last !== undefined && begin + shown.length < sorted.length ? key(last) : null,
  };
}

/**
 * The `size` items from `offset` (kept within the list), for lists drawn afresh each time (the
 * Home tab, whose page sizes depend on what else it shows), with where the pages around start.
 */
export function pageAt<T>(
  items: readonly T[],
  offset: number,
  size: number,
): Page<T> & { offset: number; next: number | null; previous: number | null } {
  const begin = items.length === 0 ? 0 : Math.min(Math.max(0, Math.floor(offset)), items.length - 1);
  const shown = items.slice(begin, begin + size);
  return {
    items: shown,
    from: shown.length > 0 ? begin + 1 : 0,
    to: begin + shown.length,
    total: items.length,
    offset: begin,
    next: begin + size < items.length ? begin + size : null,
    previous: begin > 0 ? Math.max(0, begin - size) : null,
  };
}
