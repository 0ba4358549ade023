import { isIP } from 'node:net';
import { z } from 'zod';

/** proxy-addr's names for address ranges, accepted in TRUST_PROXY. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, a CIDR block (`10.0.0.0/8`, `fd00::/8`) or one of PROXY_RANGES. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * One validated configuration object. Every variable is documented here; a bad value stops the
 * process at start-up with a message naming the variable (Outline's env.ts idea).
 */
const EnvSchema = z.object({
  /** PostgreSQL server URL. When unset, the embedded PGlite database in DATA_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  /** Directory of the embedded PGlite database. `memory://` keeps it in memory (tests only). */
  DATA_DIR: z.string().default('./data/pglite'),
  /**
   * HTTP port and listen address. The default 0.0.0.0 listens on every interface (other machines on
   * the network reach it directly); 127.0.0.1 serves this machine only, e.g. behind a local reverse
   * proxy. The start line says which.
   */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** Minutes of inactivity after which a session ends. */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Absolute session lifetime in hours. */
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(12),
  /**
   * Milliseconds a resolved session is reused by this instance without reading the database
   * (decision 0047): how long a sign-out or role change made on another instance may lag here.
   * 0 reads the session on every request.
   */
  SESSION_CACHE_MS: z.coerce.number().int().min(0).max(10_000).default(2000),
  /** Failed sign-ins before an account is locked, and for how long. */
  LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  LOCKOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Largest accepted upload (import files), in megabytes. */
  IMPORT_MAX_MB: z.coerce.number().min(0.001).max(1024).default(20),
  /**
   * Limits on what an upload may expand to, checked before a spreadsheet library reads it
   * (decision 0021): the uncompressed size of any one part of an .xlsx (as declared in its zip
   * directory AND as counted while inflating), in megabytes; the number of shared strings of an
   * .xlsx; the length of one CSV line (record), in kilobytes. A cell is capped at Excel's own
   * 32,767 characters.
   */
  IMPORT_MAX_PART_MB: z.coerce.number().min(0.001).max(1024).default(256),
  IMPORT_MAX_SHARED_STRINGS: z.coerce.number().int().min(1).max(100_000_000).default(2_000_000),
  IMPORT_MAX_LINE_KB: z.coerce.number().min(1).max(65_536).default(256),
  /**
   * The reverse proxies whose `X-Forwarded-For` is believed: comma-separated addresses or CIDR
   * blocks (or `loopback`, `linklocal`, `uniquelocal`). Unset (the default): none, so the client
   * address is the TCP peer and a client cannot choose its own address with a header (which
   * would dodge the per-address sign-in rate limit). When set, the client is the first address,
   * from the right of the header, that is not a trusted proxy. Never `true`: trust is a list.
   */
  TRUST_PROXY: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const entries = v
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean);
      const bad = entries.filter((e) => !isProxyEntry(e));
      if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `not an address, CIDR block or range name: ${bad.join(', ')}` });
      return entries;
    }),
  /** Set cookies with the Secure flag (behind HTTPS). */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Load the demo bank into an empty database at start. */
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Serve the built console from this directory when it exists. */
  WEB_DIST: z.string().default('./web/dist'),
  /**
   * Run the scheduled jobs (monthly publication, closing publication windows) in this server
   * process. Safe with several processes on one PostgreSQL: each run is claimed once.
   */
  JOBS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Seconds between two rounds of the job runner. */
  JOBS_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(60),
  /** Largest accepted spot-check evidence file, in megabytes. */
  EVIDENCE_MAX_MB: z.coerce.number().min(0.001).max(100).default(10),
  /**
   * The CJK font of PDF exports (公示 notice): Debian's fonts-noto-cjk by default. A .ttc holds
   * several faces; PDF_CJK_FONT_FACE names the Simplified Chinese one.
   */
  PDF_CJK_FONT: z.string().default('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
  PDF_CJK_FONT_FACE: z.string().default('NotoSansCJKsc-Regular'),
  /**
   * After an unclean shutdown the server verifies the audit chain and refuses to start when it is
   * broken. `true` starts anyway (after investigation); the decision is recorded in the audit log.
   */
  RECOVERY_ACCEPT_BROKEN_CHAIN: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * statement_timeout of the CLI's PostgreSQL connections, in minutes (0 = none): a runaway or
   * forgotten recompute cannot hold the ledger lock for ever.
   */
  CLI_STATEMENT_TIMEOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(60),
  /**
   * Request limits on the database (decision 0018). The pool's size (PostgreSQL); how long a
   * request may wait for a connection (pool or PGlite's one) before 503 SYSTEM.BUSY; how long
   * one statement may run before PostgreSQL cancels it and the request gets 503 SYSTEM.TIMEOUT
   * (PGlite cannot interrupt a statement). 0 = no limit. Long jobs (bulk imports, recompute)
   * lift the statement limit for their own transaction; migrations and seeding never have it.
   */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  DB_POOL_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  /**
   * The dashboards' statements run as named prepared statements (planned once per connection,
   * decision 0053). `false` behind a pooler that cannot keep them (PgBouncer in transaction mode
   * before 1.21, or without max_prepared_statements).
   */
  DB_PREPARED_STATEMENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Seconds between two background database probes; /api/health answers from the last one. */
  HEALTH_PROBE_SECONDS: z.coerce.number().min(0.05).max(3600).default(5),
});

export type Config = z.infer<typeof EnvSchema>;

/** Reads and validates configuration from an environment (process.env by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means unset (`DATABASE_URL= npm start` uses the embedded database).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`配置错误 / invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** The database options of the server's request path (openDatabase's `poolSize` and `limits`). */
export function databaseOptions(config: Config) {
  return {
    poolSize: config.DB_POOL_SIZE,
    limits: { acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS, preparedStatements: config.DB_PREPARED_STATEMENTS },
  };
}
