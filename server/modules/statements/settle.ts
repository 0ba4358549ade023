import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { orgNodes } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import type { OrgNode } from '../org/org.queries.js';
import { SYSTEM_ACTOR } from '../audit/audit.service.js';
import { repairLedger } from '../scoring/ledger.repair.js';
import { ledgerReportLines, verifyLedger } from '../scoring/ledger.verify.js';
import { draftStatement, monthPeriod, recomputeStatement, statementNode, type Statement } from './statement.service.js';

/*
 * `settle`: a branch's monthly statement for operators, optionally re-scored or verified first. The
 * CLI runs it on the database it opened, or through a running server's admin endpoint
 * (admin.operations.ts).
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

/** The branch an operator names by its org code (`--branch 44100`), as a statement's branch. */
export async function statementNodeByCode(db: DbOrTx, code: string): Promise<OrgNode> {
  const [found] = await db.select().from(orgNodes).where(eq(orgNodes.code, code));
  if (!found) throw new Error(`机构号不存在 / unknown branch code: ${code}`);
  return statementNode(db, found.id);
}

/**
 * Runs settle on an open database; `log` receives progress and result lines.
 *
 * `verify` first compares the month's ledger lines with a fresh re-allocation and its statement
 * totals with the ledger, writing nothing (finding 10): any difference is listed and ends in
 * LEDGER.MISMATCH — unless `repair`, which writes the correcting entries and totals in one
 * audited transaction. Re-scoring a tampered ledger without looking would spread the tampering.
 */
export async function settle(db: Db, opts: { branch: string; month: string; recompute?: boolean; verify?: boolean; repair?: boolean }, log: (line: string) => void): Promise<Statement> {
  const node = await statementNodeByCode(db, opts.branch);
  const period = monthPeriod(opts.month);
  if (opts.verify) {
    log(`[1/2] 逐笔核对 verifying every sale and total of ${node.name} ${opts.month} (read only) …`);
    const started = performance.now();
    const report = await verifyLedger(db, { nodeId: node.id, period });
    for (const line of ledgerReportLines(report)) log(line);
    if (!report.ok && !opts.repair) throw new AppError('LEDGER.MISMATCH', { lines: report.lines.length, totals: report.totals.length });
    if (!report.ok) {
      const r = await repairLedger(db, SYSTEM_ACTOR, { nodeId: node.id, period, label: `${node.code}/${opts.month}` });
      log(`[1/2] 已修复 repaired: 新增分录 ${r.entries} 条，更正汇总 ${r.totals} 行；复核差异 ${r.after.lines.length + r.after.totals.length} 条（${performance.now() - started} ms）`);
      for (const line of r.after.ok ? [] : ledgerReportLines(r.after)) log(line);
    } else {
      log(`[1/2] 台账一致 ledger consistent（${performance.now() - started} ms）`);
    }
  } else if (opts.recompute) {
    log(`[1/2] 重算 recomputing ${node.name} ${opts.month} …`);
    const started = performance.now();
    const r = await recomputeStatement(db, SYSTEM_ACTOR, node, opts.month);
    log(`[1/2] 完成 done: ${r.sales} 笔销售变化，冲销 ${r.reversed} 条，新增 ${r.written} 条（${performance.now() - started} ms）`);
  }
  log(`[${opts.recompute || opts.verify ? '2/2' : '1/1'}] 汇总 totalling …`);
  const s = await draftStatement(db, node, opts.month);
  for (const line of settleLines(s)) log(line);
  return s;
}
