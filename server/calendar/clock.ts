/**
 * The one clock. Every "now" in the server — a publication window closing, an audit timestamp, a
 * row's updated_at, today's date for a sale's validity — is read here, so a test (or the in-process
 * e2e server) moves time for the whole process by installing a TestClock: the month's life can be
 * driven through a publication window without waiting and without patching Date.
 *
 * One process serves one bank in one time zone, so the clock is process-wide (like the database
 * handle); vitest isolates test files, so one file's clock never leaks into another's. Elapsed-time
 * measurements (timeouts, progress, benchmarks) are not the calendar: they use performance.now().
 */
import { beijingDay, beijingMonth } from './dates.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let current: Clock = systemClock;

/** The current instant, from whichever clock is installed. */
export const now = (): Date => current.now();
/** Today in Beijing, 'YYYY-MM-DD'. */
export const today = (): string => beijingDay(current.now());
/** This month in Beijing, 'YYYY-MM'. */
export const thisMonth = (): string => beijingMonth(current.now());

/** Installs a clock for the process; returns a function that puts the previous one back. */
export function useClock(clock: Clock): () => void {
  const before = current;
  current = clock;
  return () => {
    current = before;
  };
}

/** A clock that stands still until told: set it, or advance it. */
export class TestClock implements Clock {
  private at: number;
  constructor(start: Date | string) {
    this.at = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.at);
  }
  set(at: Date | string): void {
    this.at = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** Installs a TestClock at `start`; returns it and the restore function. */
export function useTestClock(start: Date | string): { clock: TestClock; restore: () => void } {
  const clock = new TestClock(start);
  return { clock, restore: useClock(clock) };
}

/** The clock as one object, for modules that read it as `clock.now()` / `clock.today()`. */
export const clock = { now, today, thisMonth } as const;
