import autocannon from 'autocannon';

/**
 * Load drivers for the API benchmarks (issue 17, goal 3; decision 0047): the app through HTTP, and
 * the same query without HTTP, each at the same concurrency for the same time, so a ratio says what
 * the HTTP path (session, validation, serialisation, headers) costs on top of the query.
 */
export interface LoadFigure {
  requestsPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  errors: number;
  non2xx: number;
}

/**
 * `connections` HTTP clients on `url` for `seconds`. The client runs in a worker thread: in this
 * thread it would parse every response on the server's own event loop and bill the app for it.
 */
export async function httpLoad(url: string, headers: Record<string, string>, seconds: number, connections: number): Promise<LoadFigure> {
  const r = await autocannon({ url, headers, duration: seconds, connections, pipelining: 1, workers: 1, timeout: 60 });
  return { requestsPerSec: Math.round(r.requests.average), latencyP50Ms: r.latency.p50, latencyP99Ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

/** `connections` concurrent callers of `run` (the service call, no HTTP) for `seconds`. */
export async function directLoad(run: () => Promise<unknown>, seconds: number, connections: number): Promise<LoadFigure> {
  const times: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        try {
          // The caller gets the page as the route would hand it to the serialiser.
          await run();
        } catch {
          errors++;
        }
        times.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(times.length * q))] ?? 0);
  return { requestsPerSec: Math.round(times.length / elapsed), latencyP50Ms: at(0.5), latencyP99Ms: at(0.99), errors, non2xx: 0 };
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * One page or search: the app through HTTP beside the same service call without HTTP (warmed,
 * then measured), with the throughput ratio against `goalRatio` and the app's p99 against `goalP99Ms`.
 */
export async function compareLoad(
  http: { url: string; headers: Record<string, string> },
  direct: () => Promise<unknown>,
  opts: { seconds: number; connections: number; goalRatio: number; goalP99Ms: number },
) {
  await httpLoad(http.url, http.headers, 1, 4);
  await directLoad(direct, 1, 4);
  const app = await httpLoad(http.url, http.headers, opts.seconds, opts.connections);
  const raw = await directLoad(direct, opts.seconds, opts.connections);
  return {
    app,
    raw,
    ratio: r2(app.requestsPerSec / Math.max(1, raw.requestsPerSec)),
    goal: opts.goalRatio,
    goalP99Ms: opts.goalP99Ms,
    p99Met: app.latencyP99Ms < opts.goalP99Ms,
  };
}
