import { describe, expect, it } from 'vitest';
import { pageAfter, pageAt, type SortKey } from '../../src/domain/paging.js';

type Row = { at: number; id: string };
const key = (r: Row): SortKey => [r.at, r.id];
const rows = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ at: 1000 + i, id: `U${String(i).padStart(3, '0')}` }));

describe('paging after a key (admins)', () => {
  it('pages in order, each page continuing after the last one shown, the count always the whole list', () => {
    const all = rows(41);
    const first = pageAfter([...all].reverse(), key, null, 20);
    expect(first).toMatchObject({ from: 1, to: 20, total: 41, next: [1019, 'U019'] });
    expect(first.items).toEqual(all.slice(0, 20));
    const second = pageAfter(all, key, first.next, 20);
    expect(second).toMatchObject({ from: 21, to: 40, total: 41, next: [1039, 'U039'] });
    const third = pageAfter(all, key, second.next, 20);
    expect(third).toMatchObject({ from: 41, to: 41, total: 41, next: null, items: [all[40]] });
  });

  it('ties on time are ordered by id; a list that changed between pages neither skips nor repeats anyone', () => {
    const tied = [
      { at: 5, id: 'UB' },
      { at: 5, id: 'UA' },
      { at: 5, id: 'UC' },
    ];
    const one = pageAfter(tied, key, null, 2);
    expect(one.items.map((r) => r.id)).toEqual(['UA', 'UB']);
    expect(pageAfter(tied, key, one.next, 2).items.map((r) => r.id)).toEqual(['UC']);

    const all = rows(30);
    const first = pageAfter(all, key, null, 10);
    const changed = [...all.slice(0, 3), ...all.slice(4), { at: 5000, id: 'UNEW' }]; // one shown removed, one added
    const second = pageAfter(changed, key, first.next, 10);
    expect(second.items).toEqual(all.slice(10, 20));
    expect(second).toMatchObject({ from: 10, to: 19, total: 30 });
  });

  it('after the last item, or in an empty list, the page is empty', () => {
    expect(pageAfter(rows(3), key, [9999, 'U'], 10)).toMatchObject({ items: [], from: 0, to: 3, total: 3, next: null });
    expect(pageAfter([], key, null, 10)).toMatchObject({ items: [], from: 0, to: 0, total: 0, next: null });
  });
});

describe('paging at an offset (the Home tab)', () => {
  it('gives the page, its place, and where the next and previous pages start', () => {
    const items = Array.from({ length: 13 }, (_, i) => i);
    expect(pageAt(items, 0, 10)).toMatchObject({ items: items.slice(0, 10), from: 1, to: 10, total: 13, next: 10, previous: null });
    expect(pageAt(items, 10, 10)).toMatchObject({ items: [10, 11, 12], from: 11, to: 13, next: null, previous: 0 });
    expect(pageAt(items, 7, 5)).toMatchObject({ items: [7, 8, 9, 10, 11], next: 12, previous: 2 });
  });

  it('an offset beyond the list (it shrank) shows its last item; a negative one its first', () => {
    expect(pageAt([1, 2, 3], 50, 10)).toMatchObject({ items: [3], from: 3, to: 3, offset: 2, previous: 0 });
    expect(pageAt([1, 2, 3], -4, 10)).toMatchObject({ items: [1, 2, 3], offset: 0, previous: null, next: null });
    expect(pageAt([], 5, 10)).toMatchObject({ items: [], from: 0, to: 0, total: 0, next: null, previous: null });
  });
});
