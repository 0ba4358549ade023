import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES } from '../../../shared/access.js';
import { MIGRATIONS_DIR, rows } from '../../db/client.js';
import { createTestDatabase } from '../../test/harness.js';

const NEW = ['quota.write', 'quota.approve', 'assessment.run', 'assessment.approve', 'assessment.read', 'dashboard.read'];
let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

describe('migration 0014 grants the new permissions to an existing installation', () => {
  it('an installation seeded before it ends up with exactly the default roles', async () => {
    const db = database.db;
    // Roles as an installation had them before quotas, dashboards and the assessment existed.
    for (const p of NEW) await db.execute(sql`UPDATE roles SET permissions = permissions - ${p}`);
    const migration = readFileSync(path.join(MIGRATIONS_DIR, '0014_quotas_assessment.sql'), 'utf8');
    const updates = migration
      .split('--> statement-breakpoint')
      .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
      .filter((s) => s.startsWith('UPDATE roles'));
    expect(updates).toHaveLength(NEW.length);
    // Twice: the statements are idempotent.
    for (let i = 0; i < 2; i++) for (const u of updates) await db.execute(sql.raw(u));
    const got = await rows<{ code: string; permissions: string[] }>(db, sql`SELECT code, permissions FROM roles`);
    for (const role of DEFAULT_ROLES) {
      const have = got.find((r) => r.code === role.code)!.permissions;
      expect(have.filter((p) => NEW.includes(p)).sort(), role.code).toEqual(role.permissions.filter((p) => NEW.includes(p)).sort());
      expect(new Set(have).size, role.code).toBe(have.length);
    }
  });
});
