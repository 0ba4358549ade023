import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type DbOrTx, rows } from '../../db/client.js';
import { intArray } from '../../db/arrays.js';
import { AppError } from '../../errors.js';
import { type TokenCheck, verifyToken } from './surveys.rules.js';

/**
 * The survey's HMAC secret lives in the database (app_secrets), generated once when missing, so
 * every server on the same database signs and checks alike and a restore keeps printed codes valid.
 * Read once per database handle.
 */
const cache = new WeakMap<object, Promise<string>>();

export function surveySecret(db: DbOrTx, now: Date): Promise<string> {
  let s = cache.get(db);
  if (!s) {
    s = (async () => {
      await db.execute(sql`INSERT INTO app_secrets (name, secret, created_at) VALUES ('survey.hmac', ${randomBytes(32).toString('base64url')}, ${now.toISOString()}) ON CONFLICT (name) DO NOTHING`);
      const [r] = await rows<{ secret: string }>(db, sql`SELECT secret FROM app_secrets WHERE name = 'survey.hmac'`);
      return r.secret;
    })();
    s.catch(() => cache.delete(db));
    cache.set(db, s);
  }
  return s;
}

export interface TokenRow {
  id: number;
  kind: 'personal' | 'generic';
  activityId: number;
  activityTitle: string;
  activityStatus: 'planned' | 'held' | 'cancelled';
  projectId: number;
  projectNodeId: number;
  companyId: number;
  companyNodeId: number;
  personId: number | null;
  personName: string | null;
  expiresAt: Date | string;
  usedAt: Date | string | null;
}

/** A token whose signature holds (surveys.rules verifyToken). */
export type VerifiedToken = Extract<TokenCheck, { ok: true }>;

/** The rows of these tokens, with their activity, project and person, by id: one query for a batch. */
export async function tokenRows(db: DbOrTx, ids: number[]): Promise<Map<number, TokenRow>> {
  if (ids.length === 0) return new Map();
  const found = await rows<TokenRow>(
    db,
    sql`SELECT t.id, t.kind, t.activity_id AS "activityId", a.title AS "activityTitle", a.status AS "activityStatus", p.id AS "projectId", p.node_id AS "projectNodeId",
               p.company_id AS "companyId", c.node_id AS "companyNodeId", t.person_id AS "personId", i.name AS "personName", t.expires_at AS "expiresAt", t.used_at AS "usedAt"
          FROM survey_tokens t JOIN activities a ON a.id = t.activity_id JOIN projects p ON p.id = a.project_id JOIN corporate_clients c ON c.id = p.company_id
          LEFT JOIN individuals i ON i.id = t.person_id
         WHERE t.id = ANY(${intArray(ids)}::int[])`,
  );
  return new Map(found.map((r) => [r.id, r]));
}

/**
 * A verified token's row, or the refusal the phone shows: unknown → 404, already answered → 409,
 * expired → 410, voided by a re-issue → 404, its activity cancelled → 410.
 */
export function judgeToken(check: VerifiedToken, row: TokenRow | undefined, now: Date): { row: TokenRow; expiresAt: Date } {
  if (!row) throw new AppError('SURVEY.BAD_TOKEN');
  const stored = new Date(row.expiresAt);
  if (row.usedAt !== null) throw new AppError('SURVEY.USED');
  // A re-issued token has a later expiry: the old link is an expired one.
  if (check.expired || stored.getTime() <= now.getTime()) throw new AppError('SURVEY.EXPIRED');
  if (stored.getTime() !== check.expiresAt.getTime()) throw new AppError('SURVEY.BAD_TOKEN');
  if (row.activityStatus === 'cancelled') throw new AppError('SURVEY.CANCELLED');
  return { row, expiresAt: stored };
}

/**
 * A token's row, or the refusal the phone shows: unknown or forged → 404, already answered → 409,
 * expired → 410. Nothing is written before this passes.
 */
export async function resolveToken(db: DbOrTx, secret: string, token: string, now: Date): Promise<{ row: TokenRow; expiresAt: Date }> {
  const check = verifyToken(secret, token, now);
  if (!check.ok) throw new AppError('SURVEY.BAD_TOKEN');
  return judgeToken(check, (await tokenRows(db, [check.id])).get(check.id), now);
}
