/**
 * The clock the month's life reads (publication windows, the scheduler). Services take `now` as
 * a parameter; the HTTP routes and the job runner read it here, so a test (or the in-process e2e
 * server) can move time — e.g. to one second after a publication window closes.
 */
export const clock = {
  now: (): Date => new Date(),
};

/** Sets the clock to a fixed instant (or back to real time with no argument); returns a restore function. */
export function setClock(at?: Date | (() => Date)): () => void {
  const before = clock.now;
  clock.now = at === undefined ? () => new Date() : typeof at === 'function' ? at : () => new Date(at.getTime());
  return () => {
    clock.now = before;
  };
}
