/**
 * Smallest, largest and appending without spreading an array into a call's arguments.
 * `Math.min(...ids)` and `list.push(...items)` pass every element as an argument on the stack,
 * which throws "Maximum call stack size exceeded" past ~125 k elements (issue 10, finding 6).
 * These loop instead, at any length. An empty list gives Infinity / -Infinity, as Math.min() does.
 */

export function minOf(values: Iterable<number>): number {
  let lo = Infinity;
  for (const v of values) if (v < lo || Number.isNaN(v)) lo = v;
  return lo;
}

export function maxOf(values: Iterable<number>): number {
  let hi = -Infinity;
  for (const v of values) if (v > hi || Number.isNaN(v)) hi = v;
  return hi;
}

/** [smallest, largest] in one pass. */
export function minMax(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo || Number.isNaN(v)) lo = v;
    if (v > hi || Number.isNaN(v)) hi = v;
  }
  return [lo, hi];
}

/** Appends every item to `target` (in place) and returns it: `target.push(...items)` at any length. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
