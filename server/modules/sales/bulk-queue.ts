/**
 * The hand-over between reading and writing in the bulk path (sales.bulk.ts): chunks are checked
 * and written in file order while the file is read on.
 */

const QUEUED = 2;

/**
 * Runs chunks through `run` one after the other, in order, while the caller reads on: up to
 * QUEUED chunks wait, so a slow COPY does not stall the parsing at once. A failure stops the rest
 * and surfaces at the next submit or at drain.
 */
export function orderedQueue<A extends unknown[]>(run: (...args: A) => Promise<void>) {
  let tail: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  let queued = 0;
  return {
    async submit(...args: A) {
      while (queued >= QUEUED) await tail;
      if (failure) throw failure;
      queued++;
      tail = tail
        .then(() => (failure ? undefined : run(...args)))
        .catch((e: unknown) => {
          failure = e;
        })
        .finally(() => queued--);
    },
    async drain() {
      await tail;
      if (failure) throw failure;
    },
  };
}
