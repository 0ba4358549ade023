import { sql } from 'drizzle-orm';
import { type Db, rows } from '../db/client.js';
import type { AuthContext } from '../modules/access/context.js';
import { appendAudit } from '../modules/audit/audit.service.js';
import { addBatch, addEntry } from '../modules/inclusive/performance.fixtures.js';
import { runInclusiveQuarterJob } from '../modules/inclusive/quarter.job.js';
import { planVisit, recordVisit, suggestFor } from '../modules/inclusive/visits.service.js';
import { DEMO_NODES } from './demo-ids.js';

/** When the demo's inclusive-finance steps happen (Beijing time), after the inter-bank ones. */
export const DEMO_INCLUSIVE = {
  quarter: '2026-12-04T19:00:00+08:00',
  plan: '2026-12-04T19:10:00+08:00',
  visit: '2026-12-04T19:20:00+08:00',
} as const;

/**
 * Per 佛山 outlet (by a part of its name): how many whitelist clients reached each stage in Q3 and
 * in November — entries, contacted, interested, applied, drawn — and the pre-approved amount of each
 * in 万元. 顺德's outlets draw least in Q3, so the quarterly rule cuts 顺德 among the 优先发展行.
 */
const OUTLETS: { part: string; q3: number[]; nov: number[]; wan: number }[] = [
  { part: '祖庙路', q3: [8, 7, 5, 4, 3], nov: [6, 6, 4, 3, 3], wan: 50 },
  { part: '季华路', q3: [6, 5, 3, 2, 2], nov: [5, 4, 2, 1, 1], wan: 30 },
  { part: '汾江中路', q3: [5, 3, 2, 1, 1], nov: [4, 2, 1, 0, 0], wan: 20 },
  { part: '桂城', q3: [7, 6, 4, 3, 3], nov: [5, 5, 3, 2, 2], wan: 60 },
  { part: '大沥', q3: [5, 4, 2, 1, 1], nov: [4, 3, 2, 1, 1], wan: 40 },
  { part: '大良', q3: [6, 4, 2, 1, 0], nov: [5, 2, 1, 0, 0], wan: 30 },
  { part: '容桂', q3: [4, 2, 1, 1, 1], nov: [4, 3, 1, 1, 1], wan: 20 },
  { part: '北滘', q3: [3, 1, 0, 0, 0], nov: [3, 1, 1, 0, 0], wan: 25 },
  { part: '西南', q3: [4, 3, 2, 2, 2], nov: [3, 3, 2, 2, 1], wan: 35 },
];
const STAGES = ['contacted', 'interested', 'applied', 'drawn'] as const;
const GROUPS: [string, 'priority' | 'follow' | 'featured'][] = [
  ['禅城', 'priority'],
  ['南海', 'priority'],
  ['顺德', 'priority'],
  ['三水', 'featured'],
];

/**
 * 普惠金融 (SPEC §12) in the demo: 佛山's whitelist clients of Q3 and November worked by its outlets,
 * the sub-branches grouped from 1 July, 2026-Q3's grouping result taken by the job, and December's
 * 蹲点 visits planned from November's ranking — one recorded with its follow-up actions.
 */
export async function seedDemoInclusive(db: Db, manager: AuthContext, at: (instant: string) => Date): Promise<{ entries: number; visits: number }> {
  const FS = DEMO_NODES.foshan;
  const nodes = await rows<{ id: number; name: string; level: string }>(db, sql`SELECT id, name, level FROM org_nodes WHERE path LIKE ${`%/${FS}/%`} ORDER BY id`);
  const nodeOf = (part: string, level: string) => nodes.find((n) => n.level === level && n.name.includes(part))?.id;
  const workers = await rows<{ id: number; nodeId: number }>(
    db,
    sql`SELECT DISTINCT ON (s.node_id) s.id, s.node_id AS "nodeId" FROM staff s JOIN org_nodes n ON n.id = s.node_id WHERE n.level = 'outlet' AND n.path LIKE ${`%/${FS}/%`} AND s.active ORDER BY s.node_id, s.id`,
  );
  const [fallback] = await rows<{ id: number }>(db, sql`SELECT id FROM staff WHERE staff_no = 'fs_staff'`);
  let entries = 0;
  let now = at(DEMO_INCLUSIVE.quarter);
  await db.transaction(async (tx) => {
    // Groups configured for the year's responsibility letters (责任状), in force from 1 July.
    for (const [part, group] of GROUPS) {
      const nodeId = nodeOf(part, 'subbranch');
      if (!nodeId) continue;
      await tx.execute(
        sql`INSERT INTO incl_group_members (node_id, branch_node_id, group_code, valid_from, reason, set_by, set_at)
            VALUES (${nodeId}, ${FS}, ${group}, DATE '2026-07-01', '2026年普惠金融发展责任状分类', ${manager.staffId}, '2026-06-28T09:00:00+08:00')`,
      );
      await appendAudit(tx, { id: manager.staffId, name: manager.name }, { action: 'perf_group.set', entity: 'perf_group', entityId: nodeId, nodeId, after: { group, validFrom: '2026-07-01' } });
    }
    const q3 = await addBatch(tx, { code: 'DEMO-JYKD-2026Q3', name: '经营快贷白名单（2026年第三季度）', ownerNodeId: FS, at: '2026-07-03T09:00:00+08:00' });
    const nov = await addBatch(tx, { code: 'DEMO-JYKD-2026-11', name: '经营快贷白名单（2026年11月）', ownerNodeId: FS, at: '2026-11-02T09:00:00+08:00' });
    for (const [oi, o] of OUTLETS.entries()) {
      const outlet = nodeOf(o.part, 'outlet');
      if (!outlet) continue;
      const staffId = workers.find((w) => w.nodeId === outlet)?.id ?? fallback.id;
      for (const [batch, counts, month] of [
        [q3, o.q3, '2026-07'],
        [nov, o.nov, '2026-11'],
      ] as const) {
        for (let k = 0; k < counts[0]; k++) {
          const day = (d: number) => `${month}-${String(d).padStart(2, '0')}T10:00:00+08:00`;
          const contacts = STAGES.filter((_, s) => k < counts[s + 1]).map((statusAfter, s) => ({ at: day(6 + k + s * 4), statusAfter }));
          await addEntry(tx, {
            batchId: batch,
            idNo: `9144060${String(oi).padStart(2, '0')}${month.replace('-', '')}${String(k + 1).padStart(3, '0')}X`,
            clientName: `佛山${o.part}商户${month.slice(5)}-${k + 1}`,
            outletNodeId: outlet,
            staffId,
            amountFen: (o.wan + k * 5) * 1_000_000,
            assignedAt: day(4),
            contacts,
          });
          entries += 1;
        }
      }
    }
  });
  // The scheduler takes 2026-Q3 (ended) once.
  await runInclusiveQuarterJob(db, now);
  // December's 蹲点: the good, average and poor outlets of November's ranking, led by the president.
  now = at(DEMO_INCLUSIVE.plan);
  const [leader] = await rows<{ id: number }>(db, sql`SELECT id FROM staff WHERE staff_no = 'fs_president'`);
  const suggested = await suggestFor(db, manager, '2026-12', FS);
  const ids: number[] = [];
  for (const [i, s] of suggested.items.entries())
    ids.push(
      await planVisit(db, manager, { month: '2026-12', nodeId: s.outlet.nodeId, category: s.category, leaderStaffId: leader.id, plannedOn: `2026-12-${String(4 + i * 7).padStart(2, '0')}` }, now),
    );
  now = at(DEMO_INCLUSIVE.visit);
  const good = suggested.items[0];
  if (good) {
    const owner = workers.find((w) => w.nodeId === good.outlet.nodeId)?.id ?? fallback.id;
    await recordVisit(
      db,
      manager,
      ids[0],
      {
        visitedOn: '2026-12-04',
        participants: '普惠金融部、禅城支行行长、网点主任及客户经理',
        findings: '网点主任具有法人业务经验，按客户结算往来逐户梳理白名单，电话前先发短信告知，客户接受度高',
        problems: '部分客户把营销电话当作诈骗电话；大堂经理尚未参与营销',
        actions: [
          { action: '整理“先短信、后电话”营销话术，在全辖推广', ownerStaffId: owner, dueOn: '2026-12-15' },
          { action: '大堂经理参与白名单客户到店识别与转介', ownerStaffId: owner, dueOn: '2026-12-31' },
        ],
      },
      '2026-12-04',
      now,
    );
  }
  return { entries, visits: ids.length };
}
