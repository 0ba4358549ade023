import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One clock (issue 11 #3): server code reads "now" from server/calendar/clock.ts, so a test that
 * moves the clock moves all of it. A `new Date()` or `Date.now()` anywhere else is a second clock
 * that a test cannot move. Elapsed time (timeouts, progress) uses performance.now().
 */
const ROOT = join(import.meta.dirname, '..');
const SCANNED = ['modules', 'jobs', 'cli', 'calendar'];
const ALLOWED: Record<string, string> = {
  'calendar/clock.ts': 'the clock itself',
  // Sessions, the lockout window and password ages are security timers measured against the
  // database's now() in the same statements; moving the business clock (a month's life in a
  // test) must not sign everyone out or unlock an account.
  'modules/auth/auth.service.ts': 'security timers on the wall clock',
  'modules/scoring/testing.ts': 'a test helper making unique names',
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('one clock', () => {
  it('no server module reads the time except through the clock', () => {
    const offenders: string[] = [];
    for (const top of SCANNED) {
      for (const f of files(join(ROOT, top))) {
        const rel = relative(ROOT, f);
        if (ALLOWED[rel]) continue;
        readFileSync(f, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (/new Date\(\)|Date\.now\(\)/.test(line)) offenders.push(`server/${rel}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(offenders).toEqual([]);
  });

  it('no module computes Beijing time by itself', () => {
    const offenders: string[] = [];
    for (const top of SCANNED) {
      for (const f of files(join(ROOT, top))) {
        const rel = relative(ROOT, f);
        if (rel.startsWith('calendar/')) continue;
        if (/8 \* 3600|3600_000 \* 8|28_800_000|28800000/.test(readFileSync(f, 'utf8'))) offenders.push(`server/${rel}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
