// Fastify's declarations for this app, at the top of server/ so that http/ (below every module)
// need not import the access context they name.
import type { Access } from '../shared/access.js';
import type { Lang } from '../shared/errors.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { HealthMonitor } from './db/health.js';
import type { AuthContext } from './modules/access/context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in caller, or null. Set by the auth plugin (auth.plugin.ts) before any handler runs. */
    auth: AuthContext | null;
    lang: Lang;
  }
  interface FastifyContextConfig {
    /** Every /api route states who may call it; the app refuses to start without it. */
    access?: Access;
    /**
     * Reachable while the caller's password is a temporary one (set by an administrator): only
     * the password change, `me` and sign-out say so (auth.plugin.ts).
     */
    whileTemporaryPassword?: true;
  }
  interface FastifyInstance {
    database: Database;
    config: Config;
    /** Method, URL and access rule of every API route, for the authorisation matrix. */
    routeTable: RouteEntry[];
    /** The local admin token of this start (PGlite servers), or null: no admin channel. */
    adminToken: string | null;
    /** The background database probe /api/health answers from (db/health.ts). */
    health: HealthMonitor;
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}
