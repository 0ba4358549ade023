import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.js';
import { staff } from '../../db/schema/index.js';
import { DEMO_NODES } from '../../seed/demo-ids.js';
import { createTestApp, type TestApp } from '../../test/harness.js';
import type { AuthContext } from '../access/context.js';
import { loadGrants } from '../auth/auth.service.js';
import { seedQuotaYear } from '../quotas/testing.js';
import { scopedBranch } from '../quotas/quotas.policy.js';
import * as before from './dashboards.oracle.js';
import { completionBoard, drill, rankings, trend } from './dashboards.service.js';
import type { BoardQueryT, DrillQueryT } from './dashboards.schemas.js';

/**
 * Decision 0053: every board is one statement now. Each board, for every caller, branch, period and
 * line below, answers exactly what the reads before it answered (dashboards.oracle.ts: the route's
 * scopedBranch, then the board's statements) — the same JSON, or the same error code.
 */
const FS = DEMO_NODES.foshan;
let t: TestApp;
let fx: Awaited<ReturnType<typeof seedQuotaYear>>;
const callers: Record<string, AuthContext> = {};
let nodes: number[] = [];
let lines: (string | undefined)[] = [];
let depts: number[] = [];

async function authOf(staffNo: string): Promise<AuthContext> {
  const db = t.database.db;
  const [s] = await db.select().from(staff).where(eq(staff.staffNo, staffNo));
  return { staffId: s.id, staffNo: s.staffNo, name: s.name, nodeId: s.nodeId, sessionId: 't', csrfToken: 't', mustChangePassword: false, grants: await loadGrants(db, s.id) };
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  fx = await seedQuotaYear(db);
  const fsAdmin = await t.login('fs_admin');
  const add = async (b: object) => expect((await fsAdmin.post('/api/quotas', { nodeId: FS, year: 2025, productId: fx.card.id, ...b })).statusCode).toBe(201);
  await add({ departmentId: fx.dept('CORP'), quantity: 20 });
  await add({ departmentId: fx.dept('INST'), quantity: 15 });
  await add({ departmentId: fx.dept('PF'), productId: fx.mort.id, quantity: 2 });
  await add({ departmentId: fx.dept('RE'), productId: fx.mort.id, quantity: 0 });
  await add({ departmentId: fx.dept('CORP'), staffId: fx.corp0, quantity: 10 });
  await add({ departmentId: fx.dept('CORP'), staffId: fx.outletAm.id, quantity: 3 });
  await add({ departmentId: fx.dept('PF'), outletNodeId: fx.outlet.id, quantity: 8 });
  for (const s of ['fs_president', 'admin', 'hy_admin', `qt_am_${fx.outlet.id}`]) callers[s] = await authOf(s);
  const [outlet] = await rows<{ id: number }>(db, sql`SELECT id FROM org_nodes WHERE level = 'outlet' ORDER BY id LIMIT 1`);
  nodes = [FS, DEMO_NODES.heyuan, DEMO_NODES.province, outlet.id, 999_999];
  lines = [undefined, 'T_LINE', ...(await rows<{ c: string }>(db, sql`SELECT DISTINCT line_code AS c FROM products ORDER BY 1 LIMIT 3`)).map((x) => x.c), 'NO_SUCH'];
  depts = [...(await rows<{ id: number }>(db, sql`SELECT id FROM departments WHERE node_id = ${FS} ORDER BY id`)).map((x) => x.id), DEMO_NODES.heyuan * 100 + 1, 999_999];
});
afterAll(() => t?.close());

const outcome = async (f: () => Promise<unknown>) => {
  try {
    return { ok: JSON.parse(JSON.stringify(await f())) as unknown };
  } catch (e) {
    return { error: (e as { code?: string }).code ?? String(e) };
  }
};
const periods: { year?: number; from?: string; to?: string }[] = [
  { year: 2025 },
  { year: 2026 },
  { from: '2025-01', to: '2025-06' },
  { from: '2025-09', to: '2025-09' },
  { from: '2024-12', to: '2025-02' },
  {},
  { from: '2025-05', to: '2025-01' },
];

describe('each board answers as before (decision 0053)', () => {
  it('completion, rankings and trend: every caller, branch, period and line', async () => {
    const db = t.database.db;
    let compared = 0;
    let ok = 0;
    for (const [who, auth] of Object.entries(callers))
      for (const nodeId of nodes)
        for (const p of periods)
          for (const lineCode of lines) {
            const q: BoardQueryT = { nodeId, ...p, ...(lineCode ? { lineCode } : {}) };
            const pairs: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
              ['completion', async () => before.completionBoard(db, await scopedBranch(db, auth, 'dashboard.read', nodeId), q), () => completionBoard(db, auth, q)],
              ['rankings', async () => before.rankings(db, await scopedBranch(db, auth, 'dashboard.read', nodeId), q), () => rankings(db, auth, q)],
              ['rankings/2', async () => before.rankings(db, await scopedBranch(db, auth, 'dashboard.read', nodeId), { ...q, limit: 2 }), () => rankings(db, auth, { ...q, limit: 2 })],
              ['trend', async () => before.trend(db, await scopedBranch(db, auth, 'dashboard.read', nodeId), q), () => trend(db, auth, q)],
            ];
            for (const [board, old, now] of pairs) {
              const [a, b] = [await outcome(old), await outcome(now)];
              expect(b, `${board} ${who} ${JSON.stringify(q)}`).toEqual(a);
              compared++;
              if ('ok' in a) ok++;
            }
          }
    // The comparison covers answers, not only refusals, and the seeded year's figures are in them.
    expect(compared).toBe(4 * nodes.length * periods.length * lines.length * 4);
    expect(ok).toBeGreaterThan(compared / 5);
    const c = await completionBoard(db, callers.fs_president, { nodeId: FS, year: 2025 });
    expect(c.rows.map((r) => [r.departmentCode, r.staffId, r.outletNodeId, r.quota, r.completion, r.completionBp])).toContainEqual(['CORP', null, null, '20', '15', 7500]);
    expect(c.rows.some((r) => r.quotaId === null)).toBe(true);
    expect(c.rows.some((r) => r.outletNodeId !== null && r.completion === '10')).toBe(true);
  }, 300_000);

  it('the drill-down: every caller, level, period and line', async () => {
    const db = t.database.db;
    let ok = 0;
    for (const [who, auth] of Object.entries(callers))
      for (const nodeId of [undefined, ...nodes])
        for (const departmentId of [undefined, ...depts])
          for (const p of [periods[0], periods[1], periods[3], periods[5]])
            for (const lineCode of [undefined, 'T_LINE', 'NO_SUCH']) {
              const q: DrillQueryT = { ...(nodeId ? { nodeId } : {}), ...(departmentId ? { departmentId } : {}), ...p, ...(lineCode ? { lineCode } : {}) };
              const [a, b] = [await outcome(() => before.drill(db, auth, q)), await outcome(() => drill(db, auth, q))];
              expect(b, `drill ${who} ${JSON.stringify(q)}`).toEqual(a);
              if ('ok' in a && (a.ok as { level: string }).level === 'people') ok++;
            }
    expect(ok).toBeGreaterThan(10);
  }, 300_000);
});
