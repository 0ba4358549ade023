/**
 * Seconds spent per stage of the bulk path (sales.bulk.ts), summed over a load: what the bench
 * prints beside its figures so a slow stage is named, not guessed (issue 17). Cheap: a few
 * performance.now() calls per chunk, none per row.
 */
export const bulkStages = {
  totals: new Map<string, number>(),
  reset() {
    this.totals.clear();
  },
  /** Times `work` under `name` (awaited work included). */
  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      this.add(name, performance.now() - t0);
    }
  },
  add(name: string, ms: number) {
    this.totals.set(name, (this.totals.get(name) ?? 0) + ms / 1000);
  },
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.totals].map(([k, v]) => [k, Math.round(v * 100) / 100]));
  },
};
