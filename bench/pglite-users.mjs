// The simulated branch users of bench/pglite.ts (issue 17 goal 4), run in a worker thread so the
// clients' HTTP work does not share the server's event loop. Each user, signed in with a session of
// its own, opens the main pages in turn, starting at a different page, for `seconds`, waiting
// `think` ms between pages; the time of each page and the count of non-200 answers go back.
/* global fetch -- Node's own, as in the browser */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';

const { base, pages, cookies, seconds, think } = workerData;
const times = Object.fromEntries(pages.map((p) => [p.name, []]));
let errors = 0;
const end = performance.now() + seconds * 1000;
await Promise.all(
  cookies.map(async (cookie, u) => {
    for (let i = u; performance.now() < end; i++) {
      const p = pages[i % pages.length];
      const t0 = performance.now();
      const res = await fetch(base + p.url, { headers: { cookie } });
      await res.arrayBuffer();
      times[p.name].push(performance.now() - t0);
      if (res.status !== 200) errors++;
      if (think > 0) await sleep(think);
    }
  }),
);
parentPort.postMessage({ times, errors });
