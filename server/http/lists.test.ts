import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { countedList, itemList, pagedList, type Paged } from './lists.js';

// The list envelopes are part of the wire contract the console compiles against
// (web/src/api/contract.ts); these pin their exact keys so a change is deliberate.
describe('list envelopes', () => {
  const Row = z.object({ id: z.number() });

  it('pagedList is { items, total, page, pageSize } and nothing else', () => {
    const body: Paged<{ id: number }> & { extra?: unknown } = { items: [{ id: 1 }], total: 41, page: 3, pageSize: 20, extra: 'dropped' };
    expect(pagedList(Row).parse(body)).toEqual({ items: [{ id: 1 }], total: 41, page: 3, pageSize: 20 });
    expect(Object.keys(pagedList(Row).shape)).toEqual(['items', 'total', 'page', 'pageSize']);
    expect(pagedList(Row).safeParse({ items: [], total: 0 }).success).toBe(false);
  });

  it('countedList is { items, total }; itemList is { items }', () => {
    expect(Object.keys(countedList(Row).shape)).toEqual(['items', 'total']);
    expect(Object.keys(itemList(Row).shape)).toEqual(['items']);
    expect(itemList(Row).safeParse({ items: [{ id: 'x' }] }).success).toBe(false);
  });
});
