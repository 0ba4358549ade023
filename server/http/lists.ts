import { z } from 'zod';

/**
 * The list envelopes of the API, one definition each (issue 11 #4). The console derives its types
 * from these (web/src/api/contract.ts: `Paged<T>`), so a changed envelope fails to compile there.
 */

/** `{ items }`: a whole list, not paged. */
export const itemList = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** `{ items, total }`: a list with the count of all matching rows (no paging fields echoed). */
export const countedList = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number() });

/** `{ items, total, page, pageSize }`: one page of a list; `total` counts every matching row. */
export const pagedList = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number(), page: z.number(), pageSize: z.number() });

/** The wire shape of `pagedList(item)`. */
export type Paged<T> = { items: T[]; total: number; page: number; pageSize: number };
