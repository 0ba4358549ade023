/** server/calendar: the bank's dates (pure), working days (pure) and the one clock. */
export * from './dates.js';
export * from './working-days.js';
export * from './clock.js';
