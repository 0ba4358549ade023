import type { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../config.js';
import { type Db, migrateDatabase, openDatabase } from '../db/client.js';
import { orgNodes } from '../db/schema/index.js';
import { AppError } from '../errors.js';
import { appendAudit, SYSTEM_ACTOR } from '../modules/audit/audit.service.js';
import { repairLedger } from '../modules/scoring/ledger.repair.js';
import { recomputePeriod } from '../modules/scoring/ledger.service.js';
import { ledgerReportLines, verifyLedger } from '../modules/scoring/ledger.verify.js';
import { draftStatement, monthPeriod, statementNode, type Statement } from '../modules/statements/statement.service.js';

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

/**
 * Runs settle on an open database; `log` receives progress and result lines.
 *
 * `verify` first compares the month's ledger lines with a fresh re-allocation and its statement
 * totals with the ledger, writing nothing (finding 10): any difference is listed and ends in
 * LEDGER.MISMATCH — unless `repair`, which writes the correcting entries and totals in one
 * audited transaction. Re-scoring a tampered ledger without looking would spread the tampering.
 */
export async function settle(db: Db, opts: { branch: string; month: string; recompute?: boolean; verify?: boolean; repair?: boolean }, log: (line: string) => void): Promise<Statement> {
  const [found] = await db.select().from(orgNodes).where(eq(orgNodes.code, opts.branch));
  if (!found) throw new Error(`机构号不存在 / unknown branch code: ${opts.branch}`);
  const node = await statementNode(db, found.id);
  const period = monthPeriod(opts.month);
  if (opts.verify) {
    log(`[1/2] 逐笔核对 verifying every sale and total of ${node.name} ${opts.month} (read only) …`);
    const started = Date.now();
    const report = await verifyLedger(db, { nodeId: node.id, period });
    for (const line of ledgerReportLines(report)) log(line);
    if (!report.ok && !opts.repair) throw new AppError('LEDGER.MISMATCH', { lines: report.lines.length, totals: report.totals.length });
    if (!report.ok) {
      const r = await repairLedger(db, SYSTEM_ACTOR, { nodeId: node.id, period, label: `${node.code}/${opts.month}` });
      log(`[1/2] 已修复 repaired: 新增分录 ${r.entries} 条，更正汇总 ${r.totals} 行；复核差异 ${r.after.lines.length + r.after.totals.length} 条（${Date.now() - started} ms）`);
      for (const line of r.after.ok ? [] : ledgerReportLines(r.after)) log(line);
    } else {
      log(`[1/2] 台账一致 ledger consistent（${Date.now() - started} ms）`);
    }
  } else if (opts.recompute) {
    log(`[1/2] 重算 recomputing ${node.name} ${opts.month} …`);
    const started = Date.now();
    const r = await db.transaction(async (tx) => {
      const res = await recomputePeriod(tx, { nodeId: node.id, period });
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

/** The exit status of a ledger that does not verify (the audit chain's is 3). */
export const LEDGER_MISMATCH_EXIT = 4;

/** `linkage settle --branch 44100 --month 2026-10 [--recompute | --verify]` */
export function registerSettleCommand(program: Command) {
  program
    .command('settle')
    .description('月度积分统计：按部门、个人汇总（可先重算）/ monthly points statement of a branch')
    .requiredOption('--branch <code>', '分行机构号 / branch org code, e.g. 44100')
    .requiredOption('--month <yyyy-mm>', '月份 / month, e.g. 2026-10')
    .option('--recompute', '先重算本月积分：规则有变化的销售重新分配（只追加冲销与新分录）/ re-score the sales whose rules changed')
    .option('--verify', '只读核对：逐笔重新分配并与台账、统计汇总比对，有差异则列出并以状态 4 退出，不写入 / read-only: compare ledger, totals and a fresh allocation; exit 4 listing differences')
    .option('--repair', '与 --verify 同用：在一个事务中写入更正分录与汇总并记审计日志 / with --verify: write correcting entries and totals in one audited transaction')
    .action(async (opts: { branch: string; month: string; recompute?: boolean; verify?: boolean; repair?: boolean }) => {
      if (opts.repair && !opts.verify) throw new Error('--repair 须与 --verify 同用 / --repair needs --verify');
      const config = loadConfig();
      const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
      try {
        await migrateDatabase(database);
        await settle(database.db, opts, (l) => console.log(l));
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'LEDGER.MISMATCH')) throw e;
        console.error(`台账不一致，未写入任何数据；核实后可加 --repair 修复 / ledger MISMATCH: nothing written; add --repair to correct it`);
        process.exitCode = LEDGER_MISMATCH_EXIT;
      } finally {
        await database.close();
      }
    });
}
