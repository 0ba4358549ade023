/** Calls `fn` once the caller has been quiet for `ms` (a picker's search as the person types); failures are the caller's to show. */
export function debounce<A extends unknown[]>(fn: (...a: A) => Promise<void>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => void fn(...a).catch(() => undefined), ms);
  };
}
