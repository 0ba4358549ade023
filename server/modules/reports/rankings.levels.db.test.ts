import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestClock, useTestClock } from '../../calendar/index.js';
import { rows } from '../../db/client.js';
import { seedQuotaYear } from '../quotas/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/harness.js';
import { seedReportCatalogue } from './definitions.service.js';
import { runReportJob } from './produce.js';

/**
 * 销售PK below the tier-2 branch, on 佛山分行's March 2025 (quotas/testing.ts), figures by hand.
 * The daily product-sales report (PRD-SALES-D) of 2025-03-05 holds s1, CARD ×10 = 10.00 points:
 *   corp0 (a 佛山分行 department member, placed at the branch) 8.00, the outlet's account manager
 *   (placed at the outlet) 2.00; and 河源分行's CARD ×100 = 100.00 on department lines (no person).
 * People that day: corp0 800 hundredths → 1st, the outlet AM 200 → 2nd, of 2 (河源's lines name
 *   nobody). By sales both have 1 → tied 1st.
 * Outlets: the one outlet 200 → 1st of 1. Sub-branches: the outlet's sub-branch 200 → 1st of 1.
 */
let t: TestApp;
let clock: TestClock;
let restore: () => void;
let admin: Client;
let fsAdmin: Client;
let hyAdmin: Client;
let y: Awaited<ReturnType<typeof seedQuotaYear>>;
let subId: number;
const url = (level: string, measure = 'pointsHundredths') => `/api/reports/definitions/PRD-SALES-D/rankings?level=${level}&measure=${measure}&n=12`;

interface Ranking {
  level: string;
  levels: string[];
  periods: { periodKey: string; of: number }[];
  rows: { nodeId: number; nodeName: string; points: ({ value: number; rank: number } | null)[] }[];
}
const on5th = (r: Ranking) => {
  const k = r.periods.findIndex((p) => p.periodKey === '2025-03-05');
  expect(k).toBeGreaterThanOrEqual(0);
  return { k, of: r.periods[k].of, rows: r.rows.map((x) => ({ nodeId: x.nodeId, name: x.nodeName, at: x.points[k] })) };
};

beforeAll(async () => {
  ({ clock, restore } = useTestClock('2025-03-12T09:00:00+08:00'));
  t = await createTestApp();
  y = await seedQuotaYear(t.database.db);
  [{ id: subId }] = await rows<{ id: number }>(t.database.db, sql`SELECT parent_id AS id FROM org_nodes WHERE id = ${y.outlet.id}`);
  subId = Number(subId);
  await seedReportCatalogue(t.database.db, { validFrom: '2025-03-01' });
  await runReportJob(t.database.db, clock.now());
  [admin, fsAdmin, hyAdmin] = await Promise.all([t.login('admin'), t.login('fs_admin'), t.login('hy_admin')]);
});
afterAll(async () => {
  await t?.close();
  restore?.();
});

describe('rankings of sub-branches, outlets and people (ledger reports)', () => {
  it('people ranked on points: corp0 8.00 first, the outlet AM 2.00 second, of 2', async () => {
    const r = await admin.get(url('person'));
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json() as Ranking;
    expect(body.level).toBe('person');
    expect(body.levels).toEqual(['branch', 'subbranch', 'outlet', 'person']);
    const d = on5th(body);
    expect(d.of).toBe(2);
    expect(d.rows.filter((x) => x.at)).toEqual([
      { nodeId: y.corp0, name: expect.any(String), at: { value: 800, rank: 1 } },
      { nodeId: y.outletAm.id, name: '网点客户经理（' + y.outletAm.staffNo + '）', at: { value: 200, rank: 2 } },
    ]);
  });

  it('people ranked on sales: one sale each, tied first', async () => {
    const d = on5th((await admin.get(url('person', 'sales'))).json());
    expect(d.rows.filter((x) => x.at).map((x) => x.at)).toEqual([
      { value: 1, rank: 1 },
      { value: 1, rank: 1 },
    ]);
  });

  it('outlets and sub-branches: the outlet’s 2.00, first of one', async () => {
    const o = on5th((await admin.get(url('outlet'))).json());
    expect(o.of).toBe(1);
    expect(o.rows).toEqual([{ nodeId: y.outlet.id, name: y.outlet.name, at: { value: 200, rank: 1 } }]);
    const s = on5th((await admin.get(url('subbranch'))).json());
    expect(s.rows).toEqual([expect.objectContaining({ nodeId: subId, at: { value: 200, rank: 1 } })]);
  });

  it('a branch sees its own people with their bank-wide ranks; another branch sees none of them', async () => {
    const fs = on5th((await fsAdmin.get(url('person'))).json());
    expect(fs.rows.filter((x) => x.at).map((x) => x.nodeId)).toEqual([y.corp0, y.outletAm.id]);
    const hy = on5th((await hyAdmin.get(url('person'))).json());
    expect(hy.of).toBe(2);
    expect(hy.rows).toEqual([]);
  });

  it('a report not made from the ledger ranks branches only', async () => {
    const r = await admin.get('/api/reports/definitions/PRD-PEAK-D/rankings?level=outlet');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('REPORT.BAD_LEVEL');
    const b = await admin.get('/api/reports/definitions/PRD-PEAK-D/rankings');
    expect(b.json().levels).toEqual(['branch']);
  });
});
