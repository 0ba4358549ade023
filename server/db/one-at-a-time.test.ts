import { describe, expect, it } from 'vitest';
import { oneAtATime } from './client.js';

describe('oneAtATime (one connection asked for by several flows)', () => {
  it('runs each piece of work after the one before has ended, in the order asked, past a failure', async () => {
    const run = oneAtATime();
    const log: string[] = [];
    let busy = false;
    const step = (name: string, ms: number, fail = false) =>
      run(async () => {
        expect(busy, `${name} started while another ran`).toBe(false);
        busy = true;
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name}-`);
        busy = false;
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([step('a', 20), step('b', 1, true), step('c', 5)]);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['a', 'b', 'c']);
  });
});
