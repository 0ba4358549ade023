import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * The local admin channel (issue 10): while the server holds the PGlite directory, the CLI cannot
 * open it, so operator commands go to `/api/admin/*` inside the server. A request is accepted when
 *
 * 1. it carries the token the server wrote, at start, into its lock file beside the data directory
 *    (`<DATA_DIR>.lock`, mode 0600, readable only by the server's OS user) — whoever can read that
 *    file can read the database files next to it, so the token grants nothing they do not have;
 * 2. its TCP peer is this machine (the socket's address, never X-Forwarded-For: trustProxy would
 *    let a client choose req.ip), and it carries no forwarding header — a request relayed by a
 *    reverse proxy on this host is someone else's, even though its socket is local.
 *
 * The token is random per start and compared in constant time; it never leaves the machine.
 */
export const ADMIN_TOKEN_HEADER = 'x-linkage-admin-token';

export function newAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const FORWARDING = ['x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'forwarded', 'via'];

const digest = (s: string) => createHash('sha256').update(s).digest();

export function isLocalAdmin(req: FastifyRequest, token: string | null): boolean {
  if (!token) return false;
  const peer = req.raw.socket.remoteAddress ?? '';
  if (!LOOPBACK.test(peer)) return false;
  if (FORWARDING.some((h) => req.headers[h] !== undefined)) return false;
  const given = req.headers[ADMIN_TOKEN_HEADER];
  if (typeof given !== 'string' || given.length === 0) return false;
  return timingSafeEqual(digest(given), digest(token));
}
