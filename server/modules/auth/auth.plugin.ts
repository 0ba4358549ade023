import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { langOf, sendError } from '../../http/errors.plugin.js';
import { isLocalAdmin } from './admin-token.js';
import { resolveSession } from './auth.service.js';
import { can } from '../access/context.js';
import { SessionCache } from './session-cache.js';

export const SESSION_COOKIE = 'linkage_sid';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one place where access is enforced for every route, before the body is even parsed:
 * session → idle timeout → CSRF → temporary password → the route's permission. Subtree scope is checked by each
 * module's policy against the record it touches.
 *
 * It lives in auth (who is calling), not access (what a caller may do): it needs the session and
 * the operator token, and auth already builds on access's context — so access imports neither.
 */
export function registerAccess(app: FastifyInstance) {
  app.decorate('routeTable', []);
  app.decorateRequest('auth', null);
  app.decorateRequest('lang', 'zh-CN');

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    if (route.url.startsWith('/api/docs')) return; // swagger-ui's static files: public by nature
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access rule`);
    for (const m of [route.method].flat()) {
      if (m === 'HEAD') continue;
      app.routeTable.push({ method: m, url: route.url, access });
    }
  });

  const sessions = new SessionCache(app.config.SESSION_CACHE_MS);
  // Every write (sign-out, password, roles, a disabled person) empties the cache once it has run,
  // before its answer leaves: the next request on this instance reads the session again.
  app.addHook('onSend', async (req, _reply, payload) => {
    if (!SAFE_METHODS.has(req.method)) sessions.clear();
    return payload;
  });

  app.addHook('onRequest', async (req, reply) => {
    req.lang = langOf(req);
    const access = req.routeOptions.config?.access;
    if (!req.url.startsWith('/api/')) return;
    // The operator channel knows no sessions: the local token or nothing (auth/admin-token.ts).
    if (access === 'local-admin') {
      if (isLocalAdmin(req, app.adminToken)) return;
      const signedIn = Boolean(req.cookies[SESSION_COOKIE]);
      return sendError(reply, req.lang, new AppError(signedIn ? 'AUTH.FORBIDDEN' : 'AUTH.REQUIRED', signedIn ? { access } : undefined));
    }
    // Public routes (health, sign-in, language, OpenAPI) never read the session: no database
    // round trip before them, so health answers while the pool is saturated (decision 0018).
    if (!access || access === 'public') return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      // The cache's age is a measurement, not the calendar (the clock is for dates): monotonic.
      const now = performance.now();
      const generation = sessions.begin();
      const cached = sessions.get(token, now);
      const resolved = cached ?? (await sessions.shared(token, () => resolveSession(app.database.db, app.config, token)));
      if (resolved && resolved !== 'expired' && !cached) sessions.set(token, resolved, generation, now);
      if (resolved === 'expired') {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return sendError(reply, req.lang, new AppError('AUTH.SESSION_EXPIRED'));
      } else if (resolved) {
        req.auth = resolved;
      }
    }
    if (!req.auth) return sendError(reply, req.lang, new AppError('AUTH.REQUIRED'));
    if (!SAFE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== req.auth.csrfToken) {
      return sendError(reply, req.lang, new AppError('AUTH.CSRF'));
    }
    // A temporary password opens nothing but its own change: otherwise whoever knows it (the
    // administrator who set it, too) could act as the person and defeat four-eyes approval.
    if (req.auth.mustChangePassword && !req.routeOptions.config?.whileTemporaryPassword) {
      return sendError(reply, req.lang, new AppError('AUTH.PASSWORD_CHANGE_REQUIRED'));
    }
    if (access !== 'authenticated' && !can(req.auth, access)) {
      return sendError(reply, req.lang, new AppError('AUTH.FORBIDDEN', { permission: access }));
    }
  });
}
