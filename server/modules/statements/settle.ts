import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { orgNodes } from '../../db/schema/index.js';
import { appendAudit, SYSTEM_ACTOR } from '../audit/audit.service.js';
import { recomputePeriod } from '../scoring/ledger.service.js';
import { draftStatement, monthPeriod, statementNode, type Statement } from './statement.service.js';

/*
 * `settle`: a branch's monthly statement for operators, optionally re-scored first. The CLI runs
 * it on the database it opened, or through a running server's admin endpoint (admin.operations.ts).
 */

/** The statement's totals as printed lines: the same figures the API returns, by department and person. */
export function settleLines(s: Statement): string[] {
  const out = [
    `${s.node.name}（${s.node.code}）${s.month} 交叉营销积分 / cross-marketing points`,
    `合计 total ${s.totals.total.points}（个人 people ${s.totals.people.points}，部门留存 department-level ${s.totals.departmentLevel.points}）作废 voided ${s.totals.voided.points}，销售 ${s.totals.sales} 笔`,
    '— 部门 / departments —',
  ];
  for (const d of s.departments) out.push(`${d.code}\t${d.name}\t${d.points}\t作废 ${d.voided.points}`);
  out.push('— 个人 / people —');
  for (const p of s.people) out.push(`${p.staffNo}\t${p.name}\t${p.departmentName}\t${p.points}\t${p.roles.join('、')}`);
  for (const d of s.developments.filter((x) => x.verdict === 'void' && x.voided.pointsHundredths !== 0)) {
    out.push(`楼盘 ${d.code} ${d.name} 按揭户数未达标（${d.bankHouseholds ?? '-'}/${d.totalHouseholds ?? '-'}），作废 ${d.voided.points}`);
  }
  return out;
}

/** Runs settle on an open database; `log` receives progress and result lines. */
export async function settle(db: DbOrTx, opts: { branch: string; month: string; recompute?: boolean; verify?: boolean }, log: (line: string) => void): Promise<Statement> {
  const [found] = await db.select().from(orgNodes).where(eq(orgNodes.code, opts.branch));
  if (!found) throw new Error(`机构号不存在 / unknown branch code: ${opts.branch}`);
  const node = await statementNode(db, found.id);
  const period = monthPeriod(opts.month);
  if (opts.recompute || opts.verify) {
    log(`[1/2] ${opts.verify ? '逐笔核对重算 verifying every sale of' : '重算 recomputing'} ${node.name} ${opts.month} …`);
    const started = Date.now();
    const r = await db.transaction(async (tx) => {
      const res = await recomputePeriod(tx, { nodeId: node.id, period, verify: opts.verify });
      if (res.entries > 0) await appendAudit(tx, SYSTEM_ACTOR, { action: 'statement.recompute', entity: 'statement', entityId: `${node.code}/${opts.month}`, nodeId: node.id, after: res });
      return res;
    });
    log(`[1/2] 完成 done: ${r.sales} 笔销售变化，冲销 ${r.reversed} 条，新增 ${r.written} 条（${Date.now() - started} ms）`);
  }
  log(`[${opts.recompute || opts.verify ? '2/2' : '1/1'}] 汇总 totalling …`);
  const s = await draftStatement(db, node, opts.month);
  for (const line of settleLines(s)) log(line);
  return s;
}
