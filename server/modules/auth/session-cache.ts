import type { AuthContext } from '../access/context.js';

/**
 * Resolved sessions kept in memory for a moment (decision 0047). Every authenticated request
 * resolved its cookie with one database round trip; on a cheap page that was a third of the
 * request's cost (bench: clientSearch idSuffix). A hit skips it.
 *
 * What it may make stale, and for how long:
 * - a change made through this instance (sign-out, password, roles, a disabled person — every
 *   write is a non-GET request) empties the cache when the request ends, and a lookup that began
 *   before it is not stored (the generation counter);
 * - a change made elsewhere (another instance behind the load balancer, the CLI, SQL) is seen
 *   within `ttlMs`: the window in which a revoked session or grant still answers on this instance.
 * `ttlMs` 0 turns the cache off (SESSION_CACHE_MS; the tests' default, so they see every change).
 */
export class SessionCache {
  private readonly entries = new Map<string, { auth: AuthContext; until: number }>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(token: string, now: number): AuthContext | undefined {
    const e = this.entries.get(token);
    if (!e) return undefined;
    if (e.until <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return e.auth;
  }

  /** The generation to pass to `set` after a lookup: a write in between voids the lookup. */
  begin(): number {
    return this.generation;
  }

  set(token: string, auth: AuthContext, generation: number, now: number): void {
    if (this.ttlMs <= 0 || generation !== this.generation) return;
    // Bounded: a flood of distinct cookies costs a refill, never memory.
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(token, { auth, until: now + this.ttlMs });
  }

  /**
   * One database lookup per cookie at a time (decision 0051): when an entry ages out under load,
   * every request of that session missed at once and each read the session again (50 clients, 50
   * lookups queued on the pool: the staff page's p99). Requests that miss while a lookup of the same
   * cookie runs wait for it. A write empties this too: a request after it starts a fresh lookup.
   */
  shared<R>(token: string, load: () => Promise<R>): Promise<R> {
    if (this.ttlMs <= 0) return load();
    const pending = this.inflight.get(token) as Promise<R> | undefined;
    if (pending) return pending;
    const p = load().finally(() => {
      if (this.inflight.get(token) === p) this.inflight.delete(token);
    });
    this.inflight.set(token, p);
    return p;
  }

  /** After any write through this instance. */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.inflight.clear();
  }
}
