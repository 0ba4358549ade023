import { sql } from 'drizzle-orm';
import { rows } from '../server/db/client.js';
import { registerAllImportKinds } from '../server/import-kinds.js';
import { benchAuth } from './auth.js';
import { runImport } from '../server/modules/imports/import.service.js';
import { assignLeads } from '../server/modules/leads/leads.rules.js';
import { migrateDatabase } from '../server/db/client.js';
import { seedDemoCustomers, TEST_SCALE } from '../server/seed/customers.js';
import { seedDemoBank } from '../server/seed/demo-bank.js';
import { DEMO_NODES } from '../server/seed/demo-ids.js';
import { seedDemoScoring } from '../server/seed/scoring.js';
import { seedSplitRules } from '../server/modules/scoring/split-rules.service.js';
import { freshPg } from './scoring.js';

/**
 * Issue 13's goal: assigning 100,000 imported leads ≤ 10 s, evenly by capacity (max − min per
 * account manager ≤ 1 where capacities are equal). On PostgreSQL, through the real import (parse,
 * check every row, one transaction, audit), as 佛山分行's administrator, `ams` account managers in
 * 信用卡中心 with equal capacities that hold the whole file:
 * - baseline: the same rows with the holder named in the file (no routing);
 * - rule: no holder in the file, every lead routed by the capacity rule;
 * and the routing rule alone in memory. The goal reads as rule − baseline (the assignment's own
 * cost) and the rule run's total; both beside the baseline of the same run.
 */
export async function benchLeads(opts: { leads: number; ams: number; pgBase: string }) {
  registerAllImportKinds();
  const database = await freshPg(opts.pgBase, 'linkage_bench_leads');
  try {
    await migrateDatabase(database);
    await seedDemoBank(database.db);
    await seedDemoCustomers(database.db, TEST_SCALE);
    await seedSplitRules(database.db);
    await seedDemoScoring(database.db);
    const db = database.db;
    const [cc] = await rows<{ id: number }>(db, sql`SELECT id FROM departments WHERE node_id = ${DEMO_NODES.foshan} AND code = 'CC'`);
    // The account managers: everyone already in 信用卡中心 who may hold leads, plus new ones up to `ams`.
    await db.execute(sql`DELETE FROM staff_roles WHERE role_code = 'personal_am' AND staff_id IN (SELECT id FROM staff WHERE department_id = ${cc.id})`);
    const ams: string[] = [];
    for (let i = 1; i <= opts.ams; i++) {
      const no = `BL${String(i).padStart(6, '0')}`;
      const [s] = await rows<{ id: number }>(
        db,
        sql`INSERT INTO staff (staff_no, name, node_id, department_id, active) VALUES (${no}, ${`客户经理${i}`}, ${DEMO_NODES.foshan}, ${cc.id}, true) RETURNING id`,
      );
      await db.execute(sql`INSERT INTO staff_roles (staff_id, role_code, scope_node_id) VALUES (${s.id}, 'personal_am', ${DEMO_NODES.foshan})`);
      await db.execute(sql`INSERT INTO lead_capacities (staff_id, capacity) VALUES (${s.id}, ${Math.ceil(opts.leads / opts.ams)})`);
      ams.push(no);
    }
    const auth = await benchAuth(db, 'fs_admin');
    const csv = (named: boolean) => {
      const lines = ['商机编号,机构号,承接部门代码,意向产品代码,客户姓名,来源,承接人工号'];
      for (let i = 1; i <= opts.leads; i++) lines.push(`B${named ? 'N' : 'R'}${String(i).padStart(7, '0')},44100,CC,CREDIT,客户${i},导入,${named ? ams[i % ams.length] : ''}`);
      return Buffer.from(lines.join('\n'));
    };
    const run = async (named: boolean) => {
      await db.execute(sql`TRUNCATE lead_events, leads`);
      const bytes = csv(named);
      const t0 = performance.now();
      const res = await runImport({ db, auth, kind: 'leads', fileName: 'leads.csv', bytes, limits: { maxBytes: 256 * 2 ** 20 } as never });
      const seconds = (performance.now() - t0) / 1000;
      const loads = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM leads WHERE owner_staff_id IS NOT NULL GROUP BY owner_staff_id`);
      const counts = loads.map((l) => Number(l.n));
      const [{ pooled }] = await rows<{ pooled: number }>(db, sql`SELECT count(*)::int AS pooled FROM leads WHERE owner_staff_id IS NULL`);
      return {
        status: res.status,
        inserted: res.inserted,
        seconds: Math.round(seconds * 100) / 100,
        holders: counts.length,
        maxMinusMin: Math.max(...counts) - Math.min(...counts),
        pooled: Number(pooled),
      };
    };
    const baseline = await run(true);
    const rule = await run(false);
    const people = Array.from({ length: opts.ams }, (_, i) => ({ staffId: i + 1, staffNo: ams[i], open: 0, capacity: Math.ceil(opts.leads / opts.ams) }));
    const t0 = performance.now();
    assignLeads(opts.leads, people);
    const inMemoryMs = Math.round((performance.now() - t0) * 10) / 10;
    return {
      leads: opts.leads,
      ams: opts.ams,
      baseline,
      rule,
      assignmentSeconds: Math.round((rule.seconds - baseline.seconds) * 100) / 100,
      ratioRuleToBaseline: Math.round((rule.seconds / baseline.seconds) * 100) / 100,
      inMemoryMs,
    };
  } finally {
    await database.close();
  }
}
